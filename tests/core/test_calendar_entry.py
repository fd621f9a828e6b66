"""Entering a year's State Council holiday notice: the service and the back-office form."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.core.calendar import current_calendar
from ecogov.core.calendar_entry import calendar_year_enter
from ecogov.core.holiday_notice import parse_notice
from ecogov.core.models import AuditLogEntry, CalendarYear, WorkdayOverride

D = dt.date
TABLE = "2027-01-01 休 元旦\n2月6日至12日 休 春节\n2027-02-13 班 春节调休\n10月1日至7日 休 国庆节"
NOTICE = "国办发明电〔2026〕9号"


def _days(table=TABLE, year=2027):
    days, problems = parse_notice(table, year)
    assert problems == []
    return days


def test_entering_a_year_makes_it_known_and_audited(world):
    sysadmin = world.user("sysadmin")
    WorkdayOverride.objects.create(  # an earlier, wrong entry of the same year is replaced
        day=D(2027, 3, 1), is_workday=False, name="误录", source_document="国办发明电〔2026〕1号"
    )
    result = calendar_year_enter(
        actor=sysadmin, year=2027, notice_number="国办发明电[2026] 9号", days=_days()
    )
    assert (result.holidays, result.makeup_days, result.replaced) == (15, 1, 1)
    assert result.notice_number == NOTICE
    calendar = current_calendar()
    assert 2027 in calendar.known_years
    assert not calendar.is_workday(D(2027, 2, 8)) and calendar.is_workday(D(2027, 2, 13))
    assert calendar.is_workday(D(2027, 3, 1))  # the wrong row is gone
    assert CalendarYear.objects.get(year=2027).source_document == NOTICE
    assert set(
        WorkdayOverride.objects.filter(day__year=2027).values_list("source_document", flat=True)
    ) == {NOTICE}
    entry = AuditLogEntry.objects.filter(event="calendar_entered").latest("seq")
    assert entry.username == "sysadmin"
    assert entry.detail["year"] == 2027 and entry.detail["holidays"] == 15


@pytest.mark.parametrize("who", ["leader", "secadmin"])
def test_only_the_system_administrator_enters_a_year(world, who):
    with pytest.raises(PermissionDenied):
        calendar_year_enter(actor=world.user(who), year=2027, notice_number=NOTICE, days=_days())
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_bad_entry_changes_nothing(world):
    with pytest.raises(ValidationError) as info:
        calendar_year_enter(
            actor=world.user("sysadmin"), year=2027, notice_number="第9号", days=_days()
        )
    assert "notice_number" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        calendar_year_enter(
            actor=world.user("sysadmin"),
            year=2027,
            notice_number=NOTICE,
            days=_days("2027-02-13 班"),
        )
    assert "未列出任何放假日期" in str(info.value)
    assert not WorkdayOverride.objects.filter(day__year=2027).exists()


def test_the_form_previews_as_a_calendar_then_saves(login, world):
    client = login("sysadmin")
    page = client.get("/admin/core/calendaryear/enter/?year=2027").content.decode()
    assert "录入节假日安排" in page and 'name="table"' in page
    data = {"year": "2027", "notice_number": NOTICE, "table": TABLE}
    preview = client.post("/admin/core/calendaryear/enter/", {**data, "preview": "1"})
    html = preview.content.decode()
    assert 'id="calendar-preview"' in html and "放假 15 天,调休上班 1 天" in html
    assert html.count('class="cal-holiday"') >= 15
    assert not CalendarYear.objects.filter(year=2027).exists()  # a preview saves nothing
    bad = client.post(
        "/admin/core/calendaryear/enter/", {**data, "table": "2027-01-04 班", "confirm": "1"}
    )
    assert "第1行" in bad.content.decode() and "周六或周日" in bad.content.decode()
    saved = client.post("/admin/core/calendaryear/enter/", {**data, "confirm": "1"})
    assert saved.status_code == 302
    assert CalendarYear.objects.get(year=2027).source_document == NOTICE
    # opening the form again for the year shows what was entered, to correct it
    again = client.get("/admin/core/calendaryear/enter/?year=2027").content.decode()
    assert "2027-02-13 班 春节调休" in again and NOTICE in again


def test_the_form_is_the_system_administrators(login, world):
    assert login("leader").get("/admin/core/calendaryear/enter/").status_code == 403


def test_the_check_names_the_days_where_the_package_and_an_entered_year_differ(world, capsys):
    from django.core.management import call_command

    from ecogov.core.workdays import PACKAGE_YEARS

    year = max(PACKAGE_YEARS)  # say the bureau entered a year the package also carries
    days = _days(f"{year}-01-01 休 元旦", year)
    calendar_year_enter(actor=world.user("sysadmin"), year=year, notice_number=NOTICE, days=days)
    call_command("calendar", "check", today=D(year, 6, 1))
    out = capsys.readouterr().out
    # only New Year's Day entered: the package's other holidays and make-up days all differ
    assert f"{year}年以录入的通知为准" in out and "01-02(上班)" in out and "01-01" not in out
