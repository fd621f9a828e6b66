from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_MODELS = ["drill", "incident", "contingencyplan"]


class EmergencyConfig(AppConfig):
    name = "ecogov.emergency"
    label = "emergency"
    verbose_name = _("应急管理")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ecogov.core.areas import MenuItem, register_area
        from ecogov.core.roles import Role, grant
        from ecogov.emergency import synth

        from . import demo, figures, queries

        view = [f"emergency.view_{m}" for m in _MODELS]
        edit = view + [f"emergency.{a}_{m}" for m in _MODELS for a in ("add", "change")]
        for role in (Role.LEADER, Role.SECTION_STAFF, Role.SUB_BUREAU_STAFF, Role.LEGAL_REVIEWER):
            grant(role, *edit)
        grant(Role.VIEWER, *view)
        grant(Role.AUDIT_ADMIN, *[f"emergency.view_historical{m}" for m in _MODELS])
        register_area(
            "emergency",
            synth=synth.generate,
            counters=queries.counters,
            overdue=queries.overdue_items,
            figures=figures.emergency_figures,
            demo=demo.build,
            menu=[
                MenuItem(
                    _("应急演练"),
                    "emergency",
                    "admin:emergency_drill_changelist",
                    "emergency.view_drill",
                ),
                MenuItem(
                    _("突发环境事件"),
                    "warning",
                    "admin:emergency_incident_changelist",
                    "emergency.view_incident",
                ),
                MenuItem(
                    _("应急预案备案"),
                    "description",
                    "admin:emergency_contingencyplan_changelist",
                    "emergency.view_contingencyplan",
                ),
            ],
        )
