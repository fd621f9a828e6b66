"""Deadlines computed while a year's holiday schedule was missing are recomputed once it is
known (docs/procedures.md §3): each change is logged; one that moves earlier is flagged."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from ecogov.core.calendar import current_calendar
from ecogov.core.calendar_entry import Recomputed
from ecogov.matters import deadlines, events
from ecogov.matters.models import Matter
from ecogov.matters.workflow import flow_for

from .common import sync_units

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _start(matter: Matter, rule: deadlines.Rule) -> dt.date | None:
    if rule.start == "received":
        return matter.received_on
    steps = {
        s.action
        for s in flow_for(matter.kind, matter.category).transitions
        if s.deadline == matter.due_rule
    }
    event = matter.events.filter(type__in=steps).order_by("-occurred_at").first()
    if event is None or rule.start == "due":
        return None  # an extension counts from the old date: left to a person to check
    return event.occurred_at.date()


@transaction.atomic
def provisional_deadlines_recompute(*, actor: User | None = None) -> list[Recomputed]:
    calendar = current_calendar()
    changed = []
    for matter in Matter.objects.select_for_update().filter(due_provisional=True, is_open=True):
        if matter.due_rule not in deadlines.RULES or not calendar.knows(matter.due_on):
            continue
        rule = deadlines.rule(matter.due_rule)
        start = _start(matter, rule)
        if start is None:
            continue
        due = deadlines.compute(matter.due_rule, start, calendar)
        if due.provisional:
            continue
        before = matter.due_on
        matter.due_on, matter.due_other_on, matter.due_provisional = due.on, due.other, False
        matter.save(update_fields=["due_on", "due_other_on", "due_provisional", "updated_at"])
        sync_units(matter)
        earlier = due.on < before
        events.matter_deadline_changed_event(
            matter=matter,
            actor=actor,
            before=before,
            reason="节假日安排录入后重新计算暂定时限" + ("(时限提前,请核实)" if earlier else ""),
        )
        changed.append(Recomputed(matter.reference, before, due.on))
    return changed
