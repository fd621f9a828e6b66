"""Typed events of the emergency app: one small keyword-only function per event."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from ecogov.core.events import append_event

from .models import EmergencyEvent


def _event(*, record, actor, type, payload=None, **fields) -> EmergencyEvent:
    return append_event(
        EmergencyEvent,
        record_type=ContentType.objects.get_for_model(record._meta.concrete_model),
        record_id=record.pk,
        actor=actor,
        type=type,
        payload=payload or {},
        **fields,
    )


def events_of(record):
    return EmergencyEvent.objects.filter(
        record_type=ContentType.objects.get_for_model(record._meta.concrete_model),
        record_id=record.pk,
    )


def recorded_event(*, record, actor, effective_on, payload=None):
    return _event(
        record=record,
        actor=actor,
        type=EmergencyEvent.Type.RECORDED,
        effective_on=effective_on,
        to_state=getattr(record, "state", ""),
        payload=payload,
    )


def changed_event(*, record, actor, changed: list[str], effective_on=None, reason: str = ""):
    return _event(
        record=record,
        actor=actor,
        type=EmergencyEvent.Type.CHANGED,
        effective_on=effective_on,
        reason=reason,
        payload={"fields": sorted(changed)},
    )


def incident_reported_event(*, incident, actor):
    return _event(
        record=incident,
        actor=actor,
        type=EmergencyEvent.Type.REPORTED,
        effective_on=incident.initial_report_at.date(),
        payload={
            "reported_at": incident.initial_report_at.isoformat(),
            "due_at": incident.report_due_at.isoformat(),
            "late": incident.reported_late,
            "to": incident.reported_to,
        },
    )


def incident_closed_event(*, incident, actor, from_state: str):
    return _event(
        record=incident,
        actor=actor,
        type=EmergencyEvent.Type.CLOSED,
        effective_on=incident.closed_on,
        from_state=from_state,
        to_state=incident.state,
        reason=incident.closure_summary,
    )


def plan_filed_event(*, plan, actor, previous):
    return _event(
        record=plan,
        actor=actor,
        type=EmergencyEvent.Type.FILED,
        effective_on=plan.filed_on,
        to_state=plan.state,
        payload={
            "expires_on": str(plan.expires_on),
            "late": plan.filed_late,
            "previous": previous.pk if previous is not None else None,
        },
    )


def plan_imported_event(*, plan, actor, source: str, created: bool):
    return _event(
        record=plan,
        actor=actor,
        type=EmergencyEvent.Type.IMPORTED,
        effective_on=plan.filed_on,
        to_state=plan.state,
        payload={"source": source, "created": created},
    )


def plan_reviewed_event(*, plan, actor, previous_expiry):
    return _event(
        record=plan,
        actor=actor,
        type=EmergencyEvent.Type.REVIEWED,
        effective_on=plan.reviewed_on,
        payload={"previous_expiry": str(previous_expiry), "expires_on": str(plan.expires_on)},
    )


def plan_ended_event(*, plan, actor, reason: str = "", by=None):
    kind = (
        EmergencyEvent.Type.SUPERSEDED
        if plan.state == "superseded"
        else EmergencyEvent.Type.WITHDRAWN
    )
    return _event(
        record=plan,
        actor=actor,
        type=kind,
        effective_on=plan.ended_on,
        from_state="filed",
        to_state=plan.state,
        reason=reason,
        payload={"by": by.pk} if by is not None else {},
    )
