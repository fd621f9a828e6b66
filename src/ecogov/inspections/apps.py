from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_EDIT = ["plan", "planquota", "seed", "conflictdeclaration", "inspectionrecord"]
_VIEW = _EDIT + ["draw", "drawcheck", "publication", "planevent", "inspectionevent"]


class InspectionsConfig(AppConfig):
    name = "ecogov.inspections"
    label = "inspections"
    verbose_name = _("执法检查")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ecogov.core.areas import MenuItem, register_area
        from ecogov.core.roles import Role, grant
        from ecogov.inspections import synth

        from . import demo, figures, queries

        view = [f"inspections.view_{m}" for m in _VIEW]
        # Drawing and publishing go through services (add_draw / change_publication open the
        # doors); nobody edits a draw's rows.
        edit = view + [f"inspections.{a}_{m}" for m in _EDIT for a in ("add", "change")]
        edit += ["inspections.add_draw", "inspections.change_publication"]
        for role in (Role.LEADER, Role.SECTION_STAFF, Role.SUB_BUREAU_STAFF):
            grant(role, *edit)
        grant(Role.LEGAL_REVIEWER, *view)
        grant(Role.VIEWER, *view)
        grant(
            Role.AUDIT_ADMIN,
            "inspections.view_historicalplan",
            "inspections.view_historicalinspectionrecord",
            "inspections.view_historicalconflictdeclaration",
        )
        register_area(
            "inspections",
            synth=synth.generate,
            counters=queries.counters,
            latest_year=queries.latest_year,
            overdue=queries.overdue_items,
            demo=demo.build,
            figures=figures.inspection_figures,
            menu=[
                MenuItem(
                    _("双随机抽查计划"),
                    "event_note",
                    "admin:inspections_plan_changelist",
                    "inspections.view_plan",
                ),
                MenuItem(
                    _("随机种子公告"),
                    "casino",
                    "admin:inspections_seed_changelist",
                    "inspections.view_seed",
                ),
                MenuItem(
                    _("抽取记录"),
                    "shuffle",
                    "admin:inspections_draw_changelist",
                    "inspections.view_draw",
                ),
                MenuItem(
                    _("回避申报"),
                    "do_not_disturb_on",
                    "admin:inspections_conflictdeclaration_changelist",
                    "inspections.view_conflictdeclaration",
                ),
                MenuItem(
                    _("执法检查记录"),
                    "fact_check",
                    "admin:inspections_inspectionrecord_changelist",
                    "inspections.view_inspectionrecord",
                ),
                MenuItem(
                    _("待公开与已公开"),
                    "public",
                    "admin:inspections_publication_changelist",
                    "inspections.view_publication",
                ),
            ],
        )
