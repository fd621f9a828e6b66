"""The case's full-process record as a hash chain, and its verification (执法全过程记录).

Each event's hash = HMAC-SHA256(chain key, previous hash + canonical JSON of the event)
(`ecogov.core.chains.link_hash`, the same link as the security audit log's). Every event also
carries a digest of the case row as it stood after the event (`payload["snapshot"]`), and
every added document carries its file's sha256, so the chain covers the event rows, the
case row and the files. The case row keeps the chain head (length, last hash): a removed
last event is caught as well as an altered or removed one in the middle. The heads are
anchored with the other chains (`ecogov audit anchor`): `verify_case` also checks the case's
latest anchored head, which catches a rewrite by someone who holds the key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from ecogov.core.chains import GENESIS_HASH, canonical_json, link_hash, link_problem, plain
from ecogov.core.integrity import MAX_LISTED, CheckResult
from ecogov.core.models import Attachment, ChainAnchorHead
from ecogov.core.services import attachment_verify
from ecogov.enforcement.models import CaseEvent, PenaltyCase

CHAIN = "enforcement.cases"  # the case records' name among the anchored chains; link = case id
# Fields outside the digest: derived from the others (the current step's due date, the blind
# indexes of the party's personal data, which change with the field key) or the chain head
# itself. The party's encrypted fields are digested as plaintext (as read), so re-encryption
# and key rotation leave every snapshot as it was.
_NOT_SNAPSHOT = {
    "party_name_bidx",
    "party_id_number_bidx",
    "party_phone_bidx",
    "id",
    "step_due",
    "step_due_provisional",
    "step_label",
    "step_owner",
    "chain_length",
    "chain_hash",
    "created_at",
}


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
    return link_hash(event.prev_hash, canonical_json(event_body(event)))


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


def verify_case(case, *, files: bool = True) -> VerifyReport:
    """Recompute the chain; report the first broken link (row, head, anchor, case row or file).

    `files=False` leaves out reading the files (the daily anchoring checks the chain only)."""
    case = type(case).objects.get(pk=case.pk)  # what is stored, not a caller's copy
    number = case.number or f"#{case.pk}"
    prev_hash, expected, checked, files_checked = GENESIS_HASH, 1, 0, 0
    last = None
    referenced: set[int] = set()
    officers: set[int] = set()
    anchored = (
        ChainAnchorHead.objects.filter(chain=CHAIN, link=str(case.pk))
        .order_by("-anchor__seq")
        .values_list("position", "hash", "anchor__seq", "anchor__day")
        .first()
    )

    def broken(seq, reason):
        return VerifyReport(False, number, checked, files_checked, seq, reason)

    for event in case.events.order_by("seq"):
        if event.seq != expected:
            return broken(
                expected, f"缺少第 {expected} 条记录(下一条为第 {event.seq} 条),记录被删除。"
            )
        if event.prev_hash != prev_hash:
            return broken(event.seq, "前一条哈希不一致,前序记录被改动或删除。")
        problem = link_problem(event.prev_hash, canonical_json(event_body(event)), event.hash)
        if problem:
            return broken(event.seq, f"“{event.get_type_display()}”记录的{problem}。")
        if anchored is not None and event.seq == anchored[0] and event.hash != anchored[1]:
            return broken(
                event.seq,
                f"该条记录的哈希与第 {anchored[2]} 号锚点({anchored[3].isoformat()})不符:"
                "该条或其前的记录在锚定后被改写,哈希被重算。",
            )
        if event.type == "lead_registered":
            officers = set(event.payload.get("officers", []))
        elif event.type == "officers_set":
            officers = set(event.payload.get("after", []))
        if event.type == "attachment_added":
            problem = _check_attachment(event, files=files)
            if problem:
                return broken(event.seq, problem)
            referenced.add(event.payload.get("attachment"))
            files_checked += 1
        prev_hash, expected, checked, last = event.hash, expected + 1, checked + 1, event
    if anchored is not None and checked < anchored[0]:
        return broken(
            checked + 1,
            f"第 {anchored[2]} 号锚点({anchored[3].isoformat()})锚定时有 {anchored[0]} 条记录,"
            f"现只有 {checked} 条:末尾记录被删除。",
        )
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
    return VerifyReport(True, number, checked, files_checked)


def _check_attachment(event, *, files: bool = True) -> str:
    info = event.payload
    attachment = Attachment.objects.filter(pk=info.get("attachment")).first()
    name = info.get("name", "")
    if attachment is None:
        return f"材料“{name}”的附件记录已被删除。"
    if attachment.sha256 != info.get("sha256"):
        return f"材料“{name}”的附件记录中的 SHA-256 被改动(登记时为 {info.get('sha256')})。"
    if not files:
        return ""
    try:
        intact = attachment_verify(attachment)
    except (FileNotFoundError, OSError):
        return f"材料“{name}”的文件已不存在。"
    if not intact:
        return f"材料“{name}”的文件与登记时的 SHA-256 不符,文件被改动。"
    return ""


# --- the case records as an anchored chain (registered in EnforcementConfig.ready) ------------
def chain_heads() -> dict[str, tuple[int, str]]:
    rows = PenaltyCase.objects.filter(chain_length__gt=0).values_list(
        "pk", "chain_length", "chain_hash"
    )
    return {str(pk): (length, hash_) for pk, length, hash_ in rows}


def chain_hashes_at(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    wanted = {(int(link), position) for link, position in pairs if link.isdigit()}
    found = {}
    ordered = sorted(wanted)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        rows = CaseEvent.objects.filter(
            record_id__in={pk for pk, _p in chunk}, seq__in={p for _pk, p in chunk}
        ).values_list("record_id", "seq", "hash")
        found.update({(str(pk), seq): h for pk, seq, h in rows if (pk, seq) in wanted})
    return found


def chain_check(links: list[str]) -> str:
    for case in PenaltyCase.objects.filter(pk__in=[int(link) for link in links]).order_by("pk"):
        report = verify_case(case, files=False)
        if not report.ok:
            return str(report)
    return ""


def chain_describe(link: str) -> str:
    number = PenaltyCase.objects.filter(pk=link).values_list("number", flat=True).first()
    return f"案件 {number or '#' + link}的全过程记录"


def cases_check() -> CheckResult:
    """Every case's full-process record (`ecogov case verify` for each case, leads included),
    as one of the platform's integrity checks (ecogov.core.integrity)."""
    checked, problems, failed = 0, [], 0
    for case in PenaltyCase.objects.order_by("pk").iterator(chunk_size=500):
        report = verify_case(case)
        checked += 1
        if not report.ok:
            failed += 1
            if len(problems) < MAX_LISTED:
                problems.append(str(report))
    if failed:
        summary = f"共 {checked} 个案件,{failed} 个的全过程记录校验未通过。"
        return CheckResult("行政处罚案件全过程记录", False, summary, tuple(problems))
    return CheckResult(
        "行政处罚案件全过程记录", True, f"共校验 {checked} 个案件,全过程记录均完整。"
    )
