"""Typed events of assigned matters: one small function per event type.

`occurred_at` is when the act happened (the date the actor gives, e.g. the date on the
write-off notice), `recorded_at` when it was entered; the figures count acts by their date.
"""

from __future__ import annotations

from ecogov.core.backdating import late_entry
from ecogov.core.context import current_ip
from ecogov.core.events import act_time, append_event, signed_in_user
from ecogov.matters.models import MatterEvent


def _event(*, matter, actor, type, on=None, **fields) -> MatterEvent:
    late = late_entry(on)  # refuses a person's act dated long ago without a reason
    if late:
        fields["payload"] = {**fields.get("payload", {}), **late}
    return append_event(
        MatterEvent, record=matter, actor=actor, type=type, at=act_time(on), **fields
    )


def matter_created_event(*, matter, actor, units: list[dict]) -> MatterEvent:
    return _event(
        matter=matter,
        actor=actor,
        type=MatterEvent.Type.CREATED,
        on=matter.received_on,
        to_state=matter.state,
        payload={"units": units, "due_on": str(matter.due_on or ""), "due_rule": matter.due_rule},
    )


def matter_transitioned_event(
    *,
    matter,
    actor,
    action: str,
    from_state: str,
    on,
    reason: str = "",
    payload: dict | None = None,
) -> MatterEvent:
    return _event(
        matter=matter,
        actor=actor,
        type=action,
        on=on,
        from_state=from_state,
        to_state=matter.state,
        reason=reason,
        payload=payload or {},
    )


def matter_updated_event(*, matter, actor, changed: list[str], reason: str = "") -> MatterEvent:
    return _event(
        matter=matter,
        actor=actor,
        type=MatterEvent.Type.UPDATED,
        reason=reason,
        payload={"fields": sorted(changed)},
    )


def matter_deadline_changed_event(*, matter, actor, before, reason: str) -> MatterEvent:
    return _event(
        matter=matter,
        actor=actor,
        type=MatterEvent.Type.DEADLINE_CHANGED,
        reason=reason,
        payload={
            "before": str(before or ""),
            "after": str(matter.due_on or ""),
            "provisional": matter.due_provisional,
        },
    )


def matter_units_changed_event(
    *, matter, actor, before: list[dict], after: list[dict], reason: str = ""
) -> MatterEvent:
    return _event(
        matter=matter,
        actor=actor,
        type=MatterEvent.Type.UNITS_CHANGED,
        reason=reason,
        payload={"before": before, "after": after},
    )


def matter_progress_event(*, matter, actor, report) -> MatterEvent:
    return _event(
        matter=matter,
        actor=actor,
        type=MatterEvent.Type.PROGRESS,
        payload={
            "report": report.pk,
            "organisation": report.organisation.name,
            "call": report.call_id,
            "percent": report.percent,
        },
    )


def matter_attachment_added_event(*, matter, actor, attachment) -> MatterEvent:
    return _event(
        matter=matter,
        actor=actor,
        type=MatterEvent.Type.ATTACHMENT_ADDED,
        payload={
            "attachment": attachment.pk,
            "sha256": attachment.sha256,
            "name": attachment.original_name,
        },
    )


def matter_duplicate_linked_event(*, matter, actor, original) -> MatterEvent:
    return _event(
        matter=matter,
        actor=actor,
        type=MatterEvent.Type.DUPLICATE_LINKED,
        payload={"original": original.reference},
    )


def matter_imported_events(*, matters, actor, source_name: str, chains: dict) -> list:
    """Bulk form for ledger imports and the demo: an `imported` event per matter, then one
    event per step the workflow takes to reach the imported state, each dated by the ledger.

    `chains` maps matter pk → [(action, from_state, to_state, date)].
    """
    from ecogov.core.fastinsert import insert_new

    # plain rows, not model instances: a 50,000-row ledger makes over 100,000 events
    base = {
        "actor_id": getattr(signed_in_user(actor), "pk", None),
        "ip_address": current_ip(),
        "reason": "",
        "from_state": "",
    }
    moments: dict = {}  # one aware datetime per date
    rows = []
    for matter in matters:
        moment = moments.get(matter.received_on) or moments.setdefault(
            matter.received_on, act_time(matter.received_on)
        )
        rows.append(
            {
                **base,
                "record_id": matter.pk,
                "type": MatterEvent.Type.IMPORTED,
                "occurred_at": moment,
                "to_state": matter.flow.initial,
                "payload": {
                    "source": source_name,
                    "due_on": str(matter.due_on or ""),
                    "due_rule": matter.due_rule,
                },
            }
        )
        for action, from_state, to_state, on in chains.get(matter.pk, ()):
            moment = moments.get(on) or moments.setdefault(on, act_time(on))
            rows.append(
                {
                    **base,
                    "record_id": matter.pk,
                    "type": action,
                    "occurred_at": moment,
                    "from_state": from_state,
                    "to_state": to_state,
                    "payload": {"source": source_name},
                }
            )
    insert_new(MatterEvent, rows)
    return rows
