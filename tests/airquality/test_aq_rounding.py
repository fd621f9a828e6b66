"""GB/T 8170 rounding on decimal values (spec §2.2, §3.2) and the noise-free IAQI ceiling."""

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.airquality.engine.rounding import ceil_index, round_gbt8170


@pytest.mark.parametrize(
    "x, nd, want",
    [
        (2.5, 0, 2),
        (3.5, 0, 4),
        (0.5, 0, 0),
        (1.5, 0, 2),
        (34.5, 0, 34),
        (35.5, 0, 36),
        (2.51, 0, 3),
        (2.49, 0, 2),
        (0.15, 1, 0.2),
        (0.25, 1, 0.2),
        (0.35, 1, 0.4),
        (0.45, 1, 0.4),
        (1.05, 1, 1.0),
        (3.05, 2, 3.05),
        (3.065, 2, 3.06),
        (3.075, 2, 3.08),
        (76.45, 1, 76.4),
    ],
)
def test_gbt8170_half_to_even_on_the_decimal_value(x, nd, want):
    assert float(round_gbt8170(x, nd)) == want


def test_half_up_option():
    assert round_gbt8170([2.5, 0.25, 34.5], 0, "half_up").tolist() == [3, 0, 35]
    assert float(round_gbt8170(0.25, 1, "half_up")) == 0.3


def test_nan_passes_through_and_bad_mode_is_refused():
    assert np.isnan(round_gbt8170(np.nan))
    with pytest.raises(ValueError, match="修约"):
        round_gbt8170(1.0, 0, "bankers")


def test_means_that_are_exact_halves_in_decimal():
    # 24 hourly values summing to 852 -> mean 35.5 exactly; decimals summing to x.x5 too.
    assert float(round_gbt8170(np.mean([35.5] * 12 + [35.5] * 12))) == 36
    assert float(round_gbt8170(sum([0.1] * 5) / 2, 1)) == 0.2  # 0.25 (0.1 noisy sums)


@given(
    st.decimals(min_value=0, max_value=10000, places=3, allow_nan=False), st.sampled_from([0, 1, 2])
)
def test_matches_decimal_rounding(d, nd):
    q = Decimal(1).scaleb(-nd)
    x = float(d)
    assert float(round_gbt8170(x, nd)) == float(d.quantize(q, rounding=ROUND_HALF_EVEN))
    assert float(round_gbt8170(x, nd, "half_up")) == float(d.quantize(q, rounding=ROUND_HALF_UP))


def test_ceil_index_ignores_float_noise_only():
    assert ceil_index(
        np.array([100.00000000000001, 99.99999999999999, 55.0008, 55.0])
    ).tolist() == [100, 100, 56, 55]
