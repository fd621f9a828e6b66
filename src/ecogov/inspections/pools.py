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
- with the plan's `skip_compliant_this_year` (a [U] local rule, procedures.md §3), ordinary
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
    Division, DivisionLevel, EntityCategory, EntityStatus, RegulatedEntity, StaffProfile,
)
from ecogov.inspections.draw import (
    Conflict, DrawInputs, EntityColumns, Inspector, Plan as EnginePlan, Quota,
)

from .models import (
    ConflictDeclaration, Draw, DrawAssignment, DrawCheck, DrawStatus, InspectionRecord, InspectionType, Outcome,
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
    quotas = [Quota(q.category, share=q.share.normalize() if q.share is not None else None,
                    count=q.count) for q in plan.quotas.all()]
    have = {q.category for q in quotas}
    quotas += [Quota(c, share="0") for c in sorted(set(categories) - have)]
    return EnginePlan(period=plan.period_label, division_scope=(plan.division.code,),
                      quotas=tuple(quotas), inspectors_per_check=plan.inspectors_per_check,
                      allow_cross_division=plan.allow_cross_division)


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
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def entity_pool(plan, skip: frozenset[int] = frozenset()) -> EntityColumns:
    """Operating entities in the plan's division and below, but those in `skip`."""
    rows = _fetch(RegulatedEntity.objects
                  .filter(status=EntityStatus.OPERATING,
                          division__path__startswith=plan.division.path)
                  .values_list("pk", "category", "division__code"))
    if skip:
        rows = [row for row in rows if row[0] not in skip]
    return EntityColumns([str(pk) for pk, _c, _d in rows], [c for _p, c, _d in rows],
                         [d for _p, _c, d in rows])


def compliant_this_year(plan) -> frozenset[int]:
    """Ordinary entities in scope that a random check found compliant in the calendar year of
    the plan's inspection date, and that no check of that year found otherwise."""
    year = plan.inspection_date.year
    records = InspectionRecord.objects.filter(
        date__year=year, division__path__startswith=plan.division.path,
        entity__category=EntityCategory.ORDINARY)
    clean = set(records.filter(type=InspectionType.RANDOM, outcome=Outcome.NO_PROBLEM)
                .values_list("entity_id", flat=True))
    if not clean:
        return frozenset()
    found = set(records.exclude(outcome=Outcome.NO_PROBLEM).values_list("entity_id", flat=True))
    return frozenset(clean - found)


def inspector_pool(plan) -> list[Inspector]:
    rows = (StaffProfile.objects
            .filter(_inspector_territory(plan), user__is_active=True,
                    certificate_expiry__gte=plan.inspection_date)
            .exclude(certificate_number="")
            .values_list("user_id", "division__code", "certificate_expiry"))
    return [Inspector(str(uid), code, expiry) for uid, code, expiry in rows]


def conflicts_in_scope(plan) -> list[Conflict]:
    rows = (ConflictDeclaration.objects
            .filter(withdrawn_at__isnull=True, division__path__startswith=plan.division.path)
            .values_list("inspector_id", "entity_id"))
    return [Conflict(str(i), str(e)) for i, e in rows]


def previous_assignments(plan, entity_ids: set[str] | None = None) -> dict[str, list[str]]:
    """Entity id → the inspectors of its latest check in a draw in force.

    The draws looked at are those whose territory overlaps the plan's (its own division,
    an ancestor's, a descendant's). Simple queries on purpose: right after a large draw
    PostgreSQL's statistics are stale, and a five-table join with the path filter was
    planned as a nested loop over the whole entity table (tens of seconds at 200,000)."""
    division = plan.division
    draws = dict(Draw.objects.filter(status=DrawStatus.ACTIVE).filter(
        Q(division__path__startswith=division.path)
        | Q(division__code__in=_ancestor_codes(division)[:-1])).values_list("pk", "drawn_at"))
    if not draws:
        return {}
    age = {d: (drawn_at, d) for d, drawn_at in draws.items()}
    checks = _fetch(DrawCheck.objects.filter(draw_id__in=list(draws))
                    .values_list("draw_id", "entity_id", "pk"))
    checks.sort(key=lambda row: age[row[0]])  # oldest first, so the latest check wins below
    latest = {entity_id: check_id for _d, entity_id, check_id in checks}
    if entity_ids is not None:
        latest = {e: c for e, c in latest.items() if str(e) in entity_ids}
    wanted = set(latest.values())
    people: dict[int, list[tuple[int, int]]] = {}  # check → [(position, inspector)]
    for check_id, position, inspector_id in _fetch(
            DrawAssignment.objects.filter(draw_check__draw_id__in=list(draws))
            .values_list("draw_check_id", "position", "inspector_id")):
        if check_id in wanted:
            people.setdefault(check_id, []).append((position, inspector_id))
    return {str(e): [str(i) for _p, i in sorted(people.get(c, ()))] for e, c in latest.items()}


def division_table() -> dict[str, str | None]:
    """Every division's parent code, from the table (special zones carry non-standard codes,
    so the GB/T 2260 structure can not be derived from the code alone)."""
    return dict(Division.objects.values_list("code", "parent__code"))


def freeze(plan, seed: str) -> Frozen:
    """The draw's inputs as the database holds them now."""
    skip = compliant_this_year(plan) if plan.skip_compliant_this_year else frozenset()
    entities = entity_pool(plan, skip)
    skipped = (RegulatedEntity.objects.filter(pk__in=skip, status=EntityStatus.OPERATING).count()
               if skip else 0)
    inspectors = inspector_pool(plan)
    conflicts = conflicts_in_scope(plan)
    inputs = DrawInputs(
        plan=engine_plan(plan, set(entities.categories)), entities=entities,
        inspectors=inspectors, inspection_date=plan.inspection_date, seed=seed,
        conflicts=conflicts,
        previous_assignments=previous_assignments(plan, set(entities.ids)),
        divisions=division_table())
    return Frozen(inputs, len(entities.ids), len(inspectors), len(conflicts), skipped)
