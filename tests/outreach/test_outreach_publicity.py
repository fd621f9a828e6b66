"""Publicity counts: items one by one feed their month; the channels' monthly exports are
imported all or nothing, with every error by row and column, and re-imported without change."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from ecogov.core.figures import Period, by_key
from ecogov.core.spreadsheet import LedgerImportError
from ecogov.outreach import ledger, services
from ecogov.outreach.figures import publicity_figures
from ecogov.outreach.models import PublicityCount


def xlsx(rows, header=("发布渠道", "年份", "月份", "发布条数", "区划代码"), name="export.xlsx"):
    book = openpyxl.Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def test_the_monthly_export_is_imported_once_and_counted(world, tmp_path):
    actor = world.user("beishan_staff")
    path = tmp_path / "双微统计.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["发布渠道", "年份", "月份", "发布条数"])
    for month in range(1, 13):
        book.active.append(["微信", 2024, month, 10 + month])
        book.active.append(["官方微博", 2024, month, 5])
        book.active.append(["网站", 2024, month, 3])
    book.save(path)
    with open(path, "rb") as handle:
        counts = ledger.import_counts(actor=actor, source=handle, source_name="双微统计.xlsx")
    assert counts == {"created": 36, "updated": 0, "unchanged": 0}
    with open(path, "rb") as handle:  # the same file again changes nothing
        assert ledger.import_counts(actor=actor, source=handle, source_name="双微统计.xlsx") == {
            "created": 0,
            "updated": 0,
            "unchanged": 36,
        }
    figures = by_key(publicity_figures(actor, Period.of_year(2024)))
    assert figures["publicity.wechat_posts"].value == sum(10 + m for m in range(1, 13))
    assert figures["publicity.social_posts"].value == 198 + 60
    assert figures["publicity.web_articles"].value == 36
    records = figures["publicity.social_posts"].records
    assert sum(r.count for r in records) == figures["publicity.social_posts"].value
    assert {r.division.name for r in records} == {"北山县"}
    # a corrected month updates that month only
    counts = ledger.import_counts(actor=actor, source=xlsx([["微信", 2024, 3, 99, "990121"]]))
    assert counts == {"created": 0, "updated": 1, "unchanged": 0}
    assert (
        by_key(publicity_figures(actor, Period.of_year(2024)))["publicity.wechat_posts"].value
        == 198 - 13 + 99
    )


def test_a_bad_row_writes_nothing_and_every_error_is_named(world):
    actor = world.user("beishan_staff")
    before = PublicityCount.objects.count()
    source = xlsx(
        [
            ["微信", 2024, 1, 10, ""],
            ["抖音", 2024, 2, 10, ""],
            ["微博", 2024, 13, 10, ""],
            ["网站", 2024, 4, "十", ""],
            ["微信", 2024, 1, 12, ""],
            ["微信", 2024, 5, 7, "990122"],
        ]
    )
    with pytest.raises(LedgerImportError) as failed:
        ledger.import_counts(actor=actor, source=source)
    found = {(e.row, e.column): e.message for e in failed.value.errors}
    assert "不是发布渠道" in found[(3, "发布渠道")]
    assert "月份应为1到12之间的整数" in found[(4, "月份")]
    assert "不是整数" in found[(5, "发布条数")]
    assert "与第2行为同一区划、同一渠道的同一月份" in found[(6, "月份")]
    assert "超出您的数据范围" in found[(7, "区划代码")]  # 南湖县 is not 北山's
    assert "未写入任何数据" in str(failed.value)
    assert PublicityCount.objects.count() == before
    missing = xlsx([["微信", 2024]], header=("发布渠道", "年份"))
    with pytest.raises(LedgerImportError) as failed:
        ledger.import_counts(actor=actor, source=missing)
    assert {(e.row, e.column) for e in failed.value.errors} == {(1, "月份"), (1, "发布条数")}


def test_items_entered_one_by_one_make_the_count_unless_the_channel_export_gave_it(world):
    actor = world.user("nanhu_staff")
    for day in (dt.date(2024, 6, 3), dt.date(2024, 6, 20)):
        services.publicity_item_publish(
            actor=actor, data={"channel": "wechat", "published_on": day, "title": f"推送{day}"}
        )
    june = PublicityCount.objects.get(
        division__name="南湖县", channel="wechat", month=dt.date(2024, 6, 1)
    )
    assert (june.count, june.source) == (2, "items")
    ledger.import_counts(actor=actor, source=xlsx([["微信", 2024, 6, 40, ""]]))
    services.publicity_item_publish(
        actor=actor,
        data={"channel": "wechat", "published_on": dt.date(2024, 6, 28), "title": "又一条"},
    )
    june.refresh_from_db()
    assert (june.count, june.source) == (40, "import")  # the channel's statistic wins


def test_the_import_page_offers_the_empty_template(login, world):
    client = login("legal")
    page = client.get(reverse("admin:outreach_publicitycount_import_xlsx"))
    html = page.content.decode()
    assert page.status_code == 200 and "core/ledger_import.html" in [t.name for t in page.templates]
    assert 'id="import-template"' in html and "发布渠道*" in html
    template = client.get(reverse("admin:outreach_publicitycount_download_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[1]] == ["发布渠道", "年份", "月份", "发布条数", "区划代码"]
    assert sheet.max_row == 1
    bad = client.post(
        reverse("admin:outreach_publicitycount_import_xlsx"),
        {"file": xlsx([["微信", 2024, 0, 1, ""]])},
        follow=True,  # to the background job's page
    ).content.decode()
    assert "未写入任何数据" in bad and "第2行“月份”" in bad
    done = client.post(
        reverse("admin:outreach_publicitycount_import_xlsx"),
        {"file": xlsx([["微信", 2023, 1, 17, ""]])},
        follow=True,
    )
    assert "导入完成:新增 1 条" in done.content.decode()
    assert PublicityCount.objects.get(month=dt.date(2023, 1, 1), channel="wechat").count == 17
    exported = client.post(
        reverse("admin:outreach_publicitycount_changelist"),
        {
            "action": "export_xlsx",
            "_selected_action": [
                PublicityCount.objects.get(month=dt.date(2023, 1, 1), channel="wechat").pk
            ],
        },
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.values)
    assert rows[1] == ("官方微信公众号", 2023, 1, 17, "990100")
    assert (
        login("viewer").get(reverse("admin:outreach_publicitycount_import_xlsx")).status_code == 403
    )
