"""The figures registry: every number of the annual summary, from the records in a scope.

An area registers providers (`ecogov.core.areas.register_figures(area, provider)`); a provider
is `provider(user, period) -> list[Figure]`. A `Figure` carries its kind and, for counts and
sums, the queryset of exactly the records behind it, so that any screen can drill down from
the number to its records and a test can check the number against them (docs/figures.md):

| kind       | value                                   | `records`                          |
|------------|-----------------------------------------|------------------------------------|
| `count`    | records.count()                         | the records counted                |
| `sum`      | Σ records.<field> / scale, rounded      | the records summed                 |
| `credit`   | Σ shares of credit (0.5 for a joint close) | the records that carry a share |
| `ratio`    | 100 × numerator / denominator (%)       | none; `parts` names the two figures |
| `measured` | a measured value (air quality)          | optional: the observations         |

The report knows no area's models; it asks `figures_for(user, period)`.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from dataclasses import field as _kw  # `field` is also a Figure attribute
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _


class Kind(StrEnum):
    COUNT = "count"
    SUM = "sum"
    CREDIT = "credit"
    RATIO = "ratio"
    MEASURED = "measured"


# The years a report, a figure, an evaluation or a report's year may be about; what the API
# accepts (core/api_input.py) and the summary's parameters (reports/params.py).
FIRST_YEAR, LAST_YEAR = 2000, 2100

KIND_LABELS = {
    Kind.COUNT: _("计数"),
    Kind.SUM: _("求和"),
    Kind.CREDIT: _("计分(合办按份额)"),
    Kind.RATIO: _("比率"),
    Kind.MEASURED: _("监测值"),
}


@dataclass(frozen=True)
class Period:
    """The days a figure counts: a calendar year, or a year cut at a day ("截至11月30日")."""

    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("period ends before it starts")

    @classmethod
    def of_year(cls, year: int, until: dt.date | None = None) -> Period:
        end = dt.date(year, 12, 31)
        if until is not None:
            if until.year != year:
                raise ValueError("the cut-off day must lie in the year")
            end = until
        return cls(dt.date(year, 1, 1), end)

    @property
    def year(self) -> int:
        return self.end.year

    @property
    def is_calendar_year(self) -> bool:
        return self.start == dt.date(self.end.year, 1, 1) and self.end == dt.date(
            self.end.year, 12, 31
        )

    @property
    def label(self) -> str:
        if self.is_calendar_year:
            return f"{self.year}年"
        if self.start == dt.date(self.end.year, 1, 1):
            return f"{self.year}年(截至{self.end.month}月{self.end.day}日)"
        return f"{self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def as_params(self) -> dict[str, str]:
        params = {"year": str(self.year)}
        if not self.is_calendar_year:
            params["until"] = self.end.isoformat()
        return params


@dataclass(frozen=True)
class Figure:
    """One number, what kind it is, and the records it stands for."""

    key: str
    label: str
    value: int | Decimal | None
    unit: str
    model: str = ""  # app_label.ModelName of the records behind the number
    filter: dict = field(default_factory=dict)  # legacy lookups (being replaced by `records`)
    # keyword-only: subclasses (airquality's AirFigure) and older positional calls keep working
    kind: Kind = _kw(default=Kind.COUNT, kw_only=True)
    records: Any = _kw(default=None, kw_only=True)  # QuerySet of exactly the records behind it
    field: str = _kw(default="", kw_only=True)  # SUM: the summed field of `records`
    scale: Decimal = _kw(default=Decimal(1), kw_only=True)  # SUM: value = Σ field / scale
    places: int | None = _kw(default=None, kw_only=True)  # SUM: decimals of the value
    parts: tuple[str, ...] = _kw(default=(), kw_only=True)  # RATIO: (numerator, denominator)
    definition: str = _kw(default="", kw_only=True)  # what is counted (appendix 数据来源)
    area: str = _kw(default="", kw_only=True)  # filled in by the registry

    @property
    def record_count(self) -> int | None:
        if self.records is None:
            return None
        if self.kind is Kind.COUNT and isinstance(self.value, int):
            return self.value  # equal by the invariant (tests/core/test_figures_invariant.py)
        return self.records.count()

    def json_value(self) -> int | str | None:
        """Integers as JSON numbers, decimals as strings (exact)."""
        if self.value is None:
            return None
        if isinstance(self.value, Decimal):
            return str(self.value)
        return int(self.value)


def round_to(value: Decimal, places: int | None) -> Decimal:
    if places is None:
        return value
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def count_figure(
    key: str,
    label: str,
    records: Any,
    unit: str,
    model: str,
    definition: str = "",
    *,
    value: int | None = None,
    parts: tuple[str, ...] = (),
) -> Figure:
    """A COUNT of `records`; `value` when the caller counted them already (several counts
    read in one query), which the invariant test holds to `records.count()`."""
    return Figure(
        key,
        label,
        records.count() if value is None else value,
        unit,
        model,
        kind=Kind.COUNT,
        records=records,
        definition=definition,
        parts=parts,
    )


def sum_figure(
    key: str,
    label: str,
    records: Any,
    field: str,
    unit: str,
    model: str,
    definition: str = "",
    *,
    total: Any = ...,
    scale: Decimal = Decimal(1),
    places: int | None = None,
    parts: tuple[str, ...] = (),
) -> Figure:
    """A SUM of `records.<field>` (`total` when the caller summed it already), divided by
    `scale` and rounded to `places` (e.g. yuan shown as 万元 to 4 places); a total of None
    (nothing to sum) is 0."""
    if total is ...:
        total = records.aggregate(v=Sum(field))["v"]
    total = total or 0
    value = total if scale == 1 and places is None else round_to(Decimal(total) / scale, places)
    return Figure(
        key,
        label,
        value,
        unit,
        model,
        kind=Kind.SUM,
        records=records,
        field=field,
        scale=scale,
        places=places,
        definition=definition,
        parts=parts,
    )


def ratio(
    key: str,
    label: str,
    numerator: Figure,
    denominator: Figure,
    *,
    places: int = 1,
    definition: str = "",
) -> Figure:
    """numerator / denominator as a percentage; None when the denominator is 0."""
    value = None
    if denominator.value:
        value = round_to(
            Decimal(100) * Decimal(numerator.value) / Decimal(denominator.value), places
        )
    return Figure(
        key,
        label,
        value,
        "%",
        kind=Kind.RATIO,
        parts=(numerator.key, denominator.key),
        definition=definition,
    )


def narrowed_to(user, division):
    """The user, seeing only `division`'s subtree within his own scope (figures by division).

    A copy of the user object whose cached scope is the intersection; every `visible_to` and
    every credit rule that reads `scope_for` then counts the division alone.
    """
    from ecogov.core.scoping import Scope, scope_for

    scope = scope_for(user)
    if division is None:
        return user
    if not scope.sees_ledgers:
        return user
    if not scope.everything and not scope.covers_division(division):
        raise PermissionError("division outside the user's scope")
    narrowed = copy.copy(user)
    narrowed._ecogov_scope = Scope(
        user_id=None,
        organisation_id=None,
        division_path=division.path,
        everything=False,
        sees_ledgers=True,
        read_only=True,
    )
    return narrowed


def figures_for(
    user, period: Period, *, division=None, areas: Iterable[str] | None = None
) -> list[Figure]:
    """Every registered figure for the period, in the user's scope (and division), area order."""
    from dataclasses import replace

    from ecogov.core.areas import AREAS
    from ecogov.core.jobs import report  # a job's page, or a command's progress bar

    who = narrowed_to(user, division)
    result: list[Figure] = []
    wanted = set(areas) if areas is not None else None
    chosen = [a for a in AREAS.values() if wanted is None or a.key in wanted]
    for done, area in enumerate(chosen):
        report(_("计算数据项"), done, len(chosen))
        for provider in area.figures:
            result.extend(replace(f, area=area.key) for f in provider(who, period))
    report(_("计算数据项"), len(chosen), len(chosen))
    return result


def by_key(figures: Iterable[Figure]) -> dict[str, Figure]:
    return {f.key: f for f in figures}


def invariant_breaches(figures: Iterable[Figure]) -> list[str]:
    """What breaks "a figure equals its records" (docs/figures.md), one line per breach.

    count: value == records.count(); sum: value == round(Σ field / scale); credit: value ==
    Σ field (the share annotated on each record); ratio: value == 100 × its parts' values.
    An empty list means every figure is traceable to exactly its records.
    """
    from django.db.models import Sum

    figures = list(figures)
    known = by_key(figures)
    breaches = []
    for f in figures:
        if f.kind in (Kind.COUNT, Kind.SUM, Kind.CREDIT) and f.records is None:
            breaches.append(f"{f.key}: {f.kind} without records")
            continue
        if f.kind is Kind.COUNT:
            expected = f.records.count()
        elif f.kind in (Kind.SUM, Kind.CREDIT):
            if not f.field:
                breaches.append(f"{f.key}: {f.kind} without the field it sums")
                continue
            total = f.records.aggregate(total=Sum(f.field))["total"] or 0
            expected = round_to(Decimal(total) / f.scale, f.places)
            if f.kind is Kind.SUM and f.places is None and f.scale == 1:
                expected = total
        elif f.kind is Kind.RATIO:
            parts = [known.get(k) for k in f.parts]
            if len(parts) != 2 or None in parts:
                breaches.append(f"{f.key}: ratio of missing figures {f.parts}")
                continue
            places = -Decimal(f.value).as_tuple().exponent if f.value is not None else 1
            expected = ratio(f.key, f.label, *parts, places=max(places, 0)).value
        else:
            continue
        if expected != f.value and not (
            expected is not None and f.value is not None and Decimal(expected) == Decimal(f.value)
        ):
            breaches.append(f"{f.key}: value {f.value}, its records give {expected}")
    return breaches


# --- the core registry's own figures ------------------------------------------------------------
def entity_figures(user, period: Period | int) -> list[Figure]:
    from ecogov.core.models import EntityEvent, RegulatedEntity

    if isinstance(period, int):
        period = Period.of_year(period)
    entities = RegulatedEntity.objects.visible_to(user)
    model = "core.RegulatedEntity"
    registered = entities.filter(
        pk__in=EntityEvent.objects.filter(
            type=EntityEvent.Type.REGISTERED,
            occurred_at__date__gte=period.start,
            occurred_at__date__lte=period.end,
        ).values("record_id")
    )
    key_dischargers = entities.filter(is_key_discharger=True)
    return [
        Figure(
            "core.entities.total",
            "排污单位总数",
            entities.count(),
            "家",
            model,
            records=entities,
            definition="名录中在用户数据范围内的排污单位",
        ),
        Figure(
            "core.entities.key_dischargers",
            "重点排污单位",
            key_dischargers.count(),
            "家",
            model,
            {"is_key_discharger": True},
            records=key_dischargers,
            definition="标为重点排污单位的",
        ),
        Figure(
            "core.entities.registered_in_year",
            f"{period.label}新登记排污单位",
            registered.count(),
            "家",
            model,
            records=registered,
            definition="期间内有“登记”事件的排污单位",
        ),
    ]
