"""The EIA ledger in Excel: round trip, all-or-nothing import with every bad row, idempotence."""

import io

import openpyxl
import pytest

from ecogov.core.spreadsheet import LedgerImportError
from ecogov.eia import ledger
from ecogov.eia.models import EiaEvent, EiaProject

HEADERS = [c.header for c in ledger.PROJECT_COLUMNS]


def _xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(h) for h in HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def _row(world, **overrides):
    row = {
        "受理编号": "HP2021990121T001",
        "项目名称": "导入测试项目",
        "建设单位统一社会信用代码": world.entity_in("北山县").credit_code,
        "项目所在区划代码": "990121",
        "行业代码": "C1351",
        "环评文件类型": "报告表",
        "审批层级": "县级审批",
        "审批方式": "评审制",
        "经度": 110.2,
        "纬度": 27.1,
        "总投资(万元)": 800,
        "环保投资(万元)": 40,
        "状态": "已批准",
        "申请日期": "2021-03-01",
        "受理日期": "2021-03-03",
        "决定日期": "2021-03-30",
        "批复文号": "北环审〔2021〕1号",
    }
    row.update(overrides)
    return row


def test_export_opens_in_excel_and_reimports_unchanged(world):
    staff = world.user("beishan_staff")
    content = ledger.export_projects(actor=staff, queryset=EiaProject.objects.all())
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    visible = EiaProject.objects.visible_to(staff)
    assert len(rows) - 1 == visible.count() > 0
    by_ref = {r[0]: dict(zip(HEADERS, r)) for r in rows[1:]}
    some = visible.filter(decision="approved").first()
    assert by_ref[some.reference]["状态"] == "已批准"
    assert by_ref[some.reference]["项目所在区划代码"] == "990121"
    before = list(EiaProject.objects.order_by("pk").values())
    events = EiaEvent.objects.count()
    counts = ledger.import_projects(actor=staff, source=io.BytesIO(content))
    assert counts == {"created": 0, "updated": 0, "unchanged": visible.count()}
    assert list(EiaProject.objects.order_by("pk").values()) == before
    assert EiaEvent.objects.count() == events


def test_every_bad_row_is_reported_and_nothing_is_written(world):
    staff = world.user("beishan_staff")
    bad = _xlsx(
        [
            _row(world),  # a good row: not written either, since the file has errors
            _row(world, 受理编号="HP2021990121T002", **{"环保投资(万元)": 900}),
            _row(world, 受理编号="HP2021990121T003", 决定日期="2021-03-01"),
            _row(world, 受理编号="HP2021990121T004", 项目所在区划代码="990199"),
            _row(world, 受理编号="HP2021990121T005", 受理日期="2021-02-30"),
            _row(world, 受理编号="HP2021990121T006", 经度=110.45, 纬度=27.1),  # in 南湖县
            _row(world, 受理编号="HP2021990121T007", 项目所在区划代码="990122"),  # 北山 staff
            _row(world),  # duplicate of row 2
            _row(world, 受理编号="HP2021990121T009", 状态="豁免"),
        ]
    )
    before = EiaProject.objects.count()
    with pytest.raises(LedgerImportError) as caught:
        ledger.import_projects(actor=staff, source=bad)
    by_row = {}
    for error in caught.value.errors:
        by_row.setdefault(error.row, []).append(f"{error.column}:{error.message}")
    assert 2 not in by_row
    assert any("环保投资" in e and "不能大于总投资" in e for e in by_row[3])
    assert any("决定日期" in e and "早于受理日期" in e for e in by_row[4])
    assert any("990199" in e for e in by_row[5])
    assert any("受理日期" in e and "不是日期" in e for e in by_row[6])
    assert any("不在北山县范围内" in e for e in by_row[7])
    assert any("超出您的数据范围" in e for e in by_row[8])
    assert any("重复" in e for e in by_row[9])
    assert any("豁免" in e for e in by_row[10])
    assert "未写入任何数据" in str(caught.value)
    assert EiaProject.objects.count() == before


def test_a_good_file_is_imported_once_with_its_events(world):
    staff = world.user("beishan_staff")
    polygon = (
        '{"type": "Polygon", "coordinates": [[[110.17, 27.05], [110.2, 27.05], '
        "[110.2, 27.08], [110.17, 27.08], [110.17, 27.05]]]}"
    )
    content = _xlsx(
        [
            _row(world),
            _row(
                world,
                受理编号="HP2021990121T002",
                经度=None,
                纬度=None,
                **{
                    "用地范围(GeoJSON)": polygon,
                    "状态": "审查中",
                    "决定日期": None,
                    "批复文号": None,
                    "审查事实": "total_emission_ok=是;offset_secured=否",
                },
            ),
        ]
    )
    assert ledger.import_projects(actor=staff, source=content, source_name="2021.xlsx") == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    approved = EiaProject.objects.get(reference="HP2021990121T001")
    assert approved.decision == "approved" and approved.location["type"] == "Point"
    open_one = EiaProject.objects.get(reference="HP2021990121T002")
    assert open_one.facts == {"total_emission_ok": True, "offset_secured": False}
    assert open_one.location["type"] == "Polygon"
    assert approved.events.get().type == EiaEvent.Type.IMPORTED
    content.seek(0)
    assert ledger.import_projects(actor=staff, source=content) == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
    }
    exported = ledger.export_projects(
        actor=staff, queryset=EiaProject.objects.filter(reference__startswith="HP2021990121T")
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))
    record = dict(zip(HEADERS, rows[2]))
    assert record["审查事实"] == "offset_secured=否;total_emission_ok=是"
    assert '"Polygon"' in record["用地范围(GeoJSON)"]


def test_deferrals_and_provincial_approvals_travel_in_the_ledger(world):
    """暂缓审批 has its own columns (day and reasons); a 省级审批 row records the province's
    decision only (the bureau does not review it), and only a city-level user enters it."""
    city = world.user("eia_staff")
    deferred = _row(
        world,
        受理编号="HP2021990121T010",
        状态="暂缓审批",
        决定日期=None,
        批复文号=None,
        暂缓审批日期="2021-03-20",
        暂缓理由="区域污染物排放总量指标尚未落实。",
    )
    provincial = _row(
        world,
        受理编号="HP2021990121T011",
        环评文件类型="报告书",
        审批层级="省级审批",
        批复文号="省环审〔2021〕7号",
    )
    bad = _xlsx(
        [
            {**deferred, "暂缓审批日期": None},
            {**deferred, "受理编号": "HP2021990121T012", "暂缓审批日期": "2021-03-01"},
            {**deferred, "受理编号": "HP2021990121T013", "暂缓理由": None},
            {**provincial, "受理编号": "HP2021990121T014", "状态": "审查中", "决定日期": None},
        ]
    )
    with pytest.raises(LedgerImportError) as refused:
        ledger.import_projects(actor=city, source=bad)
    messages = [str(e) for e in refused.value.errors]
    assert any("第2行" in m and "暂缓审批日期" in m and "须填写" in m for m in messages)
    assert any("第3行" in m and "早于受理日期" in m for m in messages)
    assert any("第4行" in m and "暂缓理由" in m for m in messages)
    assert any("第5行" in m and "省级审批的项目只登记" in m for m in messages)
    assert not EiaProject.objects.filter(reference__startswith="HP2021990121T01").exists()
    assert ledger.import_projects(actor=city, source=_xlsx([deferred, provincial]))["created"] == 2
    project = EiaProject.objects.get(reference="HP2021990121T010")
    assert project.state == "deferred" and str(project.deferred_on) == "2021-03-20"
    assert EiaProject.objects.get(reference="HP2021990121T011").level == "province"
    exported = ledger.export_projects(
        actor=city, queryset=EiaProject.objects.filter(reference__startswith="HP2021990121T01")
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))
    by_ref = {r[0]: dict(zip(HEADERS, r)) for r in rows[1:]}
    assert by_ref["HP2021990121T010"]["暂缓理由"] == "区域污染物排放总量指标尚未落实。"
    assert by_ref["HP2021990121T011"]["审批层级"] == "省级审批"
    # a county user may not enter the province's approvals
    with pytest.raises(LedgerImportError):
        ledger.import_projects(
            actor=world.user("beishan_staff"),
            source=_xlsx([{**provincial, "受理编号": "HP2021990121T015"}]),
        )
