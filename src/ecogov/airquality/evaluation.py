"""Annual evaluation of a city from the database, through the engine, cached per
(city, year, edition, method).

The cached document is the engine's JSON (docs/airquality.md, "Command line") plus an
``extras`` key holding what the screens need and the engine does not report: the stations'
names and kinds, and the city's monthly means of daily values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import warnings
from zoneinfo import ZoneInfo

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Count, Max

from .engine import Options, evaluate, result_to_dict
from .engine.averages import daily_means, mda8
from .engine.editions import DECIMALS, O3, POLLUTANTS, limit_set
from .engine.rounding import round_gbt8170
from .models import FLAG_FIELDS, VALUE_FIELDS, Evaluation, Observation, Station

LOCAL = ZoneInfo("Asia/Shanghai")
EDITIONS = ("auto", "2012", "2026")
METHODS = ("bulletin", "strict")


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return (dt.datetime(year, 1, 1, tzinfo=LOCAL), dt.datetime(year + 1, 1, 1, tzinfo=LOCAL))


def year_observations(city, year: int, until: dt.date | None = None):
    """The city's hourly rows of the year (up to the end of `until`, a day of the year)."""
    start, end = year_bounds(year)
    if until is not None:
        end = min(end, dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL))
    return Observation.objects.filter(station__city=city, hour__gte=start, hour__lt=end)


def _stamp(city, year: int) -> str:
    """Fingerprint of the data an evaluation read: rows, latest batch, who counts for the city."""
    agg = year_observations(city, year).aggregate(n=Count("pk"), b=Max("batch_id"))
    counted = Station.objects.filter(city=city, counts_for_city=True).order_by("pk")
    ids = ",".join(f"{pk}:{code}" for pk, code in counted.values_list("pk", "code"))
    return f"{agg['n']}:{agg['b']}:" + hashlib.sha256(ids.encode()).hexdigest()[:16]


def load_cube(city, year: int, until: dt.date | None = None):
    """(cube (S, 6, hours), station codes, counted mask, Station list) of the stations that
    have data in the year (up to `until`); invalid-flagged values and the hours after `until`
    are NaN (the engine's missing)."""
    start, _end = year_bounds(year)
    hours = 24 * ((dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days)
    rows = list(
        year_observations(city, year, until).values_list(
            "station_id", "hour", *VALUE_FIELDS.values(), *FLAG_FIELDS.values()
        )
    )
    ids = sorted({r[0] for r in rows})
    stations = {s.pk: s for s in Station.objects.filter(pk__in=ids)}
    order = sorted(ids, key=lambda pk: stations[pk].code)
    index = {pk: i for i, pk in enumerate(order)}
    cube = np.full((len(order), 6, hours), np.nan)
    if rows:
        s = np.fromiter((index[r[0]] for r in rows), np.int64, len(rows))
        h = np.fromiter(((r[1] - start).total_seconds() // 3600 for r in rows), np.int64, len(rows))
        for j in range(6):
            v = np.array([np.nan if r[2 + j] is None or r[8 + j] else r[2 + j] for r in rows])
            cube[s, j, h] = v
    listed = [stations[pk] for pk in order]
    counted = np.array([st.counts_for_city for st in listed], bool)
    return cube, [st.code for st in listed], counted, listed


def _monthly(cube: np.ndarray, counted: np.ndarray, year: int, opts: Options) -> dict:
    """The city's monthly mean of valid daily values (24 h means; O3: MDA8), rounded."""
    with warnings.catch_warnings():  # an hour without any counted station: NaN, as meant
        warnings.simplefilter("ignore", RuntimeWarning)
        city = (
            np.nanmean(cube[counted], axis=0) if counted.any() else np.full(cube.shape[1:], np.nan)
        )
    series, _n = daily_means(city[None], opts.daily_min_hours)
    limit = 160.0 if opts.mda8_exceedance_counts else None  # as the engine's annual O3
    series[0, O3], _w = mda8(
        city[None, O3], opts.window_min_hours, opts.mda8_min_windows, limit, opts.rounding
    )
    dates = np.arange(f"{year}-01-01", f"{year + 1}-01-01", dtype="datetime64[D]")
    months = dates.astype("datetime64[M]").astype(int) % 12
    out = {}
    for j, p in enumerate(POLLUTANTS):
        values = []
        for m in range(12):
            x = series[0, j, months == m]
            x = x[~np.isnan(x)]
            values.append(
                None if not x.size else float(round_gbt8170(x.mean(), DECIMALS[p], opts.rounding))
            )
        out[p] = values
    return out


def compute(
    city, year: int, edition: str = "auto", method: str = "bulletin", until: dt.date | None = None
) -> dict | None:
    """The evaluation document, computed now (None without any data in the year). With
    `until`, of the year's data up to that day only (a year cut at a day; not cached): the
    days after it are missing, and HJ 663's completeness rules judge what remains."""
    cube, codes, counted, listed = load_cube(city, year, until)
    if not codes:
        return None
    opts = Options(method=method)
    res = evaluate(cube, codes, year, edition, opts, counted=counted)
    doc = result_to_dict(res, with_days=True)
    doc["extras"] = {
        "city": {"code": city.code, "name": city.name},
        "stations": {
            s.code: {
                "name": s.name,
                "kind": s.kind,
                "kind_label": str(s.get_kind_display()),
                "counts_for_city": s.counts_for_city,
            }
            for s in listed
        },
        "monthly": _monthly(cube, counted, year, opts),
        "limits": _limits(doc["edition"], year),
    }
    return doc


def _limits(edition: str, year: int) -> dict:
    ls = limit_set(edition, year)
    return {p: {"annual": ls.annual[p], "daily": ls.daily[p]} for p in POLLUTANTS}


def city_evaluation(
    city, year: int, edition: str = "auto", method: str = "bulletin"
) -> dict | None:
    """The cached evaluation, recomputed when missing or when the data changed under it."""
    if edition not in EDITIONS or method not in METHODS:
        raise ValueError(f"edition {edition!r} / method {method!r}")
    stamp = _stamp(city, year)
    cached = Evaluation.objects.filter(city=city, year=year, edition=edition, method=method).first()
    if cached is not None and cached.stamp == stamp:
        return cached.document
    doc = compute(city, year, edition, method)
    if doc is None:
        return None
    try:
        with transaction.atomic():
            Evaluation.objects.update_or_create(
                city=city,
                year=year,
                edition=edition,
                method=method,
                defaults={"document": doc, "stamp": stamp},
            )
    except IntegrityError:  # another request stored the same evaluation meanwhile
        pass
    return doc
