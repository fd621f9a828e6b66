from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from ecogov.core.admin.base import HistoryModelAdmin
from ecogov.core.calendar import current_calendar
from ecogov.core.calendar_entry import (
    CalendarEntryForm,
    calendar_year_enter,
    existing_table,
)
from ecogov.core.holiday_notice import month_grids, working_days_in
from ecogov.core.models import CalendarYear, WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(HistoryModelAdmin):
    list_display = ["day", "is_workday", "name", "source_document"]
    list_filter = ["is_workday"]
    date_hierarchy = "day"


@admin.register(CalendarYear)
class CalendarYearAdmin(HistoryModelAdmin):
    list_display = ["year", "source_document"]

    def get_urls(self):
        return [
            path(
                "enter/",
                self.admin_site.admin_view(self.enter_view),
                name="core_calendar_enter",
            ),
            *super().get_urls(),
        ]

    def enter_view(self, request):
        """录入节假日安排: paste the notice's dates, preview them as a calendar, save."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        calendar = current_calendar()
        next_year = max(calendar.known_years) + 1
        preview = None
        if request.method == "POST":
            form = CalendarEntryForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                if request.POST.get("confirm") == "1":
                    try:
                        result = calendar_year_enter(
                            actor=request.user,
                            year=data["year"],
                            notice_number=data["notice_number"],
                            days=data["days"],
                        )
                    except ValidationError as exc:
                        for name, errors in exc.message_dict.items():
                            form.add_error(name if name in form.fields else None, errors)
                    else:
                        changed = sum(len(v) for v in result.recomputed.values())
                        messages.success(
                            request,
                            _(
                                "已录入%(year)s年节假日安排(%(notice)s):放假 %(h)s 天,"
                                "调休上班 %(m)s 天;重新计算暂定期限 %(n)s 项。"
                            )
                            % {
                                "year": result.year,
                                "notice": result.notice_number,
                                "h": result.holidays,
                                "m": result.makeup_days,
                                "n": changed,
                            },
                        )
                        return redirect(reverse("admin:core_calendaryear_changelist"))
                else:
                    preview = {
                        "year": data["year"],
                        "grids": month_grids(data["year"], data["days"]),
                        "holidays": sum(not d.is_workday for d in data["days"]),
                        "makeup": sum(d.is_workday for d in data["days"]),
                        "workdays": working_days_in(data["year"], data["days"]),
                        "replaces": WorkdayOverride.objects.filter(day__year=data["year"]).count(),
                        "entered": CalendarYear.objects.filter(year=data["year"]).first(),
                        "in_package": data["year"] in calendar.known_years
                        and data["year"] not in calendar.entered_years,
                    }
        else:
            try:
                year = int(request.GET.get("year", next_year))
            except ValueError:
                year = next_year
            entered = CalendarYear.objects.filter(year=year).first()
            form = CalendarEntryForm(
                initial={
                    "year": year,
                    "notice_number": entered.source_document if entered else "",
                    "table": existing_table(year),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("录入节假日安排"),
            "form": form,
            "preview": preview,
            "known": f"{min(calendar.known_years)}—{max(calendar.known_years)}",
            "weekdays": ["一", "二", "三", "四", "五", "六", "日"],
        }
        return TemplateResponse(request, "core/calendar_enter.html", context)
