"""A division's annual targets against its year-to-date values (docs/airquality.md, "Annual
targets"): the good-day ratio (at least), the PM2.5 mean (at most) and the days of heavy
pollution or worse (AQI above 200, spec §2.4; at most), each with its gap.

The values come from the engine: a past year from the cached annual evaluation; the current
year from the year's data up to today. The PM2.5 value is the annual mean where HJ 663's
completeness rules allow one (spec §1.4), else the mean of the valid daily means so far,
labelled 年初至今.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.utils import timezone

from .engine import Options
from .engine.averages import daily_means
from .engine.editions import DECIMALS, POLLUTANTS
from .engine.rounding import round_gbt8170
from .evaluation import city_evaluation, compute, load_cube
from .models import AirTarget

PM25 = "PM2.5"
HEAVY_AQI = 200  # 重度污染 starts above 200 (HJ 633, spec §2.4)


@dataclass(frozen=True)
class TargetLine:
    key: str  # good_days_ratio, pm25_mean, heavy_days
    label: str
    unit: str
    at_most: bool  # the target is a ceiling (PM2.5, heavy days) or a floor (good-day ratio)
    target: Decimal | int
    actual: Decimal | int | None
    basis: str  # how the actual value was obtained

    @property
    def gap(self) -> Decimal | int | None:
        """actual − target (signed; None without an actual value)."""
        return None if self.actual is None else self.actual - self.target

    @property
    def met(self) -> bool | None:
        if self.actual is None:
            return None
        return self.actual <= self.target if self.at_most else self.actual >= self.target

    @property
    def text(self) -> str:
        if self.actual is None:
            return "暂无有效数据"
        gap = abs(self.gap)
        unit = "个百分点" if self.unit == "%" else self.unit
        if gap == 0:
            return "恰好达到目标"
        better = (self.gap < 0) if self.at_most else (self.gap > 0)
        if self.at_most:
            word = "低于目标" if better else "超出目标"
        else:
            word = "高于目标" if better else "低于目标"
        return f"{word} {gap} {unit}"


@dataclass(frozen=True)
class TargetProgress:
    target: AirTarget
    until: dt.date | None  # None: the whole year
    lines: list[TargetLine]

    @property
    def period_text(self) -> str:
        if self.until is None:
            return f"{self.target.year}年全年"
        return f"{self.target.year}年1月1日至{self.until.month}月{self.until.day}日"


def _dec(value, places: int) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal(1).scaleb(-places))


def ytd_daily_mean(division, year: int, until: dt.date | None, pollutant: str = PM25):
    """The mean of the division's valid daily means of the year (up to `until`), rounded as
    the annual mean is (GB/T 8170); None without a valid day."""
    cube, codes, counted, _listed = load_cube(division, year, until)
    if not codes or not counted.any():
        return None
    opts = Options()
    with warnings.catch_warnings():  # an hour without any counted station: NaN, as meant
        warnings.simplefilter("ignore", RuntimeWarning)
        hourly = np.nanmean(cube[counted], axis=0)
    series, _n = daily_means(hourly[None], opts.daily_min_hours)
    x = series[0, POLLUTANTS.index(pollutant)]
    x = x[~np.isnan(x)]
    if not x.size:
        return None
    return float(round_gbt8170(x.mean(), DECIMALS[pollutant], opts.rounding))


def target_progress(
    division, year: int, *, today: dt.date | None = None, target: AirTarget | None = None
) -> TargetProgress | None:
    """The division's targets of the year with the values so far; None without a target."""
    target = target or AirTarget.objects.filter(division=division, year=year).first()
    if target is None:
        return None
    today = today or timezone.localdate()
    until = None
    if year < today.year:
        doc = city_evaluation(division, year)
    elif year == today.year:
        until = today
        doc = compute(division, year, until=today)
    else:
        doc = None  # a year not begun: targets only
    c = doc["city"] if doc else None
    lines = []
    if target.good_days_ratio is not None:
        ratio = c["good_days_ratio_pct"] if c else None
        lines.append(
            TargetLine(
                "good_days_ratio",
                "优良天数比例",
                "%",
                False,
                target.good_days_ratio,
                _dec(ratio, 1),
                f"{c['good_days']}/{c['valid_aqi_days']} 天" if c else "",
            )
        )
    if target.pm25_mean is not None:
        mean, basis = None, ""
        if c:
            mean = c["pollutants"][PM25].get("annual_mean")
            basis = "年均浓度"
            if mean is None:
                mean = ytd_daily_mean(division, year, until)
                basis = "年初至今日均值的平均"
        lines.append(
            TargetLine(
                "pm25_mean",
                "PM₂.₅平均浓度",
                "µg/m³",
                True,
                target.pm25_mean,
                _dec(mean, 1),
                basis,
            )
        )
    if target.heavy_days is not None:
        heavy = (
            sum(1 for d in c["days"] if d["aqi"] is not None and d["aqi"] > HEAVY_AQI)
            if c
            else None
        )
        lines.append(
            TargetLine(
                "heavy_days",
                "重污染天数",
                "天",
                True,
                target.heavy_days,
                heavy,
                "AQI 大于 200 的天数" if c else "",
            )
        )
    return TargetProgress(target, until, lines)
