"""Until every area registers its own figures provider: the areas' yearly figure functions.

The figures registry (`ecogov.core.figures`) is being adopted by the areas one by one (issue
11). Meanwhile the report must see the figures the areas already compute with their older
`<area>_figures(user, year)` functions. This module registers, for each such area, a provider
that calls the old function and gives each figure its kind and its records (the model's
`visible_to(user)` filtered by the figure's lookups). A bridge stands down by itself the
moment its area has a provider of its own, so both can be installed at once; when every
area has moved, delete this module and its call in apps.py.

Limitation while bridged: the old functions count calendar years, so a cut-off day
(`until`) is not honoured by bridged figures (they say so in their definition).
"""

from __future__ import annotations

import dataclasses
import importlib
from decimal import Decimal

from django.apps import apps

from ecogov.core.areas import AREAS, register_figures
from ecogov.core.figures import Figure, Kind

# area: "module:function" of the yearly function (user, year) -> list[Figure]
LEGACY = {
    "eia": "ecogov.eia.figures:eia_figures",
    "permits": "ecogov.permits.figures:permit_figures",
    "inspections": "ecogov.inspections.figures:inspection_figures",
    "enforcement": "ecogov.enforcement.figures:enforcement_figures",
    "matters": "ecogov.matters.figures:matters_figures",
    "airquality": "ecogov.airquality.figures:airquality_figures",
}
_MONEY = {"亿元", "万元", "元"}


class _Bridge:
    def __init__(self, area: str, target: str):
        self.area, self.target = area, target

    def stands_down(self) -> bool:
        return any(not isinstance(p, _Bridge) for p in AREAS[self.area].figures)

    def __call__(self, user, period) -> list[Figure]:
        if self.stands_down():
            return []
        module, name = self.target.split(":")
        function = getattr(importlib.import_module(module), name)
        seen: set[str] = set()
        out = []
        for figure in function(user, period.year):
            if figure.key in seen:  # inspections lists its draw figures twice
                continue
            seen.add(figure.key)
            out.append(_complete(figure, user, period))
        return out


def _kind(figure: Figure) -> Kind:
    if figure.unit in ("%", "\uff05"):
        return Kind.RATIO
    if figure.model in ("airquality.Observation", "airquality.Station") or figure.unit == "":
        return Kind.MEASURED
    if isinstance(figure.value, Decimal):
        return Kind.SUM if figure.unit in _MONEY else Kind.CREDIT
    return Kind.COUNT


def _complete(figure: Figure, user, period) -> Figure:
    kind = _kind(figure)
    records = None
    if figure.model and kind is not Kind.RATIO:
        model = apps.get_model(figure.model)
        manager = model._default_manager
        base = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()
        records = base.filter(**(figure.filter or {}))
    definition = figure.definition or _("按“%(m)s”台账统计:%(label)s") % {
        "m": apps.get_model(figure.model)._meta.verbose_name if figure.model else "",
        "label": figure.label}
    if not period.is_calendar_year:
        definition += "(按全年统计,尚未按截止日计算)"
    changes = {"kind": kind, "records": records, "definition": definition}
    if not isinstance(figure.kind, Kind) and hasattr(figure, "text") and not figure.text:
        changes["text"] = str(figure.kind)  # a verdict text given in the place of `kind`
    return dataclasses.replace(figure, **changes)


def _(text):  # the definitions are data for the report; translated where they are shown
    return text


def install() -> None:
    for area, target in LEGACY.items():
        if not any(isinstance(p, _Bridge) for p in AREAS[area].figures):
            register_figures(area, _Bridge(area, target))
