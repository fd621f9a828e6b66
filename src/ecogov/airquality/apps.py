from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_MODELS = ["station", "observation", "importbatch", "evaluation", "airtarget"]


class AirQualityConfig(AppConfig):
    name = "ecogov.airquality"
    label = "airquality"
    verbose_name = _("空气质量")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ecogov.airquality import synth
        from ecogov.core.areas import MenuItem, register_area
        from ecogov.core.roles import Role, grant

        from . import demo, figures, queries

        view = [f"airquality.view_{m}" for m in _MODELS]
        # Importing = adding a batch; stations are kept by the same city-level staff.
        edit = view + [
            "airquality.add_importbatch",
            "airquality.add_station",
            "airquality.change_station",
        ]
        for role in (Role.LEADER, Role.SECTION_STAFF):
            grant(role, *edit)
        # Monitoring results are city-level and public: every business role may read them.
        for role in (Role.VIEWER, Role.SUB_BUREAU_STAFF, Role.LEGAL_REVIEWER):
            grant(role, *view)
        # Patrols are an ordinary territorial ledger: each unit records its own.
        patrol = ["airquality.view_patrol", "airquality.add_patrol", "airquality.change_patrol"]
        for role in (Role.LEADER, Role.SECTION_STAFF, Role.SUB_BUREAU_STAFF):
            grant(role, *patrol)
        # Annual targets: set by the unit whose territory the division is (scope rules).
        target = ["airquality.add_airtarget", "airquality.change_airtarget"]
        for role in (Role.LEADER, Role.SECTION_STAFF, Role.SUB_BUREAU_STAFF):
            grant(role, *target)
        grant(Role.VIEWER, "airquality.view_patrol")
        grant(Role.LEGAL_REVIEWER, "airquality.view_patrol")
        grant(
            Role.AUDIT_ADMIN,
            "airquality.view_historicalstation",
            "airquality.view_historicalpatrol",
            "airquality.view_historicalairtarget",
        )
        register_area(
            "airquality",
            synth=synth.generate,
            counters=queries.counters,
            demo=demo.build,
            figures=figures.airquality_figures,
            menu=[
                MenuItem(
                    _("空气质量评价"),
                    "monitoring",
                    "admin:airquality_report",
                    "airquality.view_evaluation",
                ),
                MenuItem(
                    _("监测站点"),
                    "sensors",
                    "admin:airquality_station_changelist",
                    "airquality.view_station",
                ),
                MenuItem(
                    _("小时数据"),
                    "table",
                    "admin:airquality_observation_changelist",
                    "airquality.view_observation",
                ),
                MenuItem(
                    _("数据导入"),
                    "upload_file",
                    "admin:airquality_importbatch_changelist",
                    "airquality.view_importbatch",
                ),
                MenuItem(
                    _("年度目标"),
                    "flag",
                    "admin:airquality_airtarget_changelist",
                    "airquality.view_airtarget",
                ),
                MenuItem(
                    _("巡查督导"),
                    "directions_walk",
                    "admin:airquality_patrol_changelist",
                    "airquality.view_patrol",
                ),
            ],
        )
