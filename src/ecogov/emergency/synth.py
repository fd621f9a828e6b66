"""Emergency management for `ecogov synth` (ecogov.core.synth): drills, incidents (almost all
general-grade 一般, a larger one now and then, reported within the hour) and the key
dischargers' contingency plans (filed; three-year review; a few filed late or superseded)."""

from __future__ import annotations

import datetime as dt

from ecogov.core.synth import years_on


def generate(ctx) -> None:
    from ecogov.core.models import Organisation, OrganisationKind
    from ecogov.core.synth import BASE
    from ecogov.emergency.models import ContingencyPlan, Drill, Incident

    rng = ctx.rng("emergency")
    organiser = Organisation.objects.filter(kind=OrganisationKind.ATTACHED_UNIT).order_by("pk")
    organiser = organiser.first().pk

    def drills():
        for i in range(ctx.n("drills")):
            entity, division, _c, _s = ctx.entities[rng.randrange(len(ctx.entities))]
            yield (
                BASE + i,
                division,
                ctx.day(rng),
                f"合成突发环境事件应急演练{i}",
                organiser,
                entity,
                "危化品泄漏" if rng.random() < 0.5 else "废水超标排放",
                "生态环境局、应急管理局、企业",
                rng.randrange(20, 200),
            )

    ctx.write(
        Drill,
        [
            "id",
            "division_id",
            "held_on",
            "title",
            "organiser_id",
            "host_entity_id",
            "scenario",
            "participating_units",
            "participants",
        ],  # fmt: skip
        drills(),
    )

    def incidents():
        for i in range(ctx.n("incidents")):
            entity, division, _c, _s = ctx.entities[rng.randrange(len(ctx.entities))]
            day = ctx.day(rng)
            occurred = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)))
            learned = occurred + dt.timedelta(minutes=rng.randrange(10, 180))
            reported = learned + dt.timedelta(minutes=rng.randrange(10, 70))
            closed = day + dt.timedelta(days=rng.randrange(1, 30))
            grade = "larger" if rng.random() < 0.03 else "general"
            yield (
                BASE + i,
                division,
                f"合成突发环境事件{i}",
                "厂区",
                entity,
                _aware(ctx, occurred),
                _aware(ctx, learned),
                grade,
                _aware(ctx, learned + dt.timedelta(hours=1)),
                _aware(ctx, reported),
                "市生态环境局",
                closed if closed <= ctx.last else None,
                "closed" if closed <= ctx.last else "responding",
            )

    ctx.write(
        Incident,
        [
            "id",
            "division_id",
            "title",
            "place",
            "entity_id",
            "occurred_at",
            "learned_at",
            "grade",
            "report_due_at",
            "initial_report_at",
            "reported_to",
            "closed_on",
            "state",
        ],  # fmt: skip
        incidents(),
    )
    levels = ["general"] * 7 + ["larger"] * 2 + ["major"]
    key = [e for e in ctx.entities if e[2] == "key"] or ctx.entities

    def plans():
        for i in range(ctx.n("contingency_plans")):
            entity, division, _c, _s = key[i % len(key)]
            issued = ctx.day(rng)
            filed = issued + dt.timedelta(days=rng.randrange(1, 40))
            yield (
                BASE + i,
                entity,
                division,
                f"突发环境事件应急预案(合成{i})",
                f"YA-S{i:08d}",
                levels[rng.randrange(len(levels))],
                issued,
                filed,
                years_on(issued, 3),
                (filed - issued).days > 20,
            )

    ctx.write(
        ContingencyPlan,
        [
            "id",
            "entity_id",
            "division_id",
            "title",
            "filing_number",
            "risk_level",
            "issued_on",
            "filed_on",
            "expires_on",
            "filed_late",
        ],  # fmt: skip
        plans(),
    )


def _aware(ctx, naive: dt.datetime):
    from django.utils import timezone

    return ctx.writer.moment(naive.replace(tzinfo=timezone.get_current_timezone()))
