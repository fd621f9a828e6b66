from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_MODELS = [
    "eiaproject",
    "eiapause",
    "eianotice",
    "zoningscreening",
    "controlunit",
    "zoningdataset",
    "regionalsuspension",
    "eiarereview",
    "eiaacceptance",
    "eiaspotcheck",
]


class EiaConfig(AppConfig):
    name = "ecogov.eia"
    label = "eia"
    verbose_name = _("环评审批")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ecogov.core.areas import MenuItem, register_area
        from ecogov.core.roles import Role, grant
        from ecogov.eia import synth

        from . import demo, figures, queries, screening  # noqa: F401  (screening: cache invalidation)

        # the event tables are read on the record's page (its 办理记录), never edited
        view = [f"eia.view_{m}" for m in _MODELS + ["eiaevent", "suspensionevent"]]
        edit = view + [f"eia.{a}_{m}" for m in _MODELS for a in ("add", "change")]
        for role in (Role.LEADER, Role.SECTION_STAFF, Role.LEGAL_REVIEWER):
            grant(role, *edit)
        # a regional suspension is the city bureau's decision; a sub-bureau reads its county's
        city_only = {f"eia.{a}_regionalsuspension" for a in ("add", "change")}
        grant(Role.SUB_BUREAU_STAFF, *[p for p in edit if p not in city_only])
        grant(Role.VIEWER, *view)
        grant(
            Role.AUDIT_ADMIN,
            "eia.view_historicaleiaproject",
            "eia.view_historicalcontrolunit",
            "eia.view_historicalzoningscreening",
            "eia.view_historicalregionalsuspension",
            "eia.view_historicaleiarereview",
            "eia.view_historicaleiaacceptance",
            "eia.view_historicaleiaspotcheck",
        )
        _value_labels()
        register_area(
            "eia",
            synth=synth.generate,
            counters=queries.counters,
            latest_year=queries.latest_year,
            overdue=queries.overdue_items,
            demo=demo.build,
            figures=figures.eia_figures,
            menu=[
                MenuItem(
                    _("建设项目环评"),
                    "approval",
                    "admin:eia_eiaproject_changelist",
                    "eia.view_eiaproject",
                ),
                MenuItem(
                    _("区域限批"),
                    "block",
                    "admin:eia_regionalsuspension_changelist",
                    "eia.view_regionalsuspension",
                ),
                MenuItem(
                    _("环评重新审核"),
                    "history",
                    "admin:eia_eiarereview_changelist",
                    "eia.view_eiarereview",
                ),
                MenuItem(
                    _("竣工环保验收"),
                    "task_alt",
                    "admin:eia_eiaacceptance_changelist",
                    "eia.view_eiaacceptance",
                ),
                MenuItem(
                    _("验收抽查"),
                    "fact_check",
                    "admin:eia_eiaspotcheck_changelist",
                    "eia.view_eiaspotcheck",
                ),
                MenuItem(
                    _("三线一单筛查"),
                    "travel_explore",
                    "admin:eia_zoningscreening_changelist",
                    "eia.view_zoningscreening",
                ),
                MenuItem(
                    _("环境管控单元"),
                    "map",
                    "admin:eia_controlunit_changelist",
                    "eia.view_controlunit",
                ),
                MenuItem(
                    _("单元与规则版本"),
                    "rule",
                    "admin:eia_zoningdataset_changelist",
                    "eia.view_zoningdataset",
                ),
            ],
        )


def _value_labels() -> None:
    """The zoning engine's codes inside screenings and rule documents, as people read them."""
    from ecogov.core.display import register_value_labels

    from .zoning.rules import DEFAULT_OFFSET_FLAG
    from .zoning.units import UNIT_FLAGS, AccessKind

    register_value_labels(
        {
            **{k.value: k.label for k in AccessKind},
            **UNIT_FLAGS,
            "unit_class_in": "管控单元类别属于",
            "unit_flag": "管控单元带有标识",
            "industry_forbidden_by_unit": "行业被单元准入清单禁止",
            "industry_restricted_by_unit": "行业被单元准入清单限制",
            "project_flag_true": "项目具备",
            "project_flag_false": "项目不具备",
            "area_non_attainment_without_offset": "位于未达标区且未落实区域削减替代",
            DEFAULT_OFFSET_FLAG: "已落实区域削减替代",
        }
    )
