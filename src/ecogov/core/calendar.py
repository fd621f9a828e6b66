"""The working-day calendar with the bureau's overrides (Django side of ecogov.core.workdays)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Max
from django.db.models.signals import post_delete, post_save

from ecogov.core.models import CalendarYear, WorkdayOverride
from ecogov.core.workdays import WorkdayCalendar

_cached: tuple[tuple, WorkdayCalendar] | None = None
# Within one request the calendar is checked once: a page computing deadlines in several areas
# (the dashboard) asked for its fingerprint four times. None outside a request.
_request_memo: ContextVar[dict | None] = ContextVar("ecogov_calendar_memo", default=None)


def _fingerprint() -> tuple:
    # Every save or delete adds a history row, so the newest history ids change with any edit,
    # in this process or another one (several app servers share the database).
    return tuple(
        tuple(model.history.aggregate(i=Max("history_id"), d=Max("history_date")).values())
        for model in (WorkdayOverride, CalendarYear)
    )


def current_calendar() -> WorkdayCalendar:
    """The calendar every deadline uses; rebuilt when an override or a known year changes.

    A caller computing many deadlines should fetch it once and reuse it. In a request (see
    `per_request`) the first call's calendar serves the rest of the request, unless the request
    itself changes an override or a known year.
    """
    global _cached
    memo = _request_memo.get()
    if memo is not None and "calendar" in memo:
        return memo["calendar"]
    fingerprint = _fingerprint()
    if _cached is None or _cached[0] != fingerprint:
        overrides = dict(WorkdayOverride.objects.values_list("day", "is_workday"))
        years = CalendarYear.objects.values_list("year", flat=True)
        _cached = (fingerprint, WorkdayCalendar(overrides, years))
    if memo is not None:
        memo["calendar"] = _cached[1]
    return _cached[1]


@contextmanager
def per_request():
    """Check the calendar once per request (the request middleware wraps each request)."""
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def _forget(**kwargs) -> None:
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


for _model in (WorkdayOverride, CalendarYear):
    post_save.connect(
        _forget, sender=_model, dispatch_uid=f"ecogov-calendar-save-{_model.__name__}"
    )
    post_delete.connect(
        _forget, sender=_model, dispatch_uid=f"ecogov-calendar-delete-{_model.__name__}"
    )
