"""The arithmetic of execution and coercive measures (ecogov.enforcement.coercion), on its own."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ecogov.enforcement import coercion

D = dt.date
FINE = Decimal("50000")


def test_surcharge_is_three_percent_of_the_fine_a_day_from_the_day_after_the_due_date():
    late = coercion.surcharge(FINE, D(2025, 5, 6), D(2025, 5, 16))
    assert late.days == 10 and late.amount == Decimal("15000.00") and not late.capped
    assert "罚款50,000.00元 × 3% × 10日" in late.derivation and "2025-05-07" in late.derivation
    assert coercion.surcharge(FINE, D(2025, 5, 6), D(2025, 5, 6)).amount == 0


def test_surcharge_caps_at_the_fine():
    late = coercion.surcharge(FINE, D(2025, 5, 6), D(2025, 6, 15))  # 40 days: 60,000 uncapped
    assert late.uncapped == Decimal("60000.00") and late.amount == FINE and late.capped
    assert "以罚款数额50,000.00元为限" in late.derivation


def test_surcharge_stops_on_the_day_paid_in_full_and_skips_paused_days():
    late = coercion.surcharge(FINE, D(2025, 5, 6), D(2025, 9, 1), paid_in_full_on=D(2025, 5, 8))
    assert late.days == 2 and late.amount == Decimal("3000.00")
    contested = [(D(2025, 5, 7), D(2025, 5, 10))]  # four days under reconsideration
    paused = coercion.surcharge(FINE, D(2025, 5, 6), D(2025, 5, 16), contested=contested)
    assert paused.days == 6 and "扣除复议、诉讼期间4日" in paused.derivation


def test_paused_days_count_each_contested_day_once_after_the_due_date():
    due, until = D(2025, 5, 6), D(2025, 5, 31)
    assert coercion.paused_days([], due, until) == 0
    assert coercion.paused_days([(D(2025, 5, 1), D(2025, 5, 10))], due, until) == 4  # 7–10
    # a reconsideration then a lawsuit overlapping it; the lawsuit still pending at `until`
    both = [(D(2025, 5, 10), D(2025, 5, 20)), (D(2025, 5, 18), None)]
    assert coercion.paused_days(both, due, until) == 22  # 10–31
    assert coercion.paused_days([(D(2025, 6, 1), None)], due, until) == 0  # after the day asked
    assert coercion.paused_days(both, None, until) == 0  # nothing due


@given(
    fine=st.decimals(min_value=1, max_value=10**7, places=2),
    days=st.integers(min_value=0, max_value=400),
)
# a half cent: money is rounded half up (四舍五入), not to even (found by hypothesis in CI)
@example(fine=Decimal("1270126.05"), days=30)
def test_surcharge_never_exceeds_the_fine(fine, days):
    due = D(2025, 1, 1)
    late = coercion.surcharge(fine, due, due + dt.timedelta(days=days))
    assert 0 <= late.amount <= fine
    exact = (fine * Decimal("0.03") * days).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert late.amount == min(fine, exact)


def test_the_first_missed_instalment():
    schedule = [(D(2025, 5, 30), Decimal(20000)), (D(2025, 6, 30), Decimal(30000))]
    assert coercion.first_missed_due(schedule, [], D(2025, 5, 30)) is None  # not yet late
    assert coercion.first_missed_due(schedule, [], D(2025, 5, 31)) == D(2025, 5, 30)
    paid = [(D(2025, 5, 28), Decimal(20000))]
    assert coercion.first_missed_due(schedule, paid, D(2025, 6, 20)) is None
    assert coercion.first_missed_due(schedule, paid, D(2025, 7, 2)) == D(2025, 6, 30)
    late_first = [(D(2025, 6, 2), Decimal(20000))]  # paid after its date: still missed
    assert coercion.first_missed_due(schedule, late_first, D(2025, 6, 3)) == D(2025, 5, 30)


def test_the_court_window_opens_on_the_later_of_its_two_conditions():
    early = coercion.court_window(
        demand_served_on=D(2025, 6, 2),
        after_demand=D(2025, 6, 16),
        remedies_end=D(2025, 10, 16),
        closes=D(2026, 1, 16),
    )
    assert early.opens == D(2025, 10, 17) and early.closes == D(2026, 1, 16)
    assert not early.contains(D(2025, 10, 16)) and early.contains(D(2026, 1, 16))
    late = coercion.court_window(
        demand_served_on=D(2025, 10, 15),
        after_demand=D(2025, 10, 29),
        remedies_end=D(2025, 10, 16),
        closes=D(2026, 1, 16),
    )
    assert late.opens == D(2025, 10, 29)
    assert "可申请期间:2025-10-29至2026-01-16" in late.derivation


def test_daily_penalty_days_and_amount():
    result = coercion.daily_penalty(
        order_served_on=D(2025, 5, 6), reinspected_on=D(2025, 5, 25), original_fine=FINE
    )
    assert result.days == 19 and result.amount == Decimal("950000.00")
    assert "2025-05-07" in result.derivation and "19日 × 原处罚数额50,000.00元" in result.derivation
    with pytest.raises(ValueError):
        coercion.daily_penalty(
            order_served_on=D(2025, 5, 6), reinspected_on=D(2025, 5, 6), original_fine=FINE
        )


def test_seizure_limits():
    assert coercion.seizure_problem(days=30, max_days=30) == ""
    assert "不得超过30日" in coercion.seizure_problem(days=31, max_days=30)
    assert coercion.extension_problem(already_extended=False, days=30, max_days=30) == ""
    assert "不得超过30日" in coercion.extension_problem(
        already_extended=False, days=31, max_days=30
    )
    assert "只能延长一次" in coercion.extension_problem(already_extended=True, days=5, max_days=30)
