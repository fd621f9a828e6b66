"""Entering a year's State Council holiday notice (docs/procedures.md §3, "Entering a year").

The system administrator pastes (or picks) the notice's holidays and make-up working days,
previews them as a calendar and saves them with the notice's number. Saving replaces the
year's override rows, marks the year entered (the notice then wins over the package for the
whole year), writes an audit row and recomputes every stored provisional deadline through the
recomputers the areas register here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ecogov.core import audit
from ecogov.core.holiday_notice import NoticeDay, format_notice, parse_notice
from ecogov.core.models import CalendarYear, SecurityEvent, WorkdayOverride
from ecogov.core.roles import Role, has_role

# 国务院办公厅关于2027年部分节假日安排的通知, 国办发明电〔2026〕7号
NOTICE_NUMBER = re.compile(r"^国办发(?:明电)?〔(\d{4})〕(\d{1,3})号$")
YEARS = (2000, 2100)


@dataclass(frozen=True)
class Recomputer:
    area: str  # the area's label, shown after saving
    recompute: Callable  # recompute(*, actor) -> list of what changed


RECOMPUTERS: list[Recomputer] = []


@dataclass(frozen=True)
class Recomputed:
    """One stored provisional deadline computed again: which record (and, where a record has
    several, which date), the date before and after."""

    reference: str
    before: dt.date | None
    after: dt.date | None
    what: str = ""

    @property
    def earlier(self) -> bool:  # the new date is earlier: someone may have less time than told
        return self.before is not None and self.after is not None and self.after < self.before


def register_provisional_recompute(area: str, recompute: Callable) -> None:
    """An area that stores computed due dates registers how to recompute its provisional ones."""
    if all(r.recompute is not recompute for r in RECOMPUTERS):
        RECOMPUTERS.append(Recomputer(area, recompute))


def recompute_provisional_deadlines(*, actor=None) -> dict[str, list]:
    """Every area's stored provisional deadlines computed again on today's calendar (after a
    year is entered here, or the package brought it: `ecogov remind` runs this daily)."""
    return {r.area: list(r.recompute(actor=actor)) for r in RECOMPUTERS}


def normalise_notice_number(value: str) -> str:
    value = re.sub(r"\s+", "", value or "")
    # the year's brackets as typed on any keyboard: [2026] (2026) （2026） 【2026】 ［2026］
    return re.sub(r"[\[(（【［〔](\d{4})[\])）】］〕]", r"〔\1〕", value)


@dataclass
class EnteredYear:
    year: int
    notice_number: str
    holidays: int
    makeup_days: int
    replaced: int
    recomputed: dict[str, list] = field(default_factory=dict)


def _check_actor(actor) -> None:
    if actor is not None and not (actor.is_superuser or has_role(actor, Role.SYSTEM_ADMIN)):
        raise PermissionDenied(_("只有系统管理员可以录入节假日安排。"))


@transaction.atomic
def calendar_year_enter(
    *, actor, year: int, notice_number: str, days: list[NoticeDay]
) -> EnteredYear:
    """Replace the year's overrides with the notice's days, mark the year entered, audit it and
    recompute the stored provisional deadlines. All or nothing."""
    _check_actor(actor)
    errors = {}
    if not (YEARS[0] <= year <= YEARS[1]):
        errors["year"] = _("年度应在%(a)s—%(b)s之间。") % {"a": YEARS[0], "b": YEARS[1]}
    number = normalise_notice_number(notice_number)
    if not NOTICE_NUMBER.match(number):
        errors["notice_number"] = _("通知文号格式应为“国办发明电〔2026〕7号”。")
    if not any(not d.is_workday for d in days):
        errors["table"] = _("未列出任何放假日期。")
    elif any(d.day.year != year for d in days):
        errors["table"] = _("所列日期必须都在%(year)s年内。") % {"year": year}
    if errors:
        raise ValidationError(errors)
    old = list(WorkdayOverride.objects.select_for_update().filter(day__year=year))
    for row in old:  # one by one: each deletion is a history row
        row.delete()
    for d in days:
        WorkdayOverride.objects.create(
            day=d.day, is_workday=d.is_workday, name=d.name, source_document=number
        )
    entered, _created = CalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"source_document": number}
    )
    if entered.source_document != number:
        entered.source_document = number
        entered.save(update_fields=["source_document"])
    result = EnteredYear(
        year=year,
        notice_number=number,
        holidays=sum(not d.is_workday for d in days),
        makeup_days=sum(d.is_workday for d in days),
        replaced=len(old),
    )
    result.recomputed = recompute_provisional_deadlines(actor=actor)
    audit.record(
        SecurityEvent.CALENDAR_ENTERED,
        username=actor.get_username() if actor is not None else "",
        detail={
            "year": year,
            "notice": number,
            "holidays": result.holidays,
            "makeup_days": result.makeup_days,
            "replaced": result.replaced,
            "recomputed": {str(k): len(v) for k, v in result.recomputed.items()},
        },
    )
    return result


def existing_table(year: int) -> str:
    """The year's entered days as a table, to correct an entry."""
    rows = WorkdayOverride.objects.filter(day__year=year).order_by("day")
    return format_notice([NoticeDay(r.day, r.is_workday, r.name) for r in rows])


class CalendarEntryForm(forms.Form):
    year = forms.IntegerField(
        label=_("年度"), min_value=YEARS[0], max_value=YEARS[1], help_text=_("如 2027")
    )
    notice_number = forms.CharField(
        label=_("通知文号"),
        max_length=64,
        help_text=_("国务院办公厅关于该年部分节假日安排的通知的文号,如:国办发明电〔2026〕7号"),
    )
    table = forms.CharField(
        label=_("放假与调休日期"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "每行一天或一段日期,后写“休”(放假)或“班”(调休上班),可加名称。例如:"
            "2027-01-01 休 元旦;2027-02-06至2027-02-12 休 春节;2月14日 班 春节调休上班。"
            "可从表格直接粘贴(制表符、逗号分隔均可)。"
        ),
    )

    def clean_notice_number(self):
        number = normalise_notice_number(self.cleaned_data["notice_number"])
        if not NOTICE_NUMBER.match(number):
            raise ValidationError(_("通知文号格式应为“国办发明电〔2026〕7号”。"))
        return number

    def clean(self):
        data = super().clean()
        year, table = data.get("year"), data.get("table")
        if year is None or not table:
            return data
        days, problems = parse_notice(table, year)
        if problems:
            raise ValidationError({"table": [str(p) for p in problems[:20]]})
        if not any(not d.is_workday for d in days):
            raise ValidationError({"table": _("未列出任何放假日期。")})
        data["days"] = days
        return data
