"""The bureau's work areas: what the back office groups its sidebar and dashboard by.

An area that has landed registers its dashboard counters and overdue-item providers here
(from its AppConfig.ready); an area that has not shows a placeholder page until its issue lands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class OverdueItem:
    area: str
    label: str
    due: date
    url: str
    provisional: bool = False  # due date computed without the year's holiday schedule


@dataclass(frozen=True)
class Counter:
    label: str
    value: int
    url: str = ""


@dataclass
class Area:
    key: str
    label: str
    icon: str
    counters: list[Callable] = field(default_factory=list)  # (user) -> list[Counter]
    overdue: list[Callable] = field(default_factory=list)  # (user) -> list[OverdueItem]

    @property
    def landed(self) -> bool:
        return bool(self.counters or self.overdue)


AREAS: dict[str, Area] = {
    area.key: area
    for area in [
        Area("core", _("基础信息"), "apartment"),
        Area("eia", _("环评审批"), "approval"),
        Area("permits", _("排污许可"), "badge"),
        Area("inspections", _("执法检查"), "fact_check"),
        Area("enforcement", _("行政处罚"), "gavel"),
        Area("matters", _("交办事项"), "assignment"),
        Area("airquality", _("空气质量"), "air"),
        Area("legal", _("法制工作"), "balance"),
        Area("outreach", _("宣传普法"), "campaign"),
        Area("emergency", _("应急管理"), "emergency"),
        Area("reports", _("年度总结"), "summarize"),
        Area("portal", _("信息公开"), "public"),
    ]
}


def register_counters(area: str, provider: Callable) -> None:
    AREAS[area].counters.append(provider)


def register_overdue(area: str, provider: Callable) -> None:
    AREAS[area].overdue.append(provider)
