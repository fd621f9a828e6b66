"""Typed events of the outreach app: one small keyword-only function per event (OutreachEvent)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from ecogov.core.events import append_event

from .models import OutreachEvent


def _event(*, record, actor, type, payload=None, **fields) -> OutreachEvent:
    return append_event(
        OutreachEvent,
        record_type=ContentType.objects.get_for_model(type_of(record)),
        record_id=record.pk,
        actor=actor,
        type=type,
        payload=payload or {},
        **fields,
    )


def type_of(record):
    return record._meta.concrete_model


def events_of(record):
    return OutreachEvent.objects.filter(
        record_type=ContentType.objects.get_for_model(type_of(record)), record_id=record.pk
    )


def recorded_event(*, record, actor, effective_on, payload=None) -> OutreachEvent:
    return _event(
        record=record,
        actor=actor,
        type=OutreachEvent.Type.RECORDED,
        effective_on=effective_on,
        payload=payload,
    )


def changed_event(
    *, record, actor, changed: list[str], effective_on=None, reason: str = ""
) -> OutreachEvent:
    return _event(
        record=record,
        actor=actor,
        type=OutreachEvent.Type.CHANGED,
        effective_on=effective_on,
        reason=reason,
        payload={"fields": sorted(changed)},
    )


def imported_event(*, record, actor, source: str, created: bool, effective_on) -> OutreachEvent:
    return _event(
        record=record,
        actor=actor,
        type=OutreachEvent.Type.IMPORTED,
        effective_on=effective_on,
        payload={"source": source, "created": created},
    )


def duty_list_issued_event(*, duty_list, actor, previous) -> OutreachEvent:
    return _event(
        record=duty_list,
        actor=actor,
        type=OutreachEvent.Type.ISSUED,
        effective_on=duty_list.issued_on,
        to_state=duty_list.state,
        reason=duty_list.adjustment,
        payload={
            "version": duty_list.version,
            "previous": previous.pk if previous is not None else None,
            "items": duty_list.items.count(),
        },
    )


def duty_list_superseded_event(*, duty_list, actor, by) -> OutreachEvent:
    return _event(
        record=duty_list,
        actor=actor,
        type=OutreachEvent.Type.SUPERSEDED,
        effective_on=duty_list.superseded_on,
        from_state="in_force",
        to_state=duty_list.state,
        payload={"by": by.pk, "by_version": by.version},
    )


def exam_roster_event(*, exam, actor, staff_ids: list[int]) -> OutreachEvent:
    return _event(
        record=exam,
        actor=actor,
        type=OutreachEvent.Type.ROSTER,
        effective_on=exam.held_on,
        payload={"staff": sorted(staff_ids)},
    )


def exam_scored_event(*, exam, actor, changed: dict) -> OutreachEvent:
    return _event(
        record=exam,
        actor=actor,
        type=OutreachEvent.Type.SCORED,
        effective_on=exam.held_on,
        payload={"scores": changed},
    )


def creation_awarded_event(*, creation, actor, from_state: str) -> OutreachEvent:
    return _event(
        record=creation,
        actor=actor,
        type=OutreachEvent.Type.AWARDED,
        effective_on=creation.awarded_on,
        from_state=from_state,
        to_state=creation.state,
        payload={"level": creation.level, "kind": creation.kind},
    )
