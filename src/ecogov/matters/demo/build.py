"""Add the seed's assigned-matter ledgers to 示例市, through the services (bulk form for matters).

The figures test computes the seed's numbers from these records; nothing here is a total.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User

from ecogov.core.models import Division, Organisation, OrganisationKind, RegulatedEntity
from ecogov.matters import services
from ecogov.matters.models import Source
from ecogov.matters.services import MatterPlan, UnitPlan
from ecogov.matters.workflow import Channel, Kind

from . import data

ONE, HALF, ZERO = Decimal("1"), Decimal("0.5"), Decimal("0")
SOURCE_NAME = "示例市演示数据"


def build_demo() -> None:
    if Source.objects.filter(code="central2017").exists():
        return
    world = _World()
    plans = [*_rectification(world), *_petitions(world), *_proposals(world), *_campaign(world)]
    services.matters_bulk_write(actor=world.actor, plans=plans, source_name=SOURCE_NAME)
    _link_duplicates(world)


class _World:
    def __init__(self):
        self.actor = User.objects.get(username="leader")
        self.orgs = {o.name: o for o in Organisation.objects.select_related("division")}
        self.city = Division.objects.get(code="990100")
        self.province = Division.objects.get(code="990000")
        counties = Division.objects.filter(parent=self.city).order_by("code")
        self.counties = []
        for county in counties:
            government = next(
                o
                for o in self.orgs.values()
                if o.division_id == county.pk and o.kind == OrganisationKind.COUNTY_GOVERNMENT
            )
            sub_bureau = next(
                o
                for o in self.orgs.values()
                if o.division_id == county.pk and o.kind == OrganisationKind.SUB_BUREAU
            )
            self.counties.append((county, government, sub_bureau))
        self.departments = sorted(
            (o for o in self.orgs.values() if o.kind == OrganisationKind.CITY_DEPARTMENT),
            key=lambda o: o.name,
        )
        self.neighbour, _ = Organisation.objects.get_or_create(
            name=data.NEIGHBOUR,
            defaults={
                "kind": OrganisationKind.OUTSIDE_BODY,
                "outside_kind": "相邻市政府",
                "division": self.province,
            },
        )
        self.entities: dict[int, list] = {}
        for entity in RegulatedEntity.objects.order_by("pk").only("pk", "division_id", "name"):
            self.entities.setdefault(entity.division_id, []).append(entity)
        self.sources: dict[str, Source] = {}

    def source(self, **fields) -> Source:
        source = services.source_create(actor=self.actor, data=fields)
        self.sources[source.code] = source
        return source


def _day(start: dt.date, offset: int) -> dt.date:
    return start + dt.timedelta(days=offset)


def _lead(org) -> list[UnitPlan]:
    return [UnitPlan(org, "lead", ONE)]


def _rectification(world: _World) -> list[MatterPlan]:
    for code, name, level, year, started, feedback in data.TOURS:
        world.source(
            code=code,
            name=name,
            kind=Kind.RECTIFICATION,
            level=level,
            year=year,
            started_on=started,
            feedback_on=feedback,
        )
    plans = []
    for code, category, prefix, states in data.RECTIFICATION:
        source = world.sources[code]
        total = sum(n for _state, n in states)
        width = 3 if total >= 100 else 2
        finals = [state for state, n in states for _i in range(n)]
        for i, state in enumerate(finals, start=1):
            reference = f"{prefix}-{i:0{width}d}"
            county, government, _sub = world.counties[i % len(world.counties)]
            petition_like = category in ("petition", "supervised")
            if petition_like:
                received = _day(source.started_on, i % 28)
                title = f"{county.name}{data.PETITION_TOPICS[i % 10]}问题"
                division, units = county, _lead(government)
            else:
                received = source.feedback_on
                title = data.OPEN_PROBLEMS.get(reference) or (
                    f"{data.PROBLEM_TOPICS[i % 10]}问题({county.name})"
                )
                department = world.departments[i % len(world.departments)]
                on_city = i % 3 == 0
                division = world.city if on_city else county
                units = _lead(department if on_city else government)
            if reference == data.JOINT_REFERENCE:
                units = [UnitPlan(government, "lead", HALF), UnitPlan(world.neighbour, "co", HALF)]
                title = f"{county.name}与东川市交界河段污染问题(两地共同办结)"
            row = {
                "reference": reference,
                "title": title,
                "division": division,
                "received_on": received,
                "state": state,
                "content": f"{source.name}{title}。",
            }
            if petition_like and state == "closed":
                row.update(done_on=_day(received, 12 + i % 20), result="已调查处理并反馈信访人。")
                row["closed_on"] = row["done_on"]
            elif state in ("rectified", "written_off", "delisted"):
                row.update(done_on=_day(received, 150 + i % 120), result="已按整改方案完成整改。")
                if state != "rectified":
                    row.update(
                        closed_on=_day(row["done_on"], 30 + i % 20),
                        evidence="验收意见、现场核查记录、销号公示材料",
                    )
            plans.append(MatterPlan(source=source, category=category, data=row, units=units))
    return plans


def _petitions(world: _World) -> list[MatterPlan]:
    spec = data.PETITIONS
    source = world.source(
        code=spec["code"],
        name=spec["name"],
        kind=Kind.PETITION,
        level="city",
        year=spec["year"],
        started_on=dt.date(2020, 1, 1),
    )
    channels = Channel.values
    plans = []
    for i in range(1, spec["received"] + 1):
        county, _government, sub_bureau = world.counties[i % len(world.counties)]
        is_open = i > spec["received"] - spec["open"]  # the last ones are still in handling
        received = _day(dt.date(2020, 1, 6), (i - 1) * 2 if not is_open else 300 + i % 20)
        entities = world.entities.get(county.pk) or [None]
        entity = entities[i % len(entities)]
        topic = data.PETITION_TOPICS[i % 10]
        subject = entity.name if entity else county.name
        row = {
            "reference": f"XF2020-{i:04d}",
            "title": f"反映{subject}{topic}",
            "division": county,
            "received_on": received,
            "channel": channels[i % 5],
            "complainant_name": "某" + "甲乙丙丁戊己庚辛壬癸"[i % 10] + "某",
            "complainant_phone": f"139{i:08d}",
            "complainant_id_number": f"990121{1960 + i % 40}0101{i % 1000:03d}{i % 10}",
            "subject_entity": entity,
            "content": f"信访人反映{topic}。",
        }
        if i <= spec["not_accepted"]:
            row.update(
                state="not_accepted",
                done_on=_day(received, 5),
                closed_on=_day(received, 5),
                result="属于民事纠纷,已告知通过诉讼途径解决。",
            )
        elif is_open:
            row.update(state="in_handling", accepted_on=_day(received, 3))
        else:
            row.update(
                state="closed",
                accepted_on=_day(received, 3),
                done_on=_day(received, 20),
                closed_on=_day(received, 25),
                result="经现场核查,已责令整改并答复信访人。",
                feedback="satisfied" if i % 4 else "basic",
            )
        plans.append(
            MatterPlan(source=source, category="petition", data=row, units=_lead(sub_bureau))
        )
    return plans


def _link_duplicates(world: _World) -> None:
    from ecogov.matters.models import Matter

    pairs = [("XF2020-0040", "XF2020-0014"), ("XF2020-0053", "XF2020-0014")]
    for repeat, original in pairs:
        services.matter_link_duplicate(
            actor=world.actor,
            matter=Matter.objects.get(kind=Kind.PETITION, reference=repeat),
            original=Matter.objects.get(kind=Kind.PETITION, reference=original),
        )


def _proposals(world: _World) -> list[MatterPlan]:
    plans, n = [], 0
    for category, code, name, leads, cos in data.PROPOSALS:
        source = world.source(
            code=code,
            name=name,
            kind=Kind.PROPOSAL,
            level="city",
            year=2020,
            started_on=dt.date(2020, 3, 20),
        )
        prefix = "RD" if category == "npc" else "ZX"
        for i in range(1, leads + cos + 1):
            n += 1
            section = world.orgs[data.BUREAU_SECTIONS[n % len(data.BUREAU_SECTIONS)]]
            if i <= leads:
                units = [UnitPlan(section, "lead", ONE)]
            else:
                department = world.orgs[data.LEAD_DEPARTMENTS[n % len(data.LEAD_DEPARTMENTS)]]
                units = [UnitPlan(department, "lead", ONE), UnitPlan(section, "co", ZERO)]
            received = dt.date(2020, 4, 10)
            row = {
                "reference": f"{prefix}2020-{i:03d}",
                "title": f"关于加强{data.PROPOSAL_TOPICS[n % len(data.PROPOSAL_TOPICS)]}的"
                + ("建议" if category == "npc" else "提案"),
                "division": world.city,
                "received_on": received,
                "deputy": ("代表" if category == "npc" else "委员") + "张某某",
                "state": "closed",
                "done_on": _day(received, 60 + n),
                "closed_on": _day(received, 80 + n),
                "result": "已书面答复并与代表委员面商。",
                "reply_category": "AB"[n % 2],
                "feedback": "satisfied" if n % 3 else "basic",
            }
            plans.append(MatterPlan(source=source, category=category, data=row, units=units))
    return plans


def _campaign(world: _World) -> list[MatterPlan]:
    spec = data.CAMPAIGN
    source = world.source(
        code=spec["code"],
        name=spec["name"],
        kind=Kind.TASK,
        level="city",
        year=spec["year"],
        started_on=spec["started"],
        ended_on=spec["ended"],
        task_categories=spec["categories"],
    )
    measures = []
    for a, aspect_name in enumerate(spec["aspects"], start=1):
        aspect = services.plan_add_aspect(
            actor=world.actor, source=source, number=a, name=aspect_name
        )
        for m in range(1, spec["measures_per_aspect"] + 1):
            measures.append(
                services.plan_add_measure(
                    actor=world.actor, aspect=aspect, number=m, text=f"{aspect_name}措施{m}"
                )
            )
    services.assessment_scheme_set(actor=world.actor, source=source, data={})
    units = [government for _c, government, _s in world.counties] + world.departments
    plans = []
    for i in range(spec["tasks"]):
        lead = units[i % len(units)]
        co = units[(i + 1) % len(units)] if i % 5 == 4 else None
        division = lead.division
        measure = measures[i % len(measures)]
        late = i in (17, 90)  # two tasks were finished after the plan's date
        done = _day(spec["due"], 6) if late else _day(spec["started"], 30 + i % 90)
        row = {
            "reference": f"XJGS2020-{i + 1:03d}",
            "division": division,
            "title": f"{lead.short_name or lead.name}:{measure.text}",
            "received_on": spec["started"],
            "due_on": spec["due"],
            "measure": measure,
            "state": "completed",
            "done_on": done,
            "closed_on": done,
            "result": "已完成,报送佐证材料。",
        }
        plan_units = _lead(lead) + ([UnitPlan(co, "co", ZERO)] if co else [])
        plans.append(
            MatterPlan(
                source=source, category=spec["categories"][i % 7], data=row, units=plan_units
            )
        )
    return plans
