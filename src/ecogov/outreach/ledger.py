"""The publicity ledger in Excel: monthly counts per channel, as the channels export them.

All or nothing: every row is checked (cells, then the service's rules), every problem is
reported by row and column, then the rows are written. A row is matched by division,
channel and month, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from ecogov.core import imports
from ecogov.core import services as core_services
from ecogov.core.imports import LedgerImport, Plan
from ecogov.core.models import Division
from ecogov.core.spreadsheet import (
    CellError,
    Column,
    parse_text,
    write_ledger,
)

from . import services
from .models import Channel

# what the channels' own exports and the bureau's staff call them
CHANNEL_ALIASES = {
    "微信": Channel.WECHAT,
    "微信公众号": Channel.WECHAT,
    "公众号": Channel.WECHAT,
    "微博": Channel.WEIBO,
    "新浪微博": Channel.WEIBO,
    "网站": Channel.WEBSITE,
    "门户网站": Channel.WEBSITE,
    "政府网站": Channel.WEBSITE,
    "其他": Channel.OTHER,
}


def parse_channel(value) -> str:
    text = parse_text(value)
    by_label = {str(label): code for code, label in Channel.choices}
    for table in ({c: c for c in Channel.values}, by_label, CHANNEL_ALIASES):
        if text in table:
            return table[text]
    raise CellError(f"“{text}”不是发布渠道,可选:{'、'.join(by_label)}(也可写微信、微博、网站)。")


def _integer(low: int, high: int | None, what: str):
    def parse(value):
        text = parse_text(value)
        if text == "":
            return None
        if not text.lstrip("-").isdigit():
            raise CellError(f"“{text}”不是整数。")
        number = int(text)
        if number < low or (high is not None and number > high):
            bound = f"{low}到{high}之间" if high is not None else f"不小于{low}"
            raise CellError(f"{what}应为{bound}的整数,“{text}”不符合。")
        return number

    return parse


COLUMNS = [
    Column(
        "发布渠道",
        "channel",
        parse=parse_channel,
        render=lambda v: str(Channel(v).label) if v else "",
        required=True,
        width=22,
    ),
    Column("年份", "year", parse=_integer(2000, 2100, "年份"), required=True, width=8),
    Column("月份", "month", parse=_integer(1, 12, "月份"), required=True, width=8),
    Column("发布条数", "count", parse=_integer(0, None, "发布条数"), required=True, width=10),
    Column("区划代码", "division_code", width=12),
]
HEADER = {c.field: c.header for c in COLUMNS}
FIELD_COLUMN = {
    **HEADER,
    "division": HEADER["division_code"],
    "month": HEADER["month"],
    "__all__": HEADER["channel"],
}


def template() -> bytes:
    """The empty import template (the headers only)."""
    return imports.template(COLUMNS, CountImport.title)


def export_counts(*, actor, queryset) -> bytes:
    rows = [
        {
            "channel": c.channel,
            "year": c.month.year,
            "month": c.month.month,
            "count": c.count,
            "division_code": c.division.code,
        }
        for c in queryset.visible_to(actor).select_related("division").order_by("month", "channel")
    ]
    core_services.record_export(actor=actor, what="宣传发布月度统计", count=len(rows))
    return write_ledger(COLUMNS, rows, "宣传发布月度统计")


class CountImport(LedgerImport):
    """Rows matched by division, channel and month; the service says what each row does."""

    columns = COLUMNS
    title = "宣传发布月度统计"
    field_column = FIELD_COLUMN
    other_column = "channel"

    def prepare(self, rows):
        self.divisions = {d.code: d for d in Division.objects.all()}
        self.own = getattr(getattr(self.actor, "staff", None), "division", None)
        self.seen: dict = {}

    def plan(self, number, row):
        if not {"channel", "year", "month", "count"} <= set(row) or None in (
            row["year"],
            row["month"],
            row["count"],
        ):
            return None  # its cells are already reported
        code = parse_text(row.get("division_code"))
        division = self.divisions.get(code) if code else self.own
        if division is None:
            message = f"行政区划代码“{code}”不存在。" if code else "请填写区划代码。"
            self.error(number, "division_code", message)
            return None
        month = dt.date(row["year"], row["month"], 1)
        key = (division.pk, row["channel"], month)
        if key in self.seen:
            self.error(number, "month", f"与第{self.seen[key]}行为同一区划、同一渠道的同一月份。")
            return None
        self.seen[key] = number
        _outcome, problems = services.publicity_count_check(
            actor=self.actor,
            division=division,
            channel=row["channel"],
            month=month,
            count=row["count"],
        )
        if problems:
            raise ValidationError(problems)
        data = {"division": division, "channel": row["channel"], "month": month}
        return Plan(number, {**data, "count": row["count"]})

    def write(self, plan):
        return services.publicity_count_import(
            actor=self.actor, **plan.data, source_name=self.source_name
        )


def import_counts(*, actor, source, source_name: str = "") -> dict[str, int]:
    return CountImport(actor=actor, source_name=source_name).run(source)
