from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "ecogov.enforcement"
    label = "enforcement"
    verbose_name = _("行政处罚")

    def ready(self):
        from ecogov.core.areas import MenuItem, register_area
        from ecogov.core.chains import register_chain
        from ecogov.core.findings import register_case_opener
        from ecogov.core.reviews import register_review_items
        from ecogov.core.roles import Role, grant
        from ecogov.enforcement import chain, queries, synth
        from ecogov.enforcement.defaults import ensure_defaults
        from ecogov.enforcement.demo import build_demo
        from ecogov.enforcement.figures import enforcement_figures
        from ecogov.enforcement.services import case_open_for_finding

        read = [
            "enforcement.view_penaltycase",
            "enforcement.view_caseevent",
            "enforcement.view_payment",
            "enforcement.view_casedisclosure",
            "enforcement.view_legalbasis",
            "enforcement.view_penaltyrule",
            "enforcement.view_enforcementpolicy",
            "enforcement.view_paymentplan",
            "enforcement.view_compulsoryexecution",
            "enforcement.view_coercivemeasure",
            "enforcement.view_dailypenalty",
            "enforcement.view_decisionchange",
        ]
        handle = [*read, "enforcement.add_penaltycase", "enforcement.change_penaltycase"]
        for role in (Role.LEADER, Role.SECTION_STAFF, Role.SUB_BUREAU_STAFF):
            grant(role, *handle)
        # the legal section keeps the statutory ranges and the thresholds (docs/procedures.md: it
        # signs each rule off) and reviews cases
        grant(
            Role.LEGAL_REVIEWER,
            *handle,
            *[
                f"enforcement.{a}_{m}"
                for m in ("legalbasis", "penaltyrule", "enforcementpolicy")
                for a in ("add", "change")
            ],
        )
        grant(Role.VIEWER, *read)
        grant(
            Role.AUDIT_ADMIN, "enforcement.view_historicalpenaltycase", "enforcement.view_caseevent"
        )

        register_area(
            "enforcement",
            synth=synth.generate,
            counters=queries.counters,
            latest_year=queries.latest_year,
            overdue=queries.overdue_items,
            demo=build_demo,
            figures=enforcement_figures,
            integrity=chain.cases_check,
            menu=[
                MenuItem(
                    _("行政处罚案件"),
                    "gavel",
                    "admin:enforcement_penaltycase_changelist",
                    "enforcement.view_penaltycase",
                ),
                MenuItem(
                    _("处罚决定公开"),
                    "campaign",
                    "admin:enforcement_casedisclosure_changelist",
                    "enforcement.view_casedisclosure",
                ),
                MenuItem(
                    _("催告与申请强制执行"),
                    "account_balance",
                    "admin:enforcement_compulsoryexecution_changelist",
                    "enforcement.view_compulsoryexecution",
                ),
                MenuItem(
                    _("查封扣押与限产停产"),
                    "lock",
                    "admin:enforcement_coercivemeasure_changelist",
                    "enforcement.view_coercivemeasure",
                ),
                MenuItem(
                    _("罚没款缴纳"),
                    "payments",
                    "admin:enforcement_payment_changelist",
                    "enforcement.view_payment",
                ),
                MenuItem(
                    _("处罚依据与罚款幅度"),
                    "menu_book",
                    "admin:enforcement_legalbasis_changelist",
                    "enforcement.view_legalbasis",
                ),
                MenuItem(
                    _("听证与审核标准"),
                    "rule",
                    "admin:enforcement_penaltyrule_changelist",
                    "enforcement.view_penaltyrule",
                ),
                MenuItem(
                    _("程序参数"),
                    "tune",
                    "admin:enforcement_enforcementpolicy_changelist",
                    "enforcement.view_enforcementpolicy",
                ),
            ],
        )
        register_case_opener(case_open_for_finding)  # inspections' findings open cases
        from ecogov.core.calendar_entry import register_provisional_recompute
        from ecogov.enforcement.services import provisional_deadlines_recompute

        register_provisional_recompute(_("行政处罚"), provisional_deadlines_recompute)
        register_review_items(
            "enforcement", queries.review_items, count=queries.review_count
        )  # the legal section's list
        register_chain(  # anchored with the security log (ecogov audit anchor)
            chain.CHAIN,
            heads=chain.chain_heads,
            hashes_at=chain.chain_hashes_at,
            check=chain.chain_check,
            describe=chain.chain_describe,
        )
        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="enforcement-defaults")
