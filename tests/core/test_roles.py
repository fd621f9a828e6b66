"""三权分立: the system, security and audit administrators each do only their own work."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ecogov.core import services
from ecogov.core.models import RegulatedEntity
from ecogov.core.roles import Role

USERS = reverse("admin:auth_user_changelist")
AUDIT_LOG = reverse("admin:core_auditlogentry_changelist")
POLICY = reverse("admin:core_securitypolicy_change", args=[1])
ENTITIES = reverse("admin:core_regulatedentity_changelist")
LOCKOUTS = reverse("admin:axes_accessattempt_changelist")


@pytest.mark.parametrize(
    ("username", "allowed", "refused"),
    [
        ("sysadmin", [USERS], [AUDIT_LOG, POLICY, LOCKOUTS, ENTITIES]),
        ("secadmin", [POLICY, LOCKOUTS], [USERS, AUDIT_LOG, ENTITIES]),
        ("auditadmin", [AUDIT_LOG], [USERS, POLICY, LOCKOUTS, ENTITIES]),
    ],
)
def test_each_admin_does_only_his_own_work(login, world, username, allowed, refused):
    client = login(username)
    for url in allowed:
        assert client.get(url).status_code == 200, url
    for url in refused:
        assert client.get(url).status_code == 403, url


def test_admins_see_no_ledger_records(world):
    for username in ("sysadmin", "secadmin", "auditadmin"):
        assert not RegulatedEntity.objects.visible_to(world.user(username)).exists()


def test_security_admin_changes_the_policy_and_it_is_audited(login, world):
    from ecogov.core.models import AuditLogEntry, SecurityPolicy

    client = login("secadmin")
    response = client.post(
        POLICY, {"lockout_failures": 4, "lockout_minutes": 15, "session_idle_minutes": 20}
    )
    assert response.status_code == 302
    assert SecurityPolicy.current().lockout_failures == 4
    assert AuditLogEntry.objects.filter(event="policy_changed", username="secadmin").exists()
    assert (
        login("sysadmin")
        .post(POLICY, {"lockout_failures": 10, "lockout_minutes": 15, "session_idle_minutes": 20})
        .status_code
        == 403
    )
    assert SecurityPolicy.current().lockout_failures == 4


def test_admin_roles_cannot_be_combined():
    with pytest.raises(ValidationError, match="三权分立"):
        services._check_role_combination({Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN})
    with pytest.raises(ValidationError, match="三权分立"):
        services._check_role_combination({Role.SECURITY_ADMIN, Role.LEADER})


def test_system_admin_cannot_grant_admin_roles(world):
    sysadmin, viewer = world.user("sysadmin"), world.user("viewer")
    with pytest.raises(PermissionDenied):
        services.staff_set_roles(actor=sysadmin, user=viewer, roles={Role.AUDIT_ADMIN})
    with pytest.raises(PermissionDenied):
        services.staff_set_roles(actor=sysadmin, user=sysadmin, roles={Role.LEADER})
    with pytest.raises(PermissionDenied):
        services.staff_set_roles(actor=world.user("leader"), user=viewer, roles={Role.LEADER})
    services.staff_set_roles(actor=sysadmin, user=viewer, roles={Role.SECTION_STAFF})
    assert set(viewer.groups.values_list("name", flat=True)) == {Role.SECTION_STAFF}


def test_user_screen_offers_no_superuser_or_admin_roles(login, world):
    client = login("sysadmin")
    page = client.get(reverse("admin:auth_user_change", args=[world.user("viewer").pk]))
    html = page.content.decode()
    assert "is_superuser" not in html and "user_permissions" not in html
    assert 'value="audit_admin"' not in html and 'value="section_staff"' in html


def test_createadmin_command_is_the_way_to_make_an_auditor(world):
    from django.core.management import call_command

    call_command(
        "createadmin",
        role="audit_admin",
        username="auditor2",
        full_name="孙审计",
        organisation="办公室",
        password="Audit-Pass-2026x",
    )
    user = world.user("auditor2")
    assert set(user.groups.values_list("name", flat=True)) == {"audit_admin"}


def test_one_migrate_gives_every_role_all_its_permissions(tmp_path):
    """A new database, one `ecogov migrate` (as docs/deploy.md installs): every role holds every
    permission it is meant to. The suite's own database is no proof: its demo set-up syncs the
    roles again."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecogov.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}",
        "ECOGOV_VAR_DIR": str(tmp_path),
    }
    run = [sys.executable, "-m", "ecogov"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True, timeout=600)
    check = (
        "from django.contrib.auth.models import Group\n"
        "from ecogov.core.roles import ROLE_PERMISSIONS\n"
        "for role, wanted in ROLE_PERMISSIONS.items():\n"
        "    held = {f'{a}.{c}' for a, c in Group.objects.get(name=role).permissions"
        ".values_list('content_type__app_label', 'codename')}\n"
        "    print('ROLE', role, len(set(wanted) - held))\n"
    )
    out = subprocess.run(
        [*run, "shell", "-c", check],
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
    ).stdout
    missing = dict(line.split()[1:] for line in out.splitlines() if line.startswith("ROLE "))
    assert set(missing) >= {"system_admin", "section_staff", "viewer"}, out
    assert all(count == "0" for count in missing.values()), out
