"""Backup and restore: the database and the attachment files in one archive with a manifest.

The archive (`.tar.gz`, or `.tar`) holds

- `database/ecogov.sqlite3` (SQLite, copied through SQLite's online backup API) or
  `database/ecogov.pgdump` (PostgreSQL, `pg_dump --format=custom`);
- `media/…`, every file under MEDIA_ROOT (the attachments);
- `manifest.json`, last: format version, when, the database vendor and version, the applied
  Django migrations, and the SHA-256 and size of every other member.

Both dumps keep every value as stored (timestamps to the microsecond), so the hash chains
(security audit log, case records) verify after a restore; `dumpdata`/`loaddata` does not.
`restore_backup` checks every member against the manifest before it touches anything, then
replaces the database and the attachment folder and runs every integrity check
(ecogov.core.integrity). How to schedule and verify: docs/security.md (备份与恢复).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import ecogov
from ecogov.core import audit, chains, crypto, integrity
from ecogov.core.dashboard import forget_dashboards
from ecogov.core.models import AuditLogEntry, SecurityEvent

FORMAT = "ecogov-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_MEMBER = {"sqlite": "database/ecogov.sqlite3", "postgresql": "database/ecogov.pgdump"}
DUMP_KIND = {"sqlite": "SQLite 在线备份(backup API)", "postgresql": "pg_dump --format=custom"}
VENDOR_NAME = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
NAME_PREFIX = "ecogov-backup-"
SUFFIXES = (".tar.gz", ".tgz", ".tar")
SQLITE_WAIT = 60.0  # seconds a backup or restore waits for SQLite's writers, then fails
PG_LOCK_TIMEOUT = "60s"  # a restore waits this long for the application's locks, then fails
_CHUNK = 1 << 20
_MAX_MANIFEST = 256 << 20


class BackupError(Exception):
    """A backup or a restore refused or failed; the message says why, in Chinese."""


# --- backup ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BackupResult:
    path: Path
    sha256: str  # of the archive file; also written beside it as <archive>.sha256
    size: int
    manifest: dict

    def __str__(self):
        return (
            f"备份完成:{self.path}({_size(self.size)})。"
            f"数据库 {VENDOR_NAME[self.manifest['database']['vendor']]},"
            f"{attachments_line(self.manifest)};归档 SHA-256:{self.sha256}"
        )


def default_directory() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def archive_path(destination: Path | None, *, now: dt.datetime) -> Path:
    """A file path as given, or a time-stamped name in a directory (by default var/backups/)."""
    destination = Path(destination) if destination else default_directory()
    if destination.is_dir() or not (destination.exists() or destination.suffix):
        stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
        destination = destination / f"{NAME_PREFIX}{stamp}.tar.gz"
    elif not destination.name.endswith(SUFFIXES):
        raise BackupError(f"备份文件名须以 .tar.gz、.tgz 或 .tar 结尾,或给出一个目录:{destination}")
    if destination.exists():
        raise BackupError(f"备份文件 {destination} 已存在,不会覆盖。")
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if destination.resolve().is_relative_to(media_root):
        raise BackupError(f"备份文件不能放在附件目录 {media_root} 之内:{destination}")
    return destination


def create_backup(*, destination: Path | None = None) -> BackupResult:
    """Dump the database, then copy the attachment files, into one archive with a manifest.

    The database first: a file added meanwhile is carried along unreferenced (harmless); a
    file the database refers to was stored before the dump."""
    vendor = _vendor()
    fingerprint = _key_fingerprint()
    now = timezone.now()
    path = archive_path(destination, now=now)
    path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".ecogov-backup-", dir=path.parent))
    partial = path.with_name(path.name + ".partial")
    try:
        dump = work / PurePosixPath(DATABASE_MEMBER[vendor]).name
        _dump_database(vendor, dump)
        members: dict[str, dict] = {}
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # personal data
        with os.fdopen(fd, "wb") as raw:
            options = {} if path.name.endswith(".tar") else {"compresslevel": 6}
            mode = "w" if path.name.endswith(".tar") else "w:gz"
            with tarfile.open(fileobj=raw, mode=mode, **options) as tar:
                _add_file(tar, DATABASE_MEMBER[vendor], dump, members)
                for name, source in _media_files():
                    _add_file(tar, name, source, members)
                manifest = _manifest(vendor, now, members, fingerprint)
                _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            raw.flush()
            os.fsync(raw.fileno())
        partial.rename(path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        partial.unlink(missing_ok=True)
    digest, size = _file_sha256(path)
    sidecar = path.with_name(path.name + ".sha256")
    sidecar.write_text(f"{digest}  {path.name}\n", encoding="utf-8")  # `sha256sum -c`
    sidecar.chmod(0o600)
    # in the security log (a copy of everything left the system), after the archive: the
    # entry names the archive's hash, so the log shows which copy was made when
    audit.record(
        SecurityEvent.BACKUP,
        detail={"archive": path.name, "sha256": digest, "size": size, "os_user": _os_user()},
    )
    return BackupResult(path, digest, size, manifest)


def prune_backups(*, directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives this command wrote in `directory`."""
    if keep < 1:
        raise BackupError("--keep 须为正整数(保留最近的几份备份)。")
    archives = sorted(
        p for p in Path(directory).glob(f"{NAME_PREFIX}*") if p.name.endswith(SUFFIXES)
    )
    removed = archives[:-keep]
    for old in removed:
        old.unlink()
        old.with_name(old.name + ".sha256").unlink(missing_ok=True)
    return removed


def _vendor() -> str:
    if connection.vendor not in DATABASE_MEMBER:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库:只支持 SQLite 和 PostgreSQL。")
    return connection.vendor


def _dump_database(vendor: str, target: Path) -> None:
    if vendor == "sqlite":
        # A connection of its own: what is committed, as pg_dump sees it, whatever transaction
        # the caller is in. In WAL mode it reads a snapshot and neither waits for the writers
        # nor holds them up.
        source = connection.get_new_connection(connection.get_connection_params())
        copy = sqlite3.connect(target)
        try:
            source.backup(copy, progress=_give_up_after(SQLITE_WAIT))
        except sqlite3.Error as exc:
            raise BackupError(f"备份 SQLite 数据库失败:{exc}") from exc
        finally:
            copy.close()
            source.close()
        return
    args, env = _pg_args()
    _run([_pg_tool("pg_dump"), "--format=custom", f"--file={target}", *args], env, "导出数据库")


def attachments_on_disk() -> bool:
    """Whether the attachments are files under MEDIA_ROOT, which the archive carries. In an
    object store (ECOGOV_S3_BUCKET; docs/deploy.md) they are not: the store's own versioning and
    replication keep them, and a backup holds the database alone."""
    from django.core.files.storage import FileSystemStorage, storages

    return isinstance(storages["default"], FileSystemStorage)


def _media_files():
    root = Path(settings.MEDIA_ROOT)
    if not attachments_on_disk() or not root.is_dir():
        return
    # the keys are never archived, wherever they are
    keys = {
        Path(settings.ECOGOV_CHAIN_KEY_FILE).resolve(),
        Path(settings.ECOGOV_FIELD_KEY_FILE).resolve(),
    }
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            source = Path(folder, name)
            if source.is_file() and not source.is_symlink() and source.resolve() not in keys:
                yield f"{MEDIA}/{source.relative_to(root).as_posix()}", source


class _HashingReader:
    def __init__(self, fh):
        self.fh, self.digest = fh, hashlib.sha256()

    def read(self, size=-1):
        data = self.fh.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, name: str, source: Path, members: dict) -> None:
    info = tarfile.TarInfo(name)
    stat = source.stat()
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
    with source.open("rb") as fh:
        reader = _HashingReader(fh)
        tar.addfile(info, reader)
    members[name] = {"sha256": reader.digest.hexdigest(), "size": info.size}


def _add_bytes(tar: tarfile.TarFile, name: str, text: str) -> None:
    data = text.encode()
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))


def _manifest(vendor: str, now: dt.datetime, members: dict, fingerprint: str) -> dict:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    server = sqlite3.sqlite_version if vendor == "sqlite" else str(connection.pg_version)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.localtime(now).isoformat(),
        "ecogov_version": ecogov.__version__,
        "database": {
            "vendor": vendor,
            "member": DATABASE_MEMBER[vendor],
            "dump": DUMP_KIND[vendor],
            "server_version": server,
        },
        "migrations": applied,
        # which chain key the hash chains were made with (not the key: it is never archived)
        "chain_key_fingerprint": fingerprint,
        # the ids of the personal-data keys, newest first (not the keys: never archived)
        "field_key_ids": crypto.key_ids(),
        "members": members,
        # "archive": the attachments are members (media/…); "object_storage": they are not
        "attachments": "archive" if attachments_on_disk() else "object_storage",
    }


# --- reading an archive ----------------------------------------------------------------------
def check_archive(*, archive: Path, into: Path | None = None) -> dict:
    """Every member against the manifest; returns the manifest. With `into`, the members are
    written there (database/…, media/…) as they are read. Nothing else is touched."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"备份文件 {archive} 不存在。")
    found: dict[str, tuple[str, int]] = {}
    problems: list[str] = []
    manifest_text = None
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                name = member.name
                if member.isdir() and _safe_parts(name):
                    continue  # folders carry nothing; the files' own paths make them
                if not member.isfile() or not _safe_name(name):
                    problems.append(f"归档中有不属于备份的成员“{name}”(路径或类型不安全)。")
                    continue
                if name in found or (name == MANIFEST and manifest_text is not None):
                    problems.append(f"归档中“{name}”出现了不止一次。")
                    continue
                fh = tar.extractfile(member)
                if name == MANIFEST:
                    if member.size > _MAX_MANIFEST:
                        problems.append("清单 manifest.json 大得不正常。")
                        continue
                    manifest_text = fh.read()
                    continue
                found[name] = _copy_hashing(fh, into / name if into else None)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(
            f"无法读取备份文件 {archive}:不是完整的 EcoGov 备份归档({exc})。"
        ) from exc
    manifest = _parse_manifest(manifest_text, problems)
    if manifest is not None:
        listed = manifest["members"]
        for name, expected in sorted(listed.items()):
            if name not in found:
                problems.append(f"清单中的“{name}”不在归档中(文件缺失)。")
                continue
            digest, size = found[name]
            if digest != expected.get("sha256") or size != expected.get("size"):
                problems.append(f"“{name}”的 SHA-256 与清单不符:文件被改动或已损坏。")
        problems += [
            f"“{name}”不在清单中:归档被改动。" for name in sorted(set(found) - set(listed))
        ]
        if manifest["database"]["member"] not in listed:
            problems.append("清单中没有数据库文件。")
    if problems:
        shown = "\n".join(f"  - {p}" for p in problems[:20])
        more = f"\n  ……另有 {len(problems) - 20} 处问题。" if len(problems) > 20 else ""
        raise BackupError(f"备份文件 {archive.name} 未通过校验,未做任何恢复:\n{shown}{more}")
    return manifest


def _safe_parts(name: str) -> bool:
    path = PurePosixPath(name)
    return not (
        path.is_absolute()
        or not path.parts
        or any(part in (".", "..") for part in path.parts)
        or "\\" in name
        or "\x00" in name
    )


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return _safe_parts(name) and (
        name == MANIFEST
        or (parts[0] == "database" and len(parts) == 2 and name in DATABASE_MEMBER.values())
        or (parts[0] == MEDIA and len(parts) >= 2)
    )


def _copy_hashing(fh, target: Path | None) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    out = None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        out = target.open("xb")
    try:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            if out is not None:
                out.write(chunk)
    finally:
        if out is not None:
            out.close()
    return digest.hexdigest(), size


def _parse_manifest(text: bytes | None, problems: list[str]) -> dict | None:
    if text is None:
        problems.append("归档中没有清单 manifest.json:不是 EcoGov 备份,或已被改动。")
        return None
    try:
        manifest = json.loads(text)
        ok = (
            manifest.get("format") == FORMAT
            and isinstance(manifest.get("members"), dict)
            and all(isinstance(value, dict) for value in manifest["members"].values())
            and manifest.get("database", {}).get("vendor") in DATABASE_MEMBER
            and manifest["database"].get("member")
            == DATABASE_MEMBER[manifest["database"]["vendor"]]
            and isinstance(manifest.get("migrations"), dict)
        )
    except (ValueError, AttributeError, TypeError):
        ok = False
    if not ok:
        problems.append("清单 manifest.json 无法读取或缺少必要内容:不是 EcoGov 备份,或已被改动。")
        return None
    if manifest.get("format_version") != FORMAT_VERSION:
        problems.append(
            f"备份格式版本为 {manifest.get('format_version')},本程序只能恢复第 {FORMAT_VERSION} 版:"
            "请用创建该备份的 EcoGov 版本恢复。"
        )
        return None
    return manifest


# --- restore ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RestoreReport:
    archive: Path
    manifest: dict
    checks: list[integrity.CheckResult]
    notes: list[str] = field(default_factory=list)
    chain_key_matches: bool = True  # False only when restored with ignore_chain_key

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def restore_backup(
    *, archive: Path, force: bool = False, ignore_chain_key: bool = False
) -> RestoreReport:
    """Replace the database and the attachment folder with the archive's, then verify.

    Refused, with nothing touched, when a member does not match the manifest, when the backup
    is of another database vendor or of a newer EcoGov, when this system does not hold the
    chain key the backup's chains were made with (unless `ignore_chain_key`: the data back,
    the chains unverifiable), or when the database holds data and `force` is not given."""
    archive = Path(archive)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".ecogov-restore-", dir=media_root.parent))
    try:
        manifest = check_archive(archive=archive, into=staging)
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"备份来自 {VENDOR_NAME[vendor]} 数据库,当前数据库是 "
                f"{VENDOR_NAME.get(connection.vendor, connection.vendor)}:不能跨数据库类型恢复,"
                "未做任何恢复。请在同类数据库上恢复(DATABASE_URL)。"
            )
        _refuse_newer_migrations(manifest)
        if not ignore_chain_key:
            _refuse_other_chain_key(manifest)
        _refuse_without_field_key(manifest)
        if not force:
            _refuse_if_in_use()
        if connection.in_atomic_block:
            raise BackupError("恢复不能在数据库事务中进行。")
        _restore_database(vendor, staging / manifest["database"]["member"])
        ContentType.objects.clear_cache()  # the ids are the backup's now
        forget_dashboards()  # the kept counts are of the data before
        notes = []
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        if attachments_on_disk():
            moved = _replace_media(staging / MEDIA, media_root, stamp)
            if moved is not None:
                notes.append(f"恢复前的附件目录已移到 {moved},核对无误后可删除。")
        else:
            notes.append(
                "附件在对象存储中:本次只恢复了数据库,对象存储未改动;如需附件回到备份时的状态,"
                "请用对象存储的版本功能恢复(docs/deploy.md)。"
            )
        if _pending_migrations():
            call_command("migrate", interactive=False, verbosity=0)
            notes.append("备份来自较早的版本:已运行 migrate 升级数据库结构。")
        checks = integrity.run_all()
        expected = manifest.get("chain_key_fingerprint")
        key_matches = not expected or _key_fingerprint() == expected
        report = RestoreReport(archive, manifest, checks, notes, key_matches)
        audit.record(
            SecurityEvent.RESTORE,
            detail={
                "archive": archive.name,
                "backup_created_at": manifest["created_at"],
                "verified": report.ok,
                "os_user": _os_user(),
            },
        )
        return report
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _refuse_newer_migrations(manifest: dict) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in sorted(manifest["migrations"].items())
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            f"备份来自更新的 EcoGov(版本 {manifest.get('ecogov_version', '未知')}),其数据库含本版本"
            f"没有的迁移 {'、'.join(unknown[:5])}{' 等' if len(unknown) > 5 else ''}:"
            "未做任何恢复。请先升级到不低于该版本的 EcoGov 再恢复。"
        )


def _key_fingerprint() -> str:
    try:
        return chains.key_fingerprint()
    except ImproperlyConfigured as exc:
        raise BackupError(str(exc)) from exc


def _refuse_other_chain_key(manifest: dict) -> None:
    """Without the key the chains were made with, every chain fails its check after the
    restore; a system without a key would make a new one on first use: both refused first."""
    expected = manifest.get("chain_key_fingerprint")
    if not expected:
        return
    where = f"密钥文件 {settings.ECOGOV_CHAIN_KEY_FILE}(权限 600)或环境变量 ECOGOV_CHAIN_KEY"
    if (
        not (settings.ECOGOV_CHAIN_KEY or "").strip()
        and not Path(settings.ECOGOV_CHAIN_KEY_FILE).exists()
    ):
        raise BackupError(
            f"本机还没有哈希链密钥,未做任何恢复:请先把原系统的链密钥放到{where}"
            "(docs/security.md,哈希链与锚定),再恢复。密钥已丢失时,可加 --ignore-chain-key "
            "恢复数据,但审计日志和案件记录的哈希链将无法通过校验。"
        )
    if _key_fingerprint() != expected:
        raise BackupError(
            f"本机的哈希链密钥与备份时不同(备份时的密钥指纹 {expected}),未做任何恢复:"
            f"恢复后审计日志和案件记录的哈希链将无法通过校验。请把原系统的链密钥放到{where},"
            "再恢复;密钥已丢失时,可加 --ignore-chain-key 恢复数据。"
        )


def _refuse_without_field_key(manifest: dict) -> None:
    """The personal data of the backup is encrypted with its newest field key: a system
    without that key would restore data it cannot read (docs/security.md, 个人信息加密存储)."""
    expected = manifest.get("field_key_ids") or []
    if not expected:
        return
    try:
        present = crypto.key_ids()
    except ImproperlyConfigured as exc:
        raise BackupError(f"{exc} 未做任何恢复。") from exc
    if expected[0] not in present:
        raise BackupError(
            f"本机没有备份时的个人信息加密密钥 {expected[0]}(本机:{'、'.join(present)}),"
            "未做任何恢复:恢复后个人信息将无法解密。请把原系统的密钥加入 ECOGOV_FIELD_KEY "
            f"或密钥文件 {settings.ECOGOV_FIELD_KEY_FILE},再恢复。"
        )


def _refuse_if_in_use() -> None:
    tables = set(connection.introspection.table_names())
    user_model = get_user_model()
    users = user_model.objects.count() if user_model._meta.db_table in tables else 0
    entries = AuditLogEntry.objects.count() if AuditLogEntry._meta.db_table in tables else 0
    if users or entries:
        raise BackupError(
            f"当前数据库已有数据({users} 个用户账号、{entries} 条安全审计日志),未做任何恢复:"
            "恢复会用备份覆盖全部数据和附件。确认要覆盖时,停止服务后加 --force 重新运行。"
        )


def _restore_database(vendor: str, dump: Path) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:  # one write transaction: all or nothing
            source.backup(connection.connection, progress=_give_up_after(SQLITE_WAIT))
        except sqlite3.Error as exc:
            raise BackupError(f"恢复 SQLite 数据库失败,数据库未改动:{exc}") from exc
        finally:
            source.close()
        return
    pg_restore = _pg_tool("pg_restore")
    args, env = _pg_args()
    listing = _run([pg_restore, "--list", str(dump)], env, "读取数据库备份目录")
    in_dump = {
        parts[5]
        for line in listing.splitlines()
        if not line.startswith(";")
        and len(parts := line.split()) >= 7
        and parts[3] == "TABLE"
        and parts[4] != "DATA"
    }
    # Tables the backup does not have (a later version's) would keep pg_restore --clean from
    # dropping the tables they refer to: they go first.
    leftover = [t for t in connection.introspection.table_names() if t not in in_dump]
    if leftover:
        with connection.cursor() as cursor:
            for table in leftover:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connection.close()  # nothing of ours holds a lock while the tables are replaced
    options = env.get("PGOPTIONS", "")
    env = {**env, "PGOPTIONS": f"{options} -c lock_timeout={PG_LOCK_TIMEOUT}".strip()}
    command = [
        pg_restore,
        "--clean",
        "--if-exists",
        "--single-transaction",  # all or nothing
        "--exit-on-error",
        "--no-owner",  # the objects belong to the user that restores (the application's)
        "--no-privileges",
        *args,
        str(dump),
    ]
    _run(command, env, "恢复数据库(pg_restore 在一个事务中进行,已整体回滚)")


def _replace_media(staged: Path, media_root: Path, stamp: str) -> Path | None:
    """Put the restored folder in place; a non-empty old one is moved aside, not deleted."""
    staged.mkdir(exist_ok=True)  # an archive without files
    moved = None
    if media_root.exists():
        if any(media_root.iterdir()):
            moved = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
            _move(media_root, moved)
        else:
            media_root.rmdir()
    _move(staged, media_root)
    return moved


def _move(source: Path, target: Path) -> None:
    try:
        source.rename(target)
    except OSError:  # a mount point, or another file system: move what is inside
        target.mkdir(parents=True, exist_ok=True)
        for entry in source.iterdir():
            shutil.move(entry, target / entry.name)


def _pending_migrations() -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


# --- helpers ---------------------------------------------------------------------------------
def _give_up_after(seconds: float):
    """A progress callback for sqlite3's backup(), which otherwise retries a busy or locked
    database for ever (a writer holding it: outside WAL mode, or an in-memory database)."""
    deadline = time.monotonic() + seconds

    def progress(status, remaining, total):
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BackupError(
                f"SQLite 数据库被占用超过 {seconds:.0f} 秒(有程序在长时间写入):"
                "未做任何改动,请稍后重试。"
            )

    return progress


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    installed = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if installed:
        return str(installed[-1])
    major = connection.pg_version // 10000 if connection.vendor == "postgresql" else ""
    raise BackupError(
        f"找不到 PostgreSQL 客户端程序 {name}(PATH 和 /usr/lib/postgresql/*/bin 中都没有):"
        f"请安装与数据库服务器同版本或更新的 PostgreSQL 客户端(Debian/Ubuntu:"
        f"apt install postgresql-client-{major}),或把 {name} 所在目录加入 PATH。"
    )


def _pg_args() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore; the password and TLS settings go through
    the environment, as Django passes them to psql (`ecogov dbshell`)."""
    settings_dict = connection.settings_dict
    _psql, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    args = []
    for option, key in (("--username", "USER"), ("--host", "HOST"), ("--port", "PORT")):
        if settings_dict.get(key):
            args.append(f"{option}={settings_dict[key]}")
    service = settings_dict["OPTIONS"].get("service")
    dbname = settings_dict.get("NAME") or (f"service={service}" if service else "postgres")
    args.append(f"--dbname={dbname}")
    return args, {**os.environ, **(env or {})}


def _run(command: list[str], env: dict, what: str) -> str:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BackupError(f"{what}失败:无法运行 {command[0]}({exc})。") from exc
    if done.returncode != 0:
        raise BackupError(
            f"{what}失败({Path(command[0]).name} 退出码 {done.returncode}):"
            f"{done.stderr.strip()[-2000:]}"
        )
    return done.stdout


def _file_sha256(path: Path) -> tuple[str, int]:
    with path.open("rb") as fh:
        return _copy_hashing(fh, None)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _size(size: int) -> str:
    return f"{size / (1 << 20):.1f} MB" if size >= 1 << 20 else f"{size / 1024:.1f} KB"


def media_count(manifest: dict) -> int:
    return sum(1 for name in manifest["members"] if name.startswith(f"{MEDIA}/"))


def attachments_line(manifest: dict) -> str:
    if manifest.get("attachments") == "object_storage":
        return "附件在对象存储中,不在本备份内(由对象存储的版本与复制保存,见 docs/deploy.md)"
    return f"附件文件 {media_count(manifest)} 个"


def describe(manifest: dict) -> str:
    """One line about a backup, from its manifest."""
    return (
        f"创建于 {manifest['created_at']},EcoGov {manifest.get('ecogov_version', '?')},"
        f"数据库 {VENDOR_NAME[manifest['database']['vendor']]}({manifest['database']['dump']}),"
        f"{attachments_line(manifest)}"
    )
