"""`ecogov backup` / `ecogov restore`: the demo bureau backed up, wiped and restored row for row
and file for file, its hash chains intact; a damaged or foreign archive is refused untouched.

Runs on the suite's database (SQLite, or PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ecogov.core import append_only, audit, chains, crypto, integrity
from ecogov.core import services as core_services
from ecogov.core.backup import (
    DATABASE_MEMBER,
    MANIFEST,
    BackupError,
    check_archive,
    create_backup,
    prune_backups,
    restore_backup,
)
from ecogov.core.models import Attachment, AuditChainHead, AuditLogEntry, SecurityEvent
from ecogov.enforcement import services as enforcement
from ecogov.enforcement.chain import cases_check
from ecogov.enforcement.models import PenaltyCase

OPEN_STATES = ["closed", "no_penalty", "withdrawn", "transferred"]


def _add_records(world) -> None:
    """What the demo lacks: security-log entries and attachment files (one in a case record)."""
    for n in range(3):
        audit.record(SecurityEvent.LOGIN, username="leader", ip_address=f"10.0.0.{n}")
    case = PenaltyCase.objects.exclude(state__in=OPEN_STATES).order_by("pk").first()
    enforcement.case_attach(
        actor=world.user("leader"),
        case=case,
        uploaded_file=SimpleUploadedFile(
            "现场照片.jpg", b"\xff\xd8\xff\xe0" + "照片".encode() * 500
        ),
        description="现场检查照片",
    )
    core_services.attachment_add(
        actor=world.user("beishan_staff"),
        record=world.entity_in("北山县"),
        uploaded_file=SimpleUploadedFile("监测报告.pdf", b"%PDF-1.4 " + "报告".encode() * 300),
    )


def _rows(*, audit_upto: int | None = None) -> dict[str, list[str]]:
    """Every row of every table (and PostgreSQL's sequence positions), as stored."""
    rows = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            where = ""
            if table == AuditLogEntry._meta.db_table and audit_upto is not None:
                where = f" WHERE seq <= {int(audit_upto)}"
            cursor.execute(f"SELECT * FROM {quote(table)}{where}")
            rows[table] = sorted(repr(row) for row in cursor.fetchall())
        if connection.vendor == "postgresql":
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences")
        else:
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
        rows["(sequences)"] = sorted(repr(row) for row in cursor.fetchall())
    return rows


def _files(root) -> dict[str, str]:
    root = Path(root)
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.mark.django_db(transaction=True)
def test_the_demo_backed_up_wiped_and_restored_is_the_same_row_for_row_and_file_for_file(
    tmp_path, settings
):
    from ecogov.core.demo import World, build

    build()  # a transactional test may start from an empty (flushed) database
    _add_records(World())
    entries = list(AuditLogEntry.objects.order_by("seq"))
    # microseconds: what dumpdata/loaddata cuts, breaking the chain at the first entry
    assert any(entry.occurred_at.microsecond % 1000 for entry in entries)
    before_rows, before_files = _rows(), _files(settings.MEDIA_ROOT)
    before_head = AuditChainHead.objects.get()
    guarded = append_only.tables()  # the tables the database refuses to change or empty
    assert len(before_files) == 2 and AuditLogEntry._meta.db_table in guarded
    archive = tmp_path / "backups" / "demo.tar"
    out = io.StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert "备份完成" in out.getvalue() and archive.is_file()
    # the security log names the copy that was made, by its hash (also beside it for sha256sum)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    backup_entry = AuditLogEntry.objects.get(seq=before_head.seq + 1)
    assert backup_entry.event == SecurityEvent.BACKUP and backup_entry.detail["sha256"] == digest
    assert archive.with_name("demo.tar.sha256").read_text() == f"{digest}  demo.tar\n"

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not User.objects.exists() and not PenaltyCase.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    # the restore is recorded in the security log, after the restored chain (which ends
    # where the backup was taken, before the backup's own entry)
    restore_entry = AuditLogEntry.objects.order_by("seq").last()
    assert restore_entry.event == SecurityEvent.RESTORE and restore_entry.seq == before_head.seq + 1
    assert restore_entry.prev_hash == before_head.hash
    assert restore_entry.detail["archive"] == "demo.tar" and restore_entry.detail["verified"]
    after_rows = _rows(audit_upto=before_head.seq)
    head_table = AuditChainHead._meta.db_table
    assert after_rows.pop(head_table) != before_rows.pop(head_table)  # moved by one entry
    entry_table = AuditLogEntry._meta.db_table
    for rows in (before_rows, after_rows):  # the log's id sequence moved by one entry too
        rows["(sequences)"] = [row for row in rows["(sequences)"] if entry_table not in row]
    assert after_rows.keys() == before_rows.keys()
    for table, rows in before_rows.items():
        assert after_rows[table] == rows, f"{table} differs after the restore"
    assert _files(settings.MEDIA_ROOT) == before_files
    assert append_only.tables() == guarded  # the restored logs are append-only again
    # every check ran and passed: audit chain, attachment files, every case's record
    report = out.getvalue()
    assert "审计日志完整" in report and "共校验 2 个附件文件" in report
    assert f"共校验 {PenaltyCase.objects.count()} 个案件,全过程记录均完整" in report
    assert "恢复完成,全部完整性校验通过" in report
    call_command("audit", "verify", stdout=io.StringIO())
    call_command("case", "verify", "--all", stdout=io.StringIO())


# --- refusals: nothing is touched -------------------------------------------------------------
def _small_dump(vendor, target):
    """Stands in for the dump here: each of these tests runs inside a transaction, which on
    the suite's in-memory SQLite database holds the write lock that a backup waits for (the
    round trip above dumps the real database)."""
    target.write_bytes(b"database dump " * 100)


@pytest.fixture
def archive(world, tmp_path_factory, settings, monkeypatch):
    """An archive with two files (made once, shared by the tests here); what they check is
    refused before the database is touched."""
    from ecogov.core import backup

    path = tmp_path_factory.getbasetemp() / "backup-refusals" / "demo.tar"
    if not path.exists():
        for name, content in [("现场照片.jpg", b"photo" * 200), ("监测报告.pdf", b"%PDF" * 200)]:
            target = Path(settings.MEDIA_ROOT, "attachments", "ab", name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        monkeypatch.setattr(backup, "_dump_database", _small_dump)
        create_backup(destination=path)
    return path


def _rewrite(source: Path, target: Path, change) -> Path:
    """Copy the archive member by member; change(name, data) -> [(name, data), …]."""
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old:
            for name, data in change(member.name, old.extractfile(member).read()):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                new.addfile(info, io.BytesIO(data))
    return target


def _flip(data: bytes) -> bytes:
    return data[:100] + bytes([data[100] ^ 1]) + data[101:]


def _other_vendor(name, data):
    if name == MANIFEST:
        manifest = json.loads(data)
        vendor = manifest["database"]["vendor"]
        other = "postgresql" if vendor == "sqlite" else "sqlite"
        manifest["database"].update(vendor=other, member=DATABASE_MEMBER[other])
        members = manifest["members"]
        members[DATABASE_MEMBER[other]] = members.pop(DATABASE_MEMBER[vendor])
        return [(name, json.dumps(manifest).encode())]
    if name.startswith("database/"):
        other = [m for m in DATABASE_MEMBER.values() if m != name][0]
        return [(other, data)]
    return [(name, data)]


TAMPERING = {
    "an attachment file altered": (
        lambda name, data: [(name, _flip(data) if name.endswith(".jpg") else data)],
        ["现场照片.jpg", "SHA-256 与清单不符"],
    ),
    "the database altered": (
        lambda name, data: [(name, _flip(data) if name.startswith("database/") else data)],
        ["database/ecogov.", "SHA-256 与清单不符"],
    ),
    "a file removed": (
        lambda name, data: [] if name.endswith(".pdf") else [(name, data)],
        ["监测报告.pdf", "不在归档中"],
    ),
    "a file slipped in": (
        lambda name, data: (
            [(name, data)] + ([("media/x.sh", b"rm -rf /")] if name == MANIFEST else [])
        ),
        ["media/x.sh", "不在清单中"],
    ),
    "a path out of the folder": (
        lambda name, data: [(name, data)] + ([("media/../../x", b"x")] if name == MANIFEST else []),
        ["media/../../x", "不安全"],
    ),
    "the manifest removed": (
        lambda name, data: [] if name == MANIFEST else [(name, data)],
        ["没有清单 manifest.json"],
    ),
    "another database vendor": (_other_vendor, ["不能跨数据库类型恢复"]),
}


@pytest.mark.parametrize("kind", TAMPERING)
def test_a_damaged_or_foreign_archive_is_refused_with_nothing_touched(
    kind, archive, tmp_path, settings
):
    change, fragments = TAMPERING[kind]
    bad = _rewrite(archive, tmp_path / "bad.tar", change)
    users, entries = User.objects.count(), AuditLogEntry.objects.count()
    files = _files(settings.MEDIA_ROOT)
    with pytest.raises(CommandError) as info:
        call_command("restore", str(bad), "--force", stdout=io.StringIO())
    for fragment in fragments:
        assert fragment in str(info.value)
    assert "未做任何恢复" in str(info.value)
    assert User.objects.count() == users and AuditLogEntry.objects.count() == entries
    assert _files(settings.MEDIA_ROOT) == files
    assert not list(Path(settings.MEDIA_ROOT).parent.glob(".ecogov-restore-*"))  # cleaned up


@pytest.mark.parametrize("key", ["another", "none"])
def test_without_the_chain_key_of_the_backup_the_restore_is_refused(
    key, archive, tmp_path, settings
):
    """The key is never in the archive; restored without it, every chain would fail."""
    settings.ECOGOV_CHAIN_KEY = "another-chain-key-0123456789abcdef" if key == "another" else ""
    settings.ECOGOV_CHAIN_KEY_FILE = tmp_path / "chain.key"
    users = User.objects.count()
    with pytest.raises(CommandError) as info:
        call_command("restore", str(archive), "--force", stdout=io.StringIO())
    expected = "哈希链密钥与备份时不同" if key == "another" else "本机还没有哈希链密钥"
    assert expected in str(info.value) and "未做任何恢复" in str(info.value)
    assert "--ignore-chain-key" in str(info.value)
    assert User.objects.count() == users
    assert not settings.ECOGOV_CHAIN_KEY_FILE.exists()  # no new key made on the way


def test_without_the_field_key_of_the_backup_the_restore_is_refused(archive, settings):
    """The personal data in the archive is encrypted with the backup's newest field key: a
    system without it would restore data it cannot read."""
    expected = crypto.key_ids()[0]
    settings.ECOGOV_FIELD_KEY = "another-field-key-0123456789abcdef-xyz"
    users = User.objects.count()
    with pytest.raises(CommandError) as info:
        call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert "个人信息加密密钥" in str(info.value) and expected in str(info.value)
    assert "未做任何恢复" in str(info.value)
    assert User.objects.count() == users


def test_the_manifest_names_the_chain_key_and_the_key_file_is_never_archived(
    world, tmp_path, settings, monkeypatch
):
    from ecogov.core import backup

    monkeypatch.setattr(backup, "_dump_database", _small_dump)
    key_file = Path(settings.MEDIA_ROOT, "chain.key")  # misplaced among the uploads
    key_file.parent.mkdir(parents=True)
    key_file.write_text("k" * 64)
    key_file.chmod(0o600)
    settings.ECOGOV_CHAIN_KEY, settings.ECOGOV_CHAIN_KEY_FILE = "", key_file
    Path(settings.MEDIA_ROOT, "upload.pdf").write_bytes(b"%PDF")
    result = create_backup(destination=tmp_path / "b.tar")
    assert set(result.manifest["members"]) == {
        result.manifest["database"]["member"],
        "media/upload.pdf",
    }
    assert result.manifest["chain_key_fingerprint"] == chains.key_fingerprint()
    assert "k" * 16 not in json.dumps(result.manifest)
    assert result.manifest["field_key_ids"] == crypto.key_ids()
    assert settings.ECOGOV_FIELD_KEY not in json.dumps(result.manifest)


def test_a_truncated_archive_is_refused(archive, tmp_path):
    cut = tmp_path / "cut.tar"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(BackupError, match="未通过校验|无法读取备份文件"):
        check_archive(archive=cut)


def test_restoring_over_a_database_in_use_needs_force(archive):
    with pytest.raises(BackupError, match=r"当前数据库已有数据.*加 --force"):
        restore_backup(archive=archive)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backup API")
def test_a_sqlite_backup_that_cannot_read_gives_up_instead_of_waiting_for_ever(
    world, tmp_path, monkeypatch
):
    """The test's transaction holds the in-memory database's write lock (IMMEDIATE);
    sqlite3's backup() would retry for ever."""
    from ecogov.core import backup

    monkeypatch.setattr(backup, "SQLITE_WAIT", 0.5)
    audit.record(SecurityEvent.LOGIN, username="leader")
    with pytest.raises(BackupError, match="SQLite 数据库被占用超过"):
        create_backup(destination=tmp_path / "x.tar")
    assert not list(tmp_path.iterdir())  # no partial archive left behind


def test_check_reads_the_archive_without_restoring(archive):
    out = io.StringIO()
    call_command("restore", str(archive), "--check", stdout=out)
    assert "备份文件完整" in out.getvalue() and "附件文件 2 个" in out.getvalue()


# --- what the restore's verification catches -------------------------------------------------
def test_the_checks_name_a_missing_or_altered_file_and_an_altered_case(world):
    _add_records(world)
    assert all(check.ok for check in integrity.run_all())
    files = {a.original_name: Path(a.file.path) for a in Attachment.objects.all()}
    files["现场照片.jpg"].write_bytes(b"changed")
    files["监测报告.pdf"].unlink()
    files = integrity.attachments_check()
    assert not files.ok and "2 个缺失或被改动" in files.summary
    assert any("文件不存在" in p for p in files.problems)
    assert any("SHA-256 不符" in p for p in files.problems)
    case = PenaltyCase.objects.order_by("pk").first()
    PenaltyCase.objects.filter(pk=case.pk).update(facts="被直接改动的事实")
    cases = cases_check()
    assert not cases.ok and case.number in cases.problems[0]


def test_keep_deletes_only_older_backups_of_this_command(tmp_path):
    names = [f"ecogov-backup-2026010{d}-020000.tar.gz" for d in range(1, 5)]
    for name in [*names, "other.tar.gz"]:
        (tmp_path / name).write_bytes(b"x")
        (tmp_path / f"{name}.sha256").write_text("x")
    removed = prune_backups(directory=tmp_path, keep=2)
    assert [p.name for p in removed] == names[:2]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(
        [*names[2:], *(f"{n}.sha256" for n in names[2:]), "other.tar.gz", "other.tar.gz.sha256"]
    )
