"""The working-day calendar with the bureau's overrides (Django side of ecogov.core.workdays)."""

from django.db.models import Max

from ecogov.core.models import CalendarYear, WorkdayOverride
from ecogov.core.workdays import WorkdayCalendar

_cached: tuple[tuple, WorkdayCalendar] | None = None


def _fingerprint() -> tuple:
    # Every save or delete adds a history row, so the newest history ids change with any edit,
    # in this process or another one (several app servers share the database).
    return tuple(
        tuple(model.history.aggregate(i=Max("history_id"), d=Max("history_date")).values())
        for model in (WorkdayOverride, CalendarYear)
    )


def current_calendar() -> WorkdayCalendar:
    """The calendar every deadline uses; rebuilt when an override or a known year changes.

    A caller computing many deadlines should fetch it once and reuse it.
    """
    global _cached
    fingerprint = _fingerprint()
    if _cached is None or _cached[0] != fingerprint:
        overrides = dict(WorkdayOverride.objects.values_list("day", "is_workday"))
        years = CalendarYear.objects.values_list("year", flat=True)
        _cached = (fingerprint, WorkdayCalendar(overrides, years))
    return _cached[1]
