"""The working-day calendar with the override table (Django side)."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from ecogov.core.calendar import current_calendar
from ecogov.core.models import CalendarYear, WorkdayOverride
from ecogov.core.workdays import UnknownCalendarYear


def test_override_rows_change_deadlines_at_once(db):
    assert current_calendar().add_workdays(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)
    WorkdayOverride.objects.create(
        day=dt.date(2026, 10, 8),
        is_workday=False,
        name="勘误",
        source_document="国办发明电〔2025〕7号",
    )
    assert current_calendar().add_workdays(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 9)


def test_a_year_entered_by_the_bureau_becomes_known(db):
    with pytest.raises(UnknownCalendarYear):
        current_calendar().is_workday(dt.date(2027, 3, 1))
    WorkdayOverride.objects.create(
        day=dt.date(2027, 1, 1),
        is_workday=False,
        name="元旦",
        source_document="国办发明电〔2026〕1号",
    )
    CalendarYear.objects.create(year=2027, source_document="国办发明电〔2026〕1号")
    calendar = current_calendar()
    assert calendar.is_workday(dt.date(2027, 3, 1))
    assert calendar.add_workdays(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)


def test_calendar_check_fails_from_december_when_next_year_is_missing(db, capsys):
    call_command("calendar", "check", today=dt.date(2026, 11, 26))
    assert "2027年安排尚未录入" in capsys.readouterr().out
    with pytest.raises(CommandError, match="2027年的节假日安排尚未录入"):
        call_command("calendar", "check", today=dt.date(2026, 12, 1))
    CalendarYear.objects.create(year=2027, source_document="国办发明电〔2026〕1号")
    call_command("calendar", "check", today=dt.date(2026, 12, 1))


def test_system_admin_dashboard_warns_of_the_missing_year(login, world):
    from django.utils import timezone

    html = login("sysadmin").get("/admin/").content.decode()
    next_year = timezone.localdate().year + 1
    if next_year in current_calendar().known_years:
        assert "ecogov-calendar-warning" not in html
    else:
        assert f"{next_year}年法定节假日安排尚未录入" in html
    assert "ecogov-calendar-warning" not in login("leader").get("/admin/").content.decode()
