"""Matters of all kinds for `ecogov synth` (ecogov.core.synth).

Four in ten are petitions (信访件/举报件, due 60 days after acceptance), three in ten
rectification items of inspection tours (due 30–180 days), two in ten tasks (due by the
year's end), one in ten NPC deputies' proposals and CPPCC proposals (due in 3 months).
Most are closed within their deadline: about 5 % closed late, and an item still open past
its due date is rare (~2 % of the older ones). Each has its lead unit (a county government, a
sub-bureau or a city department); one in ten a co-handling unit, one in thirty-three shared
half and half. Petitions carry the channel and, once closed, the complainant's feedback.

Alone (`ecogov synth --only matters`, the matters benches) the units are the scale's, or as
many responsible units as asked (volume "units": 合成责任单位NNN, city departments and county
governments in turn), and each unit's part comes with its record assignment (核心 交办): the
units' own staff see their matters through it, as after the services' assigning."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def generate(ctx) -> None:
    from ecogov.core.models import Organisation, OrganisationKind
    from ecogov.core.synth import BASE
    from ecogov.matters.models import Matter, MatterUnit, Source
    from ecogov.matters.workflow import Kind, flow_for

    rng = ctx.rng("matters")
    local = list(
        Organisation.objects.filter(
            division_id__in=ctx.divisions,
            kind__in=[OrganisationKind.COUNTY_GOVERNMENT, OrganisationKind.SUB_BUREAU],
        )
        .order_by("pk")
        .values_list("pk", "division_id")
    )
    departments = list(
        Organisation.objects.filter(kind=OrganisationKind.CITY_DEPARTMENT)
        .order_by("pk")
        .values_list("pk", "division_id")
    )
    units = local + departments[: max(2, len(local) // 3)]
    if ctx.volume("units"):
        units = responsible_units(ctx, ctx.volume("units"))
    sections = list(
        Organisation.objects.filter(kind=OrganisationKind.SECTION)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    kinds = (
        [(Kind.PETITION, "petition")] * 3
        + [(Kind.PETITION, "report")]
        + [(Kind.RECTIFICATION, "petition"), (Kind.RECTIFICATION, "feedback")]
        + [(Kind.RECTIFICATION, "supervised")]
        + [(Kind.TASK, "蓝天保卫战"), (Kind.TASK, "碧水保卫战")]
        + [(Kind.PROPOSAL, "npc")]
    )
    flows = {}
    for kind, category in [*kinds, (Kind.PROPOSAL, "cppcc")]:
        flow = flow_for(kind, category)
        final = "closed" if "closed" in flow.terminal else min(flow.terminal)
        open_states = [str(s) for s in flow.states if s not in flow.terminal][:3]
        flows[(kind, category)] = (open_states, str(final))
    codes = {Kind.RECTIFICATION: "tour", Kind.PETITION: "xf", Kind.PROPOSAL: "ta", Kind.TASK: "rw"}
    sources = {}
    for year in range(ctx.first.year, ctx.last.year + 1):
        for kind, code in codes.items():
            sources[(kind, year)] = Source.objects.get_or_create(
                code=f"synth-{code}{year}",
                defaults={
                    "name": f"{year}年{Kind(kind).label}(合成)",
                    "kind": kind,
                    "year": year,
                    "task_categories": ["蓝天保卫战", "碧水保卫战"] if kind == Kind.TASK else [],
                },
            )[0].pk
    feedback = ["satisfied"] * 6 + ["basic"] * 3 + ["dissatisfied"]
    channels = ["hotline"] * 5 + ["online"] * 3 + ["letter", "visit"]
    units_rows = []

    def matters():
        for i in range(ctx.n("matters")):
            kind, category = kinds[rng.randrange(len(kinds))]
            if kind == Kind.PROPOSAL and rng.random() < 0.5:
                category = "cppcc"
            open_states, final = flows[(kind, category)]
            received = ctx.day(rng)
            if kind == Kind.PETITION:
                accepted = received + dt.timedelta(days=rng.randrange(1, 15))
                due = accepted + dt.timedelta(days=60)
            elif kind == Kind.PROPOSAL:
                accepted, due = None, received + dt.timedelta(days=90)
            elif kind == Kind.TASK:
                accepted, due = None, dt.date(received.year, 12, 31)
            else:
                accepted = None
                due = received + dt.timedelta(days=rng.choice([30, 60, 90, 180]))
            span = (due - received).days
            late = rng.random() < 0.05
            took = (
                span + rng.randrange(1, 45) if late else max(1, round(span * rng.betavariate(4, 2)))
            )
            done = received + dt.timedelta(days=took)
            if done > ctx.last:
                # still being handled; past its due date only rarely (the stuck ones)
                is_open = due > ctx.last or rng.random() < 0.35
            else:
                is_open = rng.random() < 0.02 and due < ctx.last
            if is_open:
                done = None
            lead, lead_division = units[rng.randrange(len(units))]
            shared = rng.random() < 1 / 33
            pk = BASE + i
            source = sources[(kind, received.year)]
            if kind == Kind.PROPOSAL and sections:
                co = sections[rng.randrange(len(sections))]
            elif shared or rng.random() < 0.1:
                co = units[rng.randrange(len(units))][0]
                co = None if co == lead else co
            else:
                co = None
            shared = shared and co is not None
            units_rows.append(
                (lead, "lead", Decimal("0.5") if shared else Decimal(1), pk, received,
                 is_open, due, source)
            )  # fmt: skip
            if co is not None:
                units_rows.append(
                    (co, "co", Decimal("0.5") if shared else Decimal(0), pk, received,
                     is_open, due, source)
                )  # fmt: skip
            petition = kind == Kind.PETITION
            yield (
                pk,
                str(kind),
                category,
                source,
                f"S{received.year}{i:08d}",
                f"合成{Kind(kind).label}{i}",
                lead_division if lead_division in ctx.divisions else ctx.divisions[0],
                open_states[rng.randrange(len(open_states))] if is_open else final,
                is_open,
                received,
                accepted,
                due,
                "given",
                done,
                None if done is None else done > due,
                done,
                "" if is_open else "已办结",
                None if shared else lead,
                channels[rng.randrange(len(channels))] if petition else "",
                feedback[rng.randrange(len(feedback))] if petition and not is_open else "",
            )

    ctx.write(
        Matter,
        [
            "id",
            "kind",
            "category",
            "source_id",
            "reference",
            "title",
            "division_id",
            "state",
            "is_open",
            "received_on",
            "accepted_on",
            "due_on",
            "due_rule",
            "done_on",
            "done_late",
            "closed_on",
            "result",
            "credit_organisation_id",
            "channel",
            "feedback",
        ],
        matters(),
    )
    columns = [
        "id",
        "organisation_id",
        "role",
        "share",
        "matter_id",
        "assigned_on",
        "pending",
        "matter_due_on",
        "source_id",
    ]
    if ctx.only != "matters":  # the scales write the units alone (docs/synth.md)
        ctx.write(MatterUnit, columns, ((BASE + n, *row) for n, row in enumerate(units_rows)))
        return
    from django.contrib.contenttypes.models import ContentType

    from ecogov.core.models import RecordAssignment

    content_type = ContentType.objects.get_for_model(Matter).pk
    leader = ctx.user("leader")
    ctx.write(
        RecordAssignment,
        ["id", "content_type_id", "object_id", "organisation_id", "role", "created_by_id"],
        (
            (BASE + n, content_type, matter, organisation, ROLES[role], leader)
            for n, (organisation, role, _share, matter, *_rest) in enumerate(units_rows)
        ),
    )
    ctx.write(
        MatterUnit,
        [*columns, "assignment_id"],
        ((BASE + n, *row, BASE + n) for n, row in enumerate(units_rows)),
    )


ROLES = {"lead": "handler", "co": "co_handler"}  # a unit's part -> its assignment's role


def responsible_units(ctx, count: int) -> list[tuple[int, int]]:
    """`count` responsible units over the scale's divisions: (pk, division_id)."""
    from ecogov.core.models import Organisation, OrganisationKind
    from ecogov.core.synth import BASE

    rows = [
        (
            BASE + i,
            f"合成责任单位{i:03d}",
            OrganisationKind.CITY_DEPARTMENT if i % 3 else OrganisationKind.COUNTY_GOVERNMENT,
            ctx.divisions[i % len(ctx.divisions)],
        )
        for i in range(count)
    ]
    ctx.write(Organisation, ["id", "name", "kind", "division_id"], iter(rows))
    return [(pk, division) for pk, _name, _kind, division in rows]
