"""Renewal reminders at the lead time, renewal decisions, overdue rectification and execution reports."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ecogov.permits import queries, services
from ecogov.permits.models import ManagementClass

D = dt.date


def _for(reminders, permit):
    return [r for r in reminders if r.permit.pk == permit.pk]


def _period(reminder):
    """ "许可证 …(单位)2025年第一季度执行报告" -> "2025年第一季度"."""
    return reminder.label.rsplit(")", 1)[1].removesuffix("执行报告")


def test_renewal_is_reminded_from_the_lead_time_and_then_decided(world, issue):
    staff = world.user("eia_staff")
    permit = issue(site="北山县延续厂区", issued_on=D(2021, 12, 20))  # valid to 2026-12-19
    # apply at least 60 days before expiry: by 2026-10-20; reminded 30 days before that
    assert _for(queries.renewal_reminders(staff, today=D(2026, 9, 19)), permit) == []
    [due] = _for(queries.renewal_reminders(staff, today=D(2026, 9, 20)), permit)
    assert (due.kind, due.due) == ("renewal_application", D(2026, 10, 20))
    [late] = _for(queries.renewal_reminders(staff, today=D(2026, 10, 24)), permit)
    assert late.due < D(2026, 10, 24)  # overdue, still listed
    services.permit_renewal_apply(actor=staff, permit=permit, applied_on=D(2026, 10, 25))
    assert permit.events.get(type="renewal_applied").payload == {"late": True}
    [decision] = _for(queries.renewal_reminders(staff, today=D(2026, 10, 26)), permit)
    # 20 日 from 25 October: 14 November is a Saturday -> 16 November; 20 working days -> 20
    # November; the earlier is the one alerted on
    assert (decision.kind, decision.due) == ("renewal_decision", D(2026, 11, 16))
    renewed = services.permit_renew(actor=staff, permit=permit, renewed_on=D(2026, 11, 10))
    assert renewed.valid_until == D(2031, 12, 19) and renewed.renewal_count == 1
    assert _for(queries.renewal_reminders(staff, today=D(2026, 11, 11)), permit) == []
    # the county sub-bureau sees the reminders of its county, not other counties'
    assert (
        _for(queries.renewal_reminders(world.user("nanhu_staff"), today=D(2026, 9, 20)), permit)
        == []
    )


def test_an_expired_permit_cannot_be_renewed(world, issue):
    permit = issue(site="北山县过期厂区", issued_on=D(2021, 1, 4))  # valid to 2026-01-03
    with pytest.raises(ValidationError, match="已失效"):
        services.permit_renewal_apply(
            actor=world.user("eia_staff"), permit=permit, applied_on=D(2026, 2, 1)
        )


def test_overdue_rectification_is_listed_until_closed(world, issue):
    staff = world.user("eia_staff")
    permit = issue(
        with_rectification=True,
        rectification_items=["规范排放口"],
        rectification_deadline=D(2025, 9, 10),
    )
    assert _for(queries.rectification_reminders(staff, today=D(2025, 8, 20)), permit) == []
    [item] = _for(queries.rectification_reminders(staff, today=D(2025, 9, 1)), permit)
    assert item.due == D(2025, 9, 10)
    services.permit_rectification_close(actor=staff, permit=permit, closed_on=D(2025, 9, 5))
    assert _for(queries.rectification_reminders(staff, today=D(2025, 9, 20)), permit) == []


def test_execution_reports_due_per_class_and_overdue_ones_listed(world, issue):
    staff, county = world.user("eia_staff"), world.user("beishan_staff")
    key = issue(site="北山县报告厂区", issued_on=D(2025, 3, 10))
    overdue = {
        _period(r): r.due for r in _for(queries.overdue_reports(county, today=D(2026, 11, 20)), key)
    }
    assert overdue == {
        "2025年第一季度": D(2025, 4, 15),
        "2025年第二季度": D(2025, 7, 15),
        "2025年第三季度": D(2025, 10, 15),
        "2025年年度": D(2026, 2, 2),  # 31 January 2026 is a Saturday
        "2026年第一季度": D(2026, 4, 15),
        "2026年第二季度": D(2026, 7, 15),
        "2026年第三季度": D(2026, 10, 15),
    }
    # the sub-bureau records the reports of its county's permits
    services.execution_report_submit(
        actor=county, permit=key, year=2025, period="annual", submitted_on=D(2026, 1, 20)
    )
    services.execution_report_submit(
        actor=county, permit=key, year=2025, period="q1", submitted_on=D(2025, 4, 20)
    )
    late = key.events.filter(type="report_submitted").order_by("pk")
    assert [e.payload["late"] for e in late] == [False, True]
    left = {_period(r) for r in _for(queries.overdue_reports(county, today=D(2026, 11, 20)), key)}
    assert "2025年年度" not in left and "2025年第一季度" not in left and len(left) == 5
    with pytest.raises(ValidationError, match="已登记"):
        services.execution_report_submit(
            actor=county, permit=key, year=2025, period="q1", submitted_on=D(2025, 4, 21)
        )
    simple = issue(
        site="北山县简化厂区", issued_on=D(2025, 3, 10), management_class=ManagementClass.SIMPLIFIED
    )
    with pytest.raises(ValidationError, match="不需要提交第一季度执行报告"):
        services.execution_report_submit(
            actor=staff, permit=simple, year=2025, period="q1", submitted_on=D(2025, 4, 20)
        )
    assert {
        _period(r) for r in _for(queries.overdue_reports(county, today=D(2026, 11, 20)), simple)
    } == {"2025年年度"}
    assert (
        _for(queries.overdue_reports(world.user("nanhu_staff"), today=D(2026, 11, 20)), key) == []
    )


def test_dashboard_items_include_the_demo_permits_live_reminders(world):
    items = queries.overdue_items(world.user("leader"))
    assert any("延续申请" in i.label for i in items)
    assert any("整改期限" in i.label for i in items)
    assert any("执行报告" in i.label for i in items)
    assert all(i.url.startswith("/admin/permits/permit/") for i in items)
