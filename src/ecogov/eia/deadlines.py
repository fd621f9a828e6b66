"""The decision clock with pauses, and the due steps of an EIA project.

Counting (docs/procedures.md §2; periods: docs/eia.md §4): the period starts the day after its trigger; where the
statute says only 日 both the calendar-day and the working-day readings are computed and the
earlier one is alerted on; a calendar-day period ending on a rest day ends on the next working
day. Pauses (technical evaluation, expert review, hearing, supplements; 行政许可法 art. 45):
every day from a pause's first through its last day is not counted; while a pause is open the
clock stands still and there is no due date.

A year the working-day calendar does not know raises `UnknownCalendarYear`, unless the caller
asks for `allow_provisional` (screens and reminders): then the year is counted Monday–Friday and
the deadline is marked provisional — never a silent guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ecogov.core.workdays import (
    AmbiguousDeadline,
    DayType,
    Deadline,
    UnknownCalendarYear,
    WorkdayCalendar,
)

from .models import DocumentType, EiaProject, NoticeKind, Procedure, ProjectState
from .policy import policy

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Interval:
    start: dt.date
    end: dt.date | None  # None: still running

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class _Days:
    """is_workday with the provisional fallback, remembering whether it was needed."""

    def __init__(self, calendar: WorkdayCalendar, allow_provisional: bool):
        self.calendar, self.allow_provisional, self.provisional = calendar, allow_provisional, False

    def is_workday(self, day: dt.date) -> bool:
        try:
            return self.calendar.is_workday(day)
        except UnknownCalendarYear:
            if not self.allow_provisional:
                raise
            self.provisional = True
            return day.weekday() < 5


def _run(
    start: dt.date, n: int, counts: Callable[[dt.date], bool], pauses: list[Interval]
) -> dt.date:
    day, counted = start, 0
    while counted < n:
        day += ONE_DAY
        if any(p.covers(day) for p in pauses):
            continue
        if counts(day):
            counted += 1
    return day


def clock_deadline(
    calendar: WorkdayCalendar,
    start: dt.date,
    n: int,
    day_type: DayType,
    pauses: Iterable[Interval] = (),
    *,
    allow_provisional: bool = False,
) -> Deadline | None:
    """n days of running clock after `start`; None while a pause is open."""
    pauses = [p for p in pauses if p.end is None or p.end > start]
    if any(p.end is None for p in pauses):
        return None
    days = _Days(calendar, allow_provisional)
    if DayType(day_type) is DayType.WORKING:
        due = _run(start, n, days.is_workday, pauses)
    else:
        due = _run(start, n, lambda _day: True, pauses)
        while not days.is_workday(due):  # a period ending on a rest day ends on the next workday
            due += ONE_DAY
    source = calendar.source + ("; 周一至周五临时推算" if days.provisional else "")
    return Deadline(due, DayType(day_type), days.provisional, source)


def statute_clock_deadline(
    calendar, start, n, pauses=(), *, allow_provisional=False
) -> AmbiguousDeadline | None:
    """For a statute that says only "n日": both readings, with the pauses excluded."""
    pauses = list(pauses)
    by_calendar = clock_deadline(
        calendar, start, n, DayType.CALENDAR, pauses, allow_provisional=allow_provisional
    )
    if by_calendar is None:
        return None
    by_working = clock_deadline(
        calendar, start, n, DayType.WORKING, pauses, allow_provisional=allow_provisional
    )
    return AmbiguousDeadline(calendar=by_calendar, working=by_working)


@dataclass(frozen=True)
class DueStep:
    step: str  # acceptance_check / decision / decision_publication
    label: str
    deadline: Deadline | None  # the date alerted on (the earlier reading); None while paused
    other: Deadline | None = None  # the other reading of a statute that says only 日
    paused: bool = False

    @property
    def due(self) -> dt.date | None:
        return self.deadline.due if self.deadline else None


def pauses_of(project: EiaProject) -> list[Interval]:
    return [Interval(p.started_on, p.ended_on) for p in project.pauses.all()]


def decision_deadline(
    project: EiaProject, calendar: WorkdayCalendar, *, allow_provisional: bool = False
) -> AmbiguousDeadline | None:
    days = policy("decision_days").get(project.document_type)
    if project.accepted_on is None or days is None:
        return None
    return statute_clock_deadline(
        calendar, project.accepted_on, days, pauses_of(project), allow_provisional=allow_provisional
    )


def due_steps(
    project: EiaProject, calendar: WorkdayCalendar, *, allow_provisional: bool = True
) -> list[DueStep]:
    """The project's next statutory steps and when each is due."""
    state = project.state
    steps: list[DueStep] = []
    if state == ProjectState.SUBMITTED and project.submitted_on:
        due = calendar.deadline(
            project.submitted_on,
            policy("acceptance_check_working_days"),
            DayType.WORKING,
            allow_provisional=allow_provisional,
        )
        steps.append(DueStep("acceptance_check", _("受理审查(补正告知)"), due))
    elif state in (ProjectState.ACCEPTED, ProjectState.PROPOSED, ProjectState.DEFERRED):
        ambiguous = decision_deadline(project, calendar, allow_provisional=allow_provisional)
        if ambiguous is None:
            steps.append(DueStep("decision", _("审批决定"), None, paused=True))
        else:
            other = (
                ambiguous.working
                if ambiguous.alert_on is ambiguous.calendar
                else ambiguous.calendar
            )
            steps.append(DueStep("decision", _("审批决定"), ambiguous.alert_on, other))
    elif (
        (state == ProjectState.APPROVED or state == ProjectState.REFUSED)
        and project.decided_on
        and not project.decision_published_on
        and project.document_type in (DocumentType.REPORT, DocumentType.FORM)
    ):
        due = calendar.deadline(
            project.decided_on,
            policy("decision_publish_working_days"),
            DayType.WORKING,
            allow_provisional=allow_provisional,
        )
        steps.append(DueStep("decision_publication", _("公开审批决定"), due))
    return steps


def rereview_deadline(
    rereview, calendar: WorkdayCalendar, *, allow_provisional: bool = False
) -> AmbiguousDeadline:
    """The answer to a re-review: 10 日 from receipt (条例 art. 12), both readings."""
    return calendar.statute_days_deadline(
        rereview.received_on, policy("rereview_answer_days"), allow_provisional=allow_provisional
    )


def suspension_site_check_due(
    suspension, calendar: WorkdayCalendar, *, allow_provisional: bool = False
) -> Deadline:
    """The site check of a suspended region: within a month of its expiry (限批办法 art. 13); a
    month period ends on the corresponding day, a rest day rolls on to the next working day."""
    from ecogov.core.dates import add_months

    day = add_months(suspension.last_day, policy("suspension_site_check_months"))
    return calendar.deadline(day, 0, DayType.WORKING, allow_provisional=allow_provisional)


def notice_working_days(calendar: WorkdayCalendar, start: dt.date, end: dt.date) -> int:
    """Working days a notice ran, its first and last day included."""
    return calendar.count_workdays(start - ONE_DAY, end)


def notice_minimum(kind: str) -> int | None:
    return policy("notice_min_working_days").get(kind)


def needs_notices(project: EiaProject) -> bool:
    """Ordinary review of a report or form publishes acceptance and the proposed decision."""
    return project.procedure == Procedure.REVIEW and project.document_type in (
        DocumentType.REPORT,
        DocumentType.FORM,
    )


NOTICE_ORDER = [NoticeKind.ACCEPTANCE, NoticeKind.PROPOSED, NoticeKind.DECISION]
