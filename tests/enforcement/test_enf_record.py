"""The full-process record: hash chain, `ecogov case verify`, tampering caught, zip export."""

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from ecogov.core import services as core_services
from ecogov.core.append_only import suspended
from ecogov.core.models import Attachment
from ecogov.enforcement import services as s
from ecogov.enforcement.chain import verify_case
from ecogov.enforcement.dossier import export_dossier
from ecogov.enforcement.models import CaseEvent, PenaltyCase

D = dt.date
PHOTO = b"\xff\xd8\xff\xe0" + "现场照片".encode() * 50  # a JPEG by its first bytes
VIDEO = b"\x00\x00\x00\x18ftypmp42" + b"v" * 500


@pytest.fixture
def recorded(flow):
    """A closed case with a photo at the investigation and a video at the hearing stage."""
    case = flow.investigating()
    s.case_attach(
        actor=flow.p.handler,
        case=case,
        description="排放口照片",
        uploaded_file=SimpleUploadedFile("现场.jpg", PHOTO),
    )
    s.case_attach(
        actor=flow.p.handler,
        case=case,
        description="询问笔录录像",
        uploaded_file=SimpleUploadedFile("询问.mp4", VIDEO),
    )
    case = s.case_notify(
        actor=flow.p.handler,
        case=case,
        legal_basis=flow.voc,
        penalty_kinds=["fine"],
        fine=Decimal("50000"),
        notified_on=D(2025, 4, 1),
    )
    case = s.case_decide(
        actor=flow.p.leader,
        case=case,
        penalty_kinds=["fine"],
        fine=Decimal("50000"),
        decided_on=D(2025, 4, 15),
    )
    case = s.case_serve(actor=flow.p.handler, case=case, method="direct", served_on=D(2025, 4, 16))
    return PenaltyCase.objects.get(pk=case.pk)


def _sql(statement, params):
    """Raw SQL as an intruder with the database owner's rights: the append-only triggers
    dropped first (tests/core/test_append_only.py shows they refuse it otherwise)."""
    with suspended(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _event(case, type_):
    return case.events.get(type=type_)


def test_the_intact_record_verifies_and_says_so(recorded, capsys):
    report = verify_case(recorded)
    assert report.ok and report.checked == recorded.events.count() and report.files == 2
    call_command("case", "verify", recorded.number)
    out = capsys.readouterr().out
    assert f"案件 {recorded.number} 的全过程记录完整" in out and "2 个文件" in out
    first, second = recorded.events.order_by("seq")[:2]
    assert first.prev_hash == "0" * 64 and second.prev_hash == first.hash


def test_an_event_row_altered_in_the_database_is_caught(recorded):
    event = _event(recorded, "decided")
    _sql(f"UPDATE {CaseEvent._meta.db_table} SET reason = %s WHERE id = %s", ["改过", event.pk])
    report = verify_case(recorded)
    assert not report.ok and report.broken_seq == event.seq and "该条记录被改动" in report.reason
    with pytest.raises(CommandError, match=f"第 {event.seq} 条记录"):
        call_command("case", "verify", recorded.number)


def test_an_event_removed_in_the_middle_is_caught(recorded):
    event = _event(recorded, "notified")
    _sql(f"DELETE FROM {CaseEvent._meta.db_table} WHERE id = %s", [event.pk])
    report = verify_case(recorded)
    assert not report.ok and report.broken_seq == event.seq and "记录被删除" in report.reason


def test_the_last_event_removed_is_caught_by_the_chain_head(recorded):
    event = recorded.events.order_by("-seq").first()
    _sql(f"DELETE FROM {CaseEvent._meta.db_table} WHERE id = %s", [event.pk])
    report = verify_case(recorded)
    assert not report.ok and "末尾记录被删除" in report.reason


def test_the_case_row_altered_outside_the_services_is_caught(recorded):
    _sql(f"UPDATE {PenaltyCase._meta.db_table} SET fine = %s WHERE id = %s", [5000, recorded.pk])
    report = verify_case(PenaltyCase.objects.get(pk=recorded.pk))
    assert not report.ok and "案件表被绕过办案流程直接改动" in report.reason


def test_officers_changed_outside_the_services_are_caught(recorded, flow):
    recorded.officers.add(flow.p.nanhu)
    report = verify_case(recorded)
    assert not report.ok and "执法人员被绕过办案流程直接改动" in report.reason


def test_a_tampered_file_is_caught_and_named(recorded):
    attachment = Attachment.objects.get(original_name="询问.mp4")
    with open(attachment.file.path, "r+b") as fh:
        fh.seek(20)
        fh.write(b"X")
    report = verify_case(recorded)
    seq = recorded.events.get(type="attachment_added", payload__name="询问.mp4").seq
    assert not report.ok and report.broken_seq == seq
    assert "材料“询问.mp4”的文件与登记时的 SHA-256 不符,文件被改动" in report.reason
    with pytest.raises(CommandError, match="文件被改动"):
        call_command("case", "verify", recorded.number)


def test_a_rehashed_attachment_row_and_a_missing_file_are_caught(recorded):
    attachment = Attachment.objects.get(original_name="现场.jpg")
    with open(attachment.file.path, "wb") as fh:
        fh.write(b"forged")
    _sql(
        f"UPDATE {Attachment._meta.db_table} SET sha256 = %s WHERE id = %s",
        [hashlib.sha256(b"forged").hexdigest(), attachment.pk],
    )
    assert "附件记录中的 SHA-256 被改动" in verify_case(recorded).reason
    _sql(
        f"UPDATE {Attachment._meta.db_table} SET sha256 = %s WHERE id = %s",
        [hashlib.sha256(PHOTO).hexdigest(), attachment.pk],
    )
    attachment.file.delete(save=False)
    assert "文件已不存在" in verify_case(recorded).reason


def test_a_document_added_around_the_services_is_caught(recorded, flow):
    core_services.attachment_add(
        actor=flow.p.handler,
        record=recorded,
        uploaded_file=SimpleUploadedFile("补.pdf", b"%PDF-1.4 x"),
    )
    assert "未登记在办案记录中" in verify_case(recorded).reason


def test_events_are_append_only(recorded):
    event = recorded.events.first()
    event.reason = "x"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_an_amendment_keeps_the_record_verifiable(recorded, flow):
    case = s.case_disclose(actor=flow.p.handler, case=recorded, published_on=recorded.served_on)
    case = s.case_execute(actor=flow.p.handler, case=case, on=recorded.served_on)
    case = s.case_close(
        actor=flow.p.handler, case=case, closed_on=recorded.served_on, note="已申请强制执行"
    )
    case = s.case_amend(
        actor=flow.p.handler, case=case, data={"title": "更正后的案由"}, reason="案由笔误"
    )
    assert verify_case(case).ok
    with pytest.raises(ValidationError, match="补充材料属于更正,须说明理由"):
        s.case_attach(
            actor=flow.p.handler,
            case=case,
            uploaded_file=SimpleUploadedFile("后补.pdf", b"%PDF-1.4 y"),
        )
    s.case_attach(
        actor=flow.p.handler,
        case=case,
        reason="补充送达回证",
        uploaded_file=SimpleUploadedFile("送达回证.pdf", b"%PDF-1.4 y"),
    )
    assert verify_case(case).ok and verify_case(case).files == 3


def test_the_case_file_exported_as_a_zip_opens_back_with_its_index(recorded, flow):
    content = export_dossier(actor=flow.p.leader, case=recorded)
    archive = zipfile.ZipFile(io.BytesIO(content))
    index = json.loads(archive.read("index.json"))
    assert index["case"] == recorded.number and index["chain_hash"] == recorded.chain_hash
    names = {d["name"]: d for d in index["documents"]}
    assert set(names) == {"现场.jpg", "询问.mp4"}
    for document in index["documents"]:
        data = archive.read(document["path"])
        assert hashlib.sha256(data).hexdigest() == document["sha256"]
        assert len(data) == document["size"]
    assert names["现场.jpg"]["step_label"] == "调查取证"
    table = list(csv.reader(io.StringIO(archive.read("目录.csv").decode("utf-8-sig"))))
    assert table[0][:3] == ["序号", "步骤", "文件名"] and len(table) == 3
    chain = json.loads(archive.read("record.json"))
    assert [c["seq"] for c in chain] == list(range(1, recorded.chain_length + 1))
    assert chain[-1]["hash"] == recorded.chain_hash
    assert json.loads(archive.read("case.json"))["number"] == recorded.number
    assert "全过程记录完整" in archive.read("校验结果.txt").decode()


def test_no_export_of_a_tampered_case_file(recorded, flow):
    attachment = Attachment.objects.get(original_name="现场.jpg")
    with open(attachment.file.path, "ab") as fh:
        fh.write(b"!")
    with pytest.raises(ValidationError, match="案卷校验未通过,不能导出"):
        export_dossier(actor=flow.p.leader, case=recorded)


def test_export_command_writes_the_zip(recorded, tmp_path):
    target = tmp_path / "case.zip"
    call_command("case", "export", recorded.number, output=str(target), user="leader")
    assert zipfile.ZipFile(target).read("index.json")
    with pytest.raises(CommandError, match="不存在"):
        call_command("case", "verify", "示环罚〔1999〕1号")
