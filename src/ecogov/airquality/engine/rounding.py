"""Decimal-safe rounding on float arrays.

GB/T 8170 (cited by HJ 633-2026 §4.2.2 and HJ 663, spec §2.2/§3.2) rounds half to even on the
DECIMAL value: 0.25 -> 0.2, 0.35 -> 0.4, 2.5 -> 2, 3.5 -> 4. Floats cannot hold most decimal
halves exactly (0.15 is 0.1499999...), so a value within a tiny relative tolerance of a half is
treated as that half. Inputs carry at most a few decimals and means of <= 8784 of them, so true
distances from a half are >= 1e-5 and the 1e-9 tolerance cannot misclassify them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

_TOL = 1e-9
MODES = ("gbt8170", "half_up")


def round_gbt8170(x: ArrayLike, ndigits: int = 0, mode: str = "gbt8170") -> np.ndarray:
    """Round ``x`` to ``ndigits`` decimals; ``mode="half_up"`` rounds halves away from zero.

    NaN stays NaN. Returns float64 (an array, or a 0-d array for scalar input).
    """
    if mode not in MODES:
        raise ValueError(f"未知的修约方式 {mode!r}，可选：{', '.join(MODES)}")
    a = np.asarray(x, dtype=np.float64)
    scale = 10.0**ndigits
    s = np.abs(a) * scale
    fl = np.floor(s)
    tie = np.abs(s - fl - 0.5) <= _TOL * np.maximum(1.0, s)
    if mode == "gbt8170":
        up = tie & (np.fmod(fl, 2.0) == 1.0)  # 5 after an odd digit goes up, after even stays
    else:
        up = tie
    r = np.where(tie, fl + up, np.floor(s + 0.5))
    return np.copysign(r, a) / scale


def ceil_index(num: np.ndarray) -> np.ndarray:
    """Ceil an IAQI computed in floats ("全部进位取整数", spec §2.2) without float noise.

    With concentrations rounded to the reporting precision, an exact IAQI is p/q with
    q = breakpoint span (<= 1140 units), so a true fractional part is >= 1/1140; anything
    within 1e-9 of an integer is float noise (e.g. 100.00000000000001 must stay 100).
    """
    return np.ceil(num - 1e-9)
