"""Typed events of the permits app: one small function per event."""

from __future__ import annotations

from ecogov.core.events import append_event

from .models import PermitEvent, RegistrationEvent


def _permit_event(*, permit, actor, type, payload=None, **fields):
    return append_event(
        PermitEvent,
        record=permit,
        actor=actor,
        type=type,
        to_state=permit.state,
        payload=payload or {},
        **fields,
    )


def permit_issued_event(*, permit, actor):
    return _permit_event(
        permit=permit,
        actor=actor,
        type=PermitEvent.Type.ISSUED,
        effective_on=permit.issued_on,
        payload={
            "number": permit.permit_number,
            "with_rectification": permit.with_rectification,
            "valid_until": str(permit.valid_until),
        },
    )


def permit_imported_event(*, permit, actor, source: str, created: bool):
    return _permit_event(
        permit=permit,
        actor=actor,
        type=PermitEvent.Type.IMPORTED,
        effective_on=permit.issued_on,
        payload={"source": source, "created": created},
    )


def permit_changed_event(*, permit, actor, changed_on, changed: list[str], reason: str):
    return _permit_event(
        permit=permit,
        actor=actor,
        type=PermitEvent.Type.CHANGED,
        effective_on=changed_on,
        reason=reason,
        payload={"fields": sorted(changed)},
    )


def permit_renewal_applied_event(*, permit, actor, late: bool):
    return _permit_event(
        permit=permit,
        actor=actor,
        type=PermitEvent.Type.RENEWAL_APPLIED,
        effective_on=permit.renewal_applied_on,
        payload={"late": late},
    )


def permit_renewed_event(*, permit, actor, renewed_on, previous_until):
    return _permit_event(
        permit=permit,
        actor=actor,
        type=PermitEvent.Type.RENEWED,
        effective_on=renewed_on,
        payload={"previous_until": str(previous_until), "valid_until": str(permit.valid_until)},
    )


def permit_rectified_event(*, permit, actor, note: str, late: bool):
    return _permit_event(
        permit=permit,
        actor=actor,
        type=PermitEvent.Type.RECTIFIED,
        effective_on=permit.rectification_closed_on,
        reason=note,
        payload={"late": late},
    )


def permit_expired_event(*, permit, actor):
    return _permit_event(
        permit=permit,
        actor=actor,
        type=PermitEvent.Type.EXPIRED,
        effective_on=permit.in_force_until,
        from_state="in_force",
    )


def permit_ended_event(*, permit, actor, from_state: str):
    kind = PermitEvent.Type.REVOKED if permit.state == "revoked" else PermitEvent.Type.CANCELLED
    return _permit_event(
        permit=permit,
        actor=actor,
        type=kind,
        effective_on=permit.ended_on,
        from_state=from_state,
        reason=permit.end_reason,
    )


def report_submitted_event(*, permit, actor, report, late: bool):
    return _permit_event(
        permit=permit,
        actor=actor,
        type=PermitEvent.Type.REPORT_SUBMITTED,
        effective_on=report.submitted_on,
        payload={"report": report.pk, "year": report.year, "period": report.period, "late": late},
    )


def _registration_event(*, registration, actor, type, payload=None, **fields):
    return append_event(
        RegistrationEvent,
        record=registration,
        actor=actor,
        type=type,
        to_state=registration.state,
        payload=payload or {},
        **fields,
    )


def registration_filed_event(*, registration, actor):
    return _registration_event(
        registration=registration,
        actor=actor,
        type=RegistrationEvent.Type.FILED,
        effective_on=registration.filed_on,
    )


def registration_imported_event(*, registration, actor, source: str, created: bool):
    return _registration_event(
        registration=registration,
        actor=actor,
        type=RegistrationEvent.Type.IMPORTED,
        effective_on=registration.filed_on,
        payload={"source": source, "created": created},
    )


def registration_changed_event(*, registration, actor, changed: list[str]):
    return _registration_event(
        registration=registration,
        actor=actor,
        type=RegistrationEvent.Type.CHANGED,
        effective_on=registration.changed_on,
        payload={"fields": sorted(changed)},
    )


def registration_cancelled_event(*, registration, actor, reason: str):
    return _registration_event(
        registration=registration,
        actor=actor,
        type=RegistrationEvent.Type.CANCELLED,
        effective_on=registration.cancelled_on,
        from_state="filed",
        reason=reason,
    )
