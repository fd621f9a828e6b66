"""Deadline rules of the four kinds, computed on the working-day calendar.

Every number is configuration (docs/procedures.md: every number is editable): a deployment
overrides a rule in settings, e.g.
    ECOGOV_MATTER_DEADLINES = {"rectification.petition": {"n": 15}}
Confidence tags as in docs/procedures.md §1: [S] statute read, [S2] secondary, [M] memory,
[U] local practice. The rules and their sources: docs/matters.md §1–§4.

Units: "working" (工作日), "calendar" (自然日), "months" (民法典 arts. 201–203: same-numbered day
of the final month, else its last day; a rest day rolls forward), and "statute_days" for a
statute that says only 日 (docs/procedures.md §2: compute the calendar-day date, show the
working-day date beside it, alert on the earlier one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.conf import settings

from ecogov.core.calendar import current_calendar
from ecogov.core.dates import add_months
from ecogov.core.workdays import DayType


@dataclass(frozen=True)
class Rule:
    key: str
    n: int
    unit: str  # working | calendar | months | statute_days
    basis: str  # where the number comes from
    start: str = "act"  # act: the step's date; due: the current due date (extensions); received


RULES = {
    r.key: r
    for r in [
        # docs/matters.md §1 inspection tours. Internal deadlines are set by the provincial office [U].
        Rule(
            "rectification.petition",
            30,
            "calendar",
            "督察交办信访件:省督察办设定的办理时限 [U]",
            start="received",
        ),
        Rule(
            "rectification.problem",
            6,
            "months",
            "整改方案明确的时限;未明确时按反馈后6个月 [M]",
            start="received",
        ),
        Rule(
            "rectification.listed",
            12,
            "months",
            "挂牌督办办理时限一般不超过1年 [S2]",
            start="received",
        ),
        Rule("rectification.rework", 30, "calendar", "验收不通过后的再整改时限 [U]"),
        # docs/matters.md §2 petitions: 信访工作条例 arts. 23, 34, 35 say only 日.
        Rule(
            "petition.accept",
            15,
            "statute_days",
            "信访工作条例第23条:15日内告知是否受理 [S]",
            start="received",
        ),
        Rule("petition.answer", 60, "statute_days", "信访工作条例第34条:受理之日起60日内办结 [S]"),
        Rule(
            "petition.extend",
            30,
            "statute_days",
            "信访工作条例第34条:延长不超过30日 [S]",
            start="due",
        ),
        Rule("petition.review", 30, "statute_days", "信访工作条例第35条:复查30日内答复 [S]"),
        # docs/matters.md §3 NPC suggestions and CPPCC proposals.
        Rule(
            "proposal.reply",
            3,
            "months",
            "代表法第51条:交办之日起3个月内答复 [S]",
            start="received",
        ),
        Rule("proposal.extend", 6, "months", "重大复杂事项6个月内答复 [S]", start="received"),
        Rule(
            "proposal.co_opinion",
            1,
            "months",
            "会办意见送主办单位:1个月 [S 山东] [M 全国]",
            start="received",
        ),
        Rule("proposal.rehandle", 1, "months", "不满意的重新办理:1个月内 [S 山东、浙江]"),
        Rule(
            "proposal.return",
            10,
            "calendar",
            "非本单位职责的,收到后10日内退回 [S 浙江;山东5日]",
            start="received",
        ),
        # campaign tasks: the plan gives each task its date; this is the fallback.
        Rule(
            "task.complete",
            3,
            "months",
            "攻坚任务:方案未明确时限时按下达后3个月 [U]",
            start="received",
        ),
    ]
}


def rule(key: str) -> Rule:
    base = RULES[key]
    override = getattr(settings, "ECOGOV_MATTER_DEADLINES", {}).get(key)
    return replace(base, **override) if override else base


@dataclass(frozen=True)
class Due:
    """A computed due date: `on` is the date alerted on; `other` the second reading of 日."""

    on: dt.date | None  # None only for a stored matter without a due date (services/bulk.py)
    day_type: str
    provisional: bool
    rule: str
    other: dt.date | None = None


def compute(key: str, start: dt.date, calendar=None) -> Due:
    """The due date of rule `key` counted from `start`.

    A year the calendar does not know is counted Monday–Friday and marked provisional, so the
    screens and reminders say so (docs/procedures.md §3) — never a silent guess.
    """
    r = rule(key)
    cal = calendar or current_calendar()  # a bulk caller fetches the calendar once
    cache_key = (r, start, cal)  # the calendar object changes when an override changes
    hit = _CACHE.get(cache_key)
    if hit is None:
        if len(_CACHE) > 100_000:
            _CACHE.clear()
        hit = _CACHE[cache_key] = _compute(r, key, start, cal)
    return hit


_CACHE: dict[tuple, Due] = {}


def _compute(r: Rule, key: str, start: dt.date, cal) -> Due:
    if r.unit == "statute_days":
        both = cal.statute_days_deadline(start, r.n, allow_provisional=True)
        alert, other = (
            both.alert_on,
            (both.working if both.alert_on is both.calendar else both.calendar),
        )
        return Due(
            alert.due, "statute_days", alert.provisional or other.provisional, key, other.due
        )
    if r.unit == "months":
        end = add_months(start, r.n)
        d = cal.deadline(end, 0, DayType.CALENDAR, allow_provisional=True)  # rest day rolls on
        return Due(d.due, "months", d.provisional, key)
    day_type = DayType.WORKING if r.unit == "working" else DayType.CALENDAR
    d = cal.deadline(start, r.n, day_type, allow_provisional=True)
    return Due(d.due, d.day_type.value, d.provisional, key)


def explicit(on: dt.date) -> Due:
    """A date given by the assigning body (a rectification plan, a campaign plan)."""
    return Due(on, "given", False, "given")
