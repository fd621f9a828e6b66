from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ecogov.core"
    label = "core"
    verbose_name = _("基础信息")

    def ready(self):
        from ecogov.core import signals  # noqa: F401  (audit and role wiring)
        from ecogov.core.areas import (
            MenuItem, register_counters, register_figures, register_menu, register_overdue,
        )
        from ecogov.core.figures import entity_figures
        from ecogov.core.queries import certificate_overdue_items, entity_counters

        register_counters("core", entity_counters)
        register_overdue("core", certificate_overdue_items)
        register_figures("core", entity_figures)
        register_menu(
            "core",
            MenuItem(_("排污单位"), "factory", "admin:core_regulatedentity_changelist",
                     "core.view_regulatedentity"),
            MenuItem(_("机构"), "apartment", "admin:core_organisation_changelist",
                     "core.view_organisation"),
            MenuItem(_("行政区划"), "map", "admin:core_division_changelist", "core.view_division"),
        )
