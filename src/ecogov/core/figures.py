"""Statistics of the core registry for a scope, each with the filter that selects its records.

The report knows no area's models: it asks each area's figures module for named `Figure`s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ecogov.core.models import EntityEvent, RegulatedEntity


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | Decimal
    unit: str
    model: str  # app_label.ModelName of the records behind the number
    filter: dict = field(default_factory=dict)  # the lookups selecting them, for drill-down


def entity_figures(user, year: int) -> list[Figure]:
    entities = RegulatedEntity.objects.visible_to(user)
    registered = {"events__type": EntityEvent.Type.REGISTERED, "events__occurred_at__year": year}
    return [
        Figure("core.entities.total", "排污单位总数", entities.count(), "家", "core.RegulatedEntity"),
        Figure("core.entities.key_dischargers", "重点排污单位", entities.filter(
            is_key_discharger=True).count(), "家", "core.RegulatedEntity",
            {"is_key_discharger": True}),
        Figure("core.entities.registered_in_year", f"{year}年新登记排污单位",
               entities.filter(**registered).distinct().count(), "家",
               "core.RegulatedEntity", registered),
    ]
