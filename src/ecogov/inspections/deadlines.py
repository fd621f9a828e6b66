"""When draw lists and inspection results are due on the public portal.

docs/inspections.md §5 (publication): results (and any penalties that follow) within 20 working
days of the result (国发〔2019〕5号, [M]); the list itself is kept secret until the check
(docs/inspections.md §4, [S2]). No separate period is given for the draw list, so it
takes the general rule for proactive disclosure, 20 working days (政府信息公开条例 art. 26,
[S]), counted from when it stops being secret: the end of the plan's inspection period
(or the draw, if later). Both numbers are settings, as docs/procedures.md asks.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from ecogov.core.calendar import current_calendar
from ecogov.core.workdays import DayType, Deadline


def result_days() -> int:
    return getattr(settings, "ECOGOV_INSPECTION_RESULT_PUBLISH_WD", 20)


def list_days() -> int:
    return getattr(settings, "ECOGOV_DRAW_LIST_PUBLISH_WD", 20)


def list_trigger(draw) -> dt.date:
    """The day the draw list stops being secret."""
    return max(timezone.localdate(draw.drawn_at), draw.plan.period_end)


def list_due(draw, calendar=None) -> Deadline:
    calendar = calendar or current_calendar()
    return calendar.deadline(
        list_trigger(draw), list_days(), DayType.WORKING, allow_provisional=True
    )


def result_due(date: dt.date, calendar=None) -> Deadline:
    calendar = calendar or current_calendar()
    return calendar.deadline(date, result_days(), DayType.WORKING, allow_provisional=True)
