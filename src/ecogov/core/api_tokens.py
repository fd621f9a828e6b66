"""Other systems' keys to the API: issued, revoked and checked (issue 13; docs/security.md,
接口令牌).

A system (the provincial platform, a county's own system) gets an ordinary staff account from
the system administrator, with the roles and the territory it may read; the token issued to that
account carries them: `Authorization: Bearer <key>`. A token is read-only unless issued to
write, ends on its expiry day, and may be revoked at any time. The key is shown once and only
its SHA-256 is kept. Issue, revocation, every use and every refused key are security-log rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from ecogov.core import audit
from ecogov.core.accounts import ensure_may_manage, is_administrator
from ecogov.core.context import client_ip
from ecogov.core.models import ApiToken, SecurityEvent

MAX_DAYS = 366  # a token lives at most a year: a system's access is reviewed yearly
KEYWORD = "Bearer"
LAST_USED_STEP = dt.timedelta(minutes=1)  # how precisely "最近使用" is kept


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *, actor, account, name: str, expires_on: dt.date, can_write: bool = False
) -> tuple[ApiToken, str]:
    """A new token for `account`; returns it and its key (shown once, never stored)."""
    ensure_may_manage(actor, account)  # the system administrator, for an ordinary account
    errors = {}
    if is_administrator(account) or not account.is_active:
        errors["account"] = _("令牌只能签发给在用的普通账户(管理员账户不能用于接口)。")
    if not (name or "").strip():
        errors["name"] = _("请填写使用令牌的系统名称。")
    today = timezone.localdate()
    if expires_on is None or expires_on < today:
        errors["expires_on"] = _("有效期至应不早于今天。")
    elif expires_on > today + dt.timedelta(days=MAX_DAYS):
        errors["expires_on"] = _("有效期最长一年(至 %(last)s)。") % {
            "last": (today + dt.timedelta(days=MAX_DAYS)).isoformat()
        }
    if errors:
        raise ValidationError(errors)
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name.strip(),
        account=account,
        key_prefix=key[:8],
        key_hash=_digest(key),
        can_write=can_write,
        expires_on=expires_on,
        created_by=actor,
    )
    audit.record(
        SecurityEvent.TOKEN_ISSUED,
        username=actor.get_username(),
        detail={
            "token": token.pk,
            "name": token.name,
            "account": account.get_username(),
            "can_write": can_write,
            "expires_on": expires_on.isoformat(),
        },
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    ensure_may_manage(actor)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("该令牌已于 %(at)s 吊销。") % {"at": token.revoked_at})
    token.revoked_at, token.revoked_by = timezone.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        SecurityEvent.TOKEN_REVOKED,
        username=actor.get_username(),
        detail={"token": token.pk, "name": token.name, "account": token.account.get_username()},
    )
    return token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`: the token's account, if the token is in force; a read-only
    token may only read. Every use and every refused key is a security-log row."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式应为“Bearer 令牌”。"))
        try:
            key = header[1].decode()
        except UnicodeError:
            key = ""
        token = (
            ApiToken.objects.select_related("account").filter(key_hash=_digest(key)).first()
            if key
            else None
        )
        path = request.get_full_path()[:512]
        refusal, exception = self._refusal(token, request)
        detail = {"token": token.pk if token else None}
        if refusal is not None:
            detail["reason"] = refusal
        else:
            now = timezone.now()
            # "最近使用" to the minute: one write a minute, not a write and a commit per request
            # (every use is in the security log below)
            if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            detail.update(name=token.name, method=request.method)
        audit.record_or_log(
            SecurityEvent.TOKEN_USED if refusal is None else SecurityEvent.TOKEN_REFUSED,
            username=token.account.get_username() if token else "",
            ip_address=client_ip(request._request),
            path=path,
            detail=detail,
        )
        if refusal is not None:
            raise exception(refusal)
        return token.account, token

    @staticmethod
    def _refusal(token, request) -> tuple[str | None, type[exceptions.APIException]]:
        """Why the key is refused, and how: not in force is a 401; a token in force that may not
        do this (its account stopped, a read-only token writing) a 403."""
        if token is None:
            return _("令牌无效。"), exceptions.AuthenticationFailed
        if token.revoked_at is not None:
            return _("令牌已吊销。"), exceptions.AuthenticationFailed
        if timezone.localdate() > token.expires_on:
            day = token.expires_on.isoformat()
            return _("令牌已于 %(day)s 过期。") % {"day": day}, exceptions.AuthenticationFailed
        if not token.account.is_active:
            return _("令牌所属账户已停用。"), exceptions.PermissionDenied
        if not token.can_write and request.method not in permissions.SAFE_METHODS:
            return _("此令牌只读,不能修改数据。"), exceptions.PermissionDenied
        return None, exceptions.PermissionDenied

    def authenticate_header(self, request):
        return KEYWORD


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema (/api/schema/, /api/docs/): HTTP Bearer."""

    target_class = "ecogov.core.api_tokens.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "其他系统的接口令牌(系统管理 → 接口令牌):Authorization: Bearer 令牌",
        }
