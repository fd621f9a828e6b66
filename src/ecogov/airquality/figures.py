"""The annual summary's air-quality figures: attainment per pollutant and overall, good-day
ratio, annual values, and the totals of the patrol ledger. The evaluation figures are
computed from the hourly records by the engine and are not typed in. The seed's words "all
six indicators meet the national Grade II standard" (一(三)6) come from
`airquality.attainment`.

Each evaluation figure says which edition, limit set and method judged it. Its filter
selects the hourly records behind it: the counted stations of the city in that year.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from ecogov.core.figures import Figure

from .evaluation import city_evaluation, year_bounds
from .models import Patrol
from .queries import city_for
from .report import (HAS_MEAN, NAMES, UNITS, edition_text, headline, judged, statistic_label,
                     verdict_text)

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


def airquality_figures(user, year: int, *, city=None, edition: str = "auto",
                       method: str = "bulletin") -> list[Figure]:
    return [*attainment_figures(user, year, city=city, edition=edition, method=method),
            *patrol_figures(user, year)]


def patrol_figures(user, year: int) -> list[Figure]:
    """The attainment drive's supervision (seed 一(三)6: 958 人次, 1201 个, 79 件)."""
    if not user.has_perm("airquality.view_patrol"):
        return []
    in_year = {"patrol_date__year": year}
    totals = Patrol.objects.visible_to(user).filter(**in_year).aggregate(
        p=Sum("person_times"), s=Sum("sites"), n=Sum("letters"))
    p, s, n = totals["p"] or 0, totals["s"] or 0, totals["n"] or 0
    model = "airquality.Patrol"
    return [
        AirFigure("airquality.patrols", "出动督查人员", p, "人次", model, in_year,
                  f"出动督查人员{p}人次,巡查工地和企业{s}个,下达问题交办函{n}件"),
        AirFigure("airquality.patrols.sites", "巡查工地和企业", s, "个", model, in_year),
        AirFigure("airquality.patrols.letters", "下达问题交办函", n, "件", model, in_year),
    ]


def attainment_figures(user, year: int, *, city=None, edition: str = "auto",
                       method: str = "bulletin") -> list[Figure]:
    if not user.has_perm("airquality.view_observation"):
        return []
    city = city or city_for(user)
    if city is None:
        return []
    doc = city_evaluation(city, year, edition, method)
    if doc is None:
        return []
    start, end = year_bounds(year)
    records = {"station__city__code": city.code, "station__counts_for_city": True,
               "hour__gte": start, "hour__lt": end}
    rules = {"edition": doc["edition"], "limit_set": doc["limit_set"], "method": doc["method"]}
    c = doc["city"]
    pol = c["pollutants"]
    overall = headline(c)
    attained = sum(d["attained"] is True for d in pol.values())
    out: list[Figure] = [
        AirFigure("airquality.attainment", f"{city.name}{year}年环境空气质量达标情况",
                  _flag(c["attained"]), "", MODEL, records, overall, **rules),
        AirFigure("airquality.attainment.pollutants_attained", "达到二级标准的污染物(共6项)",
                  attained, "项", MODEL, records, f"{attained}/6", **rules),
    ]
    limits = doc["extras"]["limits"]
    for p, d in pol.items():
        key = pollutant_key(p)
        value, which = judged(p, c)
        out.append(AirFigure(f"airquality.attainment.{key}", f"{NAMES[p]}达标情况",
                             _flag(d["attained"]), "", MODEL, records,
                             verdict_text(d["attained"]), **rules))
        out.append(AirFigure(f"airquality.annual.{key}", f"{NAMES[p]}{statistic_label(p)}",
                             _dec(value), UNITS[p], MODEL, records,
                             f"二级限值 {limits[p][which]} {UNITS[p]}", **rules))
        if p in HAS_MEAN:
            out.append(AirFigure(
                f"airquality.percentile.{key}",
                f"{NAMES[p]}24小时平均第{d['percentile_rank']}百分位数", _dec(d["percentile"]),
                UNITS[p], MODEL, records, f"24小时平均二级限值 {limits[p]['daily']} {UNITS[p]}",
                **rules))
    out += [
        AirFigure("airquality.good_days_ratio", "优良天数比例", _dec(c["good_days_ratio_pct"]),
                  "%", MODEL, records, f"{c['good_days']}/{c['valid_aqi_days']} 天", **rules),
        AirFigure("airquality.good_days", "优良天数", c["good_days"], "天", MODEL, records,
                  "", **rules),
        AirFigure("airquality.valid_days", "有效监测天数", c["valid_aqi_days"], "天", MODEL,
                  records, "", **rules),
        AirFigure("airquality.composite_index", "环境空气质量综合指数", _dec(c["composite_index"]),
                  "", MODEL, records, "", **rules),
        AirFigure("airquality.stations", "参与城市评价的监测站点",
                  sum(s["counts_for_city"] for s in doc["extras"]["stations"].values()), "个",
                  "airquality.Station", {"city__code": city.code, "counts_for_city": True},
                  edition_text(doc)["standards"], **rules),
    ]
    return out
