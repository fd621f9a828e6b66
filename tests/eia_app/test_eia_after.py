"""EIA after (or instead of) approval, through the services: deferral distinct from refusal,
provincial approvals counted apart, regional suspension refusing approvals, the 5-year
re-review, completion acceptances and their spot checks (docs/eia.md “批后”)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.core.calendar import current_calendar
from ecogov.core.dates import add_years
from ecogov.core.figures import Period
from ecogov.eia import services
from ecogov.eia.demo import site_for
from ecogov.eia.figures import eia_figures
from ecogov.eia.models import (
    ApprovalLevel,
    Decision,
    DocumentType,
    EiaEvent,
    EiaProject,
    Procedure,
    ProjectState,
    RegionalSuspension,
    ReReviewOutcome,
    SpotCheckResult,
    SuspensionEvent,
)

D = dt.date


def _figures(user, year):
    return {f.key: f for f in eia_figures(user, Period.of_year(year))}


def _ready(world, submit, **fields):
    """A commitment-procedure form of 北山县, accepted and screened: ready to be decided."""
    staff = world.user("beishan_staff")
    project = submit(procedure=Procedure.COMMITMENT, **fields)
    project = services.project_accept(actor=staff, project=project, accepted_on=D(2026, 3, 5))
    services.project_screen(actor=staff, project=project)
    return project


def _approve(world, project, day, actor="beishan_staff"):
    return services.project_decide(
        actor=world.user(actor),
        project=project,
        decision=Decision.APPROVED,
        decided_on=day,
        decision_number="北环承〔2026〕9号",
    )


def _suspend(world, division="北山县", start=D(2026, 1, 1), end=D(2026, 6, 30), actor="leader"):
    return services.suspension_record(
        actor=world.user(actor),
        data={
            "division": world.division(division),
            "authority": "省生态环境厅",
            "document_number": "省环函〔2026〕1号",
            "reason": "区域水环境质量连续未达标",
            "starts_on": start,
            "ends_on": end,
        },
    )


# --- deferral ---------------------------------------------------------------------------


def test_deferral_is_recorded_apart_from_refusal_and_the_file_stays_open(world, submit):
    staff = world.user("beishan_staff")
    project = _ready(world, submit)
    with pytest.raises(ValidationError) as refused:
        services.project_decide(
            actor=staff, project=project, decision="deferred", decided_on=D(2026, 3, 10), reasons=""
        )
    assert "暂缓理由" in str(refused.value.message_dict["deferral_reasons"])
    deferred = services.project_decide(
        actor=staff,
        project=project,
        decision=ProjectState.DEFERRED,
        decided_on=D(2026, 3, 10),
        reasons="待区域削减方案落实",
    )
    assert deferred.state == ProjectState.DEFERRED
    assert deferred.decision == "" and deferred.deferred_on == D(2026, 3, 10)
    event = deferred.events.order_by("pk").last()
    assert event.type == EiaEvent.Type.DEFERRED and event.actor == staff
    assert event.reason == "待区域削减方案落实" and event.from_state == ProjectState.ACCEPTED
    figures = _figures(world.user("leader"), 2026)
    assert deferred in figures["eia.deferred"].records
    assert deferred not in figures["eia.refused"].records
    assert figures["eia.deferred"].value == figures["eia.deferred"].records.count()
    # still open: the decision clock keeps running, and it can be approved later (not before
    # the deferral)
    assert services.project_update(
        actor=staff, project=deferred, data={"name": "测试建设项目(修改)"}
    ).name.endswith("(修改)")
    with pytest.raises(ValidationError) as early:
        _approve(world, deferred, D(2026, 3, 9))
    assert "暂缓审批日期" in str(early.value.message_dict["decided_on"])
    approved = _approve(world, deferred, D(2026, 3, 20))
    assert approved.state == ProjectState.APPROVED and approved.deferred_on == D(2026, 3, 10)


# --- provincial approvals ---------------------------------------------------------------


def test_provincial_approvals_are_recorded_and_counted_apart(world):
    leader = world.user("leader")
    before = _figures(leader, 2026)
    data = {
        "name": "省级审批的高速公路项目",
        "builder": world.entity_in("北山县"),
        "division": world.division("北山县"),
        "document_type": DocumentType.REPORT,
        "location": site_for("北山县"),
    }
    with pytest.raises(PermissionDenied):
        services.project_record_provincial(
            actor=world.user("beishan_staff"),
            data=data,
            decided_on=D(2026, 5, 6),
            decision_number="省环审〔2026〕3号",
        )
    with pytest.raises(ValidationError) as missing:
        services.project_record_provincial(
            actor=leader, data=data, decided_on=D(2026, 5, 6), decision_number=""
        )
    assert "decision_number" in missing.value.message_dict
    project = services.project_record_provincial(
        actor=leader, data=data, decided_on=D(2026, 5, 6), decision_number="省环审〔2026〕3号"
    )
    assert project.level == ApprovalLevel.PROVINCE and project.state == ProjectState.APPROVED
    assert project.events.get().type == EiaEvent.Type.PROVINCIAL_RECORDED
    after = _figures(leader, 2026)
    assert project in after["eia.approved.province_level"].records
    assert after["eia.approved.province_level"].value == (
        before["eia.approved.province_level"].value + 1
    )
    for key in ("eia.approved.total", "eia.approved.city_level", "eia.approved.county_level"):
        assert after[key].value == before[key].value and project not in after[key].records
    assert after["eia.investment.total"].value == before["eia.investment.total"].value
    # the bureau does not take a provincial application itself
    with pytest.raises(ValidationError) as own:
        services.project_submit(
            actor=leader,
            data={
                **data,
                "level": ApprovalLevel.PROVINCE,
                "procedure": Procedure.REVIEW,
                "submitted_on": D(2026, 5, 1),
            },
        )
    assert "省级" in str(own.value.message_dict["level"])


# --- regional suspension ----------------------------------------------------------------


def test_suspension_refuses_approvals_with_its_reason(world, submit):
    project = _ready(world, submit)
    with pytest.raises(PermissionDenied):
        _suspend(world, actor="beishan_staff")  # recorded by the city bureau
    suspension = _suspend(world)
    assert suspension.events.get().type == SuspensionEvent.Type.RECORDED
    with pytest.raises(ValidationError) as refused:
        _approve(world, project, D(2026, 3, 20))
    message = " ".join(refused.value.message_dict["decision"])
    assert "区域限批" in message and "区域水环境质量连续未达标" in message
    assert "省环函〔2026〕1号" in message
    project.refresh_from_db()
    assert project.state == ProjectState.ACCEPTED and not project.events.filter(type="decided")
    # refusal and deferral remain possible; lifted, approvals are possible again
    services.project_defer(
        actor=world.user("beishan_staff"),
        project=project,
        deferred_on=D(2026, 3, 20),
        reasons="区域限批期间暂缓审批",
    )
    services.suspension_lift(
        actor=world.user("leader"),
        suspension=suspension,
        lifted_on=D(2026, 4, 1),
        number="省环函〔2026〕9号",
    )
    with pytest.raises(ValidationError):
        _approve(world, project, D(2026, 3, 31))  # the day before lifting: still suspended
    assert _approve(world, project, D(2026, 4, 1)).state == ProjectState.APPROVED


def test_a_suspension_of_the_city_covers_its_counties_and_other_counties_are_free(world, submit):
    _suspend(world, division="南湖县")
    free = _ready(world, submit)
    assert _approve(world, free, D(2026, 3, 20)).state == ProjectState.APPROVED
    _suspend(
        world,
        division=world.division("北山县").parent.name,
        start=D(2026, 4, 1),
        end=D(2026, 9, 30),
    )
    covered = _ready(world, submit)
    with pytest.raises(ValidationError) as refused:
        _approve(world, covered, D(2026, 4, 2))
    assert world.division("北山县").parent.name in " ".join(refused.value.message_dict["decision"])


def test_suspension_periods_extension_and_site_check(world):
    with pytest.raises(ValidationError) as short:
        _suspend(world, end=D(2026, 2, 28))
    assert "3至12个月" in str(short.value.message_dict["ends_on"])
    with pytest.raises(ValidationError):
        _suspend(world, end=D(2027, 1, 1))  # more than 12 months
    suspension = _suspend(world)
    with pytest.raises(ValidationError) as overlap:
        _suspend(world, start=D(2026, 5, 1), end=D(2026, 8, 31))
    assert "重叠" in str(overlap.value.message_dict["starts_on"])
    leader = world.user("leader")
    with pytest.raises(ValidationError) as long:
        services.suspension_extend(
            actor=leader, suspension=suspension, until=D(2027, 1, 1), number="省环函〔2026〕5号"
        )
    assert "6个月" in str(long.value.message_dict["extended_until"])
    extended = services.suspension_extend(
        actor=leader, suspension=suspension, until=D(2026, 12, 31), number="省环函〔2026〕5号"
    )
    assert extended.last_day == D(2026, 12, 31) and extended.in_force_on(D(2026, 11, 1))
    with pytest.raises(ValidationError) as twice:
        services.suspension_extend(
            actor=leader, suspension=extended, until=D(2026, 12, 30), number="x"
        )
    assert "一次" in str(twice.value.message_dict["extended_until"])
    checked = services.suspension_site_check(
        actor=leader, suspension=extended, checked_on=D(2026, 11, 20), note="削减工程已完成"
    )
    assert checked.site_checked_on == D(2026, 11, 20)
    assert [e.type for e in checked.events.order_by("pk")] == [
        "recorded",
        "extended",
        "site_checked",
    ]
    assert (
        RegionalSuspension.objects.visible_to(world.user("beishan_staff"))
        .filter(pk=suspension.pk)
        .exists()
    )
    assert (
        not RegionalSuspension.objects.visible_to(world.user("nanhu_staff"))
        .filter(pk=suspension.pk)
        .exists()
    )


# --- re-review after 5 years --------------------------------------------------------------


def _old_approval(world):
    """A 2020 county approval of 北山县 from the demo ledger, not yet re-reviewed."""
    return (
        EiaProject.objects.filter(
            division__name="北山县",
            level=ApprovalLevel.COUNTY,
            decision=Decision.APPROVED,
            state=ProjectState.APPROVED,
            decided_on__year=2020,
            rereviews__isnull=True,
            acceptances__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def test_the_five_year_rereview(world):
    staff = world.user("beishan_staff")
    project = _old_approval(world)
    mark = add_years(project.decided_on, 5)
    with pytest.raises(ValidationError) as within:
        services.rereview_request(
            actor=staff, project=project, received_on=D(2026, 6, 1), construction_starts_on=mark
        )
    assert "未超过5年" in str(within.value.message_dict["construction_starts_on"])
    rereview = services.rereview_request(
        actor=staff,
        project=project,
        received_on=D(2026, 6, 1),
        construction_starts_on=mark + dt.timedelta(days=1),
    )
    assert rereview.outcome == ReReviewOutcome.PENDING
    assert project.events.filter(type=EiaEvent.Type.REREVIEW_REQUESTED).count() == 1
    with pytest.raises(ValidationError):  # one pending request at a time
        services.rereview_request(
            actor=staff,
            project=project,
            received_on=D(2026, 6, 2),
            construction_starts_on=mark + dt.timedelta(days=3),
        )
    from ecogov.eia.deadlines import rereview_deadline

    due = rereview_deadline(rereview, current_calendar())
    calendar = current_calendar()
    assert due.calendar.due == calendar.add_calendar_days(D(2026, 6, 1), 10)
    assert due.working.due == calendar.add_workdays(D(2026, 6, 1), 10)
    last = max(due.calendar.due, due.working.due)
    late = last + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as too_late:
        services.rereview_answer(
            actor=staff, rereview=rereview, outcome="agreed", answered_on=late, number="北环函1号"
        )
    assert "视为同意" in str(too_late.value.message_dict["answered_on"])
    with pytest.raises(ValidationError) as too_early:
        services.rereview_answer(actor=staff, rereview=rereview, outcome="deemed", answered_on=last)
    assert "尚未届满" in str(too_early.value.message_dict["answered_on"])
    with pytest.raises(ValidationError) as no_reason:
        services.rereview_answer(
            actor=staff,
            rereview=rereview,
            outcome="not_agreed",
            answered_on=due.alert_on.due,
            number="北环函2号",
        )
    assert "reasons" in no_reason.value.message_dict
    answered = services.rereview_answer(
        actor=staff,
        rereview=rereview,
        outcome="not_agreed",
        answered_on=due.alert_on.due,
        number="北环函2号",
        reasons="周边新增居民区,须重新报批",
    )
    assert answered.outcome == ReReviewOutcome.NOT_AGREED
    assert project.events.filter(type=EiaEvent.Type.REREVIEW_ANSWERED).get().payload["outcome"] == (
        "not_agreed"
    )
    assert rereview in _figures(world.user("leader"), 2026)["eia.rereviews"].records


def test_rereview_of_a_refused_or_revoked_project_is_refused(world, submit):
    staff = world.user("beishan_staff")
    project = _approve(world, _ready(world, submit), D(2026, 3, 20))
    services.project_revoke(
        actor=staff, project=project, revoked_on=D(2026, 4, 1), reasons="承诺不实"
    )
    with pytest.raises(ValidationError) as revoked:
        services.rereview_request(
            actor=staff,
            project=project,
            received_on=D(2026, 5, 1),
            construction_starts_on=D(2032, 1, 1),
        )
    assert "已批准" in str(revoked.value.message_dict["project"])


# --- completion acceptance and spot checks ------------------------------------------------


def _acceptance_data(start=D(2026, 6, 1), run=20):
    return {
        "phase": "一期工程",
        "completed_on": D(2026, 3, 1),
        "concluded_on": D(2026, 5, 20),
        "passed": True,
        "published_from": start,
        "published_until": current_calendar().add_workdays(start - dt.timedelta(days=1), run),
        "where": "建设单位网站",
    }


def test_acceptance_is_recorded_with_its_dates_and_publicity(world):
    staff = world.user("beishan_staff")
    project = _old_approval(world)
    with pytest.raises(ValidationError) as short:
        services.acceptance_record(actor=staff, project=project, data=_acceptance_data(run=19))
    assert "少于规定的 20 个工作日" in str(short.value.message_dict["published_until"])
    with pytest.raises(ValidationError) as order:
        services.acceptance_record(
            actor=staff,
            project=project,
            data={**_acceptance_data(), "concluded_on": D(2026, 2, 1)},
        )
    assert "竣工日期" in str(order.value.message_dict["concluded_on"])
    acceptance = services.acceptance_record(actor=staff, project=project, data=_acceptance_data())
    assert acceptance.completed_on == D(2026, 3, 1) and acceptance.concluded_on == D(2026, 5, 20)
    event = project.events.get(type=EiaEvent.Type.ACCEPTANCE_RECORDED)
    assert event.effective_on == D(2026, 5, 20) and event.payload["acceptance"] == acceptance.pk
    assert acceptance in _figures(world.user("leader"), 2026)["eia.acceptances"].records
    # outside the county's scope: refused
    with pytest.raises(PermissionDenied):
        services.acceptance_record(
            actor=world.user("nanhu_staff"), project=project, data=_acceptance_data()
        )


def test_spot_checks_of_an_acceptance(world):
    staff = world.user("beishan_staff")
    project = _old_approval(world)
    acceptance = services.acceptance_record(actor=staff, project=project, data=_acceptance_data())
    with pytest.raises(ValidationError) as findings:
        services.spot_check_record(
            actor=staff, acceptance=acceptance, checked_on=D(2026, 7, 15), result="problems"
        )
    assert "findings" in findings.value.message_dict
    with pytest.raises(ValidationError) as early:
        services.spot_check_record(
            actor=staff, acceptance=acceptance, checked_on=D(2026, 5, 1), result="compliant"
        )
    assert "验收意见日期" in str(early.value.message_dict["checked_on"])
    check = services.spot_check_record(
        actor=staff,
        acceptance=acceptance,
        checked_on=D(2026, 7, 15),
        result=SpotCheckResult.PROBLEMS,
        findings="废气处理设施未按环评要求建设",
        follow_up="责令改正",
    )
    figures = _figures(world.user("leader"), 2026)
    assert check in figures["eia.spot_checks"].records
    assert check in figures["eia.spot_checks.problems"].records
    assert figures["eia.spot_checks.problems"].value <= figures["eia.spot_checks"].value
    assert (
        project.events.get(type=EiaEvent.Type.SPOT_CHECKED).reason == "废气处理设施未按环评要求建设"
    )


def test_pending_rereviews_and_site_checks_are_on_the_dashboard_list(world):
    from ecogov.eia.queries import overdue_items

    staff = world.user("beishan_staff")
    project = _old_approval(world)
    rereview = services.rereview_request(
        actor=staff,
        project=project,
        received_on=D(2026, 6, 1),
        construction_starts_on=add_years(project.decided_on, 5) + dt.timedelta(days=10),
    )
    suspension = _suspend(world, start=D(2025, 9, 1), end=D(2026, 2, 28))
    items = {item.url: item for item in overdue_items(staff)}
    rereview_items = [i for i in items.values() if f"/eiarereview/{rereview.pk}/" in i.url]
    assert rereview_items and rereview_items[0].due == current_calendar().add_calendar_days(
        D(2026, 6, 1), 10
    )
    site = [i for i in items.values() if f"/regionalsuspension/{suspension.pk}/" in i.url]
    assert site and site[0].due >= D(2026, 3, 28)
    services.suspension_site_check(
        actor=world.user("leader"), suspension=suspension, checked_on=D(2026, 3, 20), note="已整改"
    )
    assert not [i for i in overdue_items(staff) if f"/regionalsuspension/{suspension.pk}/" in i.url]
