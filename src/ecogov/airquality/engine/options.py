"""Named options for every rule the spec marks unconfirmed ([M]/[L]) or leaves open.

Defaults are the choices docs/airquality.md §依据 describes for each unconfirmed rule;
where it recommends nothing the default is the literal reading, noted per field.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

_CHOICES = {
    "method": ("bulletin", "strict"),
    "rounding": ("gbt8170", "half_up"),
    "above_top": ("cap500", "na"),
    "percentile_validity": ("annual_rule", "any"),
    "compare": ("rounded", "unrounded"),
    "missing_2012": ("available", "like_2026"),
    "realtime_pm_2012": ("1h", "24h"),
    "transition_year": ("2026", "2012"),
    "composite_weights": ("none", "claimed_2026"),
    "composite_limits": ("limit_set", "2012"),
}


@dataclass(frozen=True)
class Options:
    # Attainment of SO2/NO2/PM10/PM2.5: annual mean only (bulletins) or annual mean AND
    # daily percentile (HJ 663-2013 as reported) -- spec §3.2 [M]; default bulletin (issue 6).
    method: str = "bulletin"
    # GB/T 8170 = half to even on the decimal value, spec §2.2 [H] and §3.2 [M].
    rounding: str = "gbt8170"
    # HJ 633-2012 is silent on rounding concentrations before the IAQI (spec §2.2); published
    # data were integers [M], so we round under 2012 as 2026 §4.2.2 requires.
    round_conc_2012: bool = True
    # Above the top breakpoint (e.g. PM2.5 > 500): undefined; common practice IAQI = 500 (§2.2 [M]).
    above_top: str = "cap500"
    # GB 3095 Table 4 (§1.4 [H]): 24h mean needs >= 20 hours; an 8h mean >= 6 of 8 hours.
    daily_min_hours: int = 20
    window_min_hours: int = 6
    # MDA8 day valid with >= 14 valid windows (§3.1 [M/L]) ...
    mda8_min_windows: int = 14
    # ... and with fewer, the value still counts if it exceeds the 8h limit (§3.1 [L]).
    mda8_exceedance_counts: bool = True
    # O3 daily max 1h (2012 daily AQI): >= 20 valid hours (§3.1 [L], convention).
    o3_1h_max_min_hours: int = 20
    # Annual validity (324 days, >= 27 per month, >= 25 in Feb) also for the CO/O3
    # percentile series (§3.2 [L], our reference applies it). "any" = at least one value.
    percentile_validity: str = "annual_rule"
    # Round the final statistic then compare with the limit (§3.2 [L]).
    compare: str = "rounded"
    # HJ 633-2012 only marks missing items NA (§2.5): the AQI is taken from the others.
    # "like_2026" applies HJ 633-2026 §5.3.1 (AQI published only if > 100) to 2012 days too.
    missing_2012: str = "available"
    # Which PM value drives the 2012 real-time AQI is ambiguous (§2.3, §4 item 3): the 1h value
    # on the 24h table (as 2026 formula 1 does) by default, or the 24h moving mean.
    realtime_pm_2012: str = "1h"
    # Year 2026 with edition auto (§0 [L], no guidance): days follow their own date; the annual
    # limits are those in force when the year is assessed (GB 3095-2026 transition) by default.
    transition_year: str = "2026"
    # City value = mean of the counted stations each hour (§3.3 [L]); minimum valid stations.
    city_min_stations: int = 1
    # Composite index (§3.4): unweighted sum; "claimed_2026" = PM2.5 x3, NO2 x2, O3 x2 (§0 [L]).
    composite_weights: str = "none"
    # Denominators: the Grade II limits of the limit set in use, or always GB 3095-2012's.
    composite_limits: str = "limit_set"

    def __post_init__(self) -> None:
        for name, choices in _CHOICES.items():
            if getattr(self, name) not in choices:
                raise ValueError(
                    f"选项 {name} 的取值 {getattr(self, name)!r} 无效，可选：{', '.join(choices)}"
                )
        for name in (
            "daily_min_hours",
            "window_min_hours",
            "mda8_min_windows",
            "o3_1h_max_min_hours",
            "city_min_stations",
        ):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"选项 {name} 必须为正整数")

    def as_dict(self) -> dict:
        return asdict(self)
