"""Typed events of the core registry: one small function per event (Saleor's order/events.py)."""

from django.utils import timezone

from ecogov.core.context import current_ip
from ecogov.core.models import EntityEvent


def _entity_event(*, entity, actor, type, **fields) -> EntityEvent:
    return EntityEvent.objects.create(
        record=entity, actor=actor if actor is not None and actor.is_authenticated else None,
        type=type, occurred_at=timezone.now(), ip_address=current_ip(), **fields,
    )


def entity_registered_event(*, entity, actor) -> EntityEvent:
    return _entity_event(entity=entity, actor=actor, type=EntityEvent.Type.REGISTERED,
                         to_state=entity.status)


def entity_imported_event(*, entity, actor, source: str) -> EntityEvent:
    return _entity_event(entity=entity, actor=actor, type=EntityEvent.Type.IMPORTED,
                         to_state=entity.status, payload={"source": source})


def entity_updated_event(*, entity, actor, changed: list[str]) -> EntityEvent:
    return _entity_event(entity=entity, actor=actor, type=EntityEvent.Type.UPDATED,
                         payload={"fields": sorted(changed)})


def entity_status_changed_event(*, entity, actor, from_state: str, reason: str) -> EntityEvent:
    return _entity_event(entity=entity, actor=actor, type=EntityEvent.Type.STATUS_CHANGED,
                         from_state=from_state, to_state=entity.status, reason=reason)


def entity_attachment_added_event(*, entity, actor, attachment) -> EntityEvent:
    return _entity_event(entity=entity, actor=actor, type=EntityEvent.Type.ATTACHMENT_ADDED,
                         payload={"attachment": attachment.pk, "sha256": attachment.sha256,
                                  "name": attachment.original_name})
