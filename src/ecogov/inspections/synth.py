"""Double-random inspections for `ecogov synth` (ecogov.core.synth).

Each county-level division draws twice a year (one plan, its announced seed, one draw): the
key dischargers are checked more often than ordinary units (the draw picks a key discharger
about five times as readily). Every check drawn before the last day has its inspection
record; the other inspections (daily supervision, complaints, special campaigns) come on top.
Outcomes: about 80 % no problem, 15 % ordered to correct, 5 % a case opened.

Alone (`--only inspections`, the draw bench) it can also write the inspector pool (volume
"inspectors": certified staff at province, city and county level, as a province's 执法人员名录库)
with declared conflicts for one entity in twenty; volumes of 0 for "inspections" and
"draw_checks" leave out the plans, draws and records. The scales write neither."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from itertools import accumulate


def generate(ctx) -> None:
    from ecogov.core.synth import BASE
    from ecogov.inspections.models import Draw, DrawCheck, InspectionRecord, Plan, Seed

    if ctx.volume("inspectors"):
        inspectors(ctx, ctx.volume("inspectors"))
    if not ctx.n("inspections") and not ctx.n("draw_checks"):
        return
    rng = ctx.rng("inspections")
    inspector = ctx.user("inspector")
    by_division: dict[int, list[tuple[int, str]]] = {}
    for pk, division, category, status in ctx.entities:
        if status == "operating":
            by_division.setdefault(division, []).append((pk, category))
    rounds = [
        (year, half)
        for year in range(ctx.first.year, ctx.last.year + 1)
        for half in (1, 2)
        if dt.date(year, 6 * half - 2, 15) <= ctx.last
    ]
    plans = [(d, y, h) for d in ctx.divisions if by_division.get(d) for (y, h) in rounds]
    per_draw = max(1, ctx.n("draw_checks") // max(1, len(plans)))
    plan_rows, seed_rows, draw_rows, check_rows, record_rows = [], [], [], [], []
    outcomes = ["no_problem"] * 16 + ["ordered_fixed"] * 3 + ["case_opened"]
    for n, (division, year, half) in enumerate(plans):
        pk = BASE + n
        start = dt.date(year, 1 if half == 1 else 7, 1)
        end = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
        day = dt.date(year, 6 * half - 2, 15)
        plan_rows.append(
            (
                pk,
                f"{year}年{'上' if half == 1 else '下'}半年双随机抽查计划(合成)",
                f"{year}年{'上' if half == 1 else '下'}半年",
                start,
                end,
                division,
                day,
                inspector,
                ctx.at(day - dt.timedelta(days=20)),
            )
        )
        value = f"{rng.randrange(10**8):08d}"
        seed_rows.append((pk, pk, value, "leader", inspector, ctx.at(day - dt.timedelta(days=3))))
        pool = by_division[division]
        weights = list(accumulate(5 if category == "key" else 1 for _pk, category in pool))
        picked: dict[int, str] = {}
        for _ in range(min(per_draw, len(pool)) * 3):
            if len(picked) >= min(per_draw, len(pool)):
                break
            entity, category = rng.choices(pool, cum_weights=weights)[0]
            picked.setdefault(entity, category)
        document = json.dumps({"plan": pk, "seed": value, "pool": len(pool)}).encode()
        result = json.dumps(sorted(picked)).encode()
        tallies: dict[str, int] = {}
        frames: dict[str, int] = {}
        for _pk, category in pool:
            frames[category] = frames.get(category, 0) + 1
        for entity, category in picked.items():
            tallies[category] = tallies.get(category, 0) + 1
            check = BASE + len(check_rows)
            check_rows.append((check, pk, category, tallies[category], entity, division, True))
            date = day + dt.timedelta(days=rng.randrange(0, 30))
            if date <= ctx.last:
                record_rows.append((entity, division, date, "random", check, rng.choice(outcomes)))
        draw_rows.append(
            (
                pk,
                pk,
                1,
                division,
                pk,
                ctx.at(day - dt.timedelta(days=2)),
                inspector,
                day,
                "synth-1",
                document,
                hashlib.sha256(document).hexdigest(),
                hashlib.sha256(result).hexdigest(),
                json.dumps(
                    [
                        {"category": c, "frame_size": frames[c], "drawn": k}
                        for c, k in sorted(tallies.items())
                    ]
                ),
                len(pool),
                6,
            )
        )
    ctx.write(
        Plan,
        [
            "id",
            "name",
            "period_label",
            "period_start",
            "period_end",
            "division_id",
            "inspection_date",
            "created_by_id",
            "created_at",
        ],
        iter(plan_rows),
    )
    ctx.write(
        Seed,
        ["id", "plan_id", "value", "source", "announced_by_id", "announced_at"],
        iter(seed_rows),
    )
    ctx.write(
        Draw,
        [
            "id",
            "plan_id",
            "number",
            "division_id",
            "seed_id",
            "drawn_at",
            "drawn_by_id",
            "inspection_date",
            "algorithm_version",
            "input_document",
            "input_hash",
            "result_hash",
            "tallies",
            "entity_pool_size",
            "inspector_pool_size",
        ],
        iter(draw_rows),
    )
    ctx.write(
        DrawCheck,
        ["id", "draw_id", "category", "rank", "entity_id", "division_id", "is_latest"],
        iter(check_rows),
    )
    others = ["daily"] * 6 + ["complaint"] * 2 + ["heavy_metal", "hazard_survey", "drinking_water"]
    operating = [e for e in ctx.entities if e[3] == "operating"]
    for _ in range(max(0, ctx.n("inspections") - len(record_rows))):
        entity, division, _category, _status = operating[rng.randrange(len(operating))]
        record_rows.append(
            (entity, division, ctx.day(rng), rng.choice(others), None, rng.choice(outcomes))
        )

    def records():
        for i, (entity, division, date, type_, check, outcome) in enumerate(record_rows):
            yield (
                BASE + i,
                f"JC{date.year}-S{i:08d}",
                date,
                entity,
                division,
                type_,
                check,
                outcome,
                inspector,
                ctx.at(date, 17),
            )

    ctx.write(
        InspectionRecord,
        [
            "id",
            "number",
            "date",
            "entity_id",
            "division_id",
            "type",
            "draw_check_id",
            "outcome",
            "recorded_by_id",
            "recorded_at",
        ],
        records(),
    )


def inspectors(ctx, count: int) -> None:
    """`count` certified inspectors of the bureau: 2.5 % at the province, 1 % in each city
    (at least one each),
    the rest over the county-level divisions; certificates valid from a month before the
    first data day to four years after it; conflicts declared for one entity in twenty, each
    by an inspector of the entity's county where there is one."""
    from django.contrib.auth.models import User

    from ecogov.core.models import Division, DivisionLevel, Organisation, StaffProfile
    from ecogov.core.synth import BASE
    from ecogov.inspections.models import ConflictDeclaration

    rng = ctx.rng("inspectors")
    counties = list(Division.objects.filter(pk__in=ctx.divisions).order_by("code"))
    above = {code for c in counties for code in c.path.split("/") if code}
    cities = list(
        Division.objects.filter(code__in=above, level=DivisionLevel.CITY)
        .order_by("code")
        .values_list("pk", flat=True)
    )
    province = Division.objects.get(code__in=above, level=DivisionLevel.PROVINCE)
    bureau = (
        Organisation.objects.filter(kind="bureau").order_by("pk").values_list("pk", flat=True)[0]
    )
    levels = [province.pk] * max(1, round(count * 0.025))
    levels += [city for city in cities for _ in range(max(1, round(count * 0.01)))]
    county_ids = [c.pk for c in counties]
    levels = levels[:count]
    levels += [county_ids[i % len(county_ids)] for i in range(count - len(levels))]
    ctx.write(
        User,
        ["id", "username", "password", "is_active"],
        ((BASE + i, f"synth_inspector{i}", "!", True) for i in range(count)),
    )
    ctx.write(
        StaffProfile,
        ["id", "user_id", "full_name", "organisation_id", "division_id", "certificate_number",
         "certificate_expiry"],
        (
            (BASE + i, BASE + i, f"合成执法人员{i}", bureau, division, f"SC{i:06d}",
             ctx.first + dt.timedelta(days=rng.randint(-30, 1500)))
            for i, division in enumerate(levels)
        ),
    )  # fmt: skip
    by_division: dict[int, list[int]] = {}
    for i, division in enumerate(levels):
        by_division.setdefault(division, []).append(BASE + i)
    everyone = [BASE + i for i in range(count)]
    declared = sorted(rng.sample(range(len(ctx.entities)), len(ctx.entities) // 20))
    moment = ctx.at(ctx.first)

    def conflicts():
        for n, index in enumerate(declared):
            entity, division, _category, _status = ctx.entities[index]
            pool = by_division.get(division) or everyone
            yield (BASE + n, pool[rng.randrange(len(pool))], entity, division, "合成回避申报",
                   BASE, moment)  # fmt: skip

    ctx.write(
        ConflictDeclaration,
        ["id", "inspector_id", "entity_id", "division_id", "reason", "declared_by_id",
         "declared_at"],
        conflicts(),
    )  # fmt: skip
