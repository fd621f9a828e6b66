"""The back office's layout (django-unfold): the sidebar grouped by the bureau's work areas.

An area adds its screens here when its issue lands; until then its group links to a
placeholder page that says what is coming.
"""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


def _perm(codename):
    return lambda request: request.user.has_perm(codename)


def _placeholder(key, title, icon):
    return {
        "title": title,
        "separator": True,
        "collapsible": True,
        "items": [{
            "title": _("建设中"),
            "icon": icon,
            "link": reverse_lazy("ecogov-area", args=[key]),
            "permission": lambda request: request.user.is_authenticated,
        }],
    }


def _model(title, icon, app_model, perm):
    app, model = app_model.split(".")
    return {"title": title, "icon": icon,
            "link": reverse_lazy(f"admin:{app}_{model}_changelist"), "permission": _perm(perm)}


UNFOLD = {
    "SITE_TITLE": _("EcoGov 生态环境局工作平台"),
    "SITE_HEADER": _("生态环境局工作平台"),
    "SITE_SUBHEADER": _("EcoGov"),
    "SITE_SYMBOL": "eco",
    "SHOW_LANGUAGES": True,
    "DASHBOARD_CALLBACK": "ecogov.core.dashboard.dashboard_callback",
    "COLORS": {
        "primary": {
            "50": "oklch(97.9% .021 166.113)", "100": "oklch(95% .052 163.051)",
            "200": "oklch(90.5% .093 164.15)", "300": "oklch(84.5% .143 164.978)",
            "400": "oklch(76.5% .177 163.223)", "500": "oklch(69.6% .17 162.48)",
            "600": "oklch(59.6% .145 163.225)", "700": "oklch(50.8% .118 165.612)",
            "800": "oklch(43.2% .095 166.913)", "900": "oklch(37.8% .077 168.94)",
            "950": "oklch(26.2% .051 172.552)",
        },
    },
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": [
            {
                "title": _("工作台"),
                "items": [{"title": _("首页"), "icon": "dashboard",
                           "link": reverse_lazy("admin:index")}],
            },
            {
                "title": _("基础信息"),
                "separator": True,
                "collapsible": True,
                "items": [
                    _model(_("排污单位"), "factory", "core.regulatedentity",
                           "core.view_regulatedentity"),
                    _model(_("机构"), "apartment", "core.organisation", "core.view_organisation"),
                    _model(_("行政区划"), "map", "core.division", "core.view_division"),
                ],
            },
            _placeholder("eia", _("环评审批"), "approval"),
            _placeholder("permits", _("排污许可"), "badge"),
            _placeholder("inspections", _("执法检查"), "fact_check"),
            _placeholder("enforcement", _("行政处罚"), "gavel"),
            _placeholder("matters", _("交办事项"), "assignment"),
            _placeholder("airquality", _("空气质量"), "air"),
            _placeholder("legal", _("法制工作"), "balance"),
            _placeholder("outreach", _("宣传普法"), "campaign"),
            _placeholder("emergency", _("应急管理"), "emergency"),
            _placeholder("reports", _("年度总结"), "summarize"),
            {
                "title": _("系统管理"),
                "separator": True,
                "collapsible": True,
                "items": [
                    _model(_("用户与角色"), "people", "auth.user", "auth.view_user"),
                    _model(_("工作日调整"), "calendar_month", "core.workdayoverride",
                           "core.view_workdayoverride"),
                    _model(_("已录入年度"), "event_available", "core.calendaryear",
                           "core.view_calendaryear"),
                ],
            },
            {
                "title": _("安全管理"),
                "separator": True,
                "collapsible": True,
                "items": [
                    _model(_("安全策略"), "shield", "core.securitypolicy",
                           "core.view_securitypolicy"),
                    _model(_("登录失败与锁定"), "lock", "axes.accessattempt",
                           "axes.view_accessattempt"),
                ],
            },
            {
                "title": _("安全审计"),
                "separator": True,
                "collapsible": True,
                "items": [
                    _model(_("安全审计日志"), "policy", "core.auditlogentry",
                           "core.view_auditlogentry"),
                    _model(_("排污单位变更历史"), "history", "core.historicalregulatedentity",
                           "core.view_historicalregulatedentity"),
                ],
            },
        ],
    },
}
