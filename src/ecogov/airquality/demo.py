"""示例市's air monitoring: five city stations and two of 北山县 with synthetic hourly data for
2019 and 2020, the 2020 targets of the city and of 北山县, and the 2020 patrol ledger of the
attainment drive.

The series are synthetic but shaped like real ones. Particles and CO are higher in winter,
O3 is higher in summer afternoons, NO2 has rush-hour peaks, weather comes in multi-day
spells, values are rounded as published, and some hours are missing or flagged invalid. The
random seed is fixed, so every build is identical. The levels were chosen so that the
engine's evaluation of 2020 finds all six pollutants within Grade II, as the seed's summary
says (一(三)6). 2019 is dirtier (PM2.5 and O3 above Grade II), which gives the card a
contrast. The evaluation computes every verdict. None is typed in.

Rows go in through storage.upsert: about 87,000 station-hours take about a second.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from ecogov.core.models import Division

from .models import AirTarget, ImportBatch, Patrol, Station, StationKind
from .models.observations import CO_UNIT_SUSPECT, PM_ABOVE_PM10
from .storage import upsert

CITY_CODE = "990100"
YEARS = (2019, 2020)
# code, name, kind, counts for its division, lon, lat, level factor, division (None: the city)
STATIONS = [
    ("9901A", "市监测站", StationKind.NATIONAL, True, "109.972300", "27.552100", 1.00, None),
    ("9902A", "城东子站", StationKind.NATIONAL, True, "110.031800", "27.561400", 1.08, None),
    ("9903A", "城西子站", StationKind.NATIONAL, True, "109.918600", "27.538900", 0.95, None),
    ("9904A", "开发区子站", StationKind.NATIONAL, True, "110.064200", "27.503700", 1.05, None),
    (
        "9905B",
        "云岭清洁对照点",
        StationKind.PROVINCIAL,
        False,
        "110.285000",
        "27.912000",
        0.55,
        None,
    ),
    # 北山县's own stations (issue 17: a county is evaluated on its own stations)
    ("9906C", "北山县城站", StationKind.COUNTY, True, "109.801200", "27.702300", 1.12, "北山县"),
    ("9907C", "北山工业园站", StationKind.COUNTY, True, "109.823400", "27.689100", 1.22, "北山县"),
]
# Annual level of each pollutant (µg/m³, CO mg/m³) per year, before station factors.
LEVELS = {
    2019: {"SO2": 12, "NO2": 27, "CO": 0.85, "O3": 62, "PM10": 64, "PM2.5": 33},
    2020: {"SO2": 10, "NO2": 24, "CO": 0.75, "O3": 58, "PM10": 46, "PM2.5": 24},
}


def _series(year: int, factor: float, rng: np.random.Generator) -> np.ndarray:
    """(6, hours) hourly values in the engine's pollutant order, NaN = missing."""
    days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    hours = np.arange(24 * days)
    doy, hod = hours // 24, hours % 24
    winter = np.cos(2 * np.pi * (doy - 15) / days)  # 1 mid-January, -1 mid-July
    spell = np.zeros(days)  # multi-day weather (AR(1)),
    for d in range(1, days):  # stagnant spells in winter
        spell[d] = 0.7 * spell[d - 1] + rng.normal(0, 0.3 + 0.12 * winter[24 * d])
    weather = np.exp(spell) / np.exp(spell).mean()
    weather = weather[doy]
    noise = lambda s: np.exp(rng.normal(0, s, hours.size))  # noqa: E731
    lv = LEVELS[year]
    traffic = 1 + 0.25 * (np.exp(-((hod - 8) ** 2) / 4) + np.exp(-((hod - 19) ** 2) / 6))
    sun = np.clip(np.sin(np.pi * (hod - 6) / 14), 0, None)  # daylight, peak mid-afternoon
    pm25 = lv["PM2.5"] * factor * (1 + 0.45 * winter) * weather * traffic * noise(0.18)
    ratio = np.clip(rng.normal(0.58, 0.05, hours.size), 0.4, 0.8)
    out = np.empty((6, hours.size))
    out[0] = lv["SO2"] * factor * (1 + 0.3 * winter) * weather * noise(0.25)
    out[1] = lv["NO2"] * factor * (1 + 0.25 * winter) * traffic * noise(0.2)
    out[2] = lv["CO"] * factor * (1 + 0.4 * winter) * weather * noise(0.15)
    sunny = np.exp(rng.normal(0, 0.3, days))[doy]  # photochemistry day by day
    out[3] = lv["O3"] * (1 - 0.55 * winter) * (0.35 + 1.4 * sun) * sunny * noise(0.12)
    out[4] = pm25 / ratio
    out[5] = pm25
    out[[0, 1, 3, 4, 5]] = np.round(out[[0, 1, 3, 4, 5]])  # published: integers,
    out[2] = np.round(out[2], 1)  # CO to 0.1 mg/m³
    out[rng.random(out.shape) < 0.015] = np.nan  # missing hours
    gap = 24 * int(rng.integers(60, 300))  # a two-day maintenance gap
    out[:, gap : gap + 48] = np.nan
    return out


def build() -> None:
    city = Division.objects.filter(code=CITY_CODE).first()
    if city is None or Station.objects.filter(city=city).exists():
        return
    divisions = {d.name: d for d in Division.objects.filter(path__startswith=city.path)}
    stations = Station.objects.bulk_create(
        [
            Station(
                code=code,
                name=name,
                kind=kind,
                city=divisions[place] if place else city,
                counts_for_city=counted,
                longitude=Decimal(lon),
                latitude=Decimal(lat),
            )
            for code, name, kind, counted, lon, lat, _f, place in STATIONS
        ]
    )
    batch = ImportBatch.objects.create(
        source=ImportBatch.Source.DEMO,
        layout=ImportBatch.Layout.GENERATED,
        file_name="示例市演示数据(程序生成,2019—2020年)",
    )
    columns, flagged = [], 0
    for i, (station, spec) in enumerate(zip(stations, STATIONS, strict=True)):
        for year in YEARS:
            rng = np.random.default_rng(year * 100 + i)
            data = _series(year, spec[6], rng)
            flags = np.full(data.shape, "", dtype=object)
            if i == 1:  # an afternoon of calibration at 城东子站: flagged, kept as received
                flags[:, 24 * 100 + 13 : 24 * 100 + 17] = "C"
                flagged += 24
            keep = ~np.isnan(data).all(axis=0)
            # naive UTC, as Django stores aware datetimes: no per-row zone conversion
            start = np.datetime64(f"{year}-01-01T00:00") - np.timedelta64(8, "h")
            hours = (start + np.arange(data.shape[1]).astype("timedelta64[h]"))[keep]
            columns.append(
                (station.pk, hours.astype(object).tolist(), data[:, keep], flags[:, keep])
            )
    _build_patrols(city)
    _build_targets(city, divisions)
    n = _insert(columns, batch)
    ImportBatch.objects.filter(pk=batch.pk).update(
        rows_read=n,
        values_added=int(sum((~np.isnan(d)).sum() for *_x, d, _f in columns)),
        values_flagged=flagged,
        years=list(YEARS),
        stations=[s.code for s in stations],
    )


# The 2020 targets the (fictional) province set for the city and for 北山县 (issue 17).
TARGETS = [
    (None, 2020, "90.0", "30.0", 2, "示例省2020年度环境空气质量改善目标(示例)"),
    ("北山县", 2020, "88.0", "32.0", 3, "示例市2020年度县(区)环境空气质量目标(示例)"),
]


def _build_targets(city, divisions) -> None:
    for place, year, ratio, pm25, heavy, source in TARGETS:
        AirTarget.objects.create(
            division=divisions[place] if place else city,
            year=year,
            good_days_ratio=Decimal(ratio),
            pm25_mean=Decimal(pm25),
            heavy_days=heavy,
            source_document=source,
        )


# Seed 一(三)6: in 2020 the drive sent out 958 person-times, patrolled 1201 sites and
# enterprises, and issued 79 problem letters. The totals are split over 36 patrols.
PATROL_TOTALS = (958, 1201, 79)
PATROL_PLACES = [
    ("示例市", "大气环境科"),
    ("城东区", "示例市生态环境局城东分局"),
    ("城西区", "示例市生态环境局城西分局"),
    ("示例经济开发区", "示例市生态环境局开发区分局"),
    ("北山县", "示例市生态环境局北山分局"),
]
PATROL_SUBJECTS = [
    "建筑工地扬尘",
    "道路扬尘",
    "混凝土搅拌站",
    "工业企业无组织排放",
    "餐饮油烟",
    "露天焚烧",
]


def _split(total: int, weights: np.ndarray) -> list[int]:
    """Integers proportional to weights that add up to total exactly (largest remainder)."""
    raw = total * weights / weights.sum()
    out = np.floor(raw).astype(int)
    out[np.argsort(out - raw)[: total - out.sum()]] += 1
    return out.tolist()


def _build_patrols(city) -> None:
    from simple_history.utils import bulk_create_with_history

    from ecogov.core.models import Organisation

    rng = np.random.default_rng(2020)
    n = 36
    people, sites, letters = (_split(t, rng.uniform(0.5, 1.5, n)) for t in PATROL_TOTALS)
    divisions = {d.name: d for d in Division.objects.filter(path__startswith=city.path)}
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in=[o for _d, o in PATROL_PLACES])
    }
    rows = []
    for i in range(n):
        place, organisation = PATROL_PLACES[0] if i % 3 == 0 else PATROL_PLACES[1 + i % 4]
        rows.append(
            Patrol(
                patrol_date=dt.date(2020, 1 + i // 3, 5 + 9 * (i % 3)),
                division=divisions[place],
                organisation=organisations.get(organisation),
                subject=PATROL_SUBJECTS[i % len(PATROL_SUBJECTS)],
                person_times=people[i],
                sites=sites[i],
                letters=letters[i],
            )
        )
    bulk_create_with_history(rows, Patrol)


def _insert(columns, batch) -> int:
    rows = []
    for pk, hours, data, flags in columns:
        values = [np.where(np.isnan(row), None, row).tolist() for row in data]
        with np.errstate(invalid="ignore"):
            checks = (
                np.where(data[5] > data[4], PM_ABOVE_PM10, 0)
                | np.where(data[2] > 100, CO_UNIT_SUSPECT, 0)
            ).tolist()
        rows += zip(
            [pk] * len(hours), hours, *values, *flags.tolist(), checks, [batch.pk] * len(hours)
        )
    return upsert(rows)
