"""The working-day calendar with the bureau's overrides (Django side of ecogov.core.workdays)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ecogov.core.models import CalendarYear, WorkdayOverride
from ecogov.core.workdays import WorkdayCalendar

_cached: WorkdayCalendar | None = None


def current_calendar() -> WorkdayCalendar:
    """The calendar every deadline uses; rebuilt when an override or year changes."""
    global _cached
    if _cached is None:
        overrides = dict(WorkdayOverride.objects.values_list("day", "is_workday"))
        years = CalendarYear.objects.values_list("year", flat=True)
        _cached = WorkdayCalendar(overrides, years)
    return _cached


@receiver([post_save, post_delete], sender=WorkdayOverride)
@receiver([post_save, post_delete], sender=CalendarYear)
def _invalidate(**kwargs):
    global _cached
    _cached = None
