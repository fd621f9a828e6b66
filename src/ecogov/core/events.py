"""Typed events of the core registry: one small function per event (Saleor's order/events.py)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Model
from django.utils import timezone

from ecogov.core.context import current_ip
from ecogov.core.models import EntityEvent


def signed_in_user(actor):
    """Who an event or an import names: the signed-in user; no one for an anonymous request or
    a command run without a user (None, AnonymousUser)."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def append_event(model, *, actor, type, at: dt.datetime | None = None, **fields):
    """Append one event row of `model` (an area's event table): the acting user (no one for an
    anonymous request or a command without a user), when (`at`, else now) and from where."""
    return model.objects.create(
        actor=signed_in_user(actor),
        type=type,
        occurred_at=at or timezone.now(),
        ip_address=current_ip(),
        **fields,
    )


def act_time(on: dt.date | None) -> dt.datetime:
    """When an act dated `on` took place: now if today (or undated), else noon that day."""
    now = timezone.now()
    if on is None or on == timezone.localdate(now):
        return now
    return timezone.make_aware(dt.datetime.combine(on, dt.time(12, 0)))


def jsonable(value):
    """Event payload values as plain JSON (amounts as strings, dates ISO, records by pk)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    return value


def _entity_event(*, entity, actor, type, **fields) -> EntityEvent:
    return append_event(EntityEvent, record=entity, actor=actor, type=type, **fields)


def entity_registered_event(*, entity, actor) -> EntityEvent:
    return _entity_event(
        entity=entity, actor=actor, type=EntityEvent.Type.REGISTERED, to_state=entity.status
    )


def entity_imported_event(*, entity, actor, source: str) -> EntityEvent:
    return _entity_event(
        entity=entity,
        actor=actor,
        type=EntityEvent.Type.IMPORTED,
        to_state=entity.status,
        payload={"source": source},
    )


def entity_updated_event(*, entity, actor, changed: list[str]) -> EntityEvent:
    return _entity_event(
        entity=entity,
        actor=actor,
        type=EntityEvent.Type.UPDATED,
        payload={"fields": sorted(changed)},
    )


def entity_status_changed_event(*, entity, actor, from_state: str, reason: str) -> EntityEvent:
    return _entity_event(
        entity=entity,
        actor=actor,
        type=EntityEvent.Type.STATUS_CHANGED,
        from_state=from_state,
        to_state=entity.status,
        reason=reason,
    )


def entity_attachment_added_event(*, entity, actor, attachment) -> EntityEvent:
    return _entity_event(
        entity=entity,
        actor=actor,
        type=EntityEvent.Type.ATTACHMENT_ADDED,
        payload={
            "attachment": attachment.pk,
            "sha256": attachment.sha256,
            "name": attachment.original_name,
        },
    )
