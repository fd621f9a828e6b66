from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# Ledgers the drafting sections keep too (they draft documents and measures, send contracts).
_DRAFTED = ["normativedocument", "policymeasure", "policyreview", "contractreview"]
# Ledgers only the legal section keeps.
_LEGAL = [
    "cleanupcampaign",
    "cleanupitem",
    "bill",
    "billmilestone",
    "disputecase",
    "counselcontract",
    "counselopinion",
    "leadinggroup",
    "groupmember",
    "groupmeeting",
    "leaderduty",
    "studysession",
]
_CONFIG = ["legalpolicy", "reviewkind", "theme"]


class LegalConfig(AppConfig):
    name = "ecogov.legal"
    label = "legal"
    verbose_name = _("法制工作")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ecogov.core.areas import MenuItem, register_area
        from ecogov.core.reviews import register_review_items
        from ecogov.core.roles import Role, grant
        from ecogov.legal import queries, synth
        from ecogov.legal.defaults import ensure_defaults
        from ecogov.legal.demo import build_demo
        from ecogov.legal.figures import legal_figures

        view = [f"legal.view_{m}" for m in (*_DRAFTED, *_LEGAL, *_CONFIG, "legalevent")]
        edit = [f"legal.{a}_{m}" for a in ("add", "change") for m in _DRAFTED]
        grant(
            Role.LEGAL_REVIEWER,
            *view,
            *edit,
            *[f"legal.{a}_{m}" for a in ("add", "change") for m in (*_LEGAL, *_CONFIG)],
        )
        for role in (Role.LEADER, Role.SECTION_STAFF):
            grant(role, *view, *edit)
        grant(Role.SUB_BUREAU_STAFF, *view)
        grant(Role.VIEWER, *view)
        grant(
            Role.AUDIT_ADMIN,
            *[
                f"legal.view_historical{m}"
                for m in ("normativedocument", "policyreview", "disputecase", "legalpolicy")
            ],
        )

        m = "admin:legal_%s_changelist"
        register_area(
            "legal",
            synth=synth.generate,
            counters=queries.counters,
            overdue=queries.overdue_items,
            figures=legal_figures,
            demo=build_demo,
            menu=[
                MenuItem(
                    _("法制审核工作台"),
                    "fact_check",
                    "admin:legal_review_queue",
                    "legal.view_policyreview",
                ),
                MenuItem(
                    _("行政规范性文件"),
                    "description",
                    m % "normativedocument",
                    "legal.view_normativedocument",
                ),
                MenuItem(_("审查记录"), "rule", m % "policyreview", "legal.view_policyreview"),
                MenuItem(_("政策措施"), "policy", m % "policymeasure", "legal.view_policymeasure"),
                MenuItem(
                    _("文件清理"),
                    "cleaning_services",
                    m % "cleanupcampaign",
                    "legal.view_cleanupcampaign",
                ),
                MenuItem(_("立法项目"), "account_balance", m % "bill", "legal.view_bill"),
                MenuItem(_("行政复议与应诉"), "gavel", m % "disputecase", "legal.view_disputecase"),
                MenuItem(
                    _("合同合法性审查"),
                    "handshake",
                    m % "contractreview",
                    "legal.view_contractreview",
                ),
                MenuItem(
                    _("法律顾问"),
                    "support_agent",
                    m % "counselcontract",
                    "legal.view_counselcontract",
                ),
                MenuItem(
                    _("法律顾问意见"), "chat", m % "counselopinion", "legal.view_counselopinion"
                ),
                MenuItem(
                    _("法治建设领导小组"), "groups", m % "leadinggroup", "legal.view_leadinggroup"
                ),
                MenuItem(_("领导小组成员"), "person", m % "groupmember", "legal.view_groupmember"),
                MenuItem(_("领导小组会议"), "event", m % "groupmeeting", "legal.view_groupmeeting"),
                MenuItem(
                    _("第一责任人职责"), "assignment_ind", m % "leaderduty", "legal.view_leaderduty"
                ),
                MenuItem(_("集中学法"), "school", m % "studysession", "legal.view_studysession"),
                MenuItem(_("审查种类"), "category", m % "reviewkind", "legal.view_reviewkind"),
                MenuItem(_("文件主题"), "label", m % "theme", "legal.view_theme"),
                MenuItem(_("法制工作参数"), "tune", m % "legalpolicy", "legal.view_legalpolicy"),
            ],
        )
        from ecogov.core.calendar_entry import register_provisional_recompute
        from ecogov.legal.services.provisional import legal_provisional_recompute

        register_provisional_recompute(_("法制工作"), legal_provisional_recompute)
        from ecogov.core.remedies import register_remedy_periods

        register_remedy_periods(queries.remedy_periods)  # e.g. the surcharge's pause
        register_review_items("legal", queries.review_items, count=queries.review_count)
        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="legal-defaults")
