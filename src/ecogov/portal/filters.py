"""The filters every list takes from the query string: 区划 (division), 关键词 (search: an
entity's name or credit code, a number, a title), 起止日期 (the list's date). A value that
cannot be read is dropped with a Chinese message naming the field; the page still answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ecogov.core.models import Division

SEARCH_MAX = 100


@dataclass
class Filters:
    division: Division | None = None
    search: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    errors: list[str] = field(default_factory=list)

    def query(self) -> dict:
        """The area query's keyword arguments."""
        return {
            "division": self.division.path if self.division else "",
            "search": self.search,
            "since": self.since,
            "until": self.until,
        }

    def querystring(self) -> str:
        params = {
            "division": self.division.code if self.division else "",
            "q": self.search,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return urlencode({k: v for k, v in params.items() if v})


def divisions() -> list[Division]:
    """The divisions one may filter by: those in use (not retired)."""
    return list(
        Division.objects.filter(valid_to__isnull=True).only("code", "name", "path").order_by("path")
    )


def _date(value: str, label: str, errors: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        errors.append(_("“%(f)s”不是有效日期(应为 年-月-日,如 2020-03-01),已忽略。") % {"f": label})
        return None
    if not 1900 <= day.year <= 2100:
        errors.append(_("“%(f)s”超出可查询的年份范围,已忽略。") % {"f": label})
        return None
    return day


def parse(params, choices: list[Division]) -> Filters:
    errors: list[str] = []
    code = (params.get("division") or "").strip()
    division = next((d for d in choices if d.code == code), None)
    if code and division is None:
        errors.append(_("“行政区划”没有代码为 %(c)s 的区划,已忽略。") % {"c": code[:12]})
    search = " ".join((params.get("q") or "").split())[:SEARCH_MAX]
    since = _date(params.get("since") or "", _("起始日期"), errors)
    until = _date(params.get("until") or "", _("截止日期"), errors)
    if since and until and since > until:
        errors.append(_("“起始日期”晚于“截止日期”,已忽略日期条件。"))
        since = until = None
    return Filters(division, search, since, until, errors)
