"""The hash-chained security log and the record history."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ecogov.core import audit, services
from ecogov.core.append_only import suspended
from ecogov.core.models import AuditChainHead, AuditLogEntry, RegulatedEntity, SecurityEvent


@pytest.fixture
def chain(db):
    return [
        audit.record(SecurityEvent.EXPORT, username=f"u{i}", detail={"rows": i}) for i in range(5)
    ]


def test_intact_chain_verifies(chain):
    report = audit.verify()
    assert report.ok and report.checked >= 5
    call_command("audit", "verify")


# The table refuses UPDATE and DELETE (test_append_only.py); these tests play an intruder
# with the database owner's rights, who drops the triggers first.


def test_row_edited_directly_in_the_database_is_caught(chain):
    target = chain[2]
    with suspended(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditLogEntry._meta.db_table} SET username = %s WHERE seq = %s",
            ["intruder", target.seq],
        )
    report = audit.verify()
    assert not report.ok and report.broken_seq == target.seq
    with pytest.raises(CommandError, match=f"第 {target.seq} 条"):
        call_command("audit", "verify")


def test_row_deleted_in_the_middle_is_caught(chain):
    with suspended(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditLogEntry._meta.db_table} WHERE seq = %s", [chain[1].seq])
    report = audit.verify()
    assert not report.ok and report.broken_seq == chain[1].seq


def test_tail_cut_off_is_caught(chain):
    with suspended(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AuditLogEntry._meta.db_table} WHERE seq = %s", [chain[-1].seq]
        )
    report = audit.verify()
    assert not report.ok and report.broken_seq == chain[-1].seq


def test_entries_refuse_update_and_delete(chain):
    entry = chain[0]
    entry.username = "x"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    assert AuditChainHead.objects.get().seq == chain[-1].seq


def test_login_failure_and_login_are_logged(client, world):
    client.post(
        "/admin/login/",
        {"username": "leader", "password": "wrong-password"},
        REMOTE_ADDR="10.1.2.3",
    )
    failed = AuditLogEntry.objects.filter(event="login_failed", username="leader").first()
    assert failed is not None and failed.ip_address == "10.1.2.3"
    client.post("/admin/login/", {"username": "leader", "password": "ecogov-demo-2026"})
    assert AuditLogEntry.objects.filter(event="login", username="leader").exists()


def test_permission_denied_and_export_are_logged(login, world):
    client = login("sysadmin")
    client.get("/admin/core/auditlogentry/")
    assert AuditLogEntry.objects.filter(event="permission_denied", username="sysadmin").exists()
    login("leader").get("/api/core/entities/export/")
    export = AuditLogEntry.objects.filter(event="export", username="leader").first()
    assert export is not None and export.detail["rows"] == RegulatedEntity.objects.count()


def test_only_the_audit_admin_reads_the_log(login, world):
    for username in ("leader", "sysadmin", "secadmin", "viewer"):
        assert login(username).get("/admin/core/auditlogentry/").status_code == 403
    page = login("auditadmin").get("/admin/core/auditlogentry/", {"verify": "1"})
    assert page.status_code == 200 and "审计日志完整" in page.content.decode()


def test_history_keeps_who_when_where_before_and_after(client, world):
    entity = world.entity_in("北山县")
    staff = world.user("beishan_staff")
    client.force_login(staff)
    response = client.patch(
        f"/api/core/entities/{entity.pk}/",
        {"address": "北山县新址1号"},
        content_type="application/json",
        REMOTE_ADDR="10.9.8.7",
    )
    assert response.status_code == 200, response.content
    latest, previous = entity.history.order_by("-history_id")[:2]
    assert latest.history_user == staff and latest.ip_address == "10.9.8.7"
    assert latest.address == "北山县新址1号" and previous.address == entity.address
    delta = latest.diff_against(previous)
    assert [c.field for c in delta.changes] == ["address"]
    assert entity.events.filter(type="updated", actor=staff).exists()


def test_status_change_is_a_typed_event_with_reason(world):
    entity = world.entity_in("北山县")
    services.entity_update(
        actor=world.user("beishan_staff"),
        entity=entity,
        data={"status": "suspended"},
        reason="限期整改停产",
    )
    event = entity.events.get(type="status_changed")
    assert (event.from_state, event.to_state, event.reason) == (
        "operating",
        "suspended",
        "限期整改停产",
    )
