from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_MODELS = [
    "dutylist",
    "activity",
    "training",
    "studysession",
    "lawexam",
    "publicityitem",
    "publicitycount",
    "honour",
    "creation",
]
_HISTORY = [
    "dutylist",
    "activity",
    "training",
    "studysession",
    "lawexam",
    "publicityitem",
    "publicitycount",
    "honour",
    "creation",
]


class OutreachConfig(AppConfig):
    name = "ecogov.outreach"
    label = "outreach"
    verbose_name = _("宣传普法")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ecogov.core.areas import MenuItem, register_area
        from ecogov.core.roles import Role, grant
        from ecogov.outreach import synth

        from . import demo, figures, queries

        view = [f"outreach.view_{m}" for m in _MODELS]
        # inline children are edited on their parent's page, through the parent's service
        children = [
            f"outreach.{a}_{m}"
            for m in ("dutyitem", "activitymaterial", "trainingattendee", "examresult")
            for a in ("view", "add", "change", "delete")
        ]
        edit = view + children + [f"outreach.{a}_{m}" for m in _MODELS for a in ("add", "change")]
        for role in (Role.LEADER, Role.SECTION_STAFF, Role.SUB_BUREAU_STAFF, Role.LEGAL_REVIEWER):
            grant(role, *edit)
        grant(
            Role.VIEWER,
            *view,
            *[
                f"outreach.view_{m}"
                for m in ("dutyitem", "activitymaterial", "trainingattendee", "examresult")
            ],
        )
        grant(Role.AUDIT_ADMIN, *[f"outreach.view_historical{m}" for m in _HISTORY])
        register_area(
            "outreach",
            synth=synth.generate,
            counters=queries.counters,
            figures=figures.outreach_figures,
            demo=demo.build,
            menu=[
                MenuItem(
                    _("普法责任清单"),
                    "checklist",
                    "admin:outreach_dutylist_changelist",
                    "outreach.view_dutylist",
                ),
                MenuItem(
                    _("宣传活动"),
                    "campaign",
                    "admin:outreach_activity_changelist",
                    "outreach.view_activity",
                ),
                MenuItem(
                    _("普法培训"),
                    "school",
                    "admin:outreach_training_changelist",
                    "outreach.view_training",
                ),
                MenuItem(
                    _("干部职工学法"),
                    "menu_book",
                    "admin:outreach_studysession_changelist",
                    "outreach.view_studysession",
                ),
                MenuItem(
                    _("学法考法考试"),
                    "quiz",
                    "admin:outreach_lawexam_changelist",
                    "outreach.view_lawexam",
                ),
                MenuItem(
                    _("宣传发布月度统计"),
                    "bar_chart",
                    "admin:outreach_publicitycount_changelist",
                    "outreach.view_publicitycount",
                ),
                MenuItem(
                    _("宣传信息"),
                    "article",
                    "admin:outreach_publicityitem_changelist",
                    "outreach.view_publicityitem",
                ),
                MenuItem(
                    _("荣誉表彰"),
                    "military_tech",
                    "admin:outreach_honour_changelist",
                    "outreach.view_honour",
                ),
                MenuItem(
                    _("示范创建"),
                    "eco",
                    "admin:outreach_creation_changelist",
                    "outreach.view_creation",
                ),
            ],
        )
