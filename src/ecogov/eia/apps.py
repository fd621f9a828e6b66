from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_MODELS = ["eiaproject", "eiapause", "eianotice", "zoningscreening", "controlunit",
           "zoningdataset"]


class EiaConfig(AppConfig):
    name = "ecogov.eia"
    label = "eia"
    verbose_name = _("环评审批")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ecogov.core.areas import (
            MenuItem, register_counters, register_demo, register_menu, register_overdue,
        )
        from ecogov.core.roles import Role, grant

        from . import demo, queries, screening  # noqa: F401  (screening: cache invalidation)

        view = [f"eia.view_{m}" for m in _MODELS]
        edit = view + [f"eia.{a}_{m}" for m in _MODELS for a in ("add", "change")]
        for role in (Role.LEADER, Role.SECTION_STAFF, Role.SUB_BUREAU_STAFF, Role.LEGAL_REVIEWER):
            grant(role, *edit)
        grant(Role.VIEWER, *view)
        grant(Role.AUDIT_ADMIN, "eia.view_historicaleiaproject", "eia.view_historicalcontrolunit",
              "eia.view_historicalzoningscreening")
        register_counters("eia", queries.counters, latest_year=queries.latest_year)
        register_overdue("eia", queries.overdue_items)
        register_demo("eia", demo.build)
        register_menu(
            "eia",
            MenuItem(_("建设项目环评"), "approval", "admin:eia_eiaproject_changelist",
                     "eia.view_eiaproject"),
            MenuItem(_("三线一单筛查"), "travel_explore", "admin:eia_zoningscreening_changelist",
                     "eia.view_zoningscreening"),
            MenuItem(_("环境管控单元"), "map", "admin:eia_controlunit_changelist",
                     "eia.view_controlunit"),
            MenuItem(_("单元与规则版本"), "rule", "admin:eia_zoningdataset_changelist",
                     "eia.view_zoningdataset"),
        )
