"""Deadlines the legal area stored while a year's holiday schedule was missing are recomputed
once the year is entered (docs/procedures.md §3): each change is a typed event, and one that
moves earlier is flagged for a person."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from ecogov.core.calendar import current_calendar
from ecogov.core.calendar_entry import Recomputed
from ecogov.legal import events
from ecogov.legal.deadlines import (
    answer_deadline,
    contract_review_deadline,
    filing_deadline,
    review_deadline,
)
from ecogov.legal.models import (
    ContractReview,
    DisputeCase,
    LegalPolicy,
    NormativeDocument,
    PolicyReview,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# model, the stored due field, its provisional flag, how to compute it again
_STORED: list[tuple[Any, str, str, Callable[[Any, LegalPolicy], Any]]] = [
    (
        NormativeDocument,
        "filing_due",
        "filing_due_provisional",
        lambda r, p: filing_deadline(r.issued_on, p) if r.issued_on else None,
    ),
    (PolicyReview, "due_on", "due_provisional", lambda r, p: review_deadline(r.submitted_on, p)),
    (
        ContractReview,
        "due_on",
        "due_provisional",
        lambda r, p: contract_review_deadline(r.submitted_on, p),
    ),
    (
        DisputeCase,
        "answer_due",
        "answer_due_provisional",
        lambda r, p: answer_deadline(r.kind, r.received_on, p),
    ),
]


@transaction.atomic
def legal_provisional_recompute(*, actor: User | None = None) -> list[Recomputed]:
    calendar = current_calendar()
    policy = LegalPolicy.current()
    changed = []
    for model, due_field, flag, compute in _STORED:
        for record in model.objects.select_for_update().filter(**{flag: True}):
            before = getattr(record, due_field)
            if before is None or not calendar.knows(before):
                continue
            due = compute(record, policy)
            if due is None or due.provisional:
                continue
            setattr(record, due_field, due.due)
            setattr(record, flag, False)
            record.save(update_fields=[due_field, flag])
            earlier = due.due < before
            events.record_updated_event(
                record=record,
                actor=actor,
                changed=[due_field],
                reason=f"节假日安排录入后重新计算暂定期限:{before} → {due.due}"
                + ("(期限提前,请核实)" if earlier else ""),
            )
            changed.append(Recomputed(str(record), before, due.due))
    return changed
