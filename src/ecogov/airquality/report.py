"""What the air-quality screens show, built from cached evaluations: the attainment card,
the calendar of daily AQI categories, monthly trends and the station comparison.

Charts are drawn server-side: the geometry is computed here and the templates write it as
inline SVG or sized HTML blocks (no JavaScript, no CDN; intranets are offline).
"""

from __future__ import annotations

import calendar as _calendar

from django.utils.translation import gettext as _

from .engine.aqi import CATEGORIES
from .engine.editions import POLLUTANTS
from .evaluation import city_evaluation

NAMES = {"SO2": "SO₂", "NO2": "NO₂", "CO": "CO", "O3": "O₃", "PM10": "PM₁₀", "PM2.5": "PM₂.₅"}
UNITS = {p: ("mg/m³" if p == "CO" else "µg/m³") for p in POLLUTANTS}
HAS_MEAN = {"SO2", "NO2", "PM10", "PM2.5"}
TREND_W, TREND_H, PAD = 260, 120, 24
DARK = {"#FF0000", "#99004C", "#7E0023"}  # category colours that need white text


def statistic_label(p: str) -> str:
    if p in HAS_MEAN:
        return _("年平均浓度")
    return _("24小时平均第95百分位数") if p == "CO" else _("日最大8小时平均第90百分位数")


def judged(p: str, result: dict):
    """(value, limit key) of the statistic the bulletin judges for pollutant p."""
    d = result["pollutants"][p]
    return (d["annual_mean"], "annual") if p in HAS_MEAN else (d["percentile"], "daily")


def verdict_text(attained) -> str:
    return {True: _("达标"), False: _("超标"), None: _("数据不足")}[attained]


def headline(result: dict) -> str:
    """The overall verdict in the bulletins' words (spec §3.2: all six attain)."""
    if result["attained"] is True:
        return _("六项污染物全部达到国家环境空气质量二级标准")
    failed = [NAMES[p] for p, d in result["pollutants"].items() if d["attained"] is False]
    if failed:
        return _("未全部达标,超标污染物:%s") % "、".join(failed)
    return _("有效数据不足,无法判定是否达标")


def edition_text(doc: dict) -> dict:
    """Which standards, limit set and method a result used, in words (every screen says it)."""
    if doc["edition"] == "2012":
        standards = _("GB 3095-2012 二级浓度限值;AQI 按 HJ 633-2012;年度评价按 HJ 663-2013")
    else:
        phase = _("最终限值") if doc["limit_set"].endswith("final") else _("过渡期限值")
        standards = _(
            "GB 3095-2026 二级浓度限值(%(phase)s);AQI 按 HJ 633-2026;年度评价规则按 "
            "HJ 663-2013(HJ 663-2026 文本未见)"
        ) % {"phase": phase}
    days = ""
    if len(doc["day_editions"]) > 1:
        days = ";".join(
            _("%(a)s 至 %(b)s 的日 AQI 按 HJ 633-%(e)s")
            % {"a": d["from"], "b": d["to"], "e": d["edition"]}
            for d in doc["day_editions"]
        )
    method = (
        _("公报口径:SO₂、NO₂、PM₁₀、PM₂.₅ 按年平均浓度,CO、O₃ 按百分位数")
        if doc["method"] == "bulletin"
        else _("严格口径:SO₂、NO₂、PM₁₀、PM₂.₅ 的年平均浓度和日均值百分位数均须达标")
    )
    return {"standards": standards, "limit_set": doc["limit_set"], "method": method, "days": days}


def _year_side(doc: dict | None, p: str) -> dict:
    if doc is None:
        return {"value": None, "limit": None, "attained": None, "text": _("无数据")}
    city = doc["city"]
    value, which = judged(p, city)
    d = city["pollutants"][p]
    limits = doc["extras"]["limits"][p]
    return {
        "value": value,
        "limit": limits[which],
        "attained": d["attained"],
        "text": verdict_text(d["attained"]),
        "valid_days": d["valid_days"],
        "percentile": d["percentile"] if p in HAS_MEAN else None,
        "percentile_rank": d["percentile_rank"],
        "daily_limit": limits["daily"],
    }


def card(doc: dict | None, prev: dict | None) -> dict:
    rows = [
        {
            "pollutant": p,
            "name": NAMES[p],
            "unit": UNITS[p],
            "statistic": statistic_label(p),
            "now": _year_side(doc, p),
            "before": _year_side(prev, p),
        }
        for p in POLLUTANTS
    ]

    def summary(d):
        if d is None:
            return None
        c = d["city"]
        return {
            "year": d["year"],
            "attained": c["attained"],
            "text": verdict_text(c["attained"]),
            "headline": headline(c),
            "count": sum(c["pollutants"][p]["attained"] is True for p in POLLUTANTS),
            "good_ratio": c["good_days_ratio_pct"],
            "good_days": c["good_days"],
            "valid_days": c["valid_aqi_days"],
            "composite": c["composite_index"],
            "edition": edition_text(d),
        }

    return {"rows": rows, "now": summary(doc), "before": summary(prev)}


def calendar_months(doc: dict) -> list[dict]:
    """12 rows of day cells coloured by AQI category (the standard colours, spec §2.4)."""
    days = doc["city"]["days"]
    out, i = [], 0
    for m in range(1, 13):
        n = _calendar.monthrange(doc["year"], m)[1]
        cells = []
        for d in days[i : i + n]:
            title = (
                d["date"]
                + " "
                + (
                    _("AQI %(aqi)s %(cat)s") % {"aqi": d["aqi"], "cat": d["category"]}
                    if d["aqi"] is not None
                    else _("无有效 AQI")
                )
            )
            if d["primary"]:
                title += " " + _("首要污染物:%s") % "、".join(d["primary"])
            cells.append(
                {
                    "day": int(d["date"][-2:]),
                    "color": d["color"] or "#d4d4d4",
                    "dark": d["color"] in DARK,
                    "aqi": d["aqi"],
                    "title": title,
                }
            )
        out.append({"month": m, "cells": cells, "pad": range(31 - n)})
        i += n
    return out


def category_counts(doc: dict) -> list[dict]:
    counts = {c["category"]: 0 for c in CATEGORIES}
    missing = 0
    for d in doc["city"]["days"]:
        if d["category"] is None:
            missing += 1
        else:
            counts[d["category"]] += 1
    return [
        {"category": c["category"], "color": c["hex"], "range": rng, "days": counts[c["category"]]}
        for c, rng in zip(CATEGORIES, ("0–50", "51–100", "101–150", "151–200", "201–300", ">300"))
    ] + [{"category": _("无有效数据"), "color": "#d4d4d4", "range": "", "days": missing}]


def _points(values, scale_max):
    step = (TREND_W - 2 * PAD) / 11
    pts = []
    for m, v in enumerate(values):
        if v is not None:
            pts.append(
                (
                    round(PAD + m * step, 1),
                    round(TREND_H - PAD - v / scale_max * (TREND_H - 2 * PAD), 1),
                )
            )
    return pts


def trends(doc: dict, prev: dict | None) -> list[dict]:
    """Per pollutant: monthly means of this year and last, with the annual (or daily) limit."""
    out = []
    for p in POLLUTANTS:
        now = doc["extras"]["monthly"][p]
        before = prev["extras"]["monthly"][p] if prev else [None] * 12
        lim = doc["extras"]["limits"][p]
        limit = lim["annual"] if p in HAS_MEAN else lim["daily"]
        top = max([v for v in now + before if v is not None] + [limit]) * 1.1
        limit_y = round(TREND_H - PAD - limit / top * (TREND_H - 2 * PAD), 1)
        now_pts, before_pts = _points(now, top), _points(before, top)
        out.append(
            {
                "pollutant": p,
                "name": NAMES[p],
                "unit": UNITS[p],
                "limit": limit,
                "limit_label": _("年均限值") if p in HAS_MEAN else _("日限值"),
                "now": " ".join(f"{x},{y}" for x, y in now_pts),
                "now_dots": now_pts,
                "before": " ".join(f"{x},{y}" for x, y in before_pts),
                "limit_y": limit_y,
                "width": TREND_W,
                "height": TREND_H,
                "pad": PAD,
                "top": f"{top:.1f}" if p == "CO" else f"{top:.0f}",
                "right": TREND_W - PAD,
                "bottom": TREND_H - PAD,
                "months": [
                    {"x": round(PAD + m * (TREND_W - 2 * PAD) / 11, 1), "label": m + 1}
                    for m in range(12)
                ],
                "values": now,
            }
        )
    return out


def stations(doc: dict) -> list[dict]:
    """Per pollutant: each station's judged statistic as a bar, with the limit marked."""
    meta = doc["extras"]["stations"]
    out = []
    for p in POLLUTANTS:
        limit = doc["extras"]["limits"][p]["annual" if p in HAS_MEAN else "daily"]
        rows = []
        for code, result in doc["stations"].items():
            value, _which = judged(p, result)
            rows.append(
                {
                    "code": code,
                    "name": meta[code]["name"],
                    "kind": meta[code]["kind_label"],
                    "counted": meta[code]["counts_for_city"],
                    "value": value,
                    "attained": result["pollutants"][p]["attained"],
                }
            )
        city_value, _w = judged(p, doc["city"])
        top = max([r["value"] for r in rows if r["value"] is not None] + [limit]) * 1.1
        for r in rows:
            r["width"] = 0 if r["value"] is None else round(r["value"] / top * 100, 1)
            r["over"] = r["value"] is not None and r["value"] > limit
        out.append(
            {
                "pollutant": p,
                "name": NAMES[p],
                "unit": UNITS[p],
                "limit": limit,
                "limit_left": round(limit / top * 100, 1),
                "rows": rows,
                "statistic": statistic_label(p),
                "city_value": city_value,
            }
        )
    return out


def context(city, year: int, edition: str = "auto", method: str = "bulletin") -> dict:
    """Everything the report screens (back office and portal) render for one city and year."""
    doc = city_evaluation(city, year, edition, method)
    prev = city_evaluation(city, year - 1, edition, method)
    ctx = {
        "city": city,
        "year": year,
        "edition_choice": edition,
        "method": method,
        "doc": doc,
        "card": card(doc, prev),
        "categories": CATEGORIES,
    }
    if doc is not None:
        from .targets import target_progress

        ctx.update(
            targets=target_progress(city, year),
            calendar=calendar_months(doc),
            category_counts=category_counts(doc),
            trends=trends(doc, prev),
            station_bars=stations(doc),
            edition=edition_text(doc),
        )
    return ctx
