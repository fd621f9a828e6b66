"""The back office's home page: the areas' counts for a chosen year and the user's overdue items.

The year: the one the user picked (kept in the session), else the year in which most areas last
recorded something year-based (each area's `latest_year(user, until)`, registered with its
counters; until = this year), else this year. A bureau at work records in the current year in
every area, so it opens on the current year; the demo 示例市, whose ledgers are of 2020 (one
permit is issued "today"), opens on 2020. A deployment may fix the default with the setting
ECOGOV_DEFAULT_YEAR.

The areas' counts and the overdue items are kept for a short while (ECOGOV_DASHBOARD_CACHE_SECONDS,
60 s by default; 0 turns it off) per user, year and day: building them takes ~50 queries, and a
user goes back to the dashboard often. Any save or delete of a ledger record through the ORM
forgets every kept dashboard at once (a generation number in the cache), so a user sees his own
change; a bulk write that sends no signal shows within the minute. The page says when its
figures were counted and offers to count them again (?refresh=1). Several app servers must share
one cache (CACHES) for the generation to reach them all (docs/architecture.md, dashboard).

The overdue list is grouped by area (the sidebar's order), most overdue first within an area,
filtered by area, overdue or due soon and text, and paged; all of it by query string, so it
works without JavaScript.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.areas import AREAS
from ecogov.core.queries import overdue_items_for
from ecogov.core.scoping import scope_for

YEAR_SESSION_KEY = "ecogov_dashboard_year"
FIRST_YEAR = 2000  # the earliest year the picker accepts
PICKER_YEARS = 12  # how many years the picker lists (back from this year)
OVERDUE_PER_PAGE = 20


class OverdueList(list):
    """An area's overdue items when it lists only its earliest ones: `total` is how many there
    are in all, `url` the area's own full list."""

    def __init__(self, items, *, total: int, url: str = ""):
        super().__init__(items)
        self.total = total
        self.url = url


@dataclass(frozen=True)
class OverdueFilter:
    area: str = ""
    due: str = ""  # "" | "overdue" | "soon"
    text: str = ""

    def query(self, **changes) -> str:
        values = {"area": self.area, "due": self.due, "q": self.text, **changes}
        return "?" + urlencode({k: v for k, v in values.items() if v})


def dashboard_callback(request, context):
    user = request.user
    scope = scope_for(user)
    today = timezone.localdate()
    context["ecogov_calendar_warning"] = _calendar_warning(user, today)
    context.update(
        {
            "ecogov_today": today,
            "ecogov_admin_only": not scope.sees_ledgers,
            "ecogov_scope_label": _scope_label(user, scope),
        }
    )
    if not scope.sees_ledgers:
        context.update({"ecogov_areas": [], "ecogov_overdue_page": None})
        return context
    year, year_error = chosen_year(request, today)
    counted = dashboard_figures(user, year, today, refresh="refresh" in request.GET)
    areas = [
        {
            "key": area.key,
            "label": area.label,
            "icon": area.icon,
            "landed": area.landed,
            "counters": counted.counters.get(area.key, []),
        }
        for area in AREAS.values()
    ]
    context.update(
        {
            "title": _("%(year)d年工作台") % {"year": year},
            "ecogov_year": year,
            "ecogov_year_error": year_error,
            "ecogov_years": list(range(today.year, min(year, today.year - PICKER_YEARS) - 1, -1)),
            "ecogov_areas": areas,
            "ecogov_counted_at": counted.at,
            "ecogov_refresh_url": OverdueFilter().query(refresh=1),
            **overdue_context(request, counted.overdue, today),
        }
    )
    return context


# --- kept figures -----------------------------------------------------------------------------
GENERATION_KEY = "ecogov:dashboard:generation"
# Writes to these do not change what the dashboard counts (sessions, the security log, lockouts).
_NOT_LEDGER_APPS = {"sessions", "axes", "admin", "contenttypes"}
_NOT_LEDGER_MODELS = {"core.auditlogentry", "auth.permission"}


@dataclass
class DashboardFigures:
    counters: dict  # area key -> list[Counter]
    overdue: list  # OverdueItems
    at: object  # when they were counted (aware datetime)


def dashboard_figures(user, year: int, today, *, refresh: bool = False) -> DashboardFigures:
    seconds = getattr(settings, "ECOGOV_DASHBOARD_CACHE_SECONDS", 60)
    key = None
    if seconds > 0:
        generation = cache.get_or_set(GENERATION_KEY, 0, None)
        key = f"ecogov:dashboard:{user.pk}:{year}:{today.isoformat()}:{generation}"
        kept = None if refresh else cache.get(key)
        if kept is not None:
            return kept
    counted = DashboardFigures(
        counters={
            area.key: [c for provider in area.counters for c in provider(user, year)]
            for area in AREAS.values()
        },
        overdue=overdue_items_for(user),
        at=timezone.localtime(),
    )
    if key is not None:
        cache.set(key, counted, seconds)
    return counted


def forget_dashboards(sender=None, **kwargs) -> None:
    """A ledger record changed: every kept dashboard is counted again on its next view."""
    meta = getattr(sender, "_meta", None)
    if meta is not None and (
        meta.app_label in _NOT_LEDGER_APPS or meta.label_lower in _NOT_LEDGER_MODELS
    ):
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted)
        cache.set(GENERATION_KEY, 1, None)


post_save.connect(forget_dashboards, dispatch_uid="ecogov-dashboard-save")
post_delete.connect(forget_dashboards, dispatch_uid="ecogov-dashboard-delete")
m2m_changed.connect(forget_dashboards, dispatch_uid="ecogov-dashboard-m2m")


# --- the year ---------------------------------------------------------------------------------
def chosen_year(request, today) -> tuple[int, str]:
    """The year the dashboard shows, and a message if the one asked for was refused."""
    error = ""
    asked = request.GET.get("year")
    if asked is not None:
        try:
            year = int(asked.strip())
        except ValueError:
            year = None
        if year is None or not FIRST_YEAR <= year <= today.year + 1:
            error = _("年份“%(asked)s”无效:请选择 %(first)d 年至 %(last)d 年之间的年份。") % {
                "asked": asked[:20],
                "first": FIRST_YEAR,
                "last": today.year + 1,
            }
        else:
            request.session[YEAR_SESSION_KEY] = year
    year = request.session.get(YEAR_SESSION_KEY)
    if not isinstance(year, int):
        year = default_year(request.user, today)
        request.session[YEAR_SESSION_KEY] = year  # asked once per session
    return year, error


def default_year(user, today) -> int:
    configured = getattr(settings, "ECOGOV_DEFAULT_YEAR", None)
    if configured:
        return int(configured)
    latest = Counter(
        year
        for area in AREAS.values()
        for provider in area.record_years
        if (year := provider(user, today.year)) is not None
    )
    if not latest:
        return today.year
    # the year most areas last recorded in (a tie: the later one). One area with a record of
    # this year (the demo issues a permit "today") does not move the demo off its 2020 ledgers.
    return max(latest.items(), key=lambda pair: (pair[1], pair[0]))[0]


# --- the overdue list -------------------------------------------------------------------------
def overdue_context(request, items, today) -> dict:
    wanted = OverdueFilter(
        area=request.GET.get("area", "").strip()[:32],
        due=request.GET.get("due", "") if request.GET.get("due") in ("overdue", "soon") else "",
        text=request.GET.get("q", "").strip()[:100],
    )
    order = {key: i for i, key in enumerate(AREAS)}

    def keep(item, *, by_area: bool) -> bool:
        if by_area and wanted.area and item.area != wanted.area:
            return False
        if wanted.due and (item.due < today) != (wanted.due == "overdue"):
            return False
        return not wanted.text or wanted.text.lower() in item.label.lower()

    groups = {}
    for item in items:  # counts per area under the other filters: the area links show them
        if keep(item, by_area=False):
            group = groups.setdefault(item.area, {"overdue": 0, "soon": 0})
            group["overdue" if item.due < today else "soon"] += 1
    summary = []
    for key, counts in sorted(groups.items(), key=lambda pair: order.get(pair[0], 99)):
        partial = _partial(items, key)
        summary.append(
            {
                "key": key,
                "label": AREAS[key].label if key in AREAS else key,
                "overdue": counts["overdue"],
                "soon": counts["soon"],
                "total": partial.total if partial else None,
                "more_url": partial.url if partial else "",
                "url": wanted.query(area=key, page=""),
                "active": key == wanted.area,
            }
        )
    rows = sorted(
        (i for i in items if keep(i, by_area=True)),
        key=lambda i: (order.get(i.area, 99), i.due, i.label),
    )
    page = Paginator(rows, OVERDUE_PER_PAGE).get_page(request.GET.get("page"))
    shown, previous = [], None
    for item in page.object_list:
        shown.append(
            {
                "item": item,
                "overdue_days": (today - item.due).days,
                "overdue": item.due < today,
                "new_group": item.area != previous,
                "area_label": AREAS[item.area].label if item.area in AREAS else item.area,
            }
        )
        previous = item.area
    return {
        "ecogov_overdue_page": page,
        "ecogov_overdue_rows": shown,
        "ecogov_overdue_summary": summary,
        "ecogov_overdue_filter": wanted,
        "ecogov_overdue_total": len(items),
        "ecogov_overdue_count": sum(1 for i in items if i.due < today),
        "ecogov_overdue_areas": [(k, a.label) for k, a in AREAS.items() if a.overdue],
        "ecogov_overdue_pages": [(n, wanted.query(page=n)) for n in page.paginator.page_range],
        "ecogov_overdue_all_url": wanted.query(area=""),
    }


def _partial(items, area_key) -> OverdueList | None:
    """The area's own OverdueList if it listed only part of its items."""
    return getattr(items, "partial", {}).get(area_key)


# --- the page's other lines -------------------------------------------------------------------
def _scope_label(user, scope) -> str:
    if scope.everything:
        return _("全部数据")
    profile = getattr(user, "staff", None)
    if not scope.sees_ledgers:
        return _("管理账户:不查看业务台账")
    if scope.division_path and profile is not None and profile.division_id:
        return _("数据范围:%s") % profile.division.name
    return _("数据范围:交办给本机构的事项")


def _calendar_warning(user, today) -> str:
    """Tell the system administrator (who keeps the override table) that next year is missing."""
    from ecogov.core.calendar import current_calendar
    from ecogov.core.roles import Role, has_role

    if not (user.is_superuser or has_role(user, Role.SYSTEM_ADMIN)):
        return ""
    if today.year + 1 in current_calendar().known_years:
        return ""
    return _(
        "%(year)d年法定节假日安排尚未录入:涉及该年的期限将显示为“暂定”。请在“系统管理 → 录入节假日安排”中录入。"
    ) % {"year": today.year + 1}
