from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_MODELS = ["outline", "section", "relation", "narrative", "publishedreport", "reportevent"]
_EDIT = ["outline", "section", "relation", "narrative"]


class ReportsConfig(AppConfig):
    name = "ecogov.reports"
    label = "reports"
    verbose_name = _("年度总结")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ecogov.core.areas import MenuItem, register_area
        from ecogov.core.roles import Role, grant

        from . import demo, queries

        view = [f"reports.view_{m}" for m in _MODELS]
        # every business role reads the year's figures and the reports
        for role in (
            Role.LEADER,
            Role.SECTION_STAFF,
            Role.SUB_BUREAU_STAFF,
            Role.LEGAL_REVIEWER,
            Role.DEPARTMENT_REPORTER,
            Role.VIEWER,
        ):
            grant(role, *view)
        # the legal section (and the leaders) write outlines and narratives and publish
        for role in (Role.LEGAL_REVIEWER, Role.LEADER):
            grant(
                role,
                *[f"reports.{a}_{m}" for m in _EDIT for a in ("add", "change", "delete")],
                "reports.add_publishedreport",
                "reports.change_publishedreport",
            )
        grant(
            Role.AUDIT_ADMIN,
            "reports.view_historicaloutline",
            "reports.view_historicalsection",
            "reports.view_historicalnarrative",
            "reports.view_reportevent",
        )
        register_area(
            "reports",
            overdue=queries.overdue_items,
            counters=queries.counters,
            demo=demo.build,
            menu=[
                MenuItem(
                    _("年度数据"), "query_stats", "admin:reports-figures", "reports.view_outline"
                ),
                MenuItem(
                    _("总结与报告"), "description", "admin:reports-report", "reports.view_outline"
                ),
                MenuItem(
                    _("提纲"),
                    "list_alt",
                    "admin:reports_outline_changelist",
                    "reports.view_outline",
                ),
                MenuItem(
                    _("年度叙述"),
                    "edit_note",
                    "admin:reports_narrative_changelist",
                    "reports.view_narrative",
                ),
                MenuItem(
                    _("已发布报告"),
                    "verified",
                    "admin:reports_publishedreport_changelist",
                    "reports.view_publishedreport",
                ),
            ],
        )
