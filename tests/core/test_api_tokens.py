"""Other systems' API tokens (issue 13; core/api_tokens.py, docs/security.md 接口令牌): issued by
the system administrator to an ordinary account whose roles and territory they carry, read-only
unless issued to write, expiring, revocable; the key shown once; every use in the security log."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecogov.core.api_tokens import api_token_issue, api_token_revoke
from ecogov.core.models import ApiToken, AuditLogEntry, RegulatedEntity, SecurityEvent

pytestmark = pytest.mark.django_db
ENTITIES = "/api/core/entities/"


def in_a_month() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


def issue(world, account="nanhu_staff", **kw):
    return api_token_issue(
        actor=world.user("sysadmin"),
        account=world.user(account),
        name=kw.pop("name", "省级排污许可平台"),
        expires_on=kw.pop("expires_on", in_a_month()),
        **kw,
    )


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_token_reads_in_its_accounts_scope_and_every_use_is_logged(world):
    token, key = issue(world)
    response = Client().get(ENTITIES, {"page_size": 500}, **bearer(key))
    assert response.status_code == 200, response.content
    nanhu = RegulatedEntity.objects.visible_to(world.user("nanhu_staff"))
    assert response.json()["count"] == nanhu.count() < RegulatedEntity.objects.count()
    used = AuditLogEntry.objects.filter(event=SecurityEvent.TOKEN_USED).latest("seq")
    assert used.username == "nanhu_staff" and used.path.startswith(ENTITIES)
    assert used.detail["token"] == token.pk
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.key_hash != key and key not in str(ApiToken.objects.values().get(pk=token.pk))


def test_last_used_is_kept_to_the_minute_while_every_use_is_logged(world):
    token, key = issue(world)
    logged = AuditLogEntry.objects.filter(event=SecurityEvent.TOKEN_USED)
    before = logged.count()
    Client().get(ENTITIES, **bearer(key))
    token.refresh_from_db()
    first = token.last_used_at
    Client().get(ENTITIES, **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at == first  # within the minute: not written again
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    Client().get(ENTITIES, **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at > first
    assert logged.count() == before + 3


def test_a_read_only_token_may_not_write_and_a_writing_one_may(world):
    _token, key = issue(world)
    refused = Client().post(ENTITIES, {}, content_type="application/json", **bearer(key))
    assert refused.status_code == 403 and "只读" in refused.json()["detail"]
    assert AuditLogEntry.objects.filter(event=SecurityEvent.TOKEN_REFUSED).exists()
    _token, key = issue(world, can_write=True)
    answered = Client().post(ENTITIES, {}, content_type="application/json", **bearer(key))
    assert answered.status_code == 400  # past the door: the body's own errors, in Chinese


@pytest.mark.parametrize("how", ["expired", "revoked", "wrong", "deactivated"])
def test_a_token_not_in_force_is_refused(world, how):
    token, key = issue(world)
    if how == "expired":
        ApiToken.objects.filter(pk=token.pk).update(
            expires_on=timezone.localdate() - dt.timedelta(days=1)
        )
        expected = "过期"
    elif how == "revoked":
        api_token_revoke(actor=world.user("sysadmin"), token=token)
        expected = "吊销"
        assert AuditLogEntry.objects.filter(event=SecurityEvent.TOKEN_REVOKED).exists()
    elif how == "wrong":
        key, expected = key[:-2] + "xx", "无效"
    else:
        world.user("nanhu_staff").__class__.objects.filter(username="nanhu_staff").update(
            is_active=False
        )
        expected = "停用"
    response = Client().get(ENTITIES, **bearer(key))
    assert response.status_code in (401, 403) and expected in response.json()["detail"]
    refused = AuditLogEntry.objects.filter(event=SecurityEvent.TOKEN_REFUSED).latest("seq")
    assert refused.path.startswith(ENTITIES)


def test_only_the_system_administrator_issues_and_only_to_ordinary_accounts(world):
    with pytest.raises(PermissionDenied):
        api_token_issue(
            actor=world.user("leader"),
            account=world.user("nanhu_staff"),
            name="x",
            expires_on=in_a_month(),
        )
    with pytest.raises((ValidationError, PermissionDenied)):
        issue(world, account="secadmin")
    with pytest.raises(ValidationError) as too_long:
        issue(world, expires_on=timezone.localdate() + dt.timedelta(days=400))
    assert "最长一年" in str(too_long.value)
    with pytest.raises(ValidationError) as past:
        issue(world, expires_on=timezone.localdate() - dt.timedelta(days=1))
    assert "不早于今天" in str(past.value)
    assert not ApiToken.objects.exists()
    _token, _key = issue(world)
    issued = AuditLogEntry.objects.get(event=SecurityEvent.TOKEN_ISSUED)
    assert issued.username == "sysadmin" and issued.detail["account"] == "nanhu_staff"


def test_the_screen_issues_shows_the_key_once_and_revokes(world, login):
    client = login("sysadmin")
    page = client.get(reverse("admin:core_apitoken_add")).content.decode()
    assert "系统名称" in page and "有效期至" in page
    response = client.post(
        reverse("admin:core_apitoken_add"),
        {
            "name": "区县执法系统",
            "account": world.user("nanhu_staff").pk,
            "expires_on": in_a_month().isoformat(),
        },
    )
    assert response.status_code == 200
    key = re.search(r'id="page-info">([^<]+)<', response.content.decode()).group(1).strip()
    assert Client().get(ENTITIES, **bearer(key)).status_code == 200
    token = ApiToken.objects.get(name="区县执法系统")
    detail = client.get(reverse("admin:core_apitoken_change", args=[token.pk])).content.decode()
    assert key not in detail and token.key_prefix in detail and "有效" in detail
    revoke = reverse("admin:core_apitoken_revoke", args=[token.pk])
    assert client.post(revoke, {"confirm": "on"}).status_code == 302
    assert Client().get(ENTITIES, **bearer(key)).status_code == 401
    assert login("leader").get(reverse("admin:core_apitoken_changelist")).status_code == 403


def test_the_schema_documents_the_bearer_token(world, login):
    schema = login("leader").get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    scheme = schema.json()["components"]["securitySchemes"]["apiToken"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
