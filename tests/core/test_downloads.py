"""Downloads (core/downloads.py): one response shape; ASCII names stay as they were, a Chinese
name reaches the browser intact (RFC 5987 `filename*`), stamped names carry the local time."""

import datetime as dt
import io
import re
from urllib.parse import unquote

import openpyxl
from django.urls import reverse
from django.utils import timezone

from ecogov.core.downloads import (
    DOCX,
    TO_THE_DAY,
    TO_THE_MINUTE,
    XLSX,
    ZIP,
    file_response,
    stamped,
    xlsx_response,
)
from ecogov.core.models import RegulatedEntity


def test_an_ascii_name_is_a_quoted_filename():
    response = xlsx_response(b"PK-bytes", "entities")
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="entities.xlsx"'
    assert response.content == b"PK-bytes"


def test_a_chinese_name_is_sent_percent_encoded_as_filename_star():
    name = "示例市生态环境局2020年工作总结-第2版.docx"
    response = file_response(b"doc", name, DOCX)
    header = response["Content-Disposition"]
    assert header.startswith("attachment; filename*=utf-8''")
    assert header.isascii()  # no raw Chinese in an HTTP header
    assert unquote(header.split("''", 1)[1]) == name
    assert response["Content-Type"] == DOCX


def test_quotes_in_an_ascii_name_are_escaped():
    header = file_response(b"", 'a "b".zip', ZIP)["Content-Disposition"]
    assert header == r'attachment; filename="a \"b\".zip"'


def test_a_stamp_is_the_local_time_in_the_given_format():
    before = timezone.localtime()
    name = stamped("plans", TO_THE_MINUTE)
    after = timezone.localtime()
    assert name in {f"plans-{t.strftime('%Y%m%d%H%M')}" for t in (before, after)}
    assert stamped("call-7", TO_THE_DAY) in {
        f"call-7-{t.strftime('%Y%m%d')}" for t in (before, after)
    }
    assert stamped("plans") == "plans"


def test_the_stamp_is_in_the_bureau_time_zone(monkeypatch):
    # 2026-01-31 17:30 UTC is already 1 February 01:30 in 示例市 (Asia/Shanghai)
    moment = dt.datetime(2026, 1, 31, 17, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    response = xlsx_response(b"", "entities", stamp=TO_THE_MINUTE)
    assert response["Content-Disposition"] == 'attachment; filename="entities-202602010130.xlsx"'


def test_the_entity_ledger_downloads_keep_their_names(world, login):
    client = login("beishan_staff")
    api = client.get("/api/core/entities/export/")
    assert api.status_code == 200 and api["Content-Type"] == XLSX
    assert api["Content-Disposition"] == 'attachment; filename="entities.xlsx"'
    admin = client.post(
        reverse("admin:core_regulatedentity_changelist"),
        {
            "action": "export_xlsx",
            "_selected_action": list(
                RegulatedEntity.objects.visible_to(world.user("beishan_staff")).values_list(
                    "pk", flat=True
                )[:2]
            ),
        },
    )
    assert admin.status_code == 200 and admin["Content-Type"] == XLSX
    assert re.fullmatch(
        r'attachment; filename="entities-\d{12}\.xlsx"', admin["Content-Disposition"]
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(admin.content)).active.iter_rows())
    assert len(rows) == 1 + 2
