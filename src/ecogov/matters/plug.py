"""How the matters area plugs into the platform (called from MattersConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from ecogov.core.areas import (
    MenuItem,
    register_counters,
    register_demo,
    register_menu,
    register_overdue,
)
from ecogov.core.roles import Role, grant

_MATTERS = ["matter", "rectification", "petition", "proposal", "campaigntask"]
_PLAN = ["source", "aspect", "measure", "assessmentscheme"]
_READ = [
    "matterunit",
    "matterevent",
    "progresscall",
    "progressreport",
    "progresscallitem",
    "reminderlog",
]


def _perms(actions, models) -> list[str]:
    return [f"matters.{a}_{m}" for m in models for a in actions]


def plug_in() -> None:
    view_all = _perms(["view"], _MATTERS + _PLAN + _READ)
    handlers = [
        *view_all,
        *_perms(["add", "change"], _MATTERS + _PLAN),
        *_perms(["add", "change"], ["progresscall", "progressreport"]),
    ]
    for role in (Role.LEADER, Role.SECTION_STAFF, Role.SUB_BUREAU_STAFF, Role.LEGAL_REVIEWER):
        grant(role, *handlers)
    # other departments and county governments: read what is assigned, handle what they lead,
    # report progress
    grant(
        Role.DEPARTMENT_REPORTER,
        *view_all,
        *_perms(["change"], _MATTERS),
        "matters.add_progressreport",
    )
    grant(Role.VIEWER, *view_all)
    grant(Role.AUDIT_ADMIN, "matters.view_historicalmatter", "matters.view_matterevent")

    from ecogov.matters import queries
    from ecogov.matters.demo import build_demo

    register_counters("matters", queries.counters, latest_year=queries.latest_year)
    register_overdue("matters", queries.overdue_items)
    from ecogov.core.calendar_entry import register_provisional_recompute
    from ecogov.matters.services import provisional_deadlines_recompute

    register_provisional_recompute(_("督察整改与信访"), provisional_deadlines_recompute)
    register_demo("matters", build_demo)
    register_menu(
        "matters",
        MenuItem(
            _("督察整改"),
            "verified",
            "admin:matters_rectification_changelist",
            "matters.view_rectification",
        ),
        MenuItem(
            _("环境信访"), "forum", "admin:matters_petition_changelist", "matters.view_petition"
        ),
        MenuItem(
            _("建议提案"),
            "how_to_vote",
            "admin:matters_proposal_changelist",
            "matters.view_proposal",
        ),
        MenuItem(
            _("攻坚任务"),
            "flag",
            "admin:matters_campaigntask_changelist",
            "matters.view_campaigntask",
        ),
        MenuItem(_("逾期事项"), "alarm", "admin:matters-overdue", "matters.view_matter"),
        MenuItem(
            _("调度"),
            "campaign",
            "admin:matters_progresscall_changelist",
            "matters.view_progresscall",
        ),
        MenuItem(_("考核"), "leaderboard", "admin:matters-assessment", "matters.view_source"),
        MenuItem(
            _("交办批次与方案"),
            "inventory_2",
            "admin:matters_source_changelist",
            "matters.view_source",
        ),
    )
