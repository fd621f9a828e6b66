"""Freezing the pools ("一单两库") from the database into the draw engine's inputs.

- entity pool (随机抽查对象名录库): operating regulated entities in the plan's division and
  below, with their category (core.RegulatedEntity.category) and division code;
- inspector pool (执法检查人员名录库): active staff holding an enforcement certificate valid
  on the plan's inspection date, whose territory is the plan's division, one of its
  ancestors (city staff inspect in the counties) or one below it; with cross-division
  allowed, anyone certified in the same city;
- conflicts: active declarations on entities in scope (ids only, never the reason);
- previous assignments (rotation): for each entity, the inspectors of its latest check in a
  draw still in force.

Pool ids are primary keys written as decimal strings (entity ids and user ids); the published
list gives the names beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from ecogov.core.models import Division, DivisionLevel, EntityStatus, RegulatedEntity, StaffProfile
from ecogov.inspections.draw import Conflict, DrawInputs, Entity, Inspector, Plan as EnginePlan, Quota

from .models import ConflictDeclaration, Draw, DrawAssignment, DrawStatus


@dataclass(frozen=True)
class Frozen:
    inputs: DrawInputs
    entity_count: int
    inspector_count: int
    conflict_count: int


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


def entity_pool(plan) -> list[Entity]:
    rows = (RegulatedEntity.objects
            .filter(status=EntityStatus.OPERATING, division__path__startswith=plan.division.path)
            .values_list("pk", "category", "division__code"))
    return [Entity(str(pk), category, code) for pk, category, code in rows.iterator(chunk_size=20000)]


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
    rows = (DrawAssignment.objects.filter(draw_check__draw_id__in=list(draws))
            .values_list("draw_check_id", "draw_check__entity_id", "draw_check__draw_id",
                         "position", "inspector_id"))
    latest: dict[int, tuple] = {}  # entity → ((drawn_at, draw id), check id)
    people: dict[int, list[tuple[int, int]]] = {}  # check → [(position, inspector)]
    for check_id, entity_id, draw_id, position, inspector_id in rows.iterator(chunk_size=20000):
        key = (draws[draw_id], draw_id)
        known = latest.get(entity_id)
        if known is None or key > known[0]:
            latest[entity_id] = (key, check_id)
        people.setdefault(check_id, []).append((position, inspector_id))
    out = {}
    for entity_id, (_key, check_id) in latest.items():
        if entity_ids is None or str(entity_id) in entity_ids:
            out[str(entity_id)] = [str(i) for _p, i in sorted(people[check_id])]
    return out


def division_table() -> dict[str, str | None]:
    """Every division's parent code, from the table (special zones carry non-standard codes,
    so the GB/T 2260 structure can not be derived from the code alone)."""
    return dict(Division.objects.values_list("code", "parent__code"))


def freeze(plan, seed: str) -> Frozen:
    """The draw's inputs as the database holds them now."""
    entities = entity_pool(plan)
    inspectors = inspector_pool(plan)
    conflicts = conflicts_in_scope(plan)
    inputs = DrawInputs(
        plan=engine_plan(plan, {e.category for e in entities}), entities=entities,
        inspectors=inspectors, inspection_date=plan.inspection_date, seed=seed,
        conflicts=conflicts,
        previous_assignments=previous_assignments(plan, {e.id for e in entities}),
        divisions=division_table())
    return Frozen(inputs, len(entities), len(inspectors), len(conflicts))
