"""Typed events of the random-inspection area: one small function per event."""

from __future__ import annotations

from ecogov.core.events import append_event

from .models import InspectionEvent, PlanEvent


def _plan_event(*, plan, actor, type, at=None, **fields) -> PlanEvent:
    return append_event(PlanEvent, record=plan, actor=actor, type=type, at=at, **fields)


def plan_created_event(*, plan, actor) -> PlanEvent:
    return _plan_event(plan=plan, actor=actor, type=PlanEvent.Type.CREATED, at=plan.created_at)


def plan_updated_event(*, plan, actor, changed: list[str]) -> PlanEvent:
    return _plan_event(
        plan=plan, actor=actor, type=PlanEvent.Type.UPDATED, payload={"fields": sorted(changed)}
    )


def seed_announced_event(*, seed, actor) -> PlanEvent:
    return _plan_event(
        plan=seed.plan,
        actor=actor,
        type=PlanEvent.Type.SEED_ANNOUNCED,
        at=seed.announced_at,
        payload={
            "seed": seed.pk,
            "value": seed.value,
            "source": seed.source,
            "source_note": seed.source_note,
        },
    )


def drawn_event(*, draw, actor) -> PlanEvent:
    redraw = draw.supersedes_id is not None
    return _plan_event(
        plan=draw.plan,
        actor=actor,
        at=draw.drawn_at,
        type=PlanEvent.Type.REDRAWN if redraw else PlanEvent.Type.DRAWN,
        reason=draw.redraw_reason,
        to_state=draw.status,
        payload={
            "draw": draw.pk,
            "number": draw.number,
            "seed": draw.seed.value,
            "input_hash": draw.input_hash,
            "result_hash": draw.result_hash,
            "algorithm": draw.algorithm_version,
            "supersedes": draw.supersedes_id,
            "checks": sum(t["drawn"] for t in draw.tallies),
        },
    )


def list_published_event(*, publication, actor) -> PlanEvent:
    return _plan_event(
        plan=publication.draw.plan,
        actor=actor,
        type=PlanEvent.Type.LIST_PUBLISHED,
        payload={
            "draw": publication.draw_id,
            "publication": publication.pk,
            "published_on": publication.published_on.isoformat(),
            "due_on": publication.due_on.isoformat(),
        },
    )


def _inspection_event(*, record, actor, type, at=None, **fields) -> InspectionEvent:
    return append_event(InspectionEvent, record=record, actor=actor, type=type, at=at, **fields)


def recorded_event(*, record, actor) -> InspectionEvent:
    return _inspection_event(
        record=record,
        actor=actor,
        type=InspectionEvent.Type.RECORDED,
        at=record.recorded_at,
        to_state=record.outcome,
        payload=recorded_payload(record),
    )


def recorded_payload(record) -> dict:
    return {
        "number": record.number,
        "date": record.date.isoformat(),
        "type": record.type,
        "entity": record.entity_id,
        "draw_check": record.draw_check_id,
    }


def updated_event(*, record, actor, changed: list[str], from_state: str) -> InspectionEvent:
    return _inspection_event(
        record=record,
        actor=actor,
        type=InspectionEvent.Type.UPDATED,
        from_state=from_state,
        to_state=record.outcome,
        payload={"fields": sorted(changed)},
    )


def attachment_added_event(*, record, actor, attachment) -> InspectionEvent:
    return _inspection_event(
        record=record,
        actor=actor,
        type=InspectionEvent.Type.ATTACHMENT_ADDED,
        payload={
            "attachment": attachment.pk,
            "sha256": attachment.sha256,
            "name": attachment.original_name,
        },
    )


def case_opened_event(*, record, actor, case, from_state: str) -> InspectionEvent:
    return _inspection_event(
        record=record,
        actor=actor,
        type=InspectionEvent.Type.CASE_OPENED,
        from_state=from_state,
        to_state=record.outcome,
        payload={"case": case.pk, "case_number": case.number},
    )


def result_published_event(*, publication, actor) -> InspectionEvent:
    return _inspection_event(
        record=publication.inspection,
        actor=actor,
        type=InspectionEvent.Type.PUBLISHED,
        payload={
            "publication": publication.pk,
            "published_on": publication.published_on.isoformat(),
            "due_on": publication.due_on.isoformat(),
        },
    )
