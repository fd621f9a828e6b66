"""The import kit (issues 15 and 16): limits checked before parsing, a foreign, damaged or
non-UTF-8 file refused in Chinese on every import door, the empty template on every import page."""

from __future__ import annotations

import io
import re
import struct
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ecogov.core import creditcode, ledger, spreadsheet
from ecogov.core.models import Job, RegulatedEntity
from ecogov.core.spreadsheet import Column, LedgerImportError

SHEET = "xl/worksheets/sheet1.xml"
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _workbook(headers, *rows) -> bytes:
    columns = [Column(header, header) for header in headers]
    return spreadsheet.write_ledger(columns, [dict(zip(headers, row)) for row in rows], "台账")


def _with_sheet(content: bytes, sheet_xml: bytes) -> bytes:
    """The workbook with its first sheet's XML replaced."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = sheet_xml if info.filename == SHEET else source.read(info.filename)
            target.writestr(info.filename, data)
    return out.getvalue()


def _sheet(rows: int, *, dimension: bool = True, pad: int = 0) -> bytes:
    """A sheet of `rows` rows of one text cell (the first a header), declared or not."""
    body = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{"单位名称" if n == 1 else n}</t></is>'
        f"</c></row>"
        for n in range(1, rows + 1)
    )
    declared = f'<dimension ref="A1:A{rows}"/>' if dimension else ""
    filler = f"<!--{' ' * pad}-->" if pad else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}">{declared}{filler}'
        f"<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def _declare_size(content: bytes, member: str, size: int) -> bytes:
    """The zip with `member`'s uncompressed size in the central directory set to `size`."""
    for found in re.finditer(rb"PK\x01\x02", content):
        start = found.start()
        length = struct.unpack("<H", content[start + 28 : start + 30])[0]
        if content[start + 46 : start + 46 + length] == member.encode():
            return content[: start + 24] + struct.pack("<I", size) + content[start + 28 :]
    raise AssertionError(member)


@pytest.fixture
def parsed(monkeypatch):
    """Counts the cells the reader parses (none when a file is refused before parsing)."""
    calls = []
    original = spreadsheet._value

    def counting(*args):
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(spreadsheet, "_value", counting)
    return calls


def _refusal(world, content: bytes) -> str:
    with pytest.raises(LedgerImportError) as caught:
        ledger.import_entities(actor=world.user("beishan_staff"), source=io.BytesIO(content))
    [error] = caught.value.errors
    assert (error.row, error.column) == (0, "文件")
    return str(error)


# --- limits (issue 15.7) ----------------------------------------------------------------------
def test_a_workbook_larger_uncompressed_than_the_limit_is_refused_from_its_directory(
    world, settings, parsed, monkeypatch
):
    """A small upload that inflates past the limit: refused from the zip directory, before the
    workbook's parts (let alone its rows) are parsed."""
    settings.ECOGOV_IMPORT_MAX_UNCOMPRESSED_MB = 1
    bomb = _with_sheet(_workbook(["单位名称"]), _sheet(3, pad=3 * 1024 * 1024))
    assert len(bomb) < 50_000  # 3 MB of XML in a few KB
    monkeypatch.setattr(spreadsheet, "_parts", lambda archive: pytest.fail("parsed"))
    started = time.perf_counter()
    message = _refusal(world, bomb)
    assert time.perf_counter() - started < 2
    assert message.startswith("文件解压后为 3 MB,超过导入上限 1 MB,未读取。")
    assert not parsed


def test_a_member_holding_more_than_its_directory_declares_is_damaged_not_read_on(world, parsed):
    """The directory's sizes bound the work: zipfile stops at the declared size and the CRC
    check refuses the rest (what _check_size relies on)."""
    content = _with_sheet(_workbook(["单位名称"]), _sheet(20_000))
    lying = _declare_size(content, SHEET, 4096)
    message = _refusal(world, lying)
    assert message.startswith("文件内容已损坏:") or message.startswith("文件无法读取")
    assert len(parsed) < 200  # 4 KB of the sheet at the most, not its 20,000 rows


def test_a_ledger_declaring_more_rows_than_the_limit_is_refused_before_its_rows(
    world, settings, parsed
):
    settings.ECOGOV_IMPORT_MAX_ROWS = 10
    over = _with_sheet(_workbook(["单位名称"]), _sheet(11))
    message = _refusal(world, over)
    assert message.startswith("表格有 11 行,超过导入上限 10 行(含表头),未导入。")
    assert not parsed
    at_limit = _with_sheet(_workbook(["单位名称"]), _sheet(10))
    rows, errors = spreadsheet.read_ledger(io.BytesIO(at_limit), [Column("单位名称", "name")])
    assert len(rows) == 9 and not errors


def test_rows_past_the_limit_stop_the_reading_when_the_sheet_declares_none(world, settings, parsed):
    settings.ECOGOV_IMPORT_MAX_ROWS = 10
    content = _with_sheet(_workbook(["单位名称"]), _sheet(5000, dimension=False))
    rows, [error] = spreadsheet.read_ledger(io.BytesIO(content), [Column("单位名称", "name")])
    message = str(error)
    assert rows == [] and message.startswith("表格超过 10 行,超过导入上限 10 行(含表头),未导入。")
    assert len(parsed) <= 10


def test_200000_rows_with_the_default_limits_are_refused_at_once(world, parsed):
    """Issue 15.7: 200,000 rows with one bad last row took 127 s."""
    content = _with_sheet(_workbook(["单位名称"]), _sheet(200_000))
    started = time.perf_counter()
    message = _refusal(world, content)
    assert time.perf_counter() - started < 2
    assert message.startswith("表格有 200000 行,超过导入上限 100000 行")
    assert not parsed


def test_the_api_refuses_an_oversized_ledger_with_a_400(login, world, settings):
    settings.ECOGOV_IMPORT_MAX_ROWS = 10
    upload = SimpleUploadedFile("big.xlsx", _with_sheet(_workbook(["单位名称"]), _sheet(50)))
    response = login("beishan_staff").post("/api/core/entities/import/", {"file": upload})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("表格有 50 行,超过导入上限 10 行")


def test_the_air_quality_reader_is_bounded_by_the_size_only(settings, tmp_path):
    """Hourly files are long (a year of one station is 52,560 rows): no row limit, the
    uncompressed size still applies."""
    from ecogov.airquality.engine.io import InputError, read_table

    settings.ECOGOV_IMPORT_MAX_ROWS = 10
    long = tmp_path / "long.xlsx"
    long.write_bytes(_with_sheet(_workbook(["station"]), _sheet(50)))
    assert read_table(long).height == 49
    settings.ECOGOV_IMPORT_MAX_UNCOMPRESSED_MB = 1
    long.write_bytes(_with_sheet(_workbook(["station"]), _sheet(3, pad=2 * 1024 * 1024)))
    with pytest.raises(InputError, match="超过导入上限 1 MB"):
        read_table(long, "小时数据.xlsx")


# --- a foreign, damaged or non-UTF-8 file on every import door (issue 15.8) ------------------
def _files() -> dict[str, bytes]:
    real = _workbook(["单位名称"], ["某公司"])
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "不是工作簿")
    return {
        "garbage.xlsx": bytes(range(256)) * 4,
        "ledger.csv": "单位名称,地址\n某公司,北山县\n".encode("gb18030") + b"\xff\x81\xfe",
        "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
        "other.xlsx": other_zip.getvalue(),
        "cut.xlsx": real[: len(real) // 2],
        "units.geojson": '{"type": "FeatureCollection", "name": "管控单元"}'.encode("utf-16"),
        "broken.json": b'{"type": "FeatureCollection", "features": [',
    }


# a zip that passes the upload check (type, size, content; core/uploads.py) but holds no
# workbook: the only one queued; the upload check refuses the others before any job exists
INSIDE_A_WORKBOOK = {"other.xlsx"}

LEDGER_PAGES = [
    "/admin/core/regulatedentity/import-xlsx/",
    "/admin/eia/eiaproject/import-xlsx/",
    "/admin/permits/permit/import-xlsx/",
    "/admin/permits/registration/import-xlsx/",
    "/admin/matters/rectification/import-xlsx/",
    "/admin/matters/petition/import-xlsx/",
    "/admin/matters/proposal/import-xlsx/",
    "/admin/matters/campaigntask/import-xlsx/",
    "/admin/emergency/contingencyplan/import-xlsx/",
    "/admin/outreach/publicitycount/import-xlsx/",
]
APIS = [
    ("/api/core/entities/import/", {}),
    ("/api/eia/projects/import/", {}),
    ("/api/eia/units/import/", {}),
    ("/api/permits/permits/import/", {}),
    ("/api/permits/registrations/import/", {}),
    ("/api/matters/matters/import/", {"kind": "petition"}),
    ("/api/emergency/plans/import/", {}),
    ("/api/outreach/publicity-counts/import/", {}),
    ("/api/airquality/imports/", {}),
]
OTHER_PAGES = [  # upload pages of their own: GeoJSON, JSON rules, air-quality data
    ("/admin/eia/controlunit/import-geojson/", "form-errors"),
    ("/admin/eia/zoningdataset/activate-rules/", "form-errors"),
    ("/admin/airquality/importbatch/upload/", "import-errors"),
]
# what a refusal must not show: the reader's or the decoder's own words
ENGLISH = re.compile(r"Error|BadZip|Traceback|codec|utf-8' |Expecting|line \d+ column")


def _chinese(message: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", message)) and not ENGLISH.search(message)


def _listed(html: str, box: str) -> list[str]:
    found = re.search(rf'id="{box}".*?</ul>', html, re.S)
    assert found, "no error box"
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li.*?</li>", found[0], re.S)]


@pytest.mark.parametrize("url", LEDGER_PAGES)
def test_every_ledger_page_refuses_a_foreign_or_damaged_file_in_chinese(login, world, url):
    client = login("leader")
    for name, content in _files().items():
        jobs_before = Job.objects.count()
        response = client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)
        assert response.status_code == 200, (name, response.status_code)
        if name not in INSIDE_A_WORKBOOK:  # named at once on the import page: no job queued
            assert response.redirect_chain == [] and Job.objects.count() == jobs_before, name
        else:  # a workbook damaged inside goes to a background job, whose page names it
            assert response.redirect_chain, name
            assert response.redirect_chain[0][0].startswith("/admin/core/job/"), name
        [message] = _listed(response.content.decode(), "import-errors")
        # the upload check (core/uploads.py) refuses a file whose content is not a workbook
        # before the reader sees it (or a type it does not take, by its extension); the reader
        # names a damaged workbook
        known = ("无法读取为 Excel(.xlsx)文件", "已损坏", "内容与扩展名", "不在允许的类型之内")
        assert any(words in message for words in known), (name, message)
        assert _chinese(message), (name, message)


@pytest.mark.parametrize("url, box", OTHER_PAGES)
def test_the_other_upload_pages_refuse_a_foreign_or_non_utf8_file_in_chinese(
    login, world, url, box
):
    client = login("leader")
    for name, content in _files().items():
        # the air-quality upload checks the file at once; what is inside a readable text or
        # workbook is read by its background job, whose page lists the problems in the same box
        response = client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)
        assert response.status_code == 200, (name, response.status_code)
        assert all(u.startswith("/admin/core/job/") for u, _s in response.redirect_chain)
        messages = _listed(response.content.decode(), box)
        assert messages and all(_chinese(m) for m in messages), (name, messages)


@pytest.mark.parametrize("url, extra", APIS)
def test_every_import_api_answers_a_foreign_or_damaged_file_with_a_400_in_chinese(
    login, world, url, extra
):
    client = login("leader")
    for name, content in _files().items():
        response = client.post(url, {"file": SimpleUploadedFile(name, content), **extra})
        assert response.status_code == 400, (name, response.status_code)
        body = response.json()
        messages = (
            [e["message"] for e in body["errors"]]
            if "errors" in body
            else [m for ms in body.values() for m in ([ms] if isinstance(ms, str) else ms)]
        )
        assert messages and all(_chinese(m) for m in messages), (name, body)


def test_a_file_named_for_the_user_not_its_temporary_copy(login, world):
    html = (
        login("leader")
        .post(
            "/admin/airquality/importbatch/upload/",
            {"file": SimpleUploadedFile("二月数据.csv", b"\xff\xfe\x81\x00" * 8)},
        )
        .content.decode()
    )
    [message] = _listed(html, "import-errors")
    # named by the user's file name, not the temporary copy's (the upload check's wording)
    assert message.startswith("监测数据文件“二月数据.csv”内容不是文本")


def test_the_geojson_service_names_the_encoding(world):
    from django.core.exceptions import ValidationError

    from ecogov.eia import services

    with pytest.raises(ValidationError) as caught:
        services.control_units_import(
            actor=world.user("leader"), source="{}".encode("utf-16"), name="x.geojson"
        )
    assert "内容不是文本" in caught.value.message_dict["file"][0]  # core/uploads.py's check


# --- the empty template on every import page (issue 16) ---------------------------------------
TEMPLATES = [
    ("core", "regulatedentity", "ecogov.core.ledger", "ENTITY_COLUMNS"),
    ("eia", "eiaproject", "ecogov.eia.ledger", "PROJECT_COLUMNS"),
    ("permits", "permit", "ecogov.permits.ledger", "PERMIT_COLUMNS"),
    ("permits", "registration", "ecogov.permits.ledger", "REGISTRATION_COLUMNS"),
    ("matters", "rectification", "ecogov.matters.ledger.columns", "RECTIFICATION_COLUMNS"),
    ("matters", "petition", "ecogov.matters.ledger.columns", "PETITION_COLUMNS"),
    ("matters", "proposal", "ecogov.matters.ledger.columns", "PROPOSAL_COLUMNS"),
    ("matters", "campaigntask", "ecogov.matters.ledger.columns", "TASK_COLUMNS"),
    ("emergency", "contingencyplan", "ecogov.emergency.ledger", "COLUMNS"),
    ("outreach", "publicitycount", "ecogov.outreach.ledger", "COLUMNS"),
]


@pytest.mark.parametrize("app, model, module, name", TEMPLATES)
def test_every_import_page_offers_its_empty_template_and_it_imports(
    login, world, app, model, module, name
):
    import importlib

    columns = getattr(importlib.import_module(module), name)
    client = login("leader")
    page = client.get(f"/admin/{app}/{model}/import-xlsx/").content.decode()
    link = re.search(r'href="([^"]+)" id="import-template"', page)
    assert link and link[1] == f"/admin/{app}/{model}/import-template/"
    response = client.get(link[1])
    assert response.status_code == 200
    assert "-template-" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [[c.header for c in columns]]
    upload = SimpleUploadedFile("template.xlsx", response.content)
    done = client.post(f"/admin/{app}/{model}/import-xlsx/", {"file": upload}, follow=True)
    assert 'id="job-result"' in done.content.decode()  # the template as it is imports (empty)
    assert login("viewer").get(link[1]).status_code == 403


def test_the_template_filled_in_imports_and_exports_back(login, world):
    client = login("beishan_staff")
    template = client.get("/admin/core/regulatedentity/import-template/").content
    book = openpyxl.load_workbook(io.BytesIO(template))
    code = creditcode.make("91990121MA0000901")
    values = {
        "单位名称": "模板导入公司",
        "统一社会信用代码": code,
        "行政区划代码": "990121",
        "监管类别": "一般排污单位",
        "状态": "在产",
    }
    book.active.append([values.get(c.value) for c in book.active[1]])
    filled = io.BytesIO()
    book.save(filled)
    upload = SimpleUploadedFile("filled.xlsx", filled.getvalue())
    response = client.post(
        "/admin/core/regulatedentity/import-xlsx/", {"file": upload}, follow=True
    )
    assert "导入完成:新增 1 家" in response.content.decode()
    entity = RegulatedEntity.objects.get(credit_code=code)
    exported = ledger.export_entities(
        actor=world.user("beishan_staff"), queryset=RegulatedEntity.objects.filter(pk=entity.pk)
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))
    assert list(rows[0]) == [c.value for c in book.active[1]]  # the template's headers
    assert rows[1][:3] == ("模板导入公司", code, "990121")


@pytest.mark.parametrize(
    "url",
    [
        "/api/core/entities/template/",
        "/api/eia/projects/template/",
        "/api/permits/permits/template/",
        "/api/permits/registrations/template/",
        "/api/matters/matters/template/?kind=proposal",
    ],
)
def test_the_api_serves_the_same_template(login, world, url):
    response = login("leader").get(url)
    assert response.status_code == 200
    headers = next(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows())
    assert headers[0].value in {"单位名称", "受理编号", "许可证编号", "登记编号", "编号"}
