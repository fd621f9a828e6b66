from django.contrib import admin

from ecogov.core.admin.base import HistoryModelAdmin
from ecogov.core.models import CalendarYear, WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(HistoryModelAdmin):
    list_display = ["day", "is_workday", "name", "source_document"]
    list_filter = ["is_workday"]
    date_hierarchy = "day"


@admin.register(CalendarYear)
class CalendarYearAdmin(HistoryModelAdmin):
    list_display = ["year", "source_document"]
