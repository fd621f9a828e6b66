"""Typed events of the legal area: one small function per event, appended to LegalEvent."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from ecogov.core.backdating import late_entry
from ecogov.core.events import (  # the services use these too
    act_time,
    append_event,
    jsonable,
)
from ecogov.legal.models import LegalEvent


def division_of(record):
    for path in ("division", "campaign", "bill", "group", "contract"):
        target = getattr(record, path, None)
        if target is None:
            continue
        return target if path == "division" else division_of(target)
    raise ValueError(f"{type(record).__name__} has no division")


def record_event(
    record,
    *,
    actor,
    type: str,
    on: dt.date | None = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    payload: dict | None = None,
) -> LegalEvent:
    return append_event(
        LegalEvent,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        label=str(record)[:255],
        division=division_of(record),
        type=type,
        at=act_time(on),
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        payload=jsonable({**(payload or {}), **late_entry(on)}),
    )


# --- normative documents ---------------------------------------------------------------------
def document_drafted_event(*, document, actor):
    return record_event(
        document,
        actor=actor,
        type=LegalEvent.Type.DRAFTED,
        on=document.drafted_on,
        to_state=document.state,
    )


def document_updated_event(*, document, actor, changed: list[str]):
    return record_event(
        document, actor=actor, type=LegalEvent.Type.UPDATED, payload={"fields": sorted(changed)}
    )


def document_step_event(
    *,
    document,
    actor,
    type: str,
    from_state: str,
    on: dt.date | None,
    reason: str = "",
    payload: dict | None = None,
):
    """A step that moved the document (or recorded a fact of its procedure)."""
    return record_event(
        document,
        actor=actor,
        type=type,
        on=on,
        from_state=from_state,
        to_state=document.state,
        reason=reason,
        payload=payload,
    )


# --- reviews ---------------------------------------------------------------------------------
def review_submitted_event(*, review, actor):
    return record_event(
        review,
        actor=actor,
        type=LegalEvent.Type.REVIEW_SUBMITTED,
        on=review.submitted_on,
        to_state=review.state,
        payload={"kind": review.kind.code, "due": review.due_on, "subject": str(review.subject)},
    )


def review_recorded_event(*, review, actor, from_state: str):
    return record_event(
        review,
        actor=actor,
        type=LegalEvent.Type.REVIEW_RECORDED,
        on=review.reviewed_on,
        from_state=from_state,
        to_state=review.state,
        reason=review.opinion,
        payload={
            "kind": review.kind.code,
            "outcome": review.outcome,
            "issues": bool(review.issues_found.strip()),
            "exception_ground": review.exception_ground,
        },
    )


def review_resolved_event(*, review, actor):
    return record_event(
        review,
        actor=actor,
        type=LegalEvent.Type.REVIEW_RESOLVED,
        on=review.resolved_on,
        reason=review.resolution,
    )


# --- ledgers without a state machine -------------------------------------------------------
def record_created_event(*, record, actor, on: dt.date | None = None):
    return record_event(record, actor=actor, type=LegalEvent.Type.CREATED, on=on)


def record_updated_event(*, record, actor, changed: list[str], reason: str = ""):
    return record_event(
        record,
        actor=actor,
        type=LegalEvent.Type.UPDATED,
        reason=reason,
        payload={"fields": sorted(changed)},
    )


# --- cleanup -----------------------------------------------------------------------------------
def cleanup_selected_event(*, campaign, actor, criteria: dict, added: int):
    return record_event(
        campaign,
        actor=actor,
        type=LegalEvent.Type.CLEANUP_SELECTED,
        payload={"criteria": criteria, "added": added},
    )


def verdict_recorded_event(*, item, actor, previous: str):
    return record_event(
        item.campaign,
        actor=actor,
        type=LegalEvent.Type.VERDICT_RECORDED,
        on=item.decided_on,
        from_state=previous,
        to_state=item.verdict,
        reason=item.reason,
        payload={"item": item.pk, "subject": str(item.subject)},
    )


def cleanup_finished_event(*, campaign, actor, counts: dict):
    return record_event(
        campaign,
        actor=actor,
        type=LegalEvent.Type.CLEANUP_FINISHED,
        on=campaign.finished_on,
        from_state="open",
        to_state=campaign.state,
        payload={"counts": counts},
    )


# --- legislation and disputes ------------------------------------------------------------------
def milestone_recorded_event(*, milestone, actor):
    return record_event(
        milestone.bill,
        actor=actor,
        type=LegalEvent.Type.MILESTONE_RECORDED,
        on=milestone.on,
        to_state=milestone.kind,
        payload={"milestone": milestone.pk, "body": milestone.body},
    )


def dispute_step_event(
    *,
    case,
    actor,
    type: str,
    from_state: str,
    on: dt.date | None,
    reason: str = "",
    payload: dict | None = None,
):
    return record_event(
        case,
        actor=actor,
        type=type,
        on=on,
        from_state=from_state,
        to_state=case.state,
        reason=reason,
        payload=payload,
    )
