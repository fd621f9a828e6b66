"""The annual summary's air-quality figures: attainment per pollutant and overall, good-day
ratio, annual values, and the totals of the patrol ledger. The evaluation figures are
computed from the hourly records by the engine and are not typed in. The seed's words "all
six indicators meet the national Grade II standard" (一(三)6) come from
`airquality.attainment`.

Each evaluation figure says which edition, limit set and method judged it. It is a measured
value (Kind.MEASURED: no count or sum equals it), and its `records` are the hourly rows it was
computed from: the city's counted stations within the period. A year cut at a day is
evaluated on its data up to that day. The good-day ratio is a ratio of the two day counts,
the stations a count of stations, the patrol figures sums over the patrol ledger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Sum

from ecogov.core.figures import Figure, Kind, Period, ratio

from .evaluation import LOCAL, city_evaluation, compute
from .models import AirTarget, Observation, Patrol, Station
from .queries import city_for
from .report import (
    HAS_MEAN,
    NAMES,
    UNITS,
    category_counts,
    edition_text,
    headline,
    judged,
    statistic_label,
    verdict_text,
)

MODEL = "airquality.Observation"


@dataclass(frozen=True)
class AirFigure(Figure):
    """A Figure that also carries its verdict in words and the rules that produced it.

    A verdict's ``value`` is 1 (attained) or 0 (not attained). It is None when the data do not
    allow a verdict (HJ 663 validity): "unknown" is not "failed".
    """

    text: str = ""
    edition: str = ""
    limit_set: str = ""
    method: str = ""


def pollutant_key(p: str) -> str:
    return p.lower().replace(".", "")


def _dec(v) -> Decimal | None:
    return None if v is None else Decimal(str(v))


def _flag(v) -> int | None:
    return None if v is None else int(bool(v))


def airquality_figures(
    user, period: Period | int, *, city=None, edition: str = "auto", method: str = "bulletin"
) -> list[Figure]:
    if isinstance(period, int):
        period = Period.of_year(period)
    return [
        *attainment_figures(user, period, city=city, edition=edition, method=method),
        *target_figures(user, period, city=city),
        *patrol_figures(user, period),
    ]


def patrol_figures(user, period: Period | int) -> list[Figure]:
    """The attainment drive's supervision (seed 一(三)6: 958 人次, 1201 个, 79 件): sums over
    the patrols dated in the period."""
    if not user.has_perm("airquality.view_patrol"):
        return []
    if isinstance(period, int):
        period = Period.of_year(period)
    patrols = Patrol.objects.visible_to(user).filter(
        patrol_date__gte=period.start, patrol_date__lte=period.end
    )
    totals = patrols.aggregate(p=Sum("person_times"), s=Sum("sites"), n=Sum("letters"))
    p, s, n = totals["p"] or 0, totals["s"] or 0, totals["n"] or 0
    model = "airquality.Patrol"

    def total(key, label, value, unit, field, definition, text=""):
        return AirFigure(
            key,
            label,
            value,
            unit,
            model,
            text=text,
            kind=Kind.SUM,
            records=patrols,
            field=field,
            definition=definition,
        )

    return [
        total(
            "airquality.patrols",
            "出动督查人员",
            p,
            "人次",
            "person_times",
            "巡查日期在期间内的大气督查巡查记录的出动人次之和",
            f"出动督查人员{p}人次,巡查工地和企业{s}个,下达问题交办函{n}件",
        ),
        total(
            "airquality.patrols.sites",
            "巡查工地和企业",
            s,
            "个",
            "sites",
            "上述巡查记录的巡查工地和企业数之和",
        ),
        total(
            "airquality.patrols.letters",
            "下达问题交办函",
            n,
            "件",
            "letters",
            "上述巡查记录下达的问题交办函数之和",
        ),
    ]


def _evaluation(city, period: Period, edition: str, method: str) -> dict | None:
    """The city's evaluation of the period: the cached annual one for a calendar year, else
    computed now from the year's data up to the period's end."""
    if period.is_calendar_year:
        return city_evaluation(city, period.year, edition, method)
    return compute(city, period.year, edition, method, until=period.end)


def _hours(period: Period) -> dict:
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=LOCAL)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL)
    return {"hour__gte": start, "hour__lt": end}


def attainment_figures(
    user, period: Period | int, *, city=None, edition: str = "auto", method: str = "bulletin"
) -> list[Figure]:
    if not user.has_perm("airquality.view_observation"):
        return []
    if isinstance(period, int):
        period = Period.of_year(period)
    if period.start != dt.date(period.year, 1, 1):
        return []  # the evaluation is of a year, or of its beginning up to a day
    city = city or city_for(user)
    if city is None:
        return []
    doc = _evaluation(city, period, edition, method)
    if doc is None:
        return []
    hours = _hours(period)
    records = Observation.objects.filter(station__city=city, station__counts_for_city=True, **hours)
    rules = {"edition": doc["edition"], "limit_set": doc["limit_set"], "method": doc["method"]}
    seen = f"由期间内本市参与评价站点的小时数据按{doc['limit_set']}评价"

    def measured(key, label, value, unit, text="", definition=seen):
        return AirFigure(
            key,
            label,
            value,
            unit,
            MODEL,
            text=text,
            kind=Kind.MEASURED,
            records=records,
            definition=definition,
            **rules,
        )

    c = doc["city"]
    pol = c["pollutants"]
    overall = headline(c)
    attained = sum(d["attained"] is True for d in pol.values())
    out: list[Figure] = [
        measured(
            "airquality.attainment",
            f"{city.name}{period.label}环境空气质量达标情况",
            _flag(c["attained"]),
            "",
            overall,
        ),
        measured(
            "airquality.attainment.pollutants_attained",
            "达到二级标准的污染物(共6项)",
            attained,
            "项",
            f"{attained}/6",
        ),
    ]
    limits = doc["extras"]["limits"]
    for p, d in pol.items():
        key = pollutant_key(p)
        value, which = judged(p, c)
        out.append(
            measured(
                f"airquality.attainment.{key}",
                f"{NAMES[p]}达标情况",
                _flag(d["attained"]),
                "",
                verdict_text(d["attained"]),
            )
        )
        out.append(
            measured(
                f"airquality.annual.{key}",
                f"{NAMES[p]}{statistic_label(p)}",
                _dec(value),
                UNITS[p],
                f"二级限值 {limits[p][which]} {UNITS[p]}",
            )
        )
        if p in HAS_MEAN:
            out.append(
                measured(
                    f"airquality.percentile.{key}",
                    f"{NAMES[p]}24小时平均第{d['percentile_rank']}百分位数",
                    _dec(d["percentile"]),
                    UNITS[p],
                    f"24小时平均二级限值 {limits[p]['daily']} {UNITS[p]}",
                )
            )
    good = measured(
        "airquality.good_days",
        "优良天数",
        c["good_days"],
        "天",
        definition="AQI 不大于 100 的有效监测日数",
    )
    valid = measured(
        "airquality.valid_days",
        "有效监测天数",
        c["valid_aqi_days"],
        "天",
        definition="期间内可计算日 AQI 的天数",
    )
    share = ratio(
        "airquality.good_days_ratio",
        "优良天数比例",
        good,
        valid,
        definition="优良天数 ÷ 有效监测天数",
    )
    stations = Station.objects.filter(city=city, counts_for_city=True).filter(
        Exists(Observation.objects.filter(station=OuterRef("pk"), **hours))
    )
    out += [
        AirFigure(
            share.key,
            share.label,
            share.value,
            share.unit,
            MODEL,
            text=f"{c['good_days']}/{c['valid_aqi_days']} 天",
            kind=Kind.RATIO,
            parts=share.parts,
            definition=share.definition,
            **rules,
        ),
        good,
        valid,
        measured(
            "airquality.composite_index",
            "环境空气质量综合指数",
            _dec(c["composite_index"]),
            "",
            definition="六项污染物单项指数之和(HJ 663)",
        ),
        AirFigure(
            "airquality.stations",
            "参与城市评价的监测站点",
            stations.count(),
            "个",
            "airquality.Station",
            text=edition_text(doc)["standards"],
            kind=Kind.COUNT,
            records=stations,
            definition="参与城市评价、期间内有监测数据的站点",
            **rules,
        ),
    ]
    # the days of each AQI category (HJ 633 Table 2; spec §2.4), as the calendar counts them
    counts = {row["category"]: row["days"] for row in category_counts(doc)}
    for name, key in CATEGORY_KEYS.items():
        out.append(
            measured(
                f"airquality.days.{key}",
                f"{name}天数",
                counts[name],
                "天",
                definition=f"日 AQI 类别为“{name}”的天数(HJ 633)",
            )
        )
    out.append(
        measured(
            "airquality.days.heavy_or_worse",
            "重污染天数",
            counts["重度污染"] + counts["严重污染"],
            "天",
            definition="日 AQI 大于 200(重度污染及严重污染)的天数",
        )
    )
    return out


CATEGORY_KEYS = {
    "优": "excellent",
    "良": "good",
    "轻度污染": "light",
    "中度污染": "moderate",
    "重度污染": "heavy",
    "严重污染": "severe",
}


def target_figures(user, period: Period | int, *, city=None) -> list[Figure]:
    """The division's annual targets (entered; a sum over the one target record), its values
    so far and the gaps (measured), for the period's year (docs/airquality.md, "Annual
    targets")."""
    from .targets import target_progress

    if not user.has_perm("airquality.view_airtarget"):
        return []
    if isinstance(period, int):
        period = Period.of_year(period)
    if period.start != dt.date(period.year, 1, 1):
        return []
    city = city or city_for(user)
    if city is None:
        return []
    targets = AirTarget.objects.filter(division=city, year=period.year)
    target = targets.first()
    if target is None:
        return []
    # a whole year is judged on the whole year; a year cut at a day on its data up to that day
    today = period.end + dt.timedelta(days=1) if period.is_calendar_year else period.end
    progress = target_progress(city, period.year, today=today, target=target)
    records = Observation.objects.filter(
        station__city=city, station__counts_for_city=True, **_hours(period)
    )
    out: list[Figure] = []
    for line in progress.lines:
        key = f"airquality.target.{line.key}"
        places = None if isinstance(line.target, int) else 1
        out += [
            AirFigure(
                key,
                f"{line.label}目标",
                line.target,
                line.unit,
                "airquality.AirTarget",
                text=("不高于" if line.at_most else "不低于") + f" {line.target} {line.unit}",
                kind=Kind.SUM,
                records=targets,
                field=line.key,
                places=places,
                definition=f"年度空气质量目标({target.source_document})",
            ),
            AirFigure(
                f"{key}.actual",
                f"{line.label}({progress.period_text})",
                line.actual,
                line.unit,
                MODEL,
                text=line.basis,
                kind=Kind.MEASURED,
                records=records,
                definition="由期间内参与评价站点的小时数据计算",
            ),
            AirFigure(
                f"{key}.gap",
                f"{line.label}与目标之差",
                line.gap,
                line.unit,
                MODEL,
                text=line.text,
                kind=Kind.MEASURED,
                records=records,
                definition="实际值减目标值",
            ),
        ]
    return out
