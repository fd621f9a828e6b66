"""Account services under 三权分立 (separation of powers): who may change which account.

- The system administrator creates, edits, resets, activates and deactivates ordinary staff
  accounts only. An account that holds an administrator role (system, security, audit) or the
  leader's role is *protected*: nobody changes it directly in the system.
- A protected account's password is reset by two administrators: one asks
  (`credential_reset_request`), another one, who holds a different administrator role, approves
  (`credential_reset_approve`); only then is a temporary password set.
- A password that someone else set (a new account, any reset) must be changed at the next login
  (`PasswordState.must_change`; `middleware.MustChangePasswordMiddleware` sends the user to the
  password page before anything else).
- Every account creation and change, activation, deactivation, password change and reset, and
  every step of a reset request is a row of the security audit log (`audit.record`).

Conventions as in `services.py`: `<entity>_<action>(*, actor, …)`, atomic, refusing with
`ValidationError` (Chinese, naming the field) or `PermissionDenied` (Chinese). See
docs/security.md.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core import audit
from ecogov.core.models import CredentialResetRequest, PasswordState, ResetState, SecurityEvent
from ecogov.core.roles import ADMIN_ROLES, Role, roles_of

# Accounts the system administrator cannot change: the three administrators and the leader.
PROTECTED_ROLES = ADMIN_ROLES | {Role.LEADER}
# The session remembers from the login that the password must be changed first (a reset
# changes the password, which ends every session of the account: the login sees the flag).
MUST_CHANGE_SESSION_KEY = "ecogov_must_change_password"
# The fields of an account the user screen edits (roles: services.staff_set_roles).
ACCOUNT_FIELDS = ["username", "is_active"]


def is_protected(user) -> bool:
    return bool(user.is_superuser or roles_of(user) & PROTECTED_ROLES)


def is_administrator(user) -> bool:
    return bool(roles_of(user) & ADMIN_ROLES)


def manage_refusal(actor, user=None) -> str | None:
    """Why `actor` may not create (`user` None) or change `user` directly; None if he may."""
    if not (actor.is_superuser or Role.SYSTEM_ADMIN in roles_of(actor)):
        return _("只有系统管理员可以管理用户账户。")
    if user is not None and is_protected(user):
        return _(
            "三权分立:“%(user)s”持有管理员角色或为局领导,系统管理员不能直接修改该账户;"
            "其密码须由一名管理员提出重置申请、另一名管理员批准。"
        ) % {"user": user}
    return None


def may_manage(actor, user=None) -> bool:
    return manage_refusal(actor, user) is None


def ensure_may_manage(actor, user=None) -> None:
    refusal = manage_refusal(actor, user)
    if refusal is not None:
        raise PermissionDenied(refusal)


def check_new_password(user, password: str, *, field: str = "password") -> None:
    """The password policy (settings.AUTH_PASSWORD_VALIDATORS), refused naming the field."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _store_password(user, password: str, *, must_change: bool) -> None:
    user.set_password(password)
    user._ecogov_password_recorded = True  # the caller writes the audit row (signals.py)
    try:
        user.save()
    finally:
        user.__dict__.pop("_ecogov_password_recorded", None)
    PasswordState.objects.update_or_create(
        user=user, defaults={"must_change": must_change, "changed_at": timezone.now()}
    )


def must_change_password(user) -> bool:
    return PasswordState.objects.filter(user=user, must_change=True).exists()


# --- accounts the system administrator manages ---------------------------------------------
@transaction.atomic
def account_create(*, actor, username: str, password: str, is_active: bool = True) -> User:
    """A staff account that signs in to the back office; its first password must be changed."""
    ensure_may_manage(actor)
    user = User(username=username, is_staff=True, is_active=is_active)
    user.full_clean(exclude=["password"])
    check_new_password(user, password, field="password1")
    _store_password(user, password, must_change=True)
    audit.record(
        SecurityEvent.ACCOUNT_CREATED,
        username=actor.get_username(),
        detail={"user": user.get_username(), "active": user.is_active},
    )
    return user


@transaction.atomic
def account_update(*, actor, user: User, data: dict) -> list[str]:
    """Change an ordinary account's login name or activation; each change is audited."""
    ensure_may_manage(actor, user)
    unknown = set(data) - set(ACCOUNT_FIELDS)
    if unknown:
        raise ValidationError({name: _("该字段不允许修改。") for name in sorted(unknown)})
    current = User.objects.select_for_update().get(pk=user.pk)
    changed = [
        name for name in ACCOUNT_FIELDS if name in data and getattr(current, name) != data[name]
    ]
    if not changed:
        return []
    before = current.get_username()
    for name in changed:
        setattr(current, name, data[name])
    current.full_clean(exclude=["password"])
    current.save(update_fields=changed)
    for name in changed:
        setattr(user, name, getattr(current, name))
    if "username" in changed:
        audit.record(
            SecurityEvent.ACCOUNT_CHANGED,
            username=actor.get_username(),
            detail={"user": current.get_username(), "before": before},
        )
    if "is_active" in changed:
        audit.record(
            SecurityEvent.ACCOUNT_ACTIVATED
            if current.is_active
            else SecurityEvent.ACCOUNT_DEACTIVATED,
            username=actor.get_username(),
            detail={"user": current.get_username()},
        )
    return changed


@transaction.atomic
def account_password_reset(*, actor, user: User, password: str) -> None:
    """The system administrator sets an ordinary account's password; it must be changed at the
    account's next login. A protected account goes through `credential_reset_request`."""
    ensure_may_manage(actor, user)
    check_new_password(user, password, field="password1")
    _store_password(user, password, must_change=True)
    audit.record(
        SecurityEvent.PASSWORD_RESET,
        username=actor.get_username(),
        detail={"user": user.get_username()},
    )


def check_own_password_change(user, old_password: str, new_password: str) -> None:
    """The rules of a user's own change, for the form and the service alike."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("原密码不正确,请重新输入。")})
    if old_password == new_password:
        raise ValidationError({"new_password1": _("新密码不能与原密码相同。")})
    check_new_password(user, new_password, field="new_password1")


@transaction.atomic
def account_password_change(*, actor, old_password: str, new_password: str) -> None:
    """A user changes his own password (this clears the must-change flag)."""
    check_own_password_change(actor, old_password, new_password)
    _store_password(actor, new_password, must_change=False)
    audit.record(SecurityEvent.PASSWORD_CHANGED, username=actor.get_username())


# --- two-person reset of a protected account -----------------------------------------------
def request_refusal(actor, account=None) -> str | None:
    """Why `actor` may not ask for `account`'s reset (None: he may)."""
    if not is_administrator(actor):
        return _("只有系统、安全、审计管理员可以申请重置管理员或局领导的密码。")
    if account is None:
        return None
    if account.pk == actor.pk:
        return _("不能为本人申请重置密码;请在“修改密码”中修改本人密码。")
    if account.is_superuser or not is_protected(account):
        return _("普通工作人员的密码由系统管理员直接重置,无需申请。")
    return None


def approval_refusal(actor, reset_request: CredentialResetRequest) -> str | None:
    """Why `actor` may not approve the request (None: he may)."""
    if reset_request.state != ResetState.PENDING:
        return _("该申请已处理,不能再批准。")
    if not is_administrator(actor):
        return _("只有系统、安全、审计管理员可以批准重置申请。")
    if actor.pk == reset_request.requested_by_id:
        return _("两人规则:申请人不能批准本人提出的申请,须由另一名管理员批准。")
    if actor.pk == reset_request.account_id:
        return _("不能批准重置本人密码的申请。")
    if roles_of(actor) & roles_of(reset_request.requested_by) & ADMIN_ROLES:
        return _("三权分立:批准人须与申请人担任不同的管理员角色。")
    return None


def rejection_refusal(actor, reset_request: CredentialResetRequest) -> str | None:
    """Why `actor` may not reject (or, as its requester, withdraw) the request."""
    if reset_request.state != ResetState.PENDING:
        return _("该申请已处理,不能再驳回。")
    if not is_administrator(actor):
        return _("只有系统、安全、审计管理员可以驳回重置申请。")
    if actor.pk == reset_request.account_id:
        return _("不能处理重置本人密码的申请。")
    return None


@transaction.atomic
def credential_reset_request(*, actor, account: User, reason: str) -> CredentialResetRequest:
    refusal = request_refusal(actor)
    if refusal is not None:
        raise PermissionDenied(refusal)
    refusal = request_refusal(actor, account)
    if refusal is not None:
        raise ValidationError({"account": refusal})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写申请理由(例如本人遗忘密码、账户疑似被盗用)。")})
    pending = ValidationError({"account": _("该账户已有一份待批准的重置申请。")})
    User.objects.select_for_update().filter(pk=account.pk).first()  # one request at a time
    if CredentialResetRequest.objects.filter(account=account, state=ResetState.PENDING).exists():
        raise pending
    try:
        with transaction.atomic():
            reset_request = CredentialResetRequest.objects.create(
                account=account, reason=reason, requested_by=actor
            )
    except IntegrityError as exc:  # a second request at the same moment (SQLite locks no row)
        raise pending from exc
    audit.record(
        SecurityEvent.RESET_REQUESTED,
        username=actor.get_username(),
        detail={"user": account.get_username(), "request": reset_request.pk, "reason": reason},
    )
    return reset_request


_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _temporary_password(user) -> str:
    while True:
        groups = ["".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(3)]
        password = "-".join(groups)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


@transaction.atomic
def credential_reset_approve(*, actor, reset_request: CredentialResetRequest) -> str:
    """Approve another administrator's request: the account gets a temporary password, which is
    returned (shown once to the approver) and must be changed at the account's next login."""
    reset_request = (
        CredentialResetRequest.objects.select_for_update()
        .select_related("account", "requested_by")
        .get(pk=reset_request.pk)
    )
    refusal = approval_refusal(actor, reset_request)
    if refusal is not None:
        raise PermissionDenied(refusal)
    account = reset_request.account
    password = _temporary_password(account)
    _store_password(account, password, must_change=True)
    reset_request.state = ResetState.APPROVED
    reset_request.decided_by = actor
    reset_request.decided_at = timezone.now()
    reset_request.save(update_fields=["state", "decided_by", "decided_at"])
    audit.record(
        SecurityEvent.PASSWORD_RESET,
        username=actor.get_username(),
        detail={
            "user": account.get_username(),
            "request": reset_request.pk,
            "requested_by": reset_request.requested_by.get_username(),
            "approved_by": actor.get_username(),
        },
    )
    return password


@transaction.atomic
def credential_reset_reject(
    *, actor, reset_request: CredentialResetRequest, note: str
) -> CredentialResetRequest:
    """Reject a request (its requester withdraws it the same way); the password stays."""
    reset_request = (
        CredentialResetRequest.objects.select_for_update()
        .select_related("account")
        .get(pk=reset_request.pk)
    )
    refusal = rejection_refusal(actor, reset_request)
    if refusal is not None:
        raise PermissionDenied(refusal)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写驳回理由。")})
    reset_request.state = ResetState.REJECTED
    reset_request.decided_by = actor
    reset_request.decided_at = timezone.now()
    reset_request.decision_note = note
    reset_request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit.record(
        SecurityEvent.RESET_REJECTED,
        username=actor.get_username(),
        detail={
            "user": reset_request.account.get_username(),
            "request": reset_request.pk,
            "reason": note,
        },
    )
    return reset_request
