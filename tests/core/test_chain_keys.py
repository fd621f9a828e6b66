"""Keyed hash chains and signed anchors (issue 15, item 3): the security audit log.

Someone who can write to the database rewrites log rows and recomputes the chain. Without the
key he is caught by the chain itself; with the key, by the anchors made before the rewrite,
and if he rebuilt those too, by the anchor file kept outside the system.
"""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from ecogov.core import anchors, audit, services
from ecogov.core.chains import link_hash
from ecogov.core.models import AuditLogEntry, ChainAnchor, ChainAnchorHead, SecurityEvent
from tests.core.chain_forgery import plain_sha256, rewrite_log, with_the_key, wrong_key


@pytest.fixture
def logins(db):
    """Eleven logins, as in the issue."""
    return [
        audit.record(SecurityEvent.LOGIN, username=f"user{i}", ip_address="10.0.0.9")
        for i in range(11)
    ]


def _wipe_anchors():
    """What the key holder does to the anchors in the database (they refuse delete())."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ChainAnchorHead._meta.db_table}")
        cursor.execute(f"DELETE FROM {ChainAnchor._meta.db_table}")


# --- the key --------------------------------------------------------------------------------
def test_the_link_is_keyed_with_the_configured_key(logins, settings):
    entry = logins[0]
    assert entry.hash == link_hash(entry.prev_hash, entry.canonical())
    assert entry.hash != plain_sha256(entry.prev_hash, entry.canonical())
    settings.ECOGOV_CHAIN_KEY = "another-deployment-key-0123456789abcdef"
    assert link_hash(entry.prev_hash, entry.canonical()) != entry.hash


def test_without_a_configured_key_a_key_file_is_made_once_with_mode_0600(settings, tmp_path):
    path = tmp_path / "keys" / "chain.key"
    settings.ECOGOV_CHAIN_KEY = ""
    settings.ECOGOV_CHAIN_KEY_FILE = path
    first = link_hash("0" * 64, b"{}")
    assert path.stat().st_mode & 0o777 == 0o600 and len(path.read_text().strip()) == 64
    settings.ECOGOV_CHAIN_KEY_FILE = path  # read again (the cache is dropped on a change)
    assert link_hash("0" * 64, b"{}") == first
    assert [p.name for p in path.parent.iterdir()] == ["chain.key"]  # nothing left aside


def test_a_key_file_others_can_read_or_a_short_key_is_refused(settings, tmp_path):
    path = tmp_path / "chain.key"
    path.write_text("k" * 64)
    path.chmod(0o644)
    settings.ECOGOV_CHAIN_KEY = ""
    settings.ECOGOV_CHAIN_KEY_FILE = path
    with pytest.raises(ImproperlyConfigured, match="其他用户也能读取.*chmod 600"):
        link_hash("0" * 64, b"{}")
    settings.ECOGOV_CHAIN_KEY = "short"
    with pytest.raises(ImproperlyConfigured, match="太短"):
        link_hash("0" * 64, b"{}")


# --- rewritten and recomputed ---------------------------------------------------------------
def test_rows_rewritten_and_rehashed_with_plain_sha256_are_caught(logins):
    rewrite_log(logins[0].seq, plain_sha256)
    report = audit.verify()
    assert not report.ok and report.broken_seq == logins[0].seq
    assert "不带密钥的 sha256" in report.reason
    with pytest.raises(CommandError, match=f"第 {logins[0].seq} 条"):
        call_command("audit", "verify")


def test_rows_rehashed_with_a_wrong_key_are_caught(logins):
    rewrite_log(logins[3].seq, wrong_key)
    report = audit.verify()
    assert not report.ok and report.broken_seq == logins[3].seq
    assert "内容与哈希不符" in report.reason


def test_rows_rehashed_with_the_key_before_an_anchor_are_caught_by_the_anchor(logins):
    anchor = services.anchor_make(actor=None)
    assert anchor.heads.get(chain="audit").position == logins[-1].seq
    rewrite_log(logins[0].seq, with_the_key)
    assert audit.verify_log().ok  # the chain alone cannot tell: he holds the key
    report = audit.verify()
    assert not report.ok and f"第 {logins[-1].seq} 条的哈希与第 {anchor.seq} 号锚点" in str(report)
    with pytest.raises(CommandError, match="锚定后被改写"):
        call_command("audit", "verify")


def test_rows_written_after_the_anchor_leave_it_intact(logins):
    services.anchor_make(actor=None)
    audit.record(SecurityEvent.LOGIN, username="later")
    second = services.anchor_make(actor=None)
    report = audit.verify()
    assert report.ok and report.anchors == 2 and "2 个锚点均与记录一致" in str(report)
    assert second.heads.get(chain="audit").position == AuditLogEntry.objects.latest("seq").seq - 1


def test_an_anchor_altered_or_removed_is_caught(logins):
    first = services.anchor_make(actor=None)
    services.anchor_make(actor=None)
    ChainAnchorHead.objects.filter(anchor=first, chain="audit").update(position=1)
    assert "第 1 号锚点" in audit.verify().reason and "锚点被改动" in audit.verify().reason
    _wipe_anchors()
    services.anchor_make(actor=None)
    services.anchor_make(actor=None)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ChainAnchorHead._meta.db_table}")
        cursor.execute(f"DELETE FROM {ChainAnchor._meta.db_table} WHERE seq = 1")
    assert "缺少第 1 号锚点" in audit.verify().reason


def test_no_anchor_is_made_over_a_broken_chain(logins):
    rewrite_log(logins[5].seq, plain_sha256)
    with pytest.raises(ValidationError, match="未生成锚点"):
        services.anchor_make(actor=None)
    assert not ChainAnchor.objects.exists()
    with pytest.raises(CommandError, match="未生成锚点"):
        call_command("audit", "anchor")


# --- the anchor file kept outside the system ------------------------------------------------
def test_the_exported_anchor_verifies_and_catches_anchors_rebuilt_by_the_key_holder(
    logins, tmp_path, capsys
):
    path = tmp_path / "anchor.json"
    call_command("audit", "anchor", "--output", str(path))
    data = json.loads(path.read_text())
    assert (
        data["format"] == anchors.FORMAT
        and ["audit", "log", logins[-1].seq] == data["heads"][0][:3]
    )
    call_command("audit", "verify", "--anchor", str(path))
    assert "锚点文件(第 1 号锚点" in capsys.readouterr().out

    # he holds the key: rewrites the log, recomputes it, and rebuilds the anchors in the database
    rewrite_log(logins[0].seq, with_the_key)
    _wipe_anchors()
    services.anchor_make(actor=None)
    assert audit.verify().ok  # everything inside the system agrees again
    report = audit.verify(anchor_file=path.read_bytes())
    assert not report.ok and "系统中的第 1 号锚点与锚点文件" in report.reason
    with pytest.raises(CommandError, match="锚点记录被改写"):
        call_command("audit", "verify", "--anchor", str(path))


def test_an_anchor_file_altered_or_not_an_anchor_is_refused_by_name(logins, tmp_path):
    anchor = services.anchor_make(actor=None)
    data = json.loads(anchors.export(anchor))
    data["heads"][0][2] -= 1
    assert "文件被改动" in audit.verify(anchor_file=json.dumps(data)).reason
    data["hash"] = anchors.hash_of({k: data[k] for k in anchors._BODY})  # sha256 is public
    assert "签名不符" in audit.verify(anchor_file=json.dumps(data)).reason
    assert "不是有效的 JSON" in audit.verify(anchor_file=b"\xff\xfe").reason
    assert "格式不对" in audit.verify(anchor_file="[1, 2]").reason
    missing = json.loads(anchors.export(anchor))
    del missing["signature"]
    assert "缺少字段:signature" in audit.verify(anchor_file=json.dumps(missing)).reason
    with pytest.raises(CommandError, match="无法读取锚点文件"):
        call_command("audit", "verify", "--anchor", str(tmp_path / "absent.json"))


def test_a_file_signed_with_another_key_is_refused(logins, settings):
    anchor = services.anchor_make(actor=None)
    exported = anchors.export(anchor)
    settings.ECOGOV_CHAIN_KEY = "the-key-of-another-system-0123456789"
    assert not audit.verify().ok  # the whole log no longer verifies under that key, and
    assert "签名不符" in anchors.verify_file(exported)[1]  # nor does the file's signature


# --- who anchors --------------------------------------------------------------------------
def test_only_the_audit_admin_anchors_and_downloads_in_the_back_office(login, world):
    with pytest.raises(PermissionDenied):
        services.anchor_make(actor=world.user("sysadmin"))
    for username in ("leader", "sysadmin", "secadmin"):
        assert login(username).get("/admin/core/chainanchor/").status_code == 403
    client = login("auditadmin")
    page = client.get("/admin/core/chainanchor/make/")
    assert page.status_code == 200 and "锚点文件保存在本系统及其备份之外" in page.content.decode()
    response = client.post("/admin/core/chainanchor/make/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    anchor = ChainAnchor.objects.get()
    assert anchor.made_by == "auditadmin" and b"".join(response) == anchors.export(anchor)
    assert AuditLogEntry.objects.filter(event="chain_anchored", username="auditadmin").exists()
    assert AuditLogEntry.objects.filter(event="export", detail__what="chain_anchor").exists()
    assert client.get(f"/admin/core/chainanchor/{anchor.pk}/change/").status_code == 200
    download = client.get(f"/admin/core/chainanchor/{anchor.pk}/download/")
    assert b"".join(download) == anchors.export(anchor)
    listing = client.get("/admin/core/chainanchor/verify/", follow=True)
    assert "1 个锚点均与记录一致" in listing.content.decode()
    checked = client.post(
        "/admin/core/chainanchor/verify-file/",
        {"file": _upload(anchors.export(anchor))},
        follow=True,
    )
    assert "锚点文件(第 1 号锚点" in checked.content.decode()


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("anchor.json", content, content_type="application/json")
