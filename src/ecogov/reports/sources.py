"""Where the report's numbers come from: the figures registry, and the keys still to come.

The report knows no area's models: it asks `figures_for(user, period, division)`. Keys of
areas that have not landed yet (legal, outreach, emergency) are known by name so that outlines
can place them; until their area registers them they render as 〔暂无数据:key〕.
"""

from __future__ import annotations

import time
from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from ecogov.core.figures import Figure, Period, figures_for


def period_of(year: int, until=None) -> Period:
    return Period.of_year(year, until)


def report_figures(user, period: Period, division=None) -> dict[str, Figure]:
    """Every registered figure for the period in the user's scope (and division), by key."""
    return {f.key: f for f in figures_for(user, period, division=division)}


# --- the keys an outline may reference ---------------------------------------------------------
_KNOWN: dict[int, tuple[float, frozenset[str]]] = {}
_TTL = 300.0  # seconds: a new source batch (rectify.<code>.*) is known within five minutes


def _everyone():
    """A system-wide reader for listing keys (never saved, never a session)."""
    from django.contrib.auth.models import User

    return User(username="ecogov-figure-keys", is_superuser=True, is_active=True)


def registered_keys(year: int) -> frozenset[str]:
    cached = _KNOWN.get(year)
    if cached and time.monotonic() - cached[0] < _TTL:
        return cached[1]
    keys = frozenset(f.key for f in figures_for(_everyone(), Period.of_year(year)))
    _KNOWN[year] = (time.monotonic(), keys)
    return keys


def known_keys(years) -> set[str]:
    """Keys registered in any of `years` (an outline may use a key that a year lacks)."""
    known: set[str] = set()
    for year in sorted(set(years)):
        known |= registered_keys(year)
    return known


def forget_keys() -> None:
    _KNOWN.clear()


# --- values as the text shows them --------------------------------------------------------------
def plain_number(value) -> str:
    """218.50 → 218.5, Decimal('128') → 128: the way a summary writes a number."""
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    return str(value)


def display(figure: Figure) -> str:
    """The figure as the sentence shows it (the unit is written by the template)."""
    text = getattr(figure, "text", "")
    if figure.unit == "" and text:
        return text  # a verdict: 六项污染物全部达到国家环境空气质量二级标准
    if figure.value is None:
        return "—"
    return plain_number(figure.value)


def missing_text(key: str) -> str:
    return f"〔暂无数据:{key}〕"


# --- from a number to its records ---------------------------------------------------------------
def drill_url(figure: Figure, period: Period, division=None) -> str:
    """The page listing exactly the records behind the figure.

    Core's `drilldown_url` when it has landed; otherwise this app's records page, which
    recomputes the figure in the viewer's scope and lists `figure.records`.
    """
    try:
        from ecogov.core.admin.drilldown import drilldown_url
    except ImportError:
        drilldown_url = None
    if drilldown_url is not None:
        return drilldown_url(figure, period, division)
    if figure.records is None:
        return ""
    params = {"key": figure.key, "area": figure.area, **period.as_params()}
    if division is not None:
        params["division"] = division.code
    try:
        return reverse("admin:reports-records") + "?" + urlencode(params)
    except NoReverseMatch:  # pragma: no cover - admin not loaded
        return ""
