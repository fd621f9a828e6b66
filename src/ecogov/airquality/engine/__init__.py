"""Pure air-quality numerics: HJ 633 AQI and HJ 663 annual assessment, editions 2012 and 2026.

No Django here. Facts come from docs/airquality.md §依据 (cited as "spec §x.y", its sections).
Arrays are numpy; missing values are NaN. Hours are identified by their START in local time
(Asia/Shanghai); days are natural days of 24 such hours.
"""

from .annual import AnnualResult, evaluate, result_to_dict
from .aqi import CATEGORIES, daily_aqi, hourly_aqi, iaqi
from .editions import POLLUTANTS, edition_on, limit_set
from .options import Options
from .rounding import round_gbt8170

__all__ = [
    "AnnualResult",
    "CATEGORIES",
    "Options",
    "POLLUTANTS",
    "daily_aqi",
    "edition_on",
    "evaluate",
    "hourly_aqi",
    "iaqi",
    "limit_set",
    "result_to_dict",
    "round_gbt8170",
]
