"""Permit and registration ledgers in Excel: round trip, every bad row reported, nothing written."""

import io

import openpyxl
import pytest

from ecogov.core.spreadsheet import LedgerImportError
from ecogov.permits import ledger
from ecogov.permits.models import Permit, PermitEvent, Registration

PERMIT_HEADERS = [c.header for c in ledger.PERMIT_COLUMNS]
REG_HEADERS = [c.header for c in ledger.REGISTRATION_COLUMNS]


def _xlsx(headers, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_permit_ledger_round_trip(world, issue):
    leader = world.user("leader")
    issue(
        with_rectification=True,
        rectification_items=["安装在线监测", "规范排放口"],
        rectification_deadline=__import__("datetime").date(2025, 9, 1),
    )
    content = ledger.export_permits(actor=leader, queryset=Permit.objects.all())
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == PERMIT_HEADERS and len(rows) - 1 == Permit.objects.count()
    records = [dict(zip(PERMIT_HEADERS, r)) for r in rows[1:]]
    fixing = next(r for r in records if r["整改事项"] == "安装在线监测;规范排放口")
    assert (
        fixing["附整改通知书"] == "是" and fixing["许可排放污染物"] == "二氧化硫|DA001|35|mg/m³|10"
    )
    before = list(Permit.objects.order_by("pk").values())
    events = PermitEvent.objects.count()
    counts = ledger.import_permits(actor=leader, source=io.BytesIO(content))
    assert counts == {"created": 0, "updated": 0, "unchanged": Permit.objects.count()}
    assert list(Permit.objects.order_by("pk").values()) == before
    assert PermitEvent.objects.count() == events


def _permit_row(world, **overrides):
    entity = world.entity_in("南湖县")
    row = {
        "许可证编号": f"{entity.credit_code}901P",
        "单位统一社会信用代码": entity.credit_code,
        "场所所在区划代码": "990122",
        "生产经营场所地址": "南湖县导入厂区1号",
        "管理类别": "简化管理",
        "发证日期": "2024-05-06",
        "有效期至": "2029-05-05",
        "状态": "有效",
        "许可排放污染物": "化学需氧量|DW001|100|mg/L",
    }
    row.update(overrides)
    return row


def test_bad_permit_rows_are_all_reported_and_nothing_is_written(world):
    leader = world.user("leader")
    entity = world.entity_in("南湖县")
    bad = _xlsx(
        PERMIT_HEADERS,
        [
            _permit_row(world),
            _permit_row(world, 许可证编号=f"{entity.credit_code}902P"),  # same site, both in force
            _permit_row(world, 许可证编号="X3", 单位统一社会信用代码="91990122MA00000000"),
            _permit_row(
                world, 许可证编号="X4", 生产经营场所地址="南湖县导入厂区4号", 有效期至="2023-05-05"
            ),
            _permit_row(
                world, 许可证编号="X5", 生产经营场所地址="南湖县导入厂区5号", 附整改通知书="是"
            ),
            _permit_row(
                world, 许可证编号="X6", 生产经营场所地址="南湖县导入厂区6号", 发证日期="2024/13/01"
            ),
            _permit_row(
                world,
                许可证编号="X7",
                生产经营场所地址="南湖县导入厂区7号",
                许可排放污染物="|DA001|35",
            ),
        ],
    )
    before = (Permit.objects.count(), PermitEvent.objects.count())
    with pytest.raises(LedgerImportError) as caught:
        ledger.import_permits(actor=leader, source=bad)
    by_row = {}
    for error in caught.value.errors:
        by_row.setdefault(error.row, []).append(f"{error.column}:{error.message}")
    assert 2 not in by_row
    assert any("同一生产经营场所" in e for e in by_row[3])
    assert any("不存在或不在您的权限范围内" in e for e in by_row[4])
    assert any("有效期至" in e and "早于发证日期" in e for e in by_row[5])
    assert any("整改事项" in e for e in by_row[6]) and any("整改期限" in e for e in by_row[6])
    assert any("发证日期" in e and "不是日期" in e for e in by_row[7])
    assert any("许可排放污染物" in e for e in by_row[8])
    assert (Permit.objects.count(), PermitEvent.objects.count()) == before
    with pytest.raises(LedgerImportError, match="分局可以查看,不能办理"):
        ledger.import_permits(
            actor=world.user("nanhu_staff"), source=_xlsx(PERMIT_HEADERS, [_permit_row(world)])
        )


def test_a_good_permit_file_is_imported_once(world):
    leader = world.user("leader")
    content = _xlsx(
        PERMIT_HEADERS,
        [
            _permit_row(world),
            _permit_row(
                world,
                许可证编号="HIST-1",
                生产经营场所地址="南湖县旧厂",
                发证日期="2016-01-04",
                有效期至="2021-01-03",
                状态="已过期",
            ),
        ],
    )
    assert ledger.import_permits(actor=leader, source=content, source_name="p.xlsx") == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    imported = Permit.objects.get(permit_number__endswith="901P")
    assert imported.pollutants == [
        {"pollutant": "化学需氧量", "outlet": "DW001", "limit": "100", "unit": "mg/L"}
    ]
    assert imported.events.get().type == "imported"
    content.seek(0)
    assert ledger.import_permits(actor=leader, source=content)["unchanged"] == 2


def test_registration_ledger_round_trip_and_rejection(world):
    staff = world.user("beishan_staff")
    content = ledger.export_registrations(actor=staff, queryset=Registration.objects.all())
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    visible = Registration.objects.visible_to(staff).count()
    assert list(rows[0]) == REG_HEADERS and len(rows) - 1 == visible
    assert ledger.import_registrations(actor=staff, source=io.BytesIO(content)) == {
        "created": 0,
        "updated": 0,
        "unchanged": visible,
    }
    code = world.entity_in("北山县").credit_code
    good = {
        "登记编号": "R-1",
        "单位名称": "北山测试洗车场",
        "统一社会信用代码": code,
        "所在区划代码": "990121",
        "生产经营场所地址": "北山县测试路8号",
        "登记日期": "2024-03-01",
        "有效期至": "2029-02-28",
        "状态": "有效",
    }
    before = Registration.objects.count()
    with pytest.raises(LedgerImportError) as caught:
        ledger.import_registrations(
            actor=staff,
            source=_xlsx(
                REG_HEADERS,
                [
                    good,
                    {**good, "登记编号": "R-2"},
                    {
                        **good,
                        "登记编号": "R-3",
                        "统一社会信用代码": "123",
                        "生产经营场所地址": "北山县测试路9号",
                    },
                    {
                        **good,
                        "登记编号": "R-4",
                        "所在区划代码": "990122",
                        "生产经营场所地址": "南湖某地",
                    },
                ],
            ),
        )
    rows_with_errors = {e.row for e in caught.value.errors}
    assert rows_with_errors == {3, 4, 5}
    assert any("统一社会信用代码" in str(e) for e in caught.value.errors if e.row == 4)
    assert Registration.objects.count() == before
    assert (
        ledger.import_registrations(actor=staff, source=_xlsx(REG_HEADERS, [good]))["created"] == 1
    )
