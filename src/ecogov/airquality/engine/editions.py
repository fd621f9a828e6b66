"""Editions, limit sets and IAQI breakpoint tables (spec §0, §1.1, §2.1).

Edition "2012" = GB 3095-2012 / HJ 633-2012 / HJ 663-2013, in force up to 2026-02-28.
Edition "2026" = GB 3095-2026 / HJ 633-2026, in force from 2026-03-01, with transition limits
to 2030-12-31 and final limits from 2031-01-01 (GB 3095-2026 §4.4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

POLLUTANTS = ("SO2", "NO2", "CO", "O3", "PM10", "PM2.5")
SO2, NO2, CO, O3, PM10, PM25 = range(6)
UNITS = {p: ("mg/m3" if p == "CO" else "µg/m3") for p in POLLUTANTS}
# Reporting precision: integers in µg/m³, CO one decimal in mg/m³ (HJ 633-2026 §4.2.2, spec §2.2).
DECIMALS = {p: (1 if p == "CO" else 0) for p in POLLUTANTS}

EDITIONS = ("2012", "2026")
EDITION_CHOICES = ("auto", "2012", "2026")
SWITCH_DATE = dt.date(2026, 3, 1)  # spec §0 [H]
FINAL_DATE = dt.date(2031, 1, 1)  # GB 3095-2026 §4.4, spec §0 [H]
_SWITCH64 = np.datetime64("2026-03-01")

IAQI_STEPS = np.array([0, 50, 100, 150, 200, 300, 400, 500], dtype=np.float64)
_ = np.nan
# spec §2.1 [H]: HJ 633-2012 Table 1 and HJ 633-2026 Table 3. NaN = no breakpoint defined.
_COMMON = {
    "SO2_24h": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "SO2_1h": (0, 150, 500, 650, 800, _, _, _),
    "NO2_24h": (0, 40, 80, 180, 280, 565, 750, 940),
    "NO2_1h": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "CO_24h": (0, 2, 4, 14, 24, 36, 48, 60),
    "CO_1h": (0, 5, 10, 35, 60, 90, 120, 150),
    "O3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "O3_8h": (0, 100, 160, 215, 265, 800, _, _),
}
BREAKPOINTS = {
    "2012": {
        **_COMMON,
        "PM10_24h": (0, 50, 150, 250, 350, 420, 500, 600),
        "PM2.5_24h": (0, 35, 75, 115, 150, 250, 350, 500),
    },
    "2026": {
        **_COMMON,
        "PM10_24h": (0, 50, 120, 250, 350, 420, 500, 600),
        "PM2.5_24h": (0, 35, 60, 115, 150, 250, 350, 500),
    },
}
# Indicator -> pollutant whose precision applies when rounding its concentration.
INDICATOR_POLLUTANT = {k: k.split("_")[0] for k in _COMMON} | {
    "PM10_24h": "PM10",
    "PM2.5_24h": "PM2.5",
}


@dataclass(frozen=True)
class LimitSet:
    """Concentration limits of one grade (spec §1.1, GB 3095 Table 1). None = not defined."""

    id: str
    edition: str
    grade: int
    annual: dict
    daily: dict  # 24h mean; for O3 the daily maximum 8h mean
    hourly: dict


def _ls(
    id_: str,
    edition: str,
    grade: int,
    so2: tuple,
    no2: tuple,
    pm10: tuple,
    pm25: tuple,
    o3_8h: float,
    o3_1h: float,
) -> LimitSet:
    # Each pollutant tuple: (annual, 24h, 1h); CO is 4 / 10 mg/m³ everywhere.
    annual = {
        "SO2": so2[0],
        "NO2": no2[0],
        "CO": None,
        "O3": None,
        "PM10": pm10[0],
        "PM2.5": pm25[0],
    }
    daily = {
        "SO2": so2[1],
        "NO2": no2[1],
        "CO": 4.0,
        "O3": o3_8h,
        "PM10": pm10[1],
        "PM2.5": pm25[1],
    }
    hourly = {"SO2": so2[2], "NO2": no2[2], "CO": 10.0, "O3": o3_1h, "PM10": None, "PM2.5": None}
    return LimitSet(id_, edition, grade, annual, daily, hourly)


LIMIT_SETS = {
    ("GB3095-2012", 2): _ls(
        "GB3095-2012", "2012", 2, (60, 150, 500), (40, 80, 200), (70, 150), (35, 75), 160, 200
    ),
    ("GB3095-2012", 1): _ls(
        "GB3095-2012", "2012", 1, (20, 50, 150), (40, 80, 200), (40, 50), (15, 35), 100, 160
    ),
    ("GB3095-2026-transition", 2): _ls(
        "GB3095-2026-transition",
        "2026",
        2,
        (60, 150, 500),
        (40, 80, 200),
        (60, 120),
        (30, 60),
        160,
        200,
    ),
    ("GB3095-2026-transition", 1): _ls(
        "GB3095-2026-transition",
        "2026",
        1,
        (20, 50, 150),
        (40, 80, 200),
        (40, 50),
        (15, 35),
        100,
        160,
    ),
    ("GB3095-2026-final", 2): _ls(
        "GB3095-2026-final", "2026", 2, (20, 50, 150), (30, 50, 200), (50, 100), (25, 50), 160, 200
    ),
    ("GB3095-2026-final", 1): _ls(
        "GB3095-2026-final", "2026", 1, (20, 50, 150), (30, 50, 200), (20, 50), (10, 25), 100, 160
    ),
}


def check_edition_choice(choice: str) -> str:
    if choice not in EDITION_CHOICES:
        raise ValueError(f"版本 edition 取值 {choice!r} 无效，可选：auto、2012、2026")
    return choice


def edition_on(day: dt.date, choice: str = "auto") -> str:
    """Edition that governs data of ``day``: the one in force then, unless chosen explicitly."""
    if check_edition_choice(choice) != "auto":
        return choice
    return "2026" if day >= SWITCH_DATE else "2012"


def is_2026(times: np.ndarray, choice: str = "auto") -> np.ndarray:
    """Vectorised edition test for datetime64 days or hours (hour starts): True = 2026 rules."""
    t = np.asarray(times)
    if check_edition_choice(choice) != "auto":
        return np.full(t.shape, choice == "2026")
    return t.astype("datetime64[h]") >= _SWITCH64.astype("datetime64[h]")


def limit_set(edition: str, year: int, grade: int = 2) -> LimitSet:
    """Limit set of ``edition`` applying to data of ``year`` (2026: transition until 2030)."""
    if edition not in EDITIONS:
        raise ValueError(f"版本 edition 取值 {edition!r} 无效，可选：2012、2026")
    if grade not in (1, 2):
        raise ValueError(f"级别 grade 取值 {grade!r} 无效，可选：1、2")
    if edition == "2012":
        return LIMIT_SETS[("GB3095-2012", grade)]
    phase = "final" if year >= FINAL_DATE.year else "transition"
    return LIMIT_SETS[(f"GB3095-2026-{phase}", grade)]


def annual_edition(year: int, choice: str, transition_year: str = "2026") -> str:
    """Edition whose limits judge a whole year. Only 2026 itself straddles the switch (§0 [L])."""
    if check_edition_choice(choice) != "auto":
        return choice
    if year == SWITCH_DATE.year:
        return transition_year
    return "2026" if year > SWITCH_DATE.year else "2012"


def day_editions(year: int, choice: str) -> list[dict]:
    """Date ranges of the year and the AQI edition applied to each (for reporting)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if choice != "auto" or not (first < SWITCH_DATE <= last):
        return [
            {
                "from": first.isoformat(),
                "to": last.isoformat(),
                "edition": edition_on(first, choice),
            }
        ]
    return [
        {
            "from": first.isoformat(),
            "to": (SWITCH_DATE - dt.timedelta(days=1)).isoformat(),
            "edition": "2012",
        },
        {"from": SWITCH_DATE.isoformat(), "to": last.isoformat(), "edition": "2026"},
    ]
