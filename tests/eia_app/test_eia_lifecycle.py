"""An application's life: states, events, deadlines with pauses, notices, decisions, rule checks."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.core.calendar import current_calendar
from ecogov.core.workdays import DayType, UnknownCalendarYear
from ecogov.eia import services
from ecogov.eia.deadlines import Interval, clock_deadline, decision_deadline, due_steps
from ecogov.eia.models import (
    ApprovalLevel,
    Decision,
    DocumentType,
    EiaEvent,
    NoticeKind,
    PauseKind,
    ProjectState,
)

D = dt.date


def _types(project):
    return list(project.events.order_by("pk").values_list("type", flat=True))


def test_a_form_goes_from_submission_to_a_published_approval(world, submit):
    staff = world.user("beishan_staff")
    project = submit()
    assert project.state == ProjectState.SUBMITTED and project.level == ApprovalLevel.COUNTY
    assert project.reference.startswith("HP2026990121")
    project = services.project_accept(actor=staff, project=project, accepted_on=D(2026, 3, 5))
    services.notice_publish(
        actor=staff,
        project=project,
        kind=NoticeKind.ACCEPTANCE,
        start_on=D(2026, 3, 6),
        end_on=D(2026, 3, 19),
    )
    services.project_screen(actor=staff, project=project)
    services.notice_publish(
        actor=staff,
        project=project,
        kind=NoticeKind.PROPOSED,
        start_on=D(2026, 4, 1),
        end_on=D(2026, 4, 8),
    )
    project.refresh_from_db()
    assert project.state == ProjectState.PROPOSED and project.proposed_on == D(2026, 4, 1)
    project = services.project_decide(
        actor=staff,
        project=project,
        decision=Decision.APPROVED,
        decided_on=D(2026, 4, 9),
        decision_number="北环审〔2026〕1号",
    )
    assert project.state == ProjectState.APPROVED
    steps = due_steps(project, current_calendar())
    assert [s.step for s in steps] == ["decision_publication"]
    assert steps[0].due == D(2026, 4, 20)  # 7 working days after 9 April
    services.notice_publish(
        actor=staff, project=project, kind=NoticeKind.DECISION, start_on=D(2026, 4, 10)
    )
    project.refresh_from_db()
    assert (
        project.decision_published_on == D(2026, 4, 10)
        and due_steps(project, current_calendar()) == []
    )
    assert _types(project) == [
        "submitted",
        "accepted",
        "notice_published",
        "screened",
        "notice_published",
        "decided",
        "notice_published",
    ]
    decided = project.events.get(type=EiaEvent.Type.DECIDED)
    assert (decided.from_state, decided.to_state, decided.effective_on) == (
        "proposed",
        "approved",
        D(2026, 4, 9),
    )
    assert decided.actor == staff and decided.payload["decision"] == "approved"


def test_decision_deadline_has_both_readings_and_alerts_on_the_earlier(world, submit):
    staff = world.user("beishan_staff")
    project = services.project_accept(actor=staff, project=submit(), accepted_on=D(2026, 3, 5))
    both = decision_deadline(project, current_calendar())
    # 30 日 from 5 March: 4 April is Qingming (rest day) -> 7 April; 30 working days -> 17 April
    assert both.calendar.due == D(2026, 4, 7) and both.calendar.day_type is DayType.CALENDAR
    assert both.working.due == D(2026, 4, 17)
    assert both.alert_on is both.calendar and not both.calendar.provisional
    [step] = due_steps(project, current_calendar())
    assert (step.step, step.due, step.other.due) == ("decision", D(2026, 4, 7), D(2026, 4, 17))


def test_a_report_has_sixty_days(world, submit):
    staff = world.user("eia_staff")
    project = submit(actor="eia_staff", document_type=DocumentType.REPORT)
    assert project.level == ApprovalLevel.CITY  # the bureau's delegation: reports at city level
    project = services.project_accept(actor=staff, project=project, accepted_on=D(2026, 3, 5))
    both = decision_deadline(project, current_calendar())
    # 4 May is in the Labour Day holiday (1-5 May) -> 6 May; 60 working days -> 2 June
    assert (both.calendar.due, both.working.due) == (D(2026, 5, 6), D(2026, 6, 2))


def test_a_pause_stops_the_clock_and_restarts_it(world, submit):
    staff = world.user("beishan_staff")
    project = services.project_accept(actor=staff, project=submit(), accepted_on=D(2026, 3, 5))
    services.pause_start(
        actor=staff,
        project=project,
        kind=PauseKind.EXPERT_REVIEW,
        started_on=D(2026, 3, 10),
        reason="专家评审",
    )
    [step] = due_steps(project, current_calendar())
    assert step.paused and step.due is None  # no due date while the clock stands still
    services.pause_end(actor=staff, project=project, ended_on=D(2026, 3, 19))
    both = decision_deadline(project, current_calendar())
    # 10 to 19 March do not count: 6-9 March (4 days), then 26 days from 20 March -> 14 April
    assert both.calendar.due == D(2026, 4, 14)
    assert both.working.due == D(2026, 4, 29)
    assert _types(project)[-2:] == ["paused", "resumed"]
    with pytest.raises(ValidationError, match="须晚于上一次暂停的结束日期"):
        services.pause_start(
            actor=staff, project=project, kind=PauseKind.HEARING, started_on=D(2026, 3, 18)
        )


def test_decision_is_refused_while_paused_or_before_the_pause_ended(world, submit):
    staff = world.user("beishan_staff")
    project = services.project_accept(
        actor=staff, project=submit(procedure="commitment"), accepted_on=D(2026, 3, 5)
    )
    services.project_screen(actor=staff, project=project)
    services.pause_start(
        actor=staff, project=project, kind=PauseKind.SUPPLEMENT, started_on=D(2026, 3, 9)
    )
    with pytest.raises(ValidationError, match="暂停中"):
        services.project_decide(
            actor=staff,
            project=project,
            decision=Decision.APPROVED,
            decided_on=D(2026, 3, 20),
            decision_number="1",
        )
    services.pause_end(actor=staff, project=project, ended_on=D(2026, 3, 25))
    with pytest.raises(ValidationError, match="早于最近一次暂停结束日期"):
        services.project_decide(
            actor=staff,
            project=project,
            decision=Decision.APPROVED,
            decided_on=D(2026, 3, 24),
            decision_number="1",
        )
    project = services.project_decide(
        actor=staff,
        project=project,
        decision=Decision.APPROVED,
        decided_on=D(2026, 3, 26),
        decision_number="北环承〔2026〕2号",
    )
    assert project.state == ProjectState.APPROVED  # commitment: no proposed-decision notice


def test_clock_without_pauses_matches_the_calendar_and_unknown_years_are_marked(db):
    calendar = current_calendar()
    for n in (1, 5, 30, 60):
        for start in (D(2026, 1, 30), D(2026, 9, 25), D(2026, 4, 30)):
            assert (
                clock_deadline(calendar, start, n, DayType.CALENDAR).due
                == calendar.deadline(start, n, DayType.CALENDAR).due
            )
            assert (
                clock_deadline(calendar, start, n, DayType.WORKING).due
                == calendar.deadline(start, n, DayType.WORKING).due
            )
    with pytest.raises(UnknownCalendarYear):  # never a silent guess
        clock_deadline(calendar, D(2026, 12, 20), 30, DayType.WORKING)
    guess = clock_deadline(calendar, D(2026, 12, 20), 30, DayType.WORKING, allow_provisional=True)
    assert guess.provisional and "临时推算" in guess.source
    assert (
        clock_deadline(
            calendar, D(2026, 3, 5), 30, DayType.CALENDAR, [Interval(D(2026, 3, 10), None)]
        )
        is None
    )


def test_notices_must_run_their_minimum_working_days(world, submit):
    staff = world.user("beishan_staff")
    project = services.project_accept(actor=staff, project=submit(), accepted_on=D(2026, 3, 5))
    with pytest.raises(ValidationError, match="须先发布受理公示"):
        services.notice_publish(
            actor=staff,
            project=project,
            kind=NoticeKind.PROPOSED,
            start_on=D(2026, 4, 1),
            end_on=D(2026, 4, 8),
        )
    with pytest.raises(ValidationError, match="公示期为 9 个工作日,少于规定的 10 个工作日"):
        services.notice_publish(
            actor=staff,
            project=project,
            kind=NoticeKind.ACCEPTANCE,
            start_on=D(2026, 3, 6),
            end_on=D(2026, 3, 18),
        )
    services.notice_publish(
        actor=staff,
        project=project,
        kind=NoticeKind.ACCEPTANCE,
        start_on=D(2026, 3, 6),
        end_on=D(2026, 3, 19),
    )
    with pytest.raises(ValidationError, match="少于规定的 5 个工作日"):  # Qingming in between
        services.notice_publish(
            actor=staff,
            project=project,
            kind=NoticeKind.PROPOSED,
            start_on=D(2026, 4, 1),
            end_on=D(2026, 4, 7),
        )
    services.notice_publish(
        actor=staff,
        project=project,
        kind=NoticeKind.PROPOSED,
        start_on=D(2026, 4, 1),
        end_on=D(2026, 4, 8),
    )
    services.project_screen(actor=staff, project=project)
    with pytest.raises(ValidationError, match="须在拟审批公示期满"):
        services.project_decide(
            actor=staff,
            project=project,
            decision=Decision.APPROVED,
            decided_on=D(2026, 4, 8),
            decision_number="1",
        )


def test_a_decision_dated_before_acceptance_is_refused_and_nothing_is_written(world, submit):
    staff = world.user("beishan_staff")
    project = services.project_accept(
        actor=staff, project=submit(procedure="commitment"), accepted_on=D(2026, 3, 5)
    )
    services.project_screen(actor=staff, project=project)
    events_before = project.events.count()
    with pytest.raises(ValidationError) as caught:
        services.project_decide(
            actor=staff,
            project=project,
            decision=Decision.APPROVED,
            decided_on=D(2026, 3, 4),
            decision_number="北环承〔2026〕3号",
        )
    assert (
        "决定日期(2026-03-04)早于受理日期(2026-03-05)。" in caught.value.message_dict["decided_on"]
    )
    project.refresh_from_db()
    assert project.state == ProjectState.ACCEPTED and project.decided_on is None
    assert project.events.count() == events_before
    with pytest.raises(ValidationError, match="受理日期.*早于申请日期"):
        services.project_accept(actor=staff, project=submit(), accepted_on=D(2026, 3, 1))


def test_refusal_needs_reasons_and_return_closes_the_file(world, submit):
    staff = world.user("beishan_staff")
    project = services.project_accept(actor=staff, project=submit(), accepted_on=D(2026, 3, 5))
    with pytest.raises(ValidationError, match="请填写不予批准的理由"):
        services.project_decide(
            actor=staff, project=project, decision=Decision.REFUSED, decided_on=D(2026, 3, 20)
        )
    refused = services.project_decide(
        actor=staff,
        project=project,
        decision=Decision.REFUSED,
        decided_on=D(2026, 3, 20),
        reasons="选址位于饮用水水源保护区",
    )
    assert refused.state == ProjectState.REFUSED and refused.decision == Decision.REFUSED
    returned = services.project_return(
        actor=staff,
        project=submit(),
        returned_on=D(2026, 3, 4),
        reasons="申请材料不齐全,逾期未补正",
    )
    assert (returned.state, returned.decision) == (ProjectState.RETURNED, Decision.RETURNED)
    with pytest.raises(ValidationError, match="不能受理"):
        services.project_accept(actor=staff, project=returned, accepted_on=D(2026, 3, 5))


def test_registration_forms_are_filed_and_exemptions_recorded(world):
    staff = world.user("beishan_staff")
    common = {
        "name": "某某加油站改造",
        "builder": world.entity_in("北山县"),
        "division": world.division("北山县"),
        "level": ApprovalLevel.COUNTY,
    }
    filed = services.project_file_registration(
        actor=staff, data=common, filed_on=D(2026, 5, 6), receipt_number="202699012100000012"
    )
    assert (filed.state, filed.procedure, filed.document_type) == (
        "filed",
        "filing",
        "registration",
    )
    exempt = services.project_exempt(
        actor=staff,
        data={**common, "name": "城市道路绿化"},
        decided_on=D(2026, 5, 7),
        reasons="不在分类管理名录内",
    )
    assert exempt.state == ProjectState.EXEMPTED and exempt.document_type == ""
    assert _types(filed) == ["filed"] and _types(exempt) == ["exempted"]


def test_city_level_files_are_handled_by_the_city_bureau_only(world, submit):
    with pytest.raises(PermissionDenied, match="市级审批"):
        submit(document_type=DocumentType.REPORT)  # 北山 sub-bureau cannot take a report
    project = submit(actor="eia_staff", document_type=DocumentType.REPORT)
    with pytest.raises(PermissionDenied):
        services.project_accept(
            actor=world.user("beishan_staff"), project=project, accepted_on=D(2026, 3, 5)
        )
    with pytest.raises(PermissionDenied):
        services.project_accept(
            actor=world.user("nanhu_staff"), project=submit(), accepted_on=D(2026, 3, 5)
        )
    with pytest.raises(PermissionDenied):
        services.project_accept(
            actor=world.user("viewer"), project=submit(), accepted_on=D(2026, 3, 5)
        )


def test_environmental_investment_larger_than_total_is_refused(world, submit):
    from decimal import Decimal

    from ecogov.eia.models import EiaProject

    before = EiaProject.objects.count()
    with pytest.raises(ValidationError) as caught:
        submit(
            total_investment=Decimal("100"),
            env_investment=Decimal("150"),
            submitted_on=D(2026, 3, 2),
        )
    assert caught.value.message_dict["env_investment"] == [
        "环保投资(150 万元)不能大于总投资(100 万元)。"
    ]
    assert EiaProject.objects.count() == before


def test_a_new_builder_is_registered_with_the_application(world, submit):
    from ecogov.core import creditcode
    from ecogov.core.models import RegulatedEntity

    code = creditcode.make("91990121MA0000777")
    project = submit(
        builder=None, new_builder={"name": "北山新建设单位有限公司", "credit_code": code}
    )
    assert project.builder.credit_code == code and project.builder.division.name == "北山县"
    assert project.builder.events.get().type == "registered"
    with pytest.raises(ValidationError) as caught:  # a bad entity: nothing at all is written
        submit(
            builder=None,
            new_builder={"name": "坏单位", "credit_code": "91990121MA000077X"},
            total_investment=__import__("decimal").Decimal("1"),
        )
    assert "新建设单位无法登记" in caught.value.message_dict["builder"][0]
    assert not RegulatedEntity.objects.filter(name="坏单位").exists()
