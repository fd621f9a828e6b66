"""The hash-chained security audit log: append and verify.

Each entry's hash is HMAC-SHA256(chain key, previous hash + canonical JSON of its fields)
(`ecogov.core.chains.link_hash`); the chain head row keeps the last seq and hash so a deleted
tail is caught as well as an altered row. `verify` also checks every signed anchor of the
chain heads (`ecogov.core.anchors`) and, given one, an anchor file kept outside the system.
The table refuses UPDATE and DELETE in the database itself (migration core 0007).

No entry is lost to a busy moment (docs/security.md, 并发与只追加日志): appenders queue for
one lock (PostgreSQL: an advisory lock; SQLite: the write lock an IMMEDIATE transaction
takes at BEGIN, waiting up to the busy timeout); an append made outside a transaction that
still finds the database locked is tried again; and `record_or_log`, used where the
response is already decided (a 403), writes the entry to the `ecogov.audit` log if the
database refuses it, instead of turning the answer into a 500.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import DatabaseError, OperationalError, connection, transaction
from django.utils import timezone

from ecogov.core import anchors
from ecogov.core.chains import GENESIS_HASH, link_problem, serialise
from ecogov.core.context import current_ip
from ecogov.core.models import AuditChainHead, AuditLogEntry

_PG_LOCK_KEY = 0x45434F47  # "ECOG": one appender at a time across processes
CHAIN = "audit"  # the log's name among the anchored chains; its one chain is "log"

ATTEMPTS = 3  # each waits up to the busy timeout (SQLite) before the next
_LOCK_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization, deadlock, lock not available

logger = logging.getLogger("ecogov.audit")


def _is_lock_error(exc: OperationalError) -> bool:
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in _LOCK_SQLSTATES:
        return True
    return connection.vendor == "sqlite" and ("locked" in str(exc) or "busy" in str(exc))


def record(
    event: str,
    *,
    username: str = "",
    ip_address: str | None = None,
    path: str = "",
    detail: dict | None = None,
) -> AuditLogEntry:
    """Append one entry to the chain.

    Inside a caller's transaction the entry belongs to it: committed with the change it
    records or rolled back with it (a role change that did not happen leaves no entry).
    Outside one it is written in its own transaction, tried again if the database is still
    locked after the busy timeout.
    """
    fields = {
        "event": event,
        "username": username or "",
        "ip_address": ip_address if ip_address is not None else current_ip(),
        "path": path,
        "detail": detail or {},
    }
    for attempt in range(1, ATTEMPTS):
        try:
            return _append(fields)
        except OperationalError as exc:
            if connection.in_atomic_block or not _is_lock_error(exc):
                raise
        time.sleep(0.1 * attempt)
    return _append(fields)  # the last attempt: its error is the caller's


def record_or_log(event: str, **kwargs) -> AuditLogEntry | None:
    """`record`, for a moment when the answer is already decided: if the database refuses
    the entry even after the retries, the entry goes to the `ecogov.audit` log (the server's
    log, with every field) and the caller's answer stands — a 403 does not become a 500."""
    try:
        return record(event, **kwargs)
    except DatabaseError:
        logger.exception(
            "audit entry not written to the database, kept here: event=%s fields=%r",
            event,
            kwargs,
        )
        return None


def _append(fields: dict) -> AuditLogEntry:
    with transaction.atomic():
        serialise(_PG_LOCK_KEY)
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        # the moment of writing, under the lock: the times run in the order of the chain
        entry = AuditLogEntry(
            seq=head.seq + 1, prev_hash=head.hash, occurred_at=timezone.now(), **fields
        )
        # The timestamp is stored with microseconds; hash what the database will give back.
        entry.hash = entry.compute_hash()
        entry.save()
        head.seq, head.hash = entry.seq, entry.hash
        head.save()
    return entry


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    anchors: int = 0
    anchor_file: str = ""  # the anchor file checked, as "第 N 号锚点(日期)"

    def __str__(self):
        if not self.ok:
            if self.broken_seq is None:
                return f"审计日志与哈希链锚点校验未通过:{self.reason}"
            return f"审计日志在第 {self.broken_seq} 条处断裂:{self.reason}"
        text = f"审计日志完整:共校验 {self.checked} 条,哈希链无断裂"
        text += f";{self.anchors} 个锚点均与记录一致" if self.anchors else ";尚无锚点"
        if self.anchor_file:
            text += f";锚点文件({self.anchor_file})与系统中的锚点和记录一致"
        return text + "。"


def verify(batch_size: int = 5000, *, anchor_file: str | bytes | None = None) -> VerifyReport:
    """The log's chain, then every anchor against the chains, then the anchor file if given."""
    report = verify_log(batch_size)
    if not report.ok:
        return report
    anchored = anchors.verify_anchors()
    if anchored.problem:
        return VerifyReport(False, report.checked, None, anchored.problem, anchored.count)
    described = ""
    if anchor_file is not None:
        described, problem = anchors.verify_file(anchor_file)
        if problem:
            return VerifyReport(False, report.checked, None, problem, anchored.count)
    return VerifyReport(True, report.checked, anchors=anchored.count, anchor_file=described)


def verify_log(batch_size: int = 5000) -> VerifyReport:
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    for entry in AuditLogEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return VerifyReport(
                False,
                checked,
                expected_seq,
                f"缺少第 {expected_seq} 条(下一条为第 {entry.seq} 条),记录被删除。",
            )
        if entry.prev_hash != prev_hash:
            return VerifyReport(
                False, checked, entry.seq, "前一条哈希不一致,前序记录被改动或删除。"
            )
        problem = link_problem(entry.prev_hash, entry.canonical(), entry.hash)
        if problem:
            return VerifyReport(False, checked, entry.seq, f"{problem}。")
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != checked or head_hash != prev_hash:
        return VerifyReport(
            False,
            checked,
            checked + 1,
            f"链头记录为第 {head_seq} 条,但日志只到第 {checked} 条:末尾记录被删除或链头被改动。",
        )
    return VerifyReport(True, checked)


# --- the log as an anchored chain (registered in CoreConfig.ready) ----------------------------
def chain_heads() -> dict[str, tuple[int, str]]:
    head = AuditChainHead.objects.filter(pk=1).first()
    return {"log": (head.seq, head.hash)} if head is not None and head.seq else {}


def chain_hashes_at(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    seqs = {position for link, position in pairs if link == "log"}
    found = AuditLogEntry.objects.filter(seq__in=seqs).values_list("seq", "hash")
    return {("log", seq): hash_ for seq, hash_ in found}


def chain_check(links: list[str]) -> str:
    report = verify_log()
    return "" if report.ok else str(report)


def chain_describe(link: str) -> str:
    return "安全审计日志"
