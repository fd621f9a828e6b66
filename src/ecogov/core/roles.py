"""Roles, as Django groups of the same name, and the model permissions each carries.

三权分立: the system, security and audit administrators each do only their own work, none
the others', and none of them touches the ledgers. `sync_roles()` runs after every migrate.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    LEADER = "leader", _("局领导")
    SECTION_STAFF = "section_staff", _("科室人员")
    SUB_BUREAU_STAFF = "sub_bureau_staff", _("分局人员")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    DEPARTMENT_REPORTER = "department_reporter", _("部门填报人员")
    VIEWER = "viewer", _("只读查看")


class AssignmentRole(models.TextChoices):
    """What an organisation or a person does with a record handed over (RecordAssignment);
    here, beside the user roles, so that scoping.py reads it without importing the models."""

    HANDLER = "handler", _("承办")
    CO_HANDLER = "co_handler", _("会办")
    READER = "reader", _("知悉")
    APPROVER = "approver", _("审批")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles that may change ledger records (within their scope).
WRITER_ROLES = frozenset(
    {
        Role.LEADER,
        Role.SECTION_STAFF,
        Role.SUB_BUREAU_STAFF,
        Role.LEGAL_REVIEWER,
        Role.DEPARTMENT_REPORTER,
    }
)

_CRUD = ("view", "add", "change", "delete")
_LEDGER_VIEW = [
    "core.view_regulatedentity",
    "core.view_attachment",
    "core.view_division",
    "core.view_organisation",
    "core.view_staffprofile",
]
_LEDGER_EDIT = _LEDGER_VIEW + [
    "core.add_regulatedentity",
    "core.change_regulatedentity",
    "core.add_attachment",
    "core.view_job",  # their own imports' jobs (core/admin/jobs.py)
]


# 两人规则: each administrator asks for and approves the others' password resets
_RESET_REQUESTS = ["core.view_credentialresetrequest", "core.add_credentialresetrequest"]


def _crud(model: str, actions=_CRUD) -> list[str]:
    app, name = model.split(".")
    return [f"{app}.{action}_{name}" for action in actions]


# Each area adds its own permissions to these lists in its apps.ready() via `grant`.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.SYSTEM_ADMIN: [
        *_crud("auth.user"),
        *_RESET_REQUESTS,
        "auth.view_group",
        *_crud("core.division"),
        *_crud("core.organisation"),
        *_crud("core.staffprofile"),
        *_crud("core.workdayoverride"),
        *_crud("core.calendaryear"),
        "core.view_job",  # every job, to tell whether the worker runs
        *_crud("core.apitoken", ("view", "add", "change")),  # issue and revoke (core/api_tokens.py)
    ],
    Role.SECURITY_ADMIN: [
        "core.view_securitypolicy",
        "core.change_securitypolicy",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
        *_RESET_REQUESTS,
    ],
    Role.AUDIT_ADMIN: [
        "core.view_auditlogentry",
        "core.view_chainanchor",
        "core.view_chainanchorhead",
        "core.view_historicalregulatedentity",
        "core.view_historicalstaffprofile",
        "core.view_historicaldivision",
        "core.view_historicalorganisation",
        *_RESET_REQUESTS,
    ],
    Role.LEADER: list(_LEDGER_EDIT),
    Role.SECTION_STAFF: list(_LEDGER_EDIT),
    Role.SUB_BUREAU_STAFF: list(_LEDGER_EDIT),
    Role.LEGAL_REVIEWER: list(_LEDGER_EDIT),
    Role.DEPARTMENT_REPORTER: list(_LEDGER_VIEW),
    Role.VIEWER: list(_LEDGER_VIEW),
}


def grant(role: str, *perms: str) -> None:
    """Let an area add its permissions to a role (called from AppConfig.ready)."""
    for perm in perms:
        if perm not in ROLE_PERMISSIONS[role]:
            ROLE_PERMISSIONS[role].append(perm)


def sync_roles() -> None:
    """Make each role's group carry exactly its permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)


def roles_of(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_ecogov_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._ecogov_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))
