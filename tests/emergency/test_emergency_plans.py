"""Contingency plans filed with the bureau: review due three years on, reminders before it,
late filing in working days, supersession, withdrawal, and the all-or-nothing Excel ledger."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ecogov.core.figures import Period, by_key
from ecogov.core.spreadsheet import LedgerImportError
from ecogov.emergency import ledger, queries, services
from ecogov.emergency.figures import emergency_figures
from ecogov.emergency.models import ContingencyPlan


def _file(
    world,
    actor="beishan_staff",
    number="P-1",
    issued=dt.date(2024, 3, 1),
    filed=dt.date(2024, 3, 20),
    entity=None,
):
    entity = entity or world.entity_in("北山县")
    return services.plan_file(
        actor=world.user(actor),
        data={
            "entity": entity,
            "title": f"{entity.name}应急预案",
            "filing_number": number,
            "risk_level": "general",
            "issued_on": issued,
            "filed_on": filed,
        },
    )


def test_review_falls_due_three_years_on_and_a_review_moves_it(world):
    plan = _file(world)
    assert plan.expires_on == dt.date(2027, 3, 1) and plan.division.name == "北山县"
    services.plan_review(
        actor=world.user("beishan_staff"), plan=plan, reviewed_on=dt.date(2025, 2, 28)
    )
    plan.refresh_from_db()
    assert plan.expires_on == dt.date(2028, 2, 28)
    leap = _file(
        world,
        number="P-2",
        issued=dt.date(2024, 2, 29),
        filed=dt.date(2024, 3, 5),
        entity=world.entity_in("南湖县"),
        actor="nanhu_staff",
    )
    assert leap.expires_on == dt.date(2027, 2, 28)


def test_filing_later_than_twenty_working_days_is_flagged(world):
    # issued Monday 2024-09-02: 20 working days run to 2024-09-30 (no holiday in between)
    on_time = _file(world, number="P-3", issued=dt.date(2024, 9, 2), filed=dt.date(2024, 9, 30))
    assert not on_time.filed_late
    late = _file(
        world,
        number="P-4",
        issued=dt.date(2024, 9, 2),
        filed=dt.date(2024, 10, 8),
        entity=world.entity_in("南湖县"),
        actor="nanhu_staff",
    )
    assert late.filed_late


def test_a_new_filing_supersedes_the_old_and_the_old_is_kept(world):
    first = _file(world)
    second = _file(world, number="P-5", issued=dt.date(2025, 1, 6), filed=dt.date(2025, 1, 20))
    first.refresh_from_db()
    assert (first.state, first.ended_on, first.superseded_by) == (
        "superseded",
        dt.date(2025, 1, 20),
        second,
    )
    with pytest.raises(ValidationError, match="已失效"):
        services.plan_review(
            actor=world.user("beishan_staff"), plan=first, reviewed_on=dt.date(2025, 2, 1)
        )
    figures = by_key(emergency_figures(world.user("beishan_staff"), Period.of_year(2025)))
    assert second in figures["emergency.plans_in_force"].records
    assert first not in figures["emergency.plans_in_force"].records


def test_plans_due_for_review_are_reminded(world, login):
    today = timezone.localdate()
    soon = _file(
        world,
        number="P-6",
        issued=today.replace(year=today.year - 3) + dt.timedelta(days=20),
        filed=today.replace(year=today.year - 3) + dt.timedelta(days=25),
    )
    later = _file(
        world,
        number="P-7",
        issued=today - dt.timedelta(days=400),
        filed=today - dt.timedelta(days=390),
        entity=world.entity_in("南湖县"),
        actor="nanhu_staff",
    )
    due = queries.plans_expiring(world.user("leader"))
    assert soon in due and later not in due
    assert soon not in queries.plans_expiring(world.user("nanhu_staff"))
    html = login("beishan_staff").get("/admin/").content.decode()
    assert f"{soon.entity.name}环境应急预案回顾性评估到期" in html
    services.plan_withdraw(
        actor=world.user("beishan_staff"), plan=soon, ended_on=today, reason="企业关闭"
    )
    assert soon not in queries.plans_expiring(world.user("leader"))


def test_plans_expiring_in_a_period(world):
    plan = _file(world, number="P-8", issued=dt.date(2021, 6, 1), filed=dt.date(2021, 6, 10))
    figures = by_key(emergency_figures(world.user("beishan_staff"), Period.of_year(2024)))
    assert plan in figures["emergency.plans_expiring"].records
    assert (
        figures["emergency.plans_expiring"].value
        == figures["emergency.plans_expiring"].records.count()
    )


def _book(rows):
    book = openpyxl.Workbook()
    book.active.append(
        [
            "备案编号",
            "企业统一社会信用代码",
            "企业名称",
            "预案名称",
            "环境风险等级",
            "签署发布日期",
            "备案日期",
            "最近回顾性评估日期",
        ]
    )
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_the_plan_ledger_is_imported_all_or_nothing_and_idempotently(world):
    actor = world.user("beishan_staff")
    entity = world.entity_in("北山县")
    other = world.entity_in("南湖县")
    good = [
        [
            "BS-2024-01",
            entity.credit_code,
            entity.name,
            "综合应急预案",
            "一般环境风险",
            dt.date(2024, 4, 1),
            dt.date(2024, 4, 15),
            None,
        ]
    ]
    bad = good + [
        [
            "BS-2024-02",
            other.credit_code,
            other.name,
            "预案",
            "较大环境风险",
            dt.date(2024, 4, 1),
            dt.date(2024, 3, 1),
            None,
        ],
        [
            "BS-2024-03",
            "91350100M000100Y43",
            "",
            "预案",
            "很大",
            dt.date(2024, 4, 1),
            "2024年4月",
            None,
        ],
        [
            "BS-2024-04",
            "91350100M000100Y43",
            "",
            "预案",
            "一般环境风险",
            dt.date(2024, 4, 1),
            dt.date(2024, 4, 2),
            None,
        ],
    ]
    before = ContingencyPlan.objects.count()
    with pytest.raises(LedgerImportError) as failed:
        ledger.import_plans(actor=actor, source=_book(bad))
    found = {(e.row, e.column): e.message for e in failed.value.errors}
    # another county's entity reads as an unknown one (docs/security.md, “引用的范围”)
    assert "不存在或不在您的权限范围内" in found[(3, "企业统一社会信用代码")]
    assert "不是可选值" in found[(4, "环境风险等级")] and "不是日期" in found[(4, "备案日期")]
    # row 4's unreadable cells are all it reports; row 5, readable, is checked against the registry
    assert (4, "企业统一社会信用代码") not in found
    assert "不存在或不在您的权限范围内" in found[(5, "企业统一社会信用代码")]
    assert ContingencyPlan.objects.count() == before
    assert ledger.import_plans(actor=actor, source=_book(good)) == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
    }
    assert ledger.import_plans(actor=actor, source=_book(good)) == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
    }
    reviewed = [[*good[0][:7], dt.date(2025, 4, 1)]]
    assert ledger.import_plans(actor=actor, source=_book(reviewed))["updated"] == 1
    plan = ContingencyPlan.objects.get(filing_number="BS-2024-01")
    assert plan.expires_on == dt.date(2028, 4, 1)
    exported = ledger.export_plans(actor=actor, queryset=ContingencyPlan.objects.filter(pk=plan.pk))
    rows = list(openpyxl.load_workbook(io.BytesIO(exported)).active.values)
    assert rows[1][:5] == (
        "BS-2024-01",
        entity.credit_code,
        entity.name,
        "综合应急预案",
        "一般环境风险",
    )
