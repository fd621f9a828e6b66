"""Many matters at once (Excel ledger import, the demo): the same records and events the
one-by-one services write, in bulk so that a 50,000-row ledger imports within a minute.

Callers validate every row first (ledger.importing); this module re-checks the scope and
writes everything in one transaction, or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core import fastinsert
from ecogov.core.calendar import current_calendar
from ecogov.core.events import act_time, signed_in_user
from ecogov.core.fields import refresh_indexes, with_indexes
from ecogov.core.scoping import can_create_in
from ecogov.core.services import record_assign_many
from ecogov.matters import deadlines, events
from ecogov.matters.models import Matter, MatterEvent, MatterUnit, Source, UnitRole
from ecogov.matters.workflow import Kind, flow_for

from .common import UnitPlan, credit_holder, unit_snapshot
from .matters import _ASSIGNMENT_ROLE, matter_set_units
from .validation import STEP_FIELDS

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_MILESTONE_FIELD = {"accepted": "accepted_on", "done": "done_on", "closed": "closed_on"}
DESCRIPTIVE = [
    "title",
    "content",
    "division",
    "channel",
    "complainant_name",
    "complainant_phone",
    "complainant_id_number",
    "subject_entity",
    "subject_name",
    "duplicate_of",
    "deputy",
    "measure",
    "received_on",
]


@dataclass
class MatterPlan:
    source: Source
    category: str
    data: dict  # Matter fields: reference, title, division, state, dates, results …
    units: list[UnitPlan] | None = None  # None on an update: keep the units
    existing: Matter | None = None
    row: int = 0
    chain: list = field(default_factory=list)


def step_chain(flow: Any, data: dict, start: str | None = None) -> list[tuple]:
    """[(step, from_state, to_state, date)] from `start` to the plan's state, dated by the
    milestone each step sets (a step that sets none takes the previous act's date)."""
    state = data.get("state") or flow.initial
    current, last = start or flow.initial, data.get("received_on")
    chain = []
    for step in flow.path_to(state, start=current):
        for milestone in step.sets:
            last = data.get(_MILESTONE_FIELD[milestone]) or last
        target = step.target or current
        chain.append((step, current, target, last))
        current = target
    return chain


def due_after(
    flow: Any,
    data: dict,
    chain: list[tuple],
    due: deadlines.Due | None = None,
    calendar: Any = None,
) -> tuple[deadlines.Due, Any]:
    """(the due date after the chain, whether the work was done late), as the services compute."""
    late = data.get("done_late")
    calendar = calendar or current_calendar()
    if due is None:
        due = deadlines.compute(flow.first_deadline, data["received_on"], calendar)
    for step, _from, _to, on in chain:
        if "done" in step.sets:
            late = bool(on and due.on and on > due.on)
        if step.deadline:
            rule = deadlines.rule(step.deadline)
            start = data["received_on"] if rule.start == "received" else on
            due = deadlines.compute(step.deadline, start, calendar)
    if data.get("due_on"):  # the ledger's own date (a plan's deadline) wins
        due = deadlines.explicit(data["due_on"])
        if data.get("done_on"):
            late = data["done_on"] > data["due_on"]
    return due, late


def _set_due(matter: Matter, due: deadlines.Due) -> None:
    matter.due_on, matter.due_other_on = due.on, due.other
    matter.due_rule, matter.due_provisional = due.rule, due.provisional


@transaction.atomic
def matters_bulk_write(*, actor: User, plans: list[MatterPlan], source_name: str) -> dict[str, int]:
    """Create the new matters and move the existing ones forward; counts per outcome."""
    new = [p for p in plans if p.existing is None]
    old = [p for p in plans if p.existing is not None]
    _check_scope(actor, new, old)
    counts = {"created": len(new), "updated": 0, "unchanged": 0}
    if new:
        _create(actor, new, source_name)
    changed = _update(actor, old, source_name)
    counts["updated"], counts["unchanged"] = changed, len(old) - changed
    return counts


def _check_scope(actor: User, new: Any, old: Any) -> None:
    divisions = {p.data["division"].pk: p.data["division"] for p in new}
    divisions.update(
        {
            p.data["division"].pk: p.data["division"]
            for p in old
            if p.data.get("division") is not None
        }
    )
    outside = [d for d in divisions.values() if not can_create_in(actor, d)]
    if outside:
        raise PermissionDenied(_("无权在“%s”登记交办事项:超出您的数据范围。") % outside[0])
    if old:
        ids = [p.existing.pk for p in old]
        editable: set[int] = set()
        for start in range(0, len(ids), 5000):
            editable.update(
                Matter.objects.editable_by(actor)
                .filter(pk__in=ids[start : start + 5000])
                .values_list("pk", flat=True)
            )
        if len(editable) != len(set(ids)):
            raise PermissionDenied(_("台账中有您无权办理的事项。"))


def _create(actor: User, plans: list[MatterPlan], source_name: str) -> None:
    matters, calendar = [], current_calendar()
    units_of: list[list[UnitPlan]] = []
    for plan in plans:
        # a new matter's plan names its units: its lead unit is a required column
        assert plan.units is not None
        units_of.append(plan.units)
        flow = flow_for(plan.source.kind, plan.category)
        data = plan.data
        plan.chain = step_chain(flow, data)
        matter = Matter(
            kind=plan.source.kind,
            category=plan.category,
            source=plan.source,
            **{
                k: v
                for k, v in data.items()
                if k in DESCRIPTIVE or k in STEP_FIELDS or k == "reference"
            },
        )
        matter.state = data.get("state") or flow.initial
        matter.is_open = matter.state not in flow.terminal
        matter.extended = any(step.once for step, *_rest in plan.chain)
        matter.credit_organisation = credit_holder(plan.units)
        due, matter.done_late = due_after(flow, data, plan.chain, calendar=calendar)
        _set_due(matter, due)
        matters.append(matter)
    fastinsert.insert_new(Matter, matters)
    fastinsert.insert_history(Matter, matters, user=signed_in_user(actor), reason=source_name[:100])
    created = matters
    # the units' assignments (core's record_assign_many) and the units, as plain rows
    assignments, units = [], []
    for matter, plan_units in zip(created, units_of, strict=True):
        for unit in plan_units:
            assignments.append(
                {
                    "object_id": matter.pk,
                    "organisation_id": unit.organisation.pk,
                    "role": _ASSIGNMENT_ROLE[unit.role],
                    "reason": matter.reference,
                }
            )
            units.append(
                {
                    "matter_id": matter.pk,
                    "organisation_id": unit.organisation.pk,
                    "role": unit.role,
                    "share": unit.share,
                    "assigned_on": matter.received_on,
                    "due_on": _co_due(matter, unit, calendar),
                    "source_id": matter.source_id,
                    "pending": matter.is_pending,
                    "matter_due_on": matter.due_on,
                }
            )
    assignment_ids = record_assign_many(actor=actor, model=Matter, rows=assignments)
    for row, assignment_id in zip(units, assignment_ids, strict=True):
        row["assignment_id"] = assignment_id
    fastinsert.insert_new(MatterUnit, units)
    chains = {
        m.pk: [(s.action, a, b, on) for s, a, b, on in p.chain]
        for m, p in zip(created, plans, strict=True)
    }
    events.matter_imported_events(
        matters=created, actor=actor, source_name=source_name, chains=chains
    )


def _co_due(matter: Matter, unit: UnitPlan, calendar: Any) -> dt.date | None:
    if matter.kind == Kind.PROPOSAL and unit.role == UnitRole.CO:
        return deadlines.compute("proposal.co_opinion", matter.received_on, calendar).on
    return None


def _update(actor: User, plans: list[MatterPlan], source_name: str) -> int:
    """Apply the differences; a state may only move forward along the workflow."""
    changed_matters, fields, new_events, changed_count = [], set(), [], 0
    calendar = current_calendar()
    # matters_bulk_write hands over the plans of existing matters only
    units_now = current_units(
        [p.existing.pk for p in plans if p.existing is not None and p.units is not None]
    )
    for plan in plans:
        matter, data = plan.existing, plan.data
        assert matter is not None
        flow = matter.flow
        change = changes(matter, data, units_now.get(matter.pk), plan.units)
        diff = change["fields"]
        new_state = data.get("state") or matter.state
        due = data.get("due_on")
        touched = bool(diff) or change["state"] or change["due"]
        if change["units"]:
            assert plan.units is not None  # changes() reports units only when the plan has them
            matter_set_units(
                actor=actor,
                matter=matter,
                lead=plan.units[0].organisation,
                co_units=[u.organisation for u in plan.units[1:]],
                shares={u.organisation.pk: u.share for u in plan.units},
                reason=_("台账导入 %s") % source_name,
            )
            matter.credit_organisation_id = Matter.objects.values_list(
                "credit_organisation_id", flat=True
            ).get(pk=matter.pk)  # as set_units left it
            touched = True
        if not touched:
            continue
        changed_count += 1
        matter.updated_at = timezone.now()  # bulk_update does not apply auto_now
        for name in diff:
            setattr(matter, name, data[name])
        if new_state != matter.state:
            chain = step_chain(flow, {**_milestones(matter), **data}, start=matter.state)
            for step, a, b, on in chain:
                new_events.append(_event(matter, actor, step.action, a, b, on, source_name))
            matter.state, matter.is_open = new_state, new_state not in flow.terminal
            fields.update({"state", "is_open"})
            if not due:
                current = deadlines.Due(matter.due_on, "", False, matter.due_rule)
                new_due, matter.done_late = due_after(
                    flow,
                    {**_milestones(matter), **data, "done_late": matter.done_late},
                    chain,
                    due=current,
                    calendar=calendar,
                )
                _set_due(matter, new_due)
                fields.update(
                    {"due_on", "due_other_on", "due_rule", "due_provisional", "done_late"}
                )
        due_changed = False
        if due and due != matter.due_on:
            due_changed = True
            _set_due(matter, deadlines.explicit(due))
            fields.update({"due_on", "due_other_on", "due_rule", "due_provisional"})
        if matter.done_on and matter.due_on and (due_changed or "done_on" in diff):
            matter.done_late = matter.done_on > matter.due_on
            fields.add("done_late")
        if diff:
            fields.update(diff)
            new_events.append(
                _event(
                    matter,
                    actor,
                    MatterEvent.Type.UPDATED,
                    "",
                    "",
                    None,
                    source_name,
                    {"fields": sorted(diff)},
                )
            )
        changed_matters.append(matter)
    if changed_matters and fields:
        from simple_history.utils import bulk_update_with_history

        for matter in changed_matters:
            refresh_indexes(matter)  # the petitioner's blind indexes (ecogov.core.fields)
        bulk_update_with_history(
            changed_matters,
            Matter,
            sorted(with_indexes(Matter, fields | {"updated_at"})),
            batch_size=2000,
            default_user=signed_in_user(actor),
            default_change_reason=source_name,
        )
    MatterEvent.objects.bulk_create(new_events, batch_size=2000)
    by_value = defaultdict(list)  # one UPDATE per (pending, due date), not one per matter
    for matter in changed_matters:
        by_value[(matter.is_pending, matter.due_on)].append(matter.pk)
    for (pending, due_on), ids in by_value.items():
        MatterUnit.objects.filter(matter_id__in=ids).update(pending=pending, matter_due_on=due_on)
    return changed_count


def changes(matter: Matter, data: dict, current_units: list | None, units: list | None) -> dict:
    """What a ledger row would change on an existing matter (nothing: an idempotent re-import)."""
    return {
        "fields": [
            k for k in DESCRIPTIVE + STEP_FIELDS if k in data and _value(matter, k) != _key(data[k])
        ],
        "state": bool(data.get("state")) and data["state"] != matter.state,
        "due": bool(data.get("due_on")) and data["due_on"] != matter.due_on,
        "units": units is not None and (current_units or []) != _snapshot(units),
    }


def _milestones(matter: Matter) -> dict:
    return {
        "received_on": matter.received_on,
        "accepted_on": matter.accepted_on,
        "done_on": matter.done_on,
        "closed_on": matter.closed_on,
    }


def _snapshot(units: Iterable[dict]) -> list:
    return sorted((u["organisation"], u["role"], u["share"]) for u in unit_snapshot(units))


def current_units(ids: list[int]) -> dict[int, list]:
    by_matter: dict[int, list] = {}
    for start in range(0, len(ids), 5000):
        for unit in MatterUnit.objects.filter(
            matter_id__in=ids[start : start + 5000], is_active=True
        ).select_related("organisation"):
            by_matter.setdefault(unit.matter_id, []).append(unit)
    return {pk: _snapshot(units) for pk, units in by_matter.items()}


_FOREIGN_KEYS = {"division", "subject_entity", "duplicate_of", "measure"}


def _value(matter: Matter, name: str) -> Any:
    # compare foreign keys by id: no query per row
    return getattr(matter, f"{name}_id") if name in _FOREIGN_KEYS else getattr(matter, name)


def _key(value: Any) -> Any:
    return getattr(value, "pk", value)


def _event(
    matter: Matter,
    actor: User,
    type: str,
    from_state: str,
    to_state: str,
    on: dt.date | None,
    source_name: str,
    payload: dict | None = None,
) -> MatterEvent:
    from ecogov.core.context import current_ip

    return MatterEvent(
        record=matter,
        actor=signed_in_user(actor),
        type=type,
        from_state=from_state,
        to_state=to_state,
        occurred_at=act_time(on),
        ip_address=current_ip(),
        payload={"source": source_name, **(payload or {})},
    )
