"""示例市's random inspections of 2020: a city plan per quarter drawn through the services
(one redraw after a late recusal), and 3361 enterprise inspections (家次) — the seed's figure
(一(三)2) — across random checks and the special campaigns, bulk-inserted with their events.

The world has only three certified staff, too few for two inspectors per check with rotation;
the demo adds two certified officers per county-level division and two at the city's
enforcement detachment (示例市生态环境保护综合行政执法支队).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from itertools import cycle

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import transaction

from ecogov.core.calendar import current_calendar
from ecogov.core.demo import DEMO_PASSWORD
from ecogov.core.demo import data as world_data
from ecogov.core.models import Division, DivisionLevel, Organisation, RegulatedEntity, StaffProfile
from ecogov.core.roles import Role

from . import deadlines, events, services
from .models import (
    DrawAssignment,
    DrawCheck,
    InspectionCounter,
    InspectionEvent,
    InspectionRecord,
    InspectionType,
    Outcome,
    Plan,
    Publication,
    PublicationKind,
    SeedSource,
)
from .services.publication import officers_of, result_content
from .services.records import format_number, number_prefix

YEAR = 2020
VISITS = 3361  # seed 一(三)2: 全市共抽查企业3361家次
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
# The special campaigns' share of the non-random visits; daily supervision takes the rest.
CAMPAIGNS = [
    (InspectionType.HAZARD_SURVEY, 0.30),
    (InspectionType.HEAVY_METAL, 0.10),
    (InspectionType.DRINKING_WATER, 0.08),
    (InspectionType.COMPLAINT, 0.14),
]
QUOTAS = [
    {"category": "key", "share": 25},
    {"category": "ordinary", "share": 20},
    {"category": "special", "share": 50},
]
LATE_RESULTS = {7, 58, 131}  # a few results published after the deadline (figure: on time)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def build() -> None:
    if Plan.objects.exists():
        return
    with transaction.atomic():
        _officers()
        leader = User.objects.get(username="leader")
        calendar = current_calendar()
        draws = [_quarter(q, leader, calendar) for q in range(1, 5)]
        _records(draws, leader, calendar)


def _officers() -> None:
    """Two certified officers per county-level division and two at the city detachment."""
    password = make_password(DEMO_PASSWORD)  # hashed once: the demo's officers share it
    city = Division.objects.get(code=world_data.CITY[0])
    places = [
        (city, Organisation.objects.get(name=world_data.ATTACHED_UNITS[0]), Role.SECTION_STAFF)
    ]
    for county in Division.objects.filter(parent=city).order_by("code"):
        org = Organisation.objects.get(division=county, kind="sub_bureau")
        places.append((county, org, Role.SUB_BUREAU_STAFF))
    names = cycle(s + g for g in world_data.GIVEN[3:] for s in world_data.SURNAMES[5:])
    users, profiles, roles = [], [], []
    for i, (division, org, role) in enumerate(places):
        for j in "ab":
            user = User(username=f"zf{division.code}{j}", password=password, is_staff=True)
            users.append(user)
            profiles.append(
                (
                    user,
                    StaffProfile(
                        full_name=next(names),
                        organisation=org,
                        division=division,
                        certificate_number=f"示执{2019}{i:03d}{j}",
                        certificate_expiry=dt.date(2030, 12, 31),
                    ),
                )
            )
            roles.append((user, role))
    User.objects.bulk_create(users)
    for user, profile in profiles:
        profile.user = user
    StaffProfile.objects.bulk_create([p for _u, p in profiles])
    groups = {g.name: g for g in Group.objects.filter(name__in=[r for _u, r in roles])}
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=groups[r].pk) for u, r in roles]
    )


def _quarter(q: int, leader, calendar):
    start = dt.date(YEAR, 3 * q - 2, 1)
    end = dt.date(YEAR + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
    draw_day = calendar.add_workdays(start, 2)
    city = Division.objects.get(code=world_data.CITY[0])
    plan = services.plan_create(
        actor=leader,
        now=at(start - dt.timedelta(days=10)),
        data={
            "name": f"示例市{YEAR}年第{q}季度污染源日常监管双随机抽查",
            "period_label": f"{YEAR}-Q{q}",
            "period_start": start,
            "period_end": end,
            "division": city,
            "inspection_date": start,
            "inspectors_per_check": 2,
            "allow_cross_division": False,
            "notes": "重点排污单位每季度不少于25%,特殊监管对象50%,一般排污单位20%。",
        },
        quotas=QUOTAS,
    )
    public = q == 3
    seed = services.seed_announce(
        actor=leader,
        plan=plan,
        now=at(draw_day - dt.timedelta(days=1), 16),
        value=f"{draw_day:%Y%m%d}-{(q * 7919) % 10000:04d}",
        source=SeedSource.PUBLIC if public else SeedSource.LEADER,
        source_note="示例:示例省福利彩票前一日开奖号码(演示数据)" if public else "",
    )
    draw = services.draw_make(actor=leader, plan=plan, seed=seed, now=at(draw_day, 10))
    if q == 2:  # a recusal declared after the draw: redrawn with a new seed, reason recorded
        check = draw.checks.order_by("category", "rank").first()
        inspector = check.assignments.order_by("position").first().inspector
        services.conflict_declare(
            actor=leader,
            inspector=inspector,
            entity=check.entity,
            reason="与该单位法定代表人系近亲属(演示数据)",
            now=at(draw_day, 14),
        )
        seed = services.seed_announce(
            actor=leader,
            plan=plan,
            now=at(draw_day, 15),
            value=f"{draw_day:%Y%m%d}-redraw-{q}",
            source=SeedSource.LEADER,
        )
        draw = services.draw_redo(
            actor=leader,
            draw=draw,
            seed=seed,
            now=at(draw_day, 16),
            reason="抽取后执法人员申报与被抽取单位存在利害关系,依法回避后重新抽取。",
        )
    return draw


def _workdays(start: dt.date, end: dt.date, calendar) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if calendar.is_workday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _records(draws, leader, calendar) -> None:
    entities = list(RegulatedEntity.objects.select_related("division").order_by("pk"))
    officers = _officers_by_division()
    rows = []  # (date, entity, type, draw_check, inspector ids, outcome)
    for draw in draws:
        days = _workdays(
            draw.drawn_at.astimezone(TZ).date() + dt.timedelta(days=5),
            draw.plan.period_end,
            calendar,
        )
        checks = DrawCheck.objects.filter(draw=draw).select_related("entity").order_by("pk")
        drawn = {}
        for check_id, inspector_id in (
            DrawAssignment.objects.filter(draw_check__draw=draw)
            .order_by("position")
            .values_list("draw_check_id", "inspector_id")
        ):
            drawn.setdefault(check_id, []).append(inspector_id)
        for i, check in enumerate(checks):
            rows.append(
                (
                    days[(i * 7) % len(days)],
                    check.entity,
                    InspectionType.RANDOM,
                    check,
                    drawn[check.pk],
                    _outcome(i),
                )
            )
    others = VISITS - len(rows)
    plan = [(t, round(others * share)) for t, share in CAMPAIGNS]
    plan.append((InspectionType.DAILY, others - sum(n for _t, n in plan)))
    year_days = _workdays(dt.date(YEAR, 1, 6), dt.date(YEAR, 12, 30), calendar)
    k = 0
    for kind, n in plan:
        for _ in range(n):
            entity = entities[(k * 37) % len(entities)]
            rows.append(
                (
                    year_days[(k * 13) % len(year_days)],
                    entity,
                    kind,
                    None,
                    officers[entity.division_id],
                    _outcome(k + 3),
                )
            )
            k += 1
    rows.sort(key=lambda r: (r[0], r[1].pk, r[2]))
    _insert(rows, leader, calendar)


def _officers_by_division() -> dict[int, list[int]]:
    """Two of the demo officers for each county-level division (its own sub-bureau's)."""
    out = {}
    for division in Division.objects.exclude(
        level__in=[DivisionLevel.PROVINCE, DivisionLevel.CITY]
    ):
        out[division.pk] = list(
            User.objects.filter(
                username__in=[f"zf{division.code}a", f"zf{division.code}b"]
            ).values_list("pk", flat=True)
        )
    return out


def _outcome(i: int) -> str:
    return Outcome.ORDERED_FIXED if i % 9 == 4 else Outcome.NO_PROBLEM


def _insert(rows, leader, calendar) -> None:
    # No per-row history for a generated year (as the enforcement demo): the events are the record.
    prefix = number_prefix()
    InspectionRecord.objects.bulk_create(
        [
            InspectionRecord(
                number=format_number(prefix, YEAR, n),
                date=day,
                entity=entity,
                division=entity.division,
                type=kind,
                draw_check=check,
                outcome=outcome,
                recorded_by=leader,
                recorded_at=at(day, 17),
                findings=_findings(kind, outcome),
            )
            for n, (day, entity, kind, check, _who, outcome) in enumerate(rows, start=1)
        ],
        batch_size=1000,
    )
    records = list(
        InspectionRecord.objects.filter(date__year=YEAR).select_related("entity", "division")
    )
    by_number = {r.number: r for r in records}
    through = InspectionRecord.inspectors.through
    links, evts, who_of = [], [], {}
    for n, (_day, _e, _k, _c, who, _o) in enumerate(rows, start=1):
        record = by_number[format_number(prefix, YEAR, n)]
        who_of[record.pk] = who
        links += [through(inspectionrecord_id=record.pk, user_id=uid) for uid in who]
        evts.append(
            InspectionEvent(
                record=record,
                actor=leader,
                type=InspectionEvent.Type.RECORDED,
                occurred_at=record.recorded_at,
                to_state=record.outcome,
                payload=events.recorded_payload(record),
            )
        )
    through.objects.bulk_create(links, batch_size=5000)
    InspectionEvent.objects.bulk_create(evts, batch_size=2000)
    InspectionCounter.objects.update_or_create(year=YEAR, defaults={"last": len(rows)})
    _publish(
        [by_number[format_number(prefix, YEAR, n)] for n in range(1, len(rows) + 1)],
        who_of,
        leader,
        calendar,
    )


def _findings(kind: str, outcome: str) -> str:
    if outcome == Outcome.ORDERED_FIXED:
        return "现场发现污染防治设施运行记录不完整,已责令限期整改。"
    return "现场检查未发现环境违法行为。"


def _publish(records, who_of, leader, calendar) -> None:
    """Every draw list (the superseded one too) and every random result, mostly on time."""
    for publication in Publication.objects.filter(kind=PublicationKind.DRAW_LIST):
        services.publication_publish(
            actor=leader,
            publication=publication,
            on=calendar.add_workdays(publication.trigger_on, 3),
        )
    random = [r for r in records if r.type == InspectionType.RANDOM]
    officers = officers_of(uid for r in random for uid in who_of[r.pk])
    pubs = []
    for i, record in enumerate(random):
        deadline = deadlines.result_due(record.date, calendar)
        on = (
            calendar.add_workdays(deadline.due, 4)
            if i in LATE_RESULTS
            else calendar.add_workdays(record.date, 10)
        )
        content = result_content(record, {uid: officers[uid] for uid in who_of[record.pk]})
        pubs.append(
            Publication(
                kind=PublicationKind.RESULT,
                inspection=record,
                division=record.division,
                title=f"{record.entity.name} 双随机抽查结果({record.number})",
                trigger_on=record.date,
                due_on=deadline.due,
                due_provisional=deadline.provisional,
                published_on=on,
                published_by=leader,
                on_time=on <= deadline.due,
                content=content,
            )
        )
    pubs = Publication.objects.bulk_create(pubs)
    InspectionEvent.objects.bulk_create(
        [
            InspectionEvent(
                record=p.inspection,
                actor=leader,
                type=InspectionEvent.Type.PUBLISHED,
                occurred_at=at(p.published_on, 11),
                payload={
                    "publication": p.pk,
                    "published_on": p.published_on.isoformat(),
                    "due_on": p.due_on.isoformat(),
                },
            )
            for p in pubs
        ]
    )
