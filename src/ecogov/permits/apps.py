from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_MODELS = ["permit", "registration", "executionreport"]


class PermitsConfig(AppConfig):
    name = "ecogov.permits"
    label = "permits"
    verbose_name = _("排污许可")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ecogov.core.areas import MenuItem, register_area
        from ecogov.core.roles import Role, grant
        from ecogov.permits import synth

        from . import demo, figures, queries

        view = [f"permits.view_{m}" for m in _MODELS]
        edit = view + [f"permits.{a}_{m}" for m in _MODELS for a in ("add", "change")]
        for role in (Role.LEADER, Role.SECTION_STAFF, Role.SUB_BUREAU_STAFF, Role.LEGAL_REVIEWER):
            grant(role, *edit)
        grant(Role.VIEWER, *view)
        grant(
            Role.AUDIT_ADMIN, "permits.view_historicalpermit", "permits.view_historicalregistration"
        )
        register_area(
            "permits",
            synth=synth.generate,
            counters=queries.counters,
            latest_year=queries.latest_year,
            overdue=queries.overdue_items,
            demo=demo.build,
            figures=figures.permit_figures,
            menu=[
                MenuItem(
                    _("排污许可证"),
                    "badge",
                    "admin:permits_permit_changelist",
                    "permits.view_permit",
                ),
                MenuItem(
                    _("排污登记"),
                    "assignment",
                    "admin:permits_registration_changelist",
                    "permits.view_registration",
                ),
                MenuItem(
                    _("执行报告"),
                    "summarize",
                    "admin:permits_executionreport_changelist",
                    "permits.view_executionreport",
                ),
            ],
        )
