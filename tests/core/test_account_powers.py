"""三权分立 on every account operation (issue 15, items 1 and 9).

The system administrator manages ordinary staff only; an administrator's or the leader's
password is reset by two administrators and changed at the next login; every operation is in the
audit log; accounts created in the back office sign in; the auditor reads personal data masked.
"""

import re

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from ecogov.core import accounts, audit, services
from ecogov.core.demo.world import DEMO_PASSWORD
from ecogov.core.masking import mask_name, mask_phone
from ecogov.core.models import (
    AuditLogEntry,
    CredentialResetRequest,
    Organisation,
    PasswordState,
    RegulatedEntity,
    ResetState,
)
from ecogov.core.roles import Role
from tests.outreach.screens import form_values, post_form

NEW = "Lvse-Shanshui-2026"
LOGIN = "/admin/login/"
OWN_PASSWORD = reverse("admin:password_change")
REQUESTS_ADD = reverse("admin:core_credentialresetrequest_add")


def password_page(user) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def user_page(user) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def rows(event, **detail):
    return AuditLogEntry.objects.filter(
        event=event, **{f"detail__{k}": v for k, v in detail.items()}
    )


def sign_in(client, username, password):
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[-1500:]
    return client


# --- the system administrator and the protected accounts -----------------------------------
@pytest.mark.parametrize("target", ["auditadmin", "secadmin", "leader", "sysadmin"])
def test_sysadmin_cannot_set_an_administrators_or_the_leaders_password(login, world, target):
    client = login("sysadmin")
    user = world.user(target)
    assert client.get(password_page(user)).status_code == 403
    response = client.post(password_page(user), {"password1": NEW, "password2": NEW})
    assert response.status_code == 403
    assert "三权分立" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD) and not user.check_password(NEW)
    assert not rows("password_reset", user=target).exists()
    assert rows("permission_denied").filter(path=password_page(user)).exists()


def test_a_protected_account_is_shown_read_only_to_the_sysadmin(login, world):
    client = login("sysadmin")
    auditor, viewer = world.user("auditadmin"), world.user("viewer")
    html = client.get(user_page(auditor)).content.decode()
    assert 'name="_save"' not in html and "../password/" not in html
    assert "request-reset" in html  # what he may do: ask for a two-person reset
    html = client.get(user_page(viewer)).content.decode()
    assert 'name="_save"' in html and "../password/" in html and "request-reset" not in html

    values = form_values(client.get(user_page(viewer)).content.decode(), "user_form")
    values = [(k, v) for k, v in values if k != "is_active"]
    response = post_form(client, user_page(auditor), values, username="auditadmin")
    assert response.status_code == 403 and "三权分立" in response.content.decode()
    auditor.refresh_from_db()
    assert auditor.is_active

    profile = world.user("leader").staff
    page = reverse("admin:core_staffprofile_change", args=[profile.pk])
    response = client.post(page, {"full_name": "冒名", "organisation": profile.organisation_id})
    assert response.status_code == 403
    profile.refresh_from_db()
    assert profile.full_name == "王建国"


def test_sysadmin_cannot_change_the_leaders_roles(world):
    with pytest.raises(PermissionDenied, match="三权分立"):
        services.staff_set_roles(
            actor=world.user("sysadmin"), user=world.user("leader"), roles={Role.VIEWER}
        )
    assert set(world.user("leader").groups.values_list("name", flat=True)) == {Role.LEADER}


# --- ordinary staff: managed directly, every step audited ----------------------------------
def test_reset_of_ordinary_staff_is_audited_and_forces_a_change(client, login, world):
    admin_client = login("sysadmin")
    viewer = world.user("viewer")
    response = admin_client.post(password_page(viewer), {"password1": NEW, "password2": NEW})
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.check_password(NEW)
    assert rows("password_reset", user="viewer").filter(username="sysadmin").exists()
    assert PasswordState.objects.get(user=viewer).must_change

    sign_in(client, "viewer", NEW)
    assert client.get("/admin/").url == OWN_PASSWORD
    assert client.get("/api/core/entities/").status_code == 403
    assert client.get(OWN_PASSWORD).status_code == 200


def test_activation_deactivation_and_roles_are_audited(login, world):
    client = login("sysadmin")
    viewer = world.user("viewer")
    values = form_values(client.get(user_page(viewer)).content.decode(), "user_form")
    inactive = [(k, v) for k, v in values if k != "is_active"]
    assert post_form(client, user_page(viewer), inactive).status_code == 302
    viewer.refresh_from_db()
    assert not viewer.is_active
    assert rows("account_deactivated", user="viewer").filter(username="sysadmin").exists()

    values = form_values(client.get(user_page(viewer)).content.decode(), "user_form")
    values = [(k, v) for k, v in values if k not in ("is_active", "roles")]
    values += [("is_active", "on"), ("roles", Role.SECTION_STAFF)]
    assert post_form(client, user_page(viewer), values).status_code == 302
    viewer.refresh_from_db()
    assert viewer.is_active
    assert rows("account_activated", user="viewer").exists()
    assert rows("roles_changed", user="viewer", after=[Role.SECTION_STAFF]).exists()
    assert audit.verify().ok


def test_an_account_created_in_the_back_office_signs_in(client, login, world):
    admin_client = login("sysadmin")
    add = reverse("admin:auth_user_add")
    values = form_values(admin_client.get(add).content.decode(), "user_form")
    office = Organisation.objects.get(name="办公室")
    response = post_form(
        admin_client,
        add,
        values,
        username="new_clerk",
        password1=NEW,
        password2=NEW,
        **{"staff-0-full_name": "周新", "staff-0-organisation": str(office.pk)},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    user = User.objects.get(username="new_clerk")
    assert user.is_staff and user.staff.full_name == "周新"
    assert rows("account_created", user="new_clerk").filter(username="sysadmin").exists()

    sign_in(client, "new_clerk", NEW)
    assert client.get("/admin/").url == OWN_PASSWORD  # a password someone else chose
    changed = client.post(
        OWN_PASSWORD,
        {
            "old_password": NEW,
            "new_password1": "Qingshan-Lushui-7",
            "new_password2": "Qingshan-Lushui-7",
        },
    )
    assert changed.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert rows("password_changed").filter(username="new_clerk").exists()


def test_password_set_outside_the_services_is_audited(world):
    viewer = world.user("viewer")
    viewer.set_password(NEW)
    viewer.save()
    assert rows("password_reset", user="viewer", outside=True).exists()
    call_command("audit", "verify")


# --- two administrators for a protected account --------------------------------------------
def approve_link(client, reset_request) -> bool:
    page = reverse("admin:core_credentialresetrequest_change", args=[reset_request.pk])
    return "/approve/" in client.get(page).content.decode()


def test_two_person_reset_of_the_auditors_password(client, login, world):
    auditor = world.user("auditadmin")
    sysadmin_client = login("sysadmin")
    response = sysadmin_client.post(
        REQUESTS_ADD, {"account": auditor.pk, "reason": "本人遗忘密码,电话核实"}
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    reset_request = CredentialResetRequest.objects.get(account=auditor)
    assert reset_request.state == ResetState.PENDING
    assert rows("reset_requested", user="auditadmin").filter(username="sysadmin").exists()

    # the requester cannot approve his own request: not offered, refused if forced
    assert not approve_link(sysadmin_client, reset_request)
    approve = reverse("admin:core_credentialresetrequest_approve", args=[reset_request.pk])
    forced = sysadmin_client.post(approve, {"confirmed": "on"})
    assert forced.status_code == 403 and "两人规则" in forced.content.decode()
    with pytest.raises(PermissionDenied, match="两人规则"):
        accounts.credential_reset_approve(actor=world.user("sysadmin"), reset_request=reset_request)
    auditor.refresh_from_db()
    assert auditor.check_password(DEMO_PASSWORD)

    # another administrator approves: a temporary password, shown once
    secadmin_client = login("secadmin")
    assert approve_link(secadmin_client, reset_request)
    page = secadmin_client.post(approve, {"confirmed": "on"})
    assert page.status_code == 200
    temporary = re.search(r'id="page-info">([^<]+)<', page.content.decode()).group(1).strip()
    auditor.refresh_from_db()
    assert auditor.check_password(temporary) and not auditor.check_password(DEMO_PASSWORD)
    assert PasswordState.objects.get(user=auditor).must_change
    reset_request.refresh_from_db()
    assert reset_request.state == ResetState.APPROVED
    assert rows(
        "password_reset",
        user="auditadmin",
        request=reset_request.pk,
        requested_by="sysadmin",
        approved_by="secadmin",
    ).exists()

    # the auditor signs in with it and must change it before anything else
    sign_in(client, "auditadmin", temporary)
    log = reverse("admin:core_auditlogentry_changelist")
    assert client.get(log).url == OWN_PASSWORD
    changed = client.post(
        OWN_PASSWORD, {"old_password": temporary, "new_password1": NEW, "new_password2": NEW}
    )
    assert changed.status_code == 302
    assert not PasswordState.objects.get(user=auditor).must_change
    assert client.get(log).status_code == 200
    assert rows("password_changed").filter(username="auditadmin").exists()
    assert audit.verify().ok


def test_the_approver_holds_another_administrator_role(world):
    call_command(
        "createadmin",
        role="system_admin",
        username="sysadmin2",
        full_name="赵系统",
        organisation="办公室",
        password="System-Pass-2026x",
    )
    reset_request = accounts.credential_reset_request(
        actor=world.user("sysadmin"), account=world.user("leader"), reason="领导出差,账户疑似被盗用"
    )
    with pytest.raises(PermissionDenied, match="不同的管理员角色"):
        accounts.credential_reset_approve(
            actor=world.user("sysadmin2"), reset_request=reset_request
        )
    password = accounts.credential_reset_approve(
        actor=world.user("auditadmin"), reset_request=reset_request
    )
    assert world.user("leader").check_password(password)


def test_a_rejected_request_leaves_the_password(login, world):
    auditor = world.user("auditadmin")
    reset_request = accounts.credential_reset_request(
        actor=world.user("secadmin"), account=auditor, reason="本人遗忘密码"
    )
    reject = reverse("admin:core_credentialresetrequest_reject", args=[reset_request.pk])
    response = login("sysadmin").post(reject, {"note": "未能核实本人身份"})
    assert response.status_code == 302
    reset_request.refresh_from_db()
    assert reset_request.state == ResetState.REJECTED
    auditor.refresh_from_db()
    assert auditor.check_password(DEMO_PASSWORD)
    assert rows("reset_rejected", user="auditadmin").filter(username="sysadmin").exists()


def test_ordinary_staff_are_not_reset_by_request(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="系统管理员直接重置"):
        accounts.credential_reset_request(
            actor=world.user("secadmin"), account=world.user("viewer"), reason="遗忘密码"
        )
    with pytest.raises(PermissionDenied):
        accounts.credential_reset_request(
            actor=world.user("leader"), account=world.user("auditadmin"), reason="遗忘密码"
        )


# --- the auditor reads the entity history with personal data masked ------------------------
def test_auditor_reads_the_entity_history_masked(login, world):
    entity = RegulatedEntity.objects.exclude(contact_phone="").exclude(legal_representative="")
    entity = entity.order_by("pk").first()
    version = RegulatedEntity.history.filter(id=entity.pk).order_by("history_id").first()
    page = reverse("admin:core_historicalregulatedentity_change", args=[version.history_id])
    html = login("auditadmin").get(page).content.decode()
    assert entity.name in html
    assert entity.contact_phone not in html and mask_phone(entity.contact_phone) in html
    assert mask_name(entity.legal_representative) in html
    assert f">{entity.legal_representative}<" not in html
