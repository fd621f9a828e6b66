"""Typed events of a penalty case, each appended to the case's hash chain.

The caller (a service) holds the case row locked (select_for_update), so appends to one
case are serialised; the unique (case, seq) constraint is the last line of defence.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ecogov.core.backdating import late_entry
from ecogov.core.chains import GENESIS_HASH
from ecogov.core.context import current_ip
from ecogov.core.events import (
    act_time,  # noqa: F401  (the area's services use it)
    signed_in_user,
)
from ecogov.enforcement.bulk import DIRECT, CaseWriter
from ecogov.enforcement.chain import case_snapshot, event_hash
from ecogov.enforcement.models import CaseEvent, PenaltyCase


def append(
    case: PenaltyCase,
    *,
    actor,
    type: str,
    on: dt.date | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    payload: dict | None = None,
    save_case: bool = False,
    writer: CaseWriter = DIRECT,
) -> CaseEvent:
    """Append the event; with `save_case` the case row (already changed in memory) is saved
    in the same UPDATE that moves the chain head. The writer writes both (ecogov.enforcement.bulk)."""
    body = {**(payload or {}), **late_entry(on)}  # refuses a person's late act without reason
    body["snapshot"] = case_snapshot(case)
    event = CaseEvent(
        record=case,
        type=type,
        seq=case.chain_length + 1,
        occurred_at=act_time(on),
        recorded_at=timezone.now(),
        actor=signed_in_user(actor),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        payload=body,
        ip_address=current_ip(),
        prev_hash=case.chain_hash or GENESIS_HASH,
    )
    event.hash = event_hash(event)
    case.chain_length, case.chain_hash = event.seq, event.hash
    if save_case:
        # None (not read by a service): all fields
        writer.save(case, update_fields=case.changed_fields(), remember=True)
    else:
        writer.move_head(case)
    writer.record(event)
    return event


def transition_event(
    case, *, actor, type, from_state, on, reason="", payload=None, writer: CaseWriter = DIRECT
) -> CaseEvent:
    """The case moved (its new state and fields are in memory): save it and record the step."""
    return append(
        case,
        actor=actor,
        type=type,
        on=on,
        from_state=from_state,
        to_state=case.state,
        reason=reason,
        payload=payload,
        save_case=True,
        writer=writer,
    )


def attachment_added_event(
    case, *, actor, attachment, step: str, reason: str = "", writer: CaseWriter = DIRECT
) -> CaseEvent:
    return append(
        case,
        actor=actor,
        writer=writer,
        type=CaseEvent.Type.ATTACHMENT_ADDED,
        reason=reason,
        payload={
            "attachment": attachment.pk,
            "name": attachment.original_name,
            "sha256": attachment.sha256,
            "size": attachment.size,
            "step": step,
            "description": attachment.description,
        },
    )
