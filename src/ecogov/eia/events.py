"""Typed events of the EIA app: one small function per event, appended to EiaEvent / ZoningEvent."""

from __future__ import annotations

from ecogov.core.events import append_event

from .models import EiaEvent, SuspensionEvent, ZoningEvent


def _event(*, project, actor, type, payload=None, **fields) -> EiaEvent:
    return append_event(
        EiaEvent,
        record=project,
        actor=actor,
        type=type,
        to_state=project.state,
        payload=payload or {},
        **fields,
    )


def project_submitted_event(*, project, actor) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.SUBMITTED,
        effective_on=project.submitted_on,
    )


def project_imported_event(*, project, actor, source: str, created: bool) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.IMPORTED,
        effective_on=project.decided_on or project.accepted_on or project.submitted_on,
        payload={"source": source, "created": created},
    )


def project_updated_event(*, project, actor, changed: list[str], reason: str = "") -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.UPDATED,
        reason=reason,
        payload={"fields": sorted(changed)},
    )


def project_accepted_event(*, project, actor, from_state: str) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.ACCEPTED,
        effective_on=project.accepted_on,
        from_state=from_state,
    )


def notice_published_event(*, project, actor, notice, from_state: str) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.NOTICE_PUBLISHED,
        effective_on=notice.start_on,
        from_state=from_state,
        payload={
            "notice": notice.pk,
            "kind": notice.kind,
            "start_on": str(notice.start_on),
            "end_on": str(notice.end_on or ""),
        },
    )


def pause_started_event(*, project, actor, pause) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.PAUSED,
        effective_on=pause.started_on,
        from_state=project.state,
        reason=pause.reason,
        payload={"pause": pause.pk, "kind": pause.kind},
    )


def pause_ended_event(*, project, actor, pause) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.RESUMED,
        effective_on=pause.ended_on,
        from_state=project.state,
        payload={"pause": pause.pk, "kind": pause.kind},
    )


def project_screened_event(*, project, actor, screening) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.SCREENED,
        from_state=project.state,
        payload={
            "screening": screening.pk,
            "refuse": screening.refuse,
            "review": screening.review,
            "units": [c["code"] for c in screening.contacts],
            "rules": [h["rule"] for h in screening.hits],
        },
    )


def refusal_confirmed_event(*, project, actor, screening) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.REFUSAL_CONFIRMED,
        from_state=project.state,
        reason=screening.review_reason,
        payload={"screening": screening.pk},
    )


def refusal_overridden_event(*, project, actor, screening) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.REFUSAL_OVERRIDDEN,
        from_state=project.state,
        reason=screening.review_reason,
        payload={
            "screening": screening.pk,
            "rules": [h["rule"] for h in screening.hits],
            "undetermined": [u["rule"] for u in screening.undetermined],
        },
    )


def project_decided_event(*, project, actor, from_state: str) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.DECIDED,
        effective_on=project.decided_on,
        from_state=from_state,
        reason=project.decision_reasons,
        payload={
            "decision": project.decision,
            "number": project.decision_number,
            "level": project.level,
            "procedure": project.procedure,
        },
    )


def project_filed_event(*, project, actor) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.FILED,
        effective_on=project.decided_on,
        payload={"receipt": project.receipt_number},
    )


def project_exempted_event(*, project, actor) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.EXEMPTED,
        effective_on=project.decided_on,
        reason=project.decision_reasons,
    )


def project_revoked_event(*, project, actor, reason: str) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.REVOKED,
        effective_on=project.revoked_on,
        from_state="approved",
        reason=reason,
    )


def project_deferred_event(*, project, actor, from_state: str) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.DEFERRED,
        effective_on=project.deferred_on,
        from_state=from_state,
        reason=project.deferral_reasons,
    )


def project_provincial_recorded_event(*, project, actor) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.PROVINCIAL_RECORDED,
        effective_on=project.decided_on,
        payload={"number": project.decision_number, "level": project.level},
    )


def rereview_event(*, project, actor, rereview, type: str) -> EiaEvent:
    """rereview_requested / rereview_answered"""
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type(type),
        effective_on=rereview.answered_on or rereview.received_on,
        from_state=project.state,
        reason=rereview.reasons,
        payload={
            "rereview": rereview.pk,
            "construction_starts_on": str(rereview.construction_starts_on),
            "outcome": rereview.outcome,
            "number": rereview.answer_number,
        },
    )


def acceptance_recorded_event(*, project, actor, acceptance) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.ACCEPTANCE_RECORDED,
        effective_on=acceptance.concluded_on,
        from_state=project.state,
        payload={
            "acceptance": acceptance.pk,
            "passed": acceptance.passed,
            "completed_on": str(acceptance.completed_on),
            "published_from": str(acceptance.published_from),
            "published_until": str(acceptance.published_until),
        },
    )


def spot_checked_event(*, project, actor, check) -> EiaEvent:
    return _event(
        project=project,
        actor=actor,
        type=EiaEvent.Type.SPOT_CHECKED,
        effective_on=check.checked_on,
        from_state=project.state,
        reason=check.findings,
        payload={"spot_check": check.pk, "acceptance": check.acceptance_id, "result": check.result},
    )


def suspension_event(
    *, suspension, actor, type: str, effective_on=None, reason: str = ""
) -> SuspensionEvent:
    return append_event(
        SuspensionEvent,
        record=suspension,
        actor=actor,
        type=SuspensionEvent.Type(type),
        effective_on=effective_on,
        reason=reason or suspension.reason,
        payload={
            "division": suspension.division.code,
            "number": suspension.document_number,
            "ends_on": str(suspension.ends_on),
            "extended_until": str(suspension.extended_until or ""),
            "lifted_on": str(suspension.lifted_on or ""),
        },
    )


def units_imported_event(*, dataset, actor, counts: dict) -> ZoningEvent:
    return append_event(
        ZoningEvent,
        record=dataset,
        actor=actor,
        type=ZoningEvent.Type.UNITS_IMPORTED,
        payload={**counts, "repairs": len(dataset.repairs)},
    )


def rules_activated_event(*, dataset, actor, previous: int | None) -> ZoningEvent:
    return append_event(
        ZoningEvent,
        record=dataset,
        actor=actor,
        type=ZoningEvent.Type.RULES_ACTIVATED,
        reason=dataset.note,
        payload={"previous": previous, "rules": [r["id"] for r in dataset.document["rules"]]},
    )
