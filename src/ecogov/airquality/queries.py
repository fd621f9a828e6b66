"""Reads of the air-quality area: which city and year a screen shows, dashboard counters."""

from __future__ import annotations

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.areas import Counter
from ecogov.core.models import Division
from ecogov.core.scoping import scope_for

from .models import ImportBatch, Observation, Station


def cities() -> list[Division]:
    """Divisions that have monitoring stations (cities, and counties or districts with their
    own stations), by code: a city comes before its counties."""
    return list(Division.objects.filter(air_stations__isnull=False).distinct().order_by("code"))


def city_for(user=None, code: str | None = None) -> Division | None:
    """The division a screen shows: the one asked for, else the user's own, else the nearest
    above it with stations (a county without stations sees its city's), else the first.
    """
    available = cities()
    if code:
        return next((c for c in available if c.code == code), None)
    scope = scope_for(user) if user is not None else None
    if scope is not None and scope.division_path:
        above = [c for c in available if scope.division_path.startswith(c.path)]
        if above:
            return max(above, key=lambda c: len(c.path))  # the user's own, or the nearest
        for c in available:
            if c.path.startswith(scope.division_path):
                return c
    return available[0] if available else None


def latest_year(city) -> int:
    """The latest year with data (this year when there is none)."""
    last = Observation.objects.filter(station__city=city).aggregate(m=Max("hour"))["m"]
    return timezone.localtime(last).year if last else timezone.localdate().year


def counters(user, year: int) -> list[Counter]:
    """The monitoring network as it is today (no count here belongs to a year)."""
    if not user.has_perm("airquality.view_station"):
        return []
    stations = (
        Station.objects.visible_to(user)
        .filter(is_active=True)
        .aggregate(all=Count("pk"), city=Count("pk", filter=Q(counts_for_city=True)))
    )
    batches = ImportBatch.objects.visible_to(user)
    url = reverse("admin:airquality_importbatch_changelist")
    return [
        Counter(_("监测站点"), stations["all"], reverse("admin:airquality_station_changelist")),
        Counter(
            _("参与城市评价的站点"),
            stations["city"],
            reverse("admin:airquality_station_changelist") + "?counts_for_city__exact=1",
        ),
        Counter(
            _("有问题的导入批次"),
            batches.filter(problems_total__gt=0).count(),
            url + "?has_problems=1",
        ),
    ]


def target_card(division, year: int, today=None) -> dict | None:
    """Target vs actual for the public portal's card (and any other screen): the division's
    annual targets, its values so far and the gaps; None when no target is set for the year.

    ``{"division", "year", "period", "source", "lines": [{"key", "label", "unit", "target",
    "actual", "gap", "met", "text", "basis", "at_most"}]}`` — values are Decimal or int
    (None without valid data); ``met`` is True, False or None.
    """
    from .targets import target_progress

    progress = target_progress(division, year, today=today)
    if progress is None:
        return None
    return {
        "division": division.name,
        "year": year,
        "period": progress.period_text,
        "source": progress.target.source_document,
        "lines": [
            {
                "key": line.key,
                "label": line.label,
                "unit": line.unit,
                "target": line.target,
                "actual": line.actual,
                "gap": line.gap,
                "met": line.met,
                "text": line.text,
                "basis": line.basis,
                "at_most": line.at_most,
            }
            for line in progress.lines
        ],
    }


# --- the public portal (docs/airquality.md, "the public page") ------------------------------


def report_params(params, city) -> tuple[int, str, str]:
    """year, edition and method from a query string (`params`: a mapping), defaulting to the
    city's latest year; shared by the back office's report, the public page and its portal."""
    from .evaluation import EDITIONS, METHODS

    try:
        year = int(params.get("year", ""))
    except ValueError:
        year = latest_year(city)
    edition = params.get("edition", "auto")
    method = params.get("method", "bulletin")
    return (
        min(max(year, 2000), 2100),
        edition if edition in EDITIONS else "auto",
        method if method in METHODS else "bulletin",
    )


def public_air_quality(params) -> dict:
    """What the portal's air-quality page shows for `params` (a mapping with `city`, `year`,
    `edition`, `method`): the cities with stations, and for the one asked for (else the
    first) the attainment card, the daily AQI calendar, trends and stations (report.context).
    `{"missing": True}` when a city is asked for that has no station."""
    from . import report
    from .evaluation import EDITIONS, METHODS

    code = params.get("city")
    city = city_for(None, code)
    context = {"cities": cities(), "editions": EDITIONS, "methods": METHODS, "city": city}
    if city is None:
        context["missing"] = bool(code)
        return context
    year, edition, method = report_params(params, city)
    context.update(report.context(city, year, edition, method))
    return context
