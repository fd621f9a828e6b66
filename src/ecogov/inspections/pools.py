"""Freezing the pools ("一单两库") from the database into the draw engine's inputs.

- entity pool (随机抽查对象名录库): operating regulated entities in the plan's division and
  below, with their category (core.RegulatedEntity.category) and division code;
- inspector pool (执法检查人员名录库): active staff holding an enforcement certificate valid
  on the plan's inspection date, whose territory is the plan's division, one of its
  ancestors (city staff inspect in the counties) or one below it; with cross-division
  allowed, anyone certified in the same city;
- conflicts: active declarations on entities in scope (ids only, never the reason);
- previous assignments (rotation): for each entity, the inspectors of its latest check in a
  draw still in force;
- with the plan's `skip_compliant_this_year` (a [U] local rule, docs/inspections.md §4), ordinary
  entities found compliant by a random check this calendar year — and by no check this year
  found otherwise — are left out of the entity pool; key and special units never are.

Pool ids are primary keys written as decimal strings (entity ids and user ids); the published
list gives the names beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from ecogov.core.models import (
    Division,
    DivisionLevel,
    EntityCategory,
    EntityStatus,
    RegulatedEntity,
    StaffProfile,
)
from ecogov.inspections.draw import (
    Conflict,
    DrawInputs,
    EntityColumns,
    Inspector,
    Quota,
)
from ecogov.inspections.draw import (
    Plan as EnginePlan,
)

from .models import (
    ConflictDeclaration,
    DrawAssignment,
    InspectionRecord,
    InspectionType,
    Outcome,
)


@dataclass(frozen=True)
class Frozen:
    inputs: DrawInputs
    entity_count: int
    inspector_count: int
    conflict_count: int
    skipped_compliant_count: int = 0


def engine_plan(plan, categories=()) -> EnginePlan:
    """The plan as the engine reads it; a category in the pool without a quota draws none
    (written as share 0, so the published document says so)."""
    quotas = [
        Quota(q.category, share=q.share.normalize() if q.share is not None else None, count=q.count)
        for q in plan.quotas.all()
    ]
    have = {q.category for q in quotas}
    quotas += [Quota(c, share="0") for c in sorted(set(categories) - have)]
    return EnginePlan(
        period=plan.period_label,
        division_scope=(plan.division.code,),
        quotas=tuple(quotas),
        inspectors_per_check=plan.inspectors_per_check,
        allow_cross_division=plan.allow_cross_division,
    )


def _ancestor_codes(division: Division) -> list[str]:
    return [c for c in division.path.split("/") if c]


def _inspector_territory(plan) -> Q:
    division = plan.division
    if plan.allow_cross_division:
        # the nearest city (or the plan's own division when it is a city or above)
        codes = _ancestor_codes(division)
        city = Division.objects.filter(code__in=codes, level=DivisionLevel.CITY).first()
        if city is not None and division.level != DivisionLevel.PROVINCE:
            division = city
    ancestors = _ancestor_codes(division)[:-1]
    return Q(division__path__startswith=division.path) | Q(division__code__in=ancestors)


def _fetch(queryset) -> list[tuple]:
    """The rows of a values_list queryset as the driver returns them: at 200,000 rows the
    ORM's per-row iteration costs four times the query (bench_inspections_draw_db.py). Only
    for columns the driver already gives as Python values (integers, text)."""
    sql, params = queryset.order_by().query.sql_with_params()  # callers sort: no ORDER BY
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def entity_pool(plan, skip: frozenset[int] = frozenset()) -> EntityColumns:
    """Operating entities in the plan's division and below, but those in `skip`."""
    rows = _fetch(
        RegulatedEntity.objects.filter(
            status=EntityStatus.OPERATING, division__path__startswith=plan.division.path
        ).values_list("pk", "category", "division__code")
    )
    if skip:
        rows = [row for row in rows if row[0] not in skip]
    return EntityColumns(
        [str(pk) for pk, _c, _d in rows], [c for _p, c, _d in rows], [d for _p, _c, d in rows]
    )


def compliant_this_year(plan) -> frozenset[int]:
    """Ordinary entities in scope that a random check found compliant in the calendar year of
    the plan's inspection date, and that no check of that year found otherwise."""
    year = plan.inspection_date.year
    records = InspectionRecord.objects.filter(
        date__year=year,
        division__path__startswith=plan.division.path,
        entity__category=EntityCategory.ORDINARY,
    )
    clean = set(
        records.filter(type=InspectionType.RANDOM, outcome=Outcome.NO_PROBLEM).values_list(
            "entity_id", flat=True
        )
    )
    if not clean:
        return frozenset()
    found = set(records.exclude(outcome=Outcome.NO_PROBLEM).values_list("entity_id", flat=True))
    return frozenset(clean - found)


def inspector_pool(plan) -> list[Inspector]:
    rows = (
        StaffProfile.objects.filter(
            _inspector_territory(plan),
            user__is_active=True,
            certificate_expiry__gte=plan.inspection_date,
        )
        .exclude(certificate_number="")
        .values_list("user_id", "division__code", "certificate_expiry")
    )
    return [Inspector(str(uid), code, expiry) for uid, code, expiry in rows]


def conflicts_in_scope(plan) -> list[Conflict]:
    rows = ConflictDeclaration.objects.filter(
        withdrawn_at__isnull=True, division__path__startswith=plan.division.path
    ).values_list("inspector_id", "entity_id")
    return [Conflict(str(i), str(e)) for i, e in rows]


def previous_assignments(plan, entity_ids: set[str] | None = None) -> dict[str, list[str]]:
    """Entity id → the inspectors of its check in the latest draw in force (made last).

    Read from the checks flagged latest (services.draws keeps the flag), so the cost follows
    the pool, not the number of draws made over the years. The territory filter uses the
    division stored on the check (one join fewer); `entity_ids` then keeps the pool's own."""
    rows = _fetch(
        DrawAssignment.objects.filter(
            draw_check__is_latest=True, draw_check__division__path__startswith=plan.division.path
        ).values_list("draw_check__entity_id", "position", "inspector_id")
    )
    rows.sort()
    out: dict[str, list[str]] = {}
    for entity_id, _position, inspector_id in rows:
        out.setdefault(str(entity_id), []).append(str(inspector_id))
    if entity_ids is not None:
        out = {e: people for e, people in out.items() if e in entity_ids}
    return out


def division_table() -> dict[str, str | None]:
    """Every division's parent code, from the table (special zones carry non-standard codes,
    so the GB/T 2260 structure can not be derived from the code alone)."""
    return dict(Division.objects.values_list("code", "parent__code"))


def freeze(plan, seed: str) -> Frozen:
    """The draw's inputs as the database holds them now."""
    skip = compliant_this_year(plan) if plan.skip_compliant_this_year else frozenset()
    entities = entity_pool(plan, skip)
    skipped = (
        RegulatedEntity.objects.filter(pk__in=skip, status=EntityStatus.OPERATING).count()
        if skip
        else 0
    )
    inspectors = inspector_pool(plan)
    conflicts = conflicts_in_scope(plan)
    inputs = DrawInputs(
        plan=engine_plan(plan, set(entities.categories)),
        entities=entities,
        inspectors=inspectors,
        inspection_date=plan.inspection_date,
        seed=seed,
        conflicts=conflicts,
        previous_assignments=previous_assignments(plan, set(entities.ids)),
        divisions=division_table(),
    )
    return Frozen(inputs, len(entities.ids), len(inspectors), len(conflicts), skipped)
