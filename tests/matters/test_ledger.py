"""The four Excel ledgers: export round-trips, import is all-or-nothing and idempotent."""

import datetime as dt
import io

import openpyxl
import pytest

from ecogov.core.spreadsheet import LedgerImportError
from ecogov.matters import ledger
from ecogov.matters.models import Matter, MatterEvent, MatterUnit
from ecogov.matters.workflow import Kind


def _snapshot():
    return (
        list(Matter.objects.order_by("pk").values()),
        list(MatterUnit.objects.order_by("pk").values()),
        MatterEvent.objects.count(),
    )


def _book(kind, rows):
    book = openpyxl.Workbook()
    book.active.append([c.header for c in ledger.COLUMNS[kind]])
    for row in rows:
        book.active.append([row.get(c.header) for c in ledger.COLUMNS[kind]])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("kind", Kind.values)
def test_export_opens_in_excel_and_imports_back_unchanged(world, leader, kind):
    content = ledger.export_matters(actor=leader, kind=kind)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in ledger.COLUMNS[kind]]
    assert len(rows) - 1 == Matter.objects.filter(kind=kind).count()
    before = _snapshot()
    counts = ledger.import_matters(actor=leader, kind=kind, source=io.BytesIO(content))
    assert counts == {"created": 0, "updated": 0, "unchanged": len(rows) - 1}
    assert _snapshot() == before


def test_exported_cells_say_what_the_bureau_writes(world, leader):
    content = ledger.export_matters(actor=leader, kind=Kind.RECTIFICATION)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    joint = rows["SHTK2020-XF-111"]
    assert joint["主办单位"].endswith("(0.5)") and joint["会办单位"] == "东川市人民政府(0.5)"
    assert joint["办理状态"] == "已办结" and joint["类别"] == "信访交办件"
    open_problem = rows["ZY2017-FK-07"]
    assert open_problem["办理状态"] == "整改中" and open_problem["销号(摘牌、办结)日期"] is None
    assert rows["ZY2017-FK-01"]["销号(摘牌、办结)日期"].date() <= dt.date(2020, 12, 31)


def test_a_masked_export_by_a_reader_imports_back_unchanged(world):
    viewer = world.user("viewer")
    content = ledger.export_matters(actor=viewer, kind=Kind.PETITION)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    phones = [
        dict(zip(header, r))["联系电话"] for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert phones and all("****" in p for p in phones)
    before = _snapshot()
    counts = ledger.import_matters(actor=viewer, kind=Kind.PETITION, source=io.BytesIO(content))
    assert counts["updated"] == 0 and _snapshot() == before


def _row(reference, **cells):
    row = {
        "编号": reference,
        "来源批次": "测试批次t2026",
        "类别": "反馈问题",
        "事项名称": "导入问题",
        "行政区划代码": "990121",
        "主办单位": "北山县人民政府",
        "交办日期": dt.date(2026, 3, 2),
        "办理状态": "整改中",
    }
    row.update(cells)
    return row


def test_import_creates_with_states_and_is_idempotent(world, tour, leader):
    rows = [
        _row("IM-01"),
        _row(
            "IM-02",
            办理状态="已销号",
            完成整改日期=dt.date(2026, 5, 1),
            **{
                "销号(摘牌、办结)日期": dt.date(2026, 6, 1),
                "整改(办理)情况": "完成",
                "销号依据": "验收意见",
            },
        ),
        _row(
            "IM-03",
            类别="信访交办件",
            办理状态="已办结",
            **{
                "销号(摘牌、办结)日期": dt.date(2026, 3, 20),
                "整改(办理)情况": "已办结",
                "主办单位": "北山县人民政府(0.5)",
                "会办单位": "南湖县人民政府(0.5)",
            },
        ),
    ]
    counts = ledger.import_matters(
        actor=leader,
        kind=Kind.RECTIFICATION,
        source=_book(Kind.RECTIFICATION, rows),
        source_name="t.xlsx",
    )
    assert counts == {"created": 3, "updated": 0, "unchanged": 0}
    written_off = Matter.objects.get(reference="IM-02")
    assert (written_off.state, written_off.is_open) == ("written_off", False)
    # the steps to the imported state are recorded as the services would, dated by the ledger
    assert list(written_off.events.values_list("type", flat=True)) == [
        "imported",
        "rectify",
        "write_off",
    ]
    assert written_off.events.get(type="write_off").occurred_at.date() == dt.date(2026, 6, 1)
    # record history as a save would write it: who, with which values
    history = written_off.history.get()
    assert (history.history_type, history.history_user, history.state) == (
        "+",
        leader,
        "written_off",
    )
    unit = written_off.units.get()
    assert unit.assignment.history.get().role == "handler"
    joint = Matter.objects.get(reference="IM-03")
    assert joint.done_on == joint.closed_on == dt.date(2026, 3, 20)  # one act: either column
    assert sorted(joint.units.values_list("share", flat=True)) == [0.5, 0.5]
    before = _snapshot()
    again = ledger.import_matters(
        actor=leader, kind=Kind.RECTIFICATION, source=_book(Kind.RECTIFICATION, rows)
    )
    assert again == {"created": 0, "updated": 0, "unchanged": 3} and _snapshot() == before


def test_reimport_moves_a_matter_forward_only(world, tour, leader):
    ledger.import_matters(
        actor=leader, kind=Kind.RECTIFICATION, source=_book(Kind.RECTIFICATION, [_row("IM-10")])
    )
    rectified = _row(
        "IM-10",
        办理状态="已完成整改",
        完成整改日期=dt.date(2026, 4, 1),
        **{"整改(办理)情况": "完成"},
    )
    counts = ledger.import_matters(
        actor=leader, kind=Kind.RECTIFICATION, source=_book(Kind.RECTIFICATION, [rectified])
    )
    assert counts["updated"] == 1
    matter = Matter.objects.get(reference="IM-10")
    assert (matter.state, matter.done_on) == ("rectified", dt.date(2026, 4, 1))
    assert matter.events.filter(type="rectify").exists()
    back = _row("IM-10", 办理状态="已交办")
    with pytest.raises(LedgerImportError) as info:
        ledger.import_matters(
            actor=leader, kind=Kind.RECTIFICATION, source=_book(Kind.RECTIFICATION, [back])
        )
    assert "只能向前推进" in str(info.value)


def test_a_file_with_bad_rows_writes_nothing_and_names_every_bad_cell(world, tour, leader):
    rows = [
        _row("BAD-01"),  # a good row: not written either
        _row("BAD-02", 行政区划代码="123456"),
        _row("BAD-03", 主办单位="不存在的局"),
        _row("BAD-04", 交办日期="去年"),
        _row("BAD-05", 办理状态="已销号"),  # no dates, no evidence
        _row("BAD-01"),  # repeated reference
        _row("BAD-06", 类别="随便"),
        _row("BAD-07", 主办单位="北山县人民政府(0.5)", 会办单位="南湖县人民政府(0.3)"),
        _row("BAD-08", 来源批次="没有的批次"),
        _row("BAD-09", 行政区划代码="990122", 主办单位="南湖县人民政府"),  # fine for the city
    ]
    before = _snapshot()
    beishan = world.user("beishan_staff")
    with pytest.raises(LedgerImportError) as info:
        ledger.import_matters(
            actor=beishan, kind=Kind.RECTIFICATION, source=_book(Kind.RECTIFICATION, rows)
        )
    messages = [str(e) for e in info.value.errors]
    expected = [
        ("第3行“行政区划代码”", "123456"),
        ("第4行“主办单位”", "不存在的局"),
        ("第5行“交办日期”", "不是日期"),
        ("第6行“完成整改日期”", "必须填写"),
        ("第6行“销号依据”", "必须填写"),
        ("第7行“编号”", "第2行"),
        ("第8行“类别”", "不是可选值"),
        ("第9行“主办单位”", "合计应为1"),
        ("第10行“来源批次”", "不存在"),
        ("第11行“行政区划代码”", "超出您的数据范围"),
    ]
    for prefix, words in expected:
        assert any(m.startswith(prefix) and words in m for m in messages), (prefix, messages)
    assert "未写入任何数据" in str(info.value)
    assert _snapshot() == before


def test_petition_ledger_links_duplicates_and_entities(world, hotline, leader):
    entity = world.entity_in("北山县")
    rows = [
        {
            "编号": "XF-IM-1",
            "来源批次": "测试批次xf2026",
            "类别": "信访件",
            "事项名称": "噪声",
            "行政区划代码": "990121",
            "主办单位": "示例市生态环境局北山分局",
            "交办日期": dt.date(2026, 3, 2),
            "来源渠道": "12369电话",
            "被反映单位统一社会信用代码": entity.credit_code,
            "信访人": "孙某",
            "联系电话": "13800001111",
            "身份证号": "99012119900101002x",
        },
        {
            "编号": "XF-IM-2",
            "来源批次": "测试批次xf2026",
            "类别": "信访件",
            "事项名称": "噪声",
            "行政区划代码": "990121",
            "主办单位": "示例市生态环境局北山分局",
            "交办日期": dt.date(2026, 3, 3),
            "来源渠道": "网络",
            "重复件原件编号": "XF-IM-1",
        },
    ]
    ledger.import_matters(actor=leader, kind=Kind.PETITION, source=_book(Kind.PETITION, rows))
    first, second = (Matter.objects.get(reference=r) for r in ("XF-IM-1", "XF-IM-2"))
    assert first.subject_entity == entity and first.complainant_id_number.endswith("X")
    assert second.duplicate_of == first
    assert second.events.filter(type="duplicate_linked").exists()
    again = ledger.import_matters(
        actor=leader, kind=Kind.PETITION, source=_book(Kind.PETITION, rows)
    )
    assert again["unchanged"] == 2


def test_not_a_workbook_and_missing_columns_are_refused(world, leader):
    with pytest.raises(LedgerImportError, match="无法读取为 Excel"):
        ledger.import_matters(actor=leader, kind=Kind.TASK, source=io.BytesIO(b"PK-not-xlsx"))
    book = openpyxl.Workbook()
    book.active.append(["编号", "事项名称"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(LedgerImportError, match="来源批次.*缺少该列"):
        ledger.import_matters(actor=leader, kind=Kind.TASK, source=buffer)


def test_reimport_can_split_the_credit(world, tour, leader):
    ledger.import_matters(
        actor=leader, kind=Kind.RECTIFICATION, source=_book(Kind.RECTIFICATION, [_row("IM-20")])
    )
    matter = Matter.objects.get(reference="IM-20")
    assert matter.credit_organisation.name == "北山县人民政府"
    split = _row("IM-20", 主办单位="北山县人民政府(0.5)", 会办单位="南湖县人民政府(0.5)")
    counts = ledger.import_matters(
        actor=leader, kind=Kind.RECTIFICATION, source=_book(Kind.RECTIFICATION, [split])
    )
    assert counts["updated"] == 1
    matter.refresh_from_db()
    assert matter.credit_organisation is None  # shared: the figures read its units
    assert sorted(matter.units.filter(is_active=True).values_list("share", flat=True)) == [0.5, 0.5]
    assert matter.events.filter(type="units_changed").exists()
    assert matter.history.first().credit_organisation is None
