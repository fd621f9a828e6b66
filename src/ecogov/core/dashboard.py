"""The back office's home page: counts per work area and the user's overdue items."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.areas import AREAS
from ecogov.core.queries import overdue_items_for
from ecogov.core.scoping import scope_for


def dashboard_callback(request, context):
    user = request.user
    scope = scope_for(user)
    areas = []
    for area in AREAS.values():
        counters = [c for provider in area.counters for c in provider(user)]
        areas.append({"key": area.key, "label": area.label, "icon": area.icon,
                      "landed": area.landed, "counters": counters})
    today = timezone.localdate()
    context["ecogov_calendar_warning"] = _calendar_warning(user, today)
    overdue = overdue_items_for(user) if scope.sees_ledgers else []
    context.update({
        "ecogov_areas": areas if scope.sees_ledgers else [],
        "ecogov_overdue": [i for i in overdue if i.due < today],
        "ecogov_due_soon": [i for i in overdue if i.due >= today],
        "ecogov_today": today,
        "ecogov_admin_only": not scope.sees_ledgers,
        "ecogov_scope_label": _scope_label(user, scope),
    })
    return context


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
    return _("%(year)d年法定节假日安排尚未录入:涉及该年的期限将显示为“暂定”。请在“工作日调整”中录入。") % {
        "year": today.year + 1}
