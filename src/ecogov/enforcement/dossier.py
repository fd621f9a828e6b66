"""The full case file as a zip for a court or a review body (案卷导出).

Contents: `index.json` and `目录.csv` (every document with its step, path in the zip,
size and sha256), `case.json` (the case record), `record.json` and `办案记录.csv` (the hash
chain: every event with its hash), `files/…` (the documents themselves) and `校验结果.txt`.
The case is verified first: a file that no longer matches its hash is not exported as if it
were the original.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core import services as core_services
from ecogov.core.chains import plain
from ecogov.core.models import Attachment
from ecogov.core.scoping import can_view
from ecogov.enforcement.chain import verify_case
from ecogov.enforcement.models import PenaltyCase
from ecogov.enforcement.workflow import CaseState


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()  # BOM: Excel opens UTF-8 as such


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=plain).encode()


def case_record(case: PenaltyCase) -> dict:
    fields = {f.attname: getattr(case, f.attname) for f in case._meta.concrete_fields}
    fields["state_label"] = str(CaseState(case.state).label)
    fields["officers"] = [u.get_username() for u in case.officers.all()]
    fields["legal_basis_title"] = case.legal_basis.title if case.legal_basis_id else ""
    return fields


def export_dossier(*, actor, case: PenaltyCase) -> bytes:
    if not can_view(actor, case):
        raise PermissionDenied(_("无权导出该案卷。"))
    report = verify_case(case)
    if not report.ok:
        raise ValidationError(_("案卷校验未通过,不能导出:%s") % report)
    events = list(case.events.select_related("actor").order_by("seq"))
    by_pk = {
        a.pk: a
        for a in Attachment.objects.filter(
            pk__in=[e.payload.get("attachment") for e in events if e.type == "attachment_added"]
        )
    }
    buffer = io.BytesIO()
    index = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for event in events:
            if event.type != "attachment_added":
                continue
            attachment = by_pk[event.payload["attachment"]]
            path = f"files/{event.seq:04d}_{attachment.original_name}"
            with attachment.file.open("rb") as fh:
                archive.writestr(path, fh.read())
            index.append(
                {
                    "seq": event.seq,
                    "step": event.payload.get("step", ""),
                    "step_label": _state_label(event.payload.get("step", "")),
                    "name": attachment.original_name,
                    "description": attachment.description,
                    "path": path,
                    "size": attachment.size,
                    "sha256": attachment.sha256,
                    "uploaded_by": attachment.uploaded_by.get_username(),
                    "uploaded_at": plain(attachment.uploaded_at),
                }
            )
        chain = [
            {
                "seq": e.seq,
                "type": e.type,
                "type_label": e.get_type_display(),
                "occurred_at": plain(e.occurred_at),
                "recorded_at": plain(e.recorded_at),
                "actor": e.actor.get_username() if e.actor else "",
                "from": e.from_state,
                "to": e.to_state,
                "reason": e.reason,
                "payload": e.payload,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in events
        ]
        archive.writestr(
            "index.json",
            _json(
                {
                    "case": case.number,
                    "exported_at": plain(timezone.now()),
                    "exported_by": actor.get_username(),
                    "chain_length": case.chain_length,
                    "chain_hash": case.chain_hash,
                    "documents": index,
                }
            ),
        )
        archive.writestr(
            "目录.csv",
            _csv(
                [
                    [
                        "序号",
                        "步骤",
                        "文件名",
                        "说明",
                        "包内路径",
                        "大小(字节)",
                        "SHA-256",
                        "上传人",
                        "上传时间",
                    ]
                ]
                + [
                    [
                        d["seq"],
                        d["step_label"],
                        d["name"],
                        d["description"],
                        d["path"],
                        d["size"],
                        d["sha256"],
                        d["uploaded_by"],
                        d["uploaded_at"],
                    ]
                    for d in index
                ]
            ),
        )
        archive.writestr("case.json", _json(case_record(case)))
        archive.writestr("record.json", _json(chain))
        archive.writestr(
            "办案记录.csv",
            _csv(
                [
                    [
                        "序号",
                        "事件",
                        "发生时间",
                        "录入时间",
                        "操作人",
                        "原状态",
                        "新状态",
                        "理由",
                        "哈希",
                    ]
                ]
                + [
                    [
                        c["seq"],
                        c["type_label"],
                        c["occurred_at"],
                        c["recorded_at"],
                        c["actor"],
                        c["from"],
                        c["to"],
                        c["reason"],
                        c["hash"],
                    ]
                    for c in chain
                ]
            ),
        )
        archive.writestr("校验结果.txt", str(report).encode())
    core_services.record_export(
        actor=actor, what=f"行政处罚案卷 {case.number}", count=len(index), fmt="zip"
    )
    return buffer.getvalue()


def _state_label(state: str) -> str:
    try:
        return str(CaseState(state).label)
    except ValueError:
        return state
