"""The case's full-process record as a hash chain, and its verification (执法全过程记录).

Each event's hash = sha256(previous hash + canonical JSON of the event). Every event also
carries a digest of the case row as it stood after the event (`payload["snapshot"]`), and
every added document carries its file's sha256, so the chain covers the event rows, the
case row and the files. The case row keeps the chain head (length, last hash): a removed
last event is caught as well as an altered or removed one in the middle.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from ecogov.core.models import Attachment
from ecogov.core.services import attachment_verify

GENESIS_HASH = "0" * 64
# Fields outside the digest: derived from the others (the current step's due date) or the
# chain head itself.
_NOT_SNAPSHOT = {
    "id",
    "step_due",
    "step_due_provisional",
    "step_label",
    "step_owner",
    "chain_length",
    "chain_hash",
    "created_at",
}


def plain(value):
    if isinstance(value, Decimal):
        return format(value.quantize(Decimal("0.01")), "f")
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical_json(data) -> bytes:
    return json.dumps(
        data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=plain
    ).encode()


def case_snapshot(case) -> str:
    """Digest of the case row's recorded facts. The officers (a separate table) are checked
    against the chain's own record of them (lead registered, officers set) instead."""
    body = {}
    for field in case._meta.concrete_fields:
        if field.name in _NOT_SNAPSHOT:
            continue
        value = getattr(case, field.attname)
        if field.get_internal_type() == "DecimalField" and value is not None:
            value = Decimal(value)
        body[field.attname] = plain(value)
    return hashlib.sha256(canonical_json(body)).hexdigest()


def event_body(event) -> dict:
    return {
        "case": event.record_id,
        "seq": event.seq,
        "type": event.type,
        "occurred_at": plain(event.occurred_at),
        "recorded_at": plain(event.recorded_at),
        "actor": event.actor_id,
        "from": event.from_state,
        "to": event.to_state,
        "reason": event.reason,
        "payload": event.payload,
        "ip": event.ip_address or "",
    }


def event_hash(event) -> str:
    return hashlib.sha256(event.prev_hash.encode() + canonical_json(event_body(event))).hexdigest()


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    number: str
    checked: int
    files: int = 0
    broken_seq: int | None = None
    reason: str = ""

    def __str__(self):
        if self.ok:
            return (
                f"案件 {self.number} 的全过程记录完整:共校验 {self.checked} 条记录、"
                f"{self.files} 个文件,哈希链无断裂。"
            )
        where = f"第 {self.broken_seq} 条记录" if self.broken_seq else "记录链"
        return f"案件 {self.number} 的全过程记录在{where}处断裂:{self.reason}"


def verify_case(case) -> VerifyReport:
    """Recompute the chain; report the first broken link (row, head, case row or file)."""
    case = type(case).objects.get(pk=case.pk)  # what is stored, not a caller's copy
    number = case.number or f"#{case.pk}"
    prev_hash, expected, checked, files = GENESIS_HASH, 1, 0, 0
    last = None
    referenced: set[int] = set()
    officers: set[int] = set()

    def broken(seq, reason):
        return VerifyReport(False, number, checked, files, seq, reason)

    for event in case.events.order_by("seq"):
        if event.seq != expected:
            return broken(
                expected, f"缺少第 {expected} 条记录(下一条为第 {event.seq} 条),记录被删除。"
            )
        if event.prev_hash != prev_hash:
            return broken(event.seq, "前一条哈希不一致,前序记录被改动或删除。")
        if event_hash(event) != event.hash:
            return broken(
                event.seq, f"“{event.get_type_display()}”记录的内容与哈希不符,该条记录被改动。"
            )
        if event.type == "lead_registered":
            officers = set(event.payload.get("officers", []))
        elif event.type == "officers_set":
            officers = set(event.payload.get("after", []))
        if event.type == "attachment_added":
            problem = _check_attachment(event)
            if problem:
                return broken(event.seq, problem)
            referenced.add(event.payload.get("attachment"))
            files += 1
        prev_hash, expected, checked, last = event.hash, expected + 1, checked + 1, event
    if case.chain_length != checked or (case.chain_hash or GENESIS_HASH) != prev_hash:
        return broken(
            checked + 1 if case.chain_length > checked else None,
            f"案件记录链头为第 {case.chain_length} 条,实际有 {checked} 条或末条哈希不符:"
            "末尾记录被删除或链头被改动。",
        )
    if last is not None and last.payload.get("snapshot") != case_snapshot(case):
        return broken(
            None, f"案件信息与第 {last.seq} 条记录登记时的状态不符:案件表被绕过办案流程直接改动。"
        )
    if set(case.officers.values_list("pk", flat=True)) != officers:
        return broken(None, "案件的执法人员与办案记录中登记的不符:执法人员被绕过办案流程直接改动。")
    stray = (
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(case),
            object_id=case.pk,
        )
        .exclude(pk__in=referenced)
        .first()
    )
    if stray is not None:
        return broken(None, f"材料“{stray.original_name}”未登记在办案记录中(绕过办案流程添加)。")
    return VerifyReport(True, number, checked, files)


def _check_attachment(event) -> str:
    info = event.payload
    attachment = Attachment.objects.filter(pk=info.get("attachment")).first()
    name = info.get("name", "")
    if attachment is None:
        return f"材料“{name}”的附件记录已被删除。"
    if attachment.sha256 != info.get("sha256"):
        return f"材料“{name}”的附件记录中的 SHA-256 被改动(登记时为 {info.get('sha256')})。"
    try:
        intact = attachment_verify(attachment)
    except (FileNotFoundError, OSError):
        return f"材料“{name}”的文件已不存在。"
    if not intact:
        return f"材料“{name}”的文件与登记时的 SHA-256 不符,文件被改动。"
    return ""
