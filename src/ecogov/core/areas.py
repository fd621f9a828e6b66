"""The bureau's work areas: what the back office groups its sidebar and dashboard by.

An area that has landed registers its dashboard counters and overdue-item providers here
(from its AppConfig.ready); an area that has not shows a placeholder page until its issue lands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse_lazy
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


@dataclass(frozen=True)
class MenuItem:
    title: str
    icon: str
    url_name: str  # e.g. "admin:core_regulatedentity_changelist"
    permission: str  # e.g. "core.view_regulatedentity"


@dataclass
class Area:
    key: str
    label: str
    icon: str
    counters: list[Callable] = field(default_factory=list)  # (user, year) -> list[Counter]
    # (user, until) -> int | None: the latest year <= until with the area's yearly records
    record_years: list[Callable] = field(default_factory=list)
    overdue: list[Callable] = field(default_factory=list)  # (user) -> list[OverdueItem]
    menu: list[MenuItem] = field(default_factory=list)
    demo: list[Callable] = field(default_factory=list)  # () -> None, adds the area to 示例市
    figures: list[Callable] = field(default_factory=list)  # (user, period) -> list[Figure]
    integrity: list[Callable] = field(default_factory=list)  # () -> integrity.CheckResult
    synth: list[Callable] = field(default_factory=list)  # (core.synth.Synth) -> None

    @property
    def landed(self) -> bool:
        return bool(self.counters or self.overdue or self.menu)


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


def register_area(
    area: str,
    *,
    counters: Callable | None = None,
    latest_year: Callable | None = None,
    overdue: Callable | None = None,
    figures: Callable | None = None,
    demo: Callable | None = None,
    synth: Callable | None = None,
    integrity: Callable | None = None,
    menu: Iterable[MenuItem] = (),
) -> None:
    """What an area plugs into core, in one call from its AppConfig.ready(); each part as the
    register_* function of its name below says."""
    if counters is not None:
        register_counters(area, counters, latest_year=latest_year)
    for register, provider in (
        (register_overdue, overdue),
        (register_figures, figures),
        (register_demo, demo),
        (register_synth, synth),
        (register_integrity, integrity),
    ):
        if provider is not None:
            register(area, provider)
    register_menu(area, *menu)


def register_counters(
    area: str, provider: Callable, *, latest_year: Callable | None = None
) -> None:
    """`provider(user, year) -> list[Counter]`: the area's dashboard tiles; every count that
    belongs to a year counts the year the dashboard shows. `latest_year(user, until)` names the
    latest year up to `until` in which the area has such records (the dashboard opens on it)."""
    AREAS[area].counters.append(provider)
    if latest_year is not None:
        AREAS[area].record_years.append(latest_year)


def register_overdue(area: str, provider: Callable) -> None:
    AREAS[area].overdue.append(provider)


def register_menu(area: str, *items: MenuItem) -> None:
    AREAS[area].menu.extend(items)


def register_figures(area: str, provider: Callable) -> None:
    """`provider(user, period) -> list[Figure]`: the area's numbers for the annual summary
    (ecogov.core.figures; `figures_for(user, period)` asks every area)."""
    AREAS[area].figures.append(provider)


def register_demo(area: str, builder: Callable) -> None:
    """`builder()` adds the area's records to 示例市 (called by core.demo.build, in area order)."""
    AREAS[area].demo.append(builder)


def register_synth(area: str, generator: Callable) -> None:
    """`generator(ctx: ecogov.core.synth.Synth)` writes the area's synthetic records
    (`ecogov synth`, called in area order after the entities)."""
    AREAS[area].synth.append(generator)


def register_integrity(area: str, check: Callable) -> None:
    """`check() -> ecogov.core.integrity.CheckResult`: recomputes the area's tamper-evident
    records (hash chains, file hashes); `ecogov restore` runs every check after a restore."""
    AREAS[area].integrity.append(check)


# The administrators' groups, after the work areas (三权分立: each sees only its own).
ADMIN_GROUPS = [
    (
        _("系统管理"),
        [
            MenuItem(_("用户与角色"), "people", "admin:auth_user_changelist", "auth.view_user"),
            MenuItem(
                _("工作人员"),
                "badge",
                "admin:core_staffprofile_changelist",
                "core.view_staffprofile",
            ),
            MenuItem(
                _("工作日调整"),
                "calendar_month",
                "admin:core_workdayoverride_changelist",
                "core.view_workdayoverride",
            ),
            MenuItem(
                _("录入节假日安排"),
                "edit_calendar",
                "admin:core_calendar_enter",
                "core.add_calendaryear",
            ),
            MenuItem(
                _("已录入年度"),
                "event_available",
                "admin:core_calendaryear_changelist",
                "core.view_calendaryear",
            ),
            MenuItem(_("接口令牌"), "key", "admin:core_apitoken_changelist", "core.view_apitoken"),
            # 后台任务 is in 基础信息 (core's menu, apps.py), for everyone who starts jobs
        ],
    ),
    (
        _("安全管理"),
        [
            MenuItem(
                _("安全策略"),
                "shield",
                "admin:core_securitypolicy_changelist",
                "core.view_securitypolicy",
            ),
            MenuItem(
                _("登录失败与锁定"),
                "lock",
                "admin:axes_accessattempt_changelist",
                "axes.view_accessattempt",
            ),
        ],
    ),
    (
        _("安全审计"),
        [
            MenuItem(
                _("安全审计日志"),
                "policy",
                "admin:core_auditlogentry_changelist",
                "core.view_auditlogentry",
            ),
            MenuItem(
                _("哈希链锚点"),
                "anchor",
                "admin:core_chainanchor_changelist",
                "core.view_chainanchor",
            ),
            MenuItem(
                _("排污单位变更历史"),
                "history",
                "admin:core_historicalregulatedentity_changelist",
                "core.view_historicalregulatedentity",
            ),
        ],
    ),
    (
        # shared by the three administrators: one asks, another approves (两人规则)
        _("管理员账户"),
        [
            MenuItem(
                _("密码重置申请"),
                "key",
                "admin:core_credentialresetrequest_changelist",
                "core.view_credentialresetrequest",
            ),
        ],
    ),
]


def _menu_entry(item: MenuItem) -> dict:
    return {
        "title": item.title,
        "icon": item.icon,
        "link": reverse_lazy(item.url_name),
        "permission": lambda request, perm=item.permission: request.user.has_perm(perm),
    }


def sidebar_navigation(request) -> list[dict]:
    """The back office's sidebar (django-unfold calls this per request): one group per area.

    An area that has not landed yet links to its placeholder page.
    """
    groups = [
        {
            "title": _("工作台"),
            "items": [
                {"title": _("首页"), "icon": "dashboard", "link": reverse_lazy("admin:index")}
            ],
        }
    ]
    for area in AREAS.values():
        if area.key == "portal":
            continue  # the public portal is not a back-office screen
        items = [_menu_entry(item) for item in area.menu] or [
            {
                "title": _("建设中"),
                "icon": area.icon,
                "link": reverse_lazy("ecogov-area", args=[area.key]),
            }
        ]
        groups.append({"title": area.label, "separator": True, "collapsible": True, "items": items})
    for title, items in ADMIN_GROUPS:
        groups.append(
            {
                "title": title,
                "separator": True,
                "collapsible": True,
                "items": [_menu_entry(item) for item in items],
            }
        )
    return groups
