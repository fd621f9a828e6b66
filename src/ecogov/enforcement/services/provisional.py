"""Deadlines of penalty cases stored while a year's holiday schedule was missing are
recomputed once the year is entered (docs/procedures.md §3, "Entering a year").

What is stored with a provisional flag: the case's current step (`step_due`), the
disclosure's due date, the court-application window, a seizure's or restriction's end and
the daily penalty's re-inspection deadline. Each is computed again from its own start by the
same functions that set it; a case whose dates moved gets one event of its record listing
them, and a date that moved earlier is flagged for a person (the party or the officers were
told a later day).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.calendar_entry import Recomputed
from ecogov.core.events import jsonable
from ecogov.enforcement import events
from ecogov.enforcement.deadlines import (
    approved_plan,
    court_window,
    disclosure_deadline,
    measure_end,
    refresh_step,
    reinspection_deadline,
)
from ecogov.enforcement.models import (
    CaseDisclosure,
    CaseEvent,
    CoerciveMeasure,
    CompulsoryExecution,
    DailyPenalty,
    EnforcementPolicy,
    PenaltyCase,
)

from .common import lock

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _open_provisional_case_ids() -> set[int]:
    ids = set(PenaltyCase.objects.filter(step_due_provisional=True).values_list("pk", flat=True))
    for model, flag, still_running in (
        (CaseDisclosure, "due_provisional", {"published_on__isnull": True}),
        (CompulsoryExecution, "window_provisional", {"applied_on__isnull": True}),
        (CoerciveMeasure, "ends_provisional", {"released_on__isnull": True}),
        (DailyPenalty, "reinspection_provisional", {"reinspected_on__isnull": True}),
    ):
        ids.update(
            model.objects.filter(**{flag: True}, **still_running).values_list("case_id", flat=True)
        )
    return ids


def _disclosure(case: PenaltyCase, policy: EnforcementPolicy) -> list[tuple[str, dt.date, dt.date]]:
    found = CaseDisclosure.objects.filter(
        case=case, due_provisional=True, published_on__isnull=True
    ).first()
    if found is None:
        return []
    due = disclosure_deadline(case.decided_on, policy)
    if due.provisional:
        return []
    before, found.due_on, found.due_provisional = found.due_on, due.due, False
    found.save(update_fields=["due_on", "due_provisional"])
    return [(_("应公开日期"), before, due.due)]


def _court_window(
    case: PenaltyCase, policy: EnforcementPolicy
) -> list[tuple[str, dt.date, dt.date]]:
    found = CompulsoryExecution.objects.filter(
        case=case, window_provisional=True, applied_on__isnull=True
    ).first()
    if found is None:
        return []
    plan = approved_plan(case)
    window, provisional = court_window(
        case, policy, found.demand_served_on, plan.last_due_on if plan else None
    )
    if provisional:
        return []
    before = (found.window_opens, found.window_closes)
    found.window_opens, found.window_closes = window.opens, window.closes
    found.window_provisional, found.window_derivation = False, window.derivation
    found.save(
        update_fields=["window_opens", "window_closes", "window_provisional", "window_derivation"]
    )
    return [
        (_("申请法院强制执行起始日"), before[0], window.opens),
        (_("申请法院强制执行截止日"), before[1], window.closes),
    ]


def _measures(case: PenaltyCase) -> list[tuple[str, dt.date, dt.date]]:
    moved = []
    for measure in CoerciveMeasure.objects.filter(
        case=case, ends_provisional=True, released_on__isnull=True
    ):
        end = measure_end(measure)
        if end.provisional:
            continue
        before, measure.ends_on, measure.ends_provisional = measure.ends_on, end.due, False
        measure.save(update_fields=["ends_on", "ends_provisional"])
        moved.append((_("%s期限届满日") % measure.get_kind_display(), before, end.due))
    return moved


def _reinspection(
    case: PenaltyCase, policy: EnforcementPolicy
) -> list[tuple[str, dt.date, dt.date]]:
    moved = []
    for daily in DailyPenalty.objects.filter(
        case=case, reinspection_provisional=True, reinspected_on__isnull=True
    ):
        due = reinspection_deadline(daily.order_served_on, policy)
        if due.provisional:
            continue
        before, daily.reinspection_due, daily.reinspection_provisional = (
            daily.reinspection_due,
            due.due,
            False,
        )
        daily.save(update_fields=["reinspection_due", "reinspection_provisional"])
        moved.append((_("复查期限"), before, due.due))
    return moved


@transaction.atomic
def provisional_deadlines_recompute(*, actor: User | None = None) -> list[Recomputed]:
    """Every provisional date of a case still running, computed again on today's calendar;
    those still in an unknown year stay provisional."""
    policy = EnforcementPolicy.current()
    changed: list[Recomputed] = []
    for pk in sorted(_open_provisional_case_ids()):
        case = lock(PenaltyCase(pk=pk))
        # (what, before, after); the current step's due date may be unset before or after
        moved: list[tuple[str, dt.date | None, dt.date | None]] = [
            *_disclosure(case, policy),
            *_court_window(case, policy),
            *_measures(case),
            *_reinspection(case, policy),
        ]
        before, was_provisional = case.step_due, case.step_due_provisional
        refresh_step(case, policy)
        if was_provisional and not case.step_due_provisional:
            moved.append((_("当前环节期限"), before, case.step_due))
        if not moved:
            continue
        found = [Recomputed(case.number or str(case.pk), b, a, w) for w, b, a in moved]
        events.append(
            case,
            actor=actor,
            type=CaseEvent.Type.DEADLINE_RECOMPUTED,
            reason=_("节假日安排录入后重新计算暂定期限")
            + (_("(期限提前,请核实)") if any(r.earlier for r in found) else ""),
            payload=jsonable(
                {
                    "changes": [
                        {"what": str(r.what), "before": r.before, "after": r.after} for r in found
                    ]
                }
            ),
            save_case=True,
        )
        changed.extend(found)
    return changed
