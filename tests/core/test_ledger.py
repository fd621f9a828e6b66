"""The entity ledger in Excel: round trip, all-or-nothing import, idempotent re-import."""

import io

import openpyxl
import pytest

from ecogov.core import creditcode, ledger
from ecogov.core.models import RegulatedEntity
from ecogov.core.spreadsheet import LedgerImportError


def _workbook(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([c.header for c in ledger.ENTITY_COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def _row(name, code, division="990121", lon=110.2, lat=27.3, key="否"):
    return [
        name,
        code,
        division,
        "北山县某路1号",
        "C2611",
        lon,
        lat,
        "一般排污单位",
        key,
        "否",
        "在产",
        "钱某",
        "13900001111",
    ]


def test_export_then_import_changes_nothing(world):
    staff = world.user("beishan_staff")
    content = ledger.export_entities(actor=staff, queryset=RegulatedEntity.objects.all())
    before = list(RegulatedEntity.objects.order_by("pk").values())
    counts = ledger.import_entities(actor=staff, source=io.BytesIO(content))
    assert counts["created"] == 0 and counts["updated"] == 0
    assert counts["unchanged"] == RegulatedEntity.objects.visible_to(staff).count()
    assert list(RegulatedEntity.objects.order_by("pk").values()) == before


def test_import_creates_then_is_idempotent(world):
    staff = world.user("beishan_staff")
    rows = [
        _row("导入甲公司", creditcode.make("91990121MA0000101")),
        _row("导入乙公司", creditcode.make("91990121MA0000102"), key="是"),
    ]
    assert ledger.import_entities(actor=staff, source=_workbook(rows))["created"] == 2
    assert RegulatedEntity.objects.get(name="导入乙公司").is_key_discharger
    again = ledger.import_entities(actor=staff, source=_workbook(rows))
    assert again == {"created": 0, "updated": 0, "unchanged": 2}


def test_bad_rows_are_all_reported_and_nothing_is_written(world):
    staff = world.user("beishan_staff")
    good = creditcode.make("91990121MA0000201")
    rows = [
        _row("好公司", good),
        _row("坏校验码公司", "91350100M000100Y44"),
        _row("未知区划公司", creditcode.make("91990121MA0000202"), division="123456"),
        _row("越界公司", creditcode.make("91990122MA0000203"), division="990122"),
        _row("重复公司", good),
        _row("境外坐标公司", creditcode.make("91990121MA0000204"), lon=10.0),
    ]
    before = RegulatedEntity.objects.count()
    with pytest.raises(LedgerImportError) as info:
        ledger.import_entities(actor=staff, source=_workbook(rows))
    messages = [str(e) for e in info.value.errors]
    assert any(m.startswith("第3行“统一社会信用代码”") and "第18位" in m for m in messages)
    assert any(m.startswith("第4行“行政区划代码”") and "123456" in m for m in messages)
    assert any(m.startswith("第5行“行政区划代码”") and "超出您的数据范围" in m for m in messages)
    assert any(m.startswith("第6行“统一社会信用代码”") and "第2行" in m for m in messages)
    assert any(m.startswith("第7行“经度”") and "中国范围" in m for m in messages)
    assert "未写入任何数据" in str(info.value)
    assert RegulatedEntity.objects.count() == before


def test_a_file_that_is_not_excel_is_refused(world):
    with pytest.raises(LedgerImportError, match="无法读取为 Excel"):
        ledger.import_entities(actor=world.user("beishan_staff"), source=io.BytesIO(b"not excel"))


def test_missing_required_column_is_named(world):
    book = openpyxl.Workbook()
    book.active.append(["单位名称", "行政区划代码"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(LedgerImportError, match="统一社会信用代码.*缺少该列"):
        ledger.import_entities(actor=world.user("beishan_staff"), source=buffer)


def test_admin_import_page_reports_errors_and_writes_nothing(login, world):
    client = login("beishan_staff")
    url = "/admin/core/regulatedentity/import-xlsx/"
    assert client.get(url).status_code == 200
    bad = _workbook([_row("坏公司", "91350100M000100Y44")])
    bad.name = "bad.xlsx"
    before = RegulatedEntity.objects.count()
    html = client.post(url, {"file": bad}, follow=True).content.decode()
    assert "第2行“统一社会信用代码”" in html and "未写入任何数据" in html
    assert RegulatedEntity.objects.count() == before
    good = _workbook([_row("页面导入公司", creditcode.make("91990121MA0000301"))])
    good.name = "good.xlsx"
    done = client.post(url, {"file": good}, follow=True).content.decode()
    assert "导入完成:新增 1 家" in done
    assert RegulatedEntity.objects.filter(name="页面导入公司").exists()
    assert login("viewer").get(url).status_code == 403


def test_api_import_all_or_nothing(login, world):
    client = login("beishan_staff")
    rows = [
        _row("接口导入公司", creditcode.make("91990121MA0000401")),
        _row("接口坏公司", creditcode.make("91990121MA0000402"), lat=80),
    ]
    book = _workbook(rows)
    book.name = "ledger.xlsx"
    response = client.post("/api/core/entities/import/", {"file": book})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == [
        {"row": 3, "column": "纬度", "message": "纬度超出中国范围(3.8—53.6)。"}
    ]
    assert not RegulatedEntity.objects.filter(name="接口导入公司").exists()
    book = _workbook(rows[:1])
    book.name = "ledger.xlsx"
    assert client.post("/api/core/entities/import/", {"file": book}).json()["created"] == 1


def test_an_unreadable_cell_is_reported_once_and_without_knock_on_errors(world):
    """Issue 10: "必填,不能为空" and "此字段不能为空" for one cell, and "环保投资不能大于总投资
    (0 万元)" when the total was `abc`: a row with unreadable cells reports those cells only."""
    from ecogov.core.spreadsheet import LedgerImportError, RowError

    error = LedgerImportError(
        [
            RowError(2, "总投资", "不是数字。", unreadable=True),
            RowError(2, "环保投资", "环保投资不能大于总投资(0 万元)。"),
            RowError(3, "名称", "必填,不能为空。", unreadable=True),
            RowError(3, "名称", "此字段不能为空。"),
            RowError(4, "名称", "名称过长。"),
        ]
    )
    assert [str(e) for e in error.errors] == [
        "第2行“总投资”:不是数字。",
        "第3行“名称”:必填,不能为空。",
        "第4行“名称”:名称过长。",
    ]


def test_a_malformed_credit_code_is_a_format_error_naming_the_position(world, tmp_path):
    import openpyxl

    from ecogov.core.spreadsheet import LedgerImportError
    from ecogov.eia import ledger

    book = openpyxl.Workbook()
    book.active.append([c.header for c in ledger.PROJECT_COLUMNS])
    row = {c.field: "" for c in ledger.PROJECT_COLUMNS}
    row.update(builder_code="91350100M000100Y4X", total_investment="abc", env_investment="20")
    book.active.append([row[c.field] for c in ledger.PROJECT_COLUMNS])
    path = tmp_path / "eia.xlsx"
    book.save(path)
    try:
        ledger.import_projects(actor=world.user("eia_staff"), source=path.open("rb"))
    except LedgerImportError as exc:
        text = str(exc)
    else:
        raise AssertionError("the import should be refused")
    assert "统一社会信用代码" in text and "不存在或不在您的权限范围内" not in text
    assert "不能大于总投资" not in text
