"""Reading year / cut-off day / division from a request, with a Chinese message for each mistake."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.figures import FIRST_YEAR, LAST_YEAR, Period
from ecogov.core.models import Division
from ecogov.core.scoping import scope_for


class ParamError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Params:
    year: int
    until: dt.date | None
    division: Division | None

    @property
    def period(self) -> Period:
        return Period.of_year(self.year, self.until)

    def query(self) -> dict[str, str]:
        params = {"year": str(self.year)}
        if self.until:
            params["until"] = self.until.isoformat()
        if self.division:
            params["division"] = self.division.code
        return params


def divisions_for(user) -> list[Division]:
    """The divisions a user may narrow the figures to: his territory and what lies below."""
    scope = scope_for(user)
    if not scope.sees_ledgers:
        return []
    if scope.everything:
        return list(Division.objects.order_by("path"))
    if not scope.division_path:
        return []
    return list(Division.objects.filter(path__startswith=scope.division_path).order_by("path"))


def parse(query, user, *, default_year: int | None = None) -> Params:
    errors: dict[str, str] = {}
    raw_year = (query.get("year") or "").strip()
    year = default_year if not raw_year and default_year else None
    if raw_year:
        try:
            year = int(raw_year)
        except ValueError:
            year = None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = _(
            "参数 year(年度)应为%(first)s至%(last)s之间的四位年份,如 year=2020。"
        ) % {"first": FIRST_YEAR, "last": LAST_YEAR}
    until = None
    raw_until = (query.get("until") or "").strip()
    if raw_until:
        try:
            until = dt.date.fromisoformat(raw_until)
        except ValueError:
            errors["until"] = _("参数 until(统计截止日)应为 YYYY-MM-DD 格式的日期,如 2020-11-30。")
        else:
            if year is not None and until.year != year:
                errors["until"] = _("参数 until(统计截止日)应在 year 所指的年度之内。")
    division = None
    raw_division = (query.get("division") or "").strip()
    if raw_division:
        division = Division.objects.filter(code=raw_division).first()
        if division is None:
            errors["division"] = _("参数 division(行政区划):代码“%(code)s”不存在。") % {
                "code": raw_division
            }
        elif division not in divisions_for(user):
            errors["division"] = _("参数 division(行政区划):“%(name)s”不在您的数据范围内。") % {
                "name": division.name
            }
    if errors:
        raise ParamError(errors)
    return Params(year, until, division)


def default_year() -> int:
    """Reports are written about the year that has just ended (until March), else this year."""
    today = timezone.localdate()
    return today.year - 1 if today.month <= 3 else today.year
