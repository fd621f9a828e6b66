"""The arithmetic of execution and coercive measures, with no Django (docs/enforcement.md §9).

Each function returns the figure and how it was reached (`derivation`, in Chinese), so a
screen shows the amount next to its working. Dates count as docs/procedures.md §2 says: a
period starts the day after its trigger; the calendar's rolling over rest days is the
caller's (these functions take the due dates already computed on the working-day calendar).

| rule | source |
|---|---|
| 加处罚款: 3 % of the fine a day from the day after the due date, never more than the fine | 行政处罚法第七十二条第一款第一项; 行政强制法第四十五条 |
| the surcharge does not run while a reconsideration or lawsuit is pending | 行政处罚法第七十三条 |
| 按日连续处罚: days from the day after the correction order was served to the day the re-inspection finds the violation continuing, × the original fine | 环境保护法第五十九条; 环保部令28号第十七、十九条 |
| seizure: at most 30 days, once extended by at most 30, testing time not counted | 行政强制法第二十五条; 环保部令29号第十五条 |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
SURCHARGE_RATE = Decimal("0.03")  # 每日按罚款数额的百分之三


def yuan(value: Decimal) -> str:
    return f"{Decimal(value).quantize(CENT):,.2f}元"


@dataclass(frozen=True)
class Surcharge:
    """The late-payment surcharge (加处罚款) on a day."""

    fine: Decimal
    due: dt.date | None  # the last day to pay (the plan's missed instalment, if any)
    until: dt.date  # the day counted to (paid in full, or the day asked about)
    days: int
    paused_days: int
    uncapped: Decimal
    amount: Decimal

    @property
    def capped(self) -> bool:
        return self.uncapped > self.amount

    @property
    def derivation(self) -> str:
        if not self.days:
            return "未逾期,不加处罚款。"
        text = (
            f"罚款{yuan(self.fine)} × 3% × {self.days}日"
            f"(自{(self.due + dt.timedelta(days=1)).isoformat()}起至{self.until.isoformat()}"
        )
        if self.paused_days:
            text += f",扣除复议、诉讼期间{self.paused_days}日"
        text += f")= {yuan(self.uncapped)}"
        if self.capped:
            text += f",超过罚款数额,以罚款数额{yuan(self.amount)}为限"
        return text + "。"


def first_missed_due(
    schedule: Sequence[tuple[dt.date, Decimal]],
    payments: Iterable[tuple[dt.date, Decimal]],
    on: dt.date,
) -> dt.date | None:
    """The first due date by which the money due (cumulatively) was not paid, as seen on `on`.

    `schedule` is [(due date, amount)], one row for a plain due date or a deferral, several for
    instalments; None when every date up to `on` was met."""
    paid = sorted(payments)
    due_total = Decimal(0)
    for due, amount in sorted(schedule):
        if due >= on:
            return None
        due_total += Decimal(amount)
        paid_by = sum((Decimal(a) for d, a in paid if d <= due), Decimal(0))
        if paid_by < due_total:
            return due
    return None


def paused_days(
    periods: Iterable[tuple[dt.date, dt.date | None]], due: dt.date | None, until: dt.date
) -> int:
    """Days after `due` up to `until` covered by any (start, end) period (end None: still
    running), each day once however many periods cover it (a reconsideration then a lawsuit)."""
    if due is None:
        return 0
    covered: set[dt.date] = set()
    for start, end in periods:
        first = max(start, due + dt.timedelta(days=1))
        last = min(end or until, until)
        covered.update(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    return len(covered)


def surcharge(
    fine: Decimal | None,
    due: dt.date | None,
    on: dt.date,
    *,
    paid_in_full_on: dt.date | None = None,
    contested: Iterable[tuple[dt.date, dt.date | None]] = (),
) -> Surcharge:
    """加处罚款 on `on`: from the day after `due` to `on` (or the day the fine was paid in
    full, if earlier), less the days under reconsideration or lawsuit (`contested` periods,
    end None while pending), at 3 % of the fine a day, at most the fine."""
    fine = Decimal(fine or 0)
    until = min(on, paid_in_full_on) if paid_in_full_on else on
    if due is None or fine <= 0 or until <= due:
        return Surcharge(fine, due, until, 0, 0, Decimal(0), Decimal(0))
    paused = paused_days(contested, due, until)
    days = (until - due).days - paused
    uncapped = (fine * SURCHARGE_RATE * days).quantize(CENT, ROUND_HALF_UP)
    return Surcharge(fine, due, until, days, paused, uncapped, min(fine, uncapped))


@dataclass(frozen=True)
class CourtWindow:
    """When the bureau may ask the court to enforce (行政强制法第五十三、五十四条)."""

    demand_served_on: dt.date
    earliest_after_demand: dt.date  # 10 working days after the demand was served
    remedies_end: dt.date  # reconsideration and lawsuit periods (or the deferral) run out
    opens: dt.date
    closes: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.opens <= day <= self.closes

    @property
    def derivation(self) -> str:
        return (
            f"催告书{self.demand_served_on.isoformat()}送达,十个工作日后({self.earliest_after_demand.isoformat()})"
            f"方可申请;复议、诉讼期限(或延期、分期缴纳期限)于{self.remedies_end.isoformat()}届满,"
            f"届满之日起三个月内({self.closes.isoformat()}前)申请。"
            f"可申请期间:{self.opens.isoformat()}至{self.closes.isoformat()}。"
        )


def court_window(
    *, demand_served_on: dt.date, after_demand: dt.date, remedies_end: dt.date, closes: dt.date
) -> CourtWindow:
    """The window from its computed dates: it opens on the later of the day 10 working days
    after the demand and the day after the remedies ran out; it closes 3 months after that."""
    opens = max(after_demand, remedies_end + dt.timedelta(days=1))
    return CourtWindow(demand_served_on, after_demand, remedies_end, opens, closes)


@dataclass(frozen=True)
class DailyPenalty:
    """按日连续处罚: the days counted and the amount."""

    order_served_on: dt.date
    reinspected_on: dt.date
    daily_amount: Decimal
    days: int
    amount: Decimal

    @property
    def derivation(self) -> str:
        first = self.order_served_on + dt.timedelta(days=1)
        return (
            f"自责令改正违法行为决定书送达之日的次日({first.isoformat()})起,"
            f"至复查发现违法排污行为仍在继续之日({self.reinspected_on.isoformat()})止,"
            f"共{self.days}日;{self.days}日 × 原处罚数额{yuan(self.daily_amount)}"
            f" = {yuan(self.amount)}。"
        )


def daily_penalty(
    *, order_served_on: dt.date, reinspected_on: dt.date, original_fine: Decimal
) -> DailyPenalty:
    if reinspected_on <= order_served_on:
        raise ValueError("复查日期须晚于责令改正决定书送达日期")
    days = (reinspected_on - order_served_on).days
    fine = Decimal(original_fine)
    return DailyPenalty(order_served_on, reinspected_on, fine, days, (fine * days).quantize(CENT))


@dataclass(frozen=True)
class SeizureTerm:
    """A seizure's term: the base period, its one extension and the testing days added."""

    started_on: dt.date
    days: int
    extension_days: int
    testing_days: int

    @property
    def counted_days(self) -> int:
        return self.days + self.extension_days + self.testing_days

    @property
    def derivation(self) -> str:
        text = f"自{self.started_on.isoformat()}起{self.days}日"
        if self.extension_days:
            text += f",延长{self.extension_days}日"
        if self.testing_days:
            text += f",检测、检验、检疫或技术鉴定{self.testing_days}日不计入"
        return text + "。"


def seizure_problem(*, days: int, max_days: int) -> str:
    """Why a seizure's period is refused ("" when it is within the law)."""
    if days < 1:
        return "查封、扣押期限须至少1日。"
    if days > max_days:
        return f"查封、扣押期限不得超过{max_days}日(行政强制法第二十五条)。"
    return ""


def extension_problem(*, already_extended: bool, days: int, max_days: int) -> str:
    if already_extended:
        return "查封、扣押期限只能延长一次(行政强制法第二十五条)。"
    if days < 1:
        return "延长期限须至少1日。"
    if days > max_days:
        return f"延长期限不得超过{max_days}日(行政强制法第二十五条)。"
    return ""
