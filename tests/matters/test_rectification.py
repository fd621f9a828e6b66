"""Inspection-tour rectification: assigned → in progress → rectified → written off (销号);
listed supervision ends in de-listing (摘牌); assigned petitions end in 办结."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.matters import services
from ecogov.matters.models import Matter, MatterEvent

D = dt.date


def test_problem_is_rectified_then_written_off_with_events(tour, make_matter, leader):
    matter = make_matter(tour, "feedback", "FK-01")
    assert (matter.state, matter.is_open) == ("assigned", True)
    matter = services.matter_transition(
        actor=leader, matter=matter, action="start", on=D(2026, 3, 10)
    )
    matter = services.matter_transition(
        actor=leader, matter=matter, action="rectify", on=D(2026, 5, 20), result="已关停并拆除"
    )
    assert (matter.state, matter.done_on, matter.is_open) == ("rectified", D(2026, 5, 20), True)
    assert matter.done_late is False
    matter = services.matter_transition(
        actor=leader,
        matter=matter,
        action="write_off",
        on=D(2026, 6, 30),
        evidence="验收意见及公示截图",
    )
    assert (matter.state, matter.closed_on, matter.is_open) == (
        "written_off",
        D(2026, 6, 30),
        False,
    )
    events = list(matter.events.values_list("type", "from_state", "to_state"))
    assert events == [
        ("created", "", "assigned"),
        ("start", "assigned", "in_progress"),
        ("rectify", "in_progress", "rectified"),
        ("write_off", "rectified", "written_off"),
    ]
    assert matter.events.get(type="write_off").occurred_at.date() == D(2026, 6, 30)


@pytest.mark.parametrize("action", ["write_off", "delist", "close", "accept"])
def test_forbidden_steps_are_refused_and_nothing_changes(tour, make_matter, leader, action):
    matter = make_matter(tour, "feedback", "FK-02")
    with pytest.raises(ValidationError) as info:
        services.matter_transition(
            actor=leader, matter=matter, action=action, evidence="x", result="x"
        )
    assert "action" in info.value.message_dict
    matter.refresh_from_db()
    assert matter.state == "assigned" and matter.events.count() == 1


def test_write_off_needs_evidence(tour, make_matter, leader):
    matter = make_matter(tour, "feedback", "FK-03")
    services.matter_transition(actor=leader, matter=matter, action="rectify", result="完成")
    with pytest.raises(ValidationError) as info:
        services.matter_transition(actor=leader, matter=matter, action="write_off")
    assert "销号依据" in info.value.message_dict["evidence"][0]
    assert Matter.objects.get(pk=matter.pk).state == "rectified"


def test_rectifying_unit_cannot_write_off_its_own_problem(world, tour, make_matter, leader):
    housing = world.organisation("市住房和城乡建设局")
    matter = make_matter(tour, "feedback", "FK-04", county="示例市", lead=housing)
    reporter = world.user("housing_reporter")
    matter = services.matter_transition(
        actor=reporter, matter=matter, action="rectify", result="已完成道路扬尘整治"
    )
    with pytest.raises(PermissionDenied, match="组织验收"):
        services.matter_transition(
            actor=reporter, matter=matter, action="write_off", evidence="自查报告"
        )
    services.matter_transition(actor=leader, matter=matter, action="write_off", evidence="验收意见")
    assert Matter.objects.get(pk=matter.pk).state == "written_off"


def test_failed_acceptance_sends_back_and_clears_the_rectified_date(tour, make_matter, leader):
    matter = make_matter(tour, "transfer", "YJ-01")
    services.matter_transition(
        actor=leader, matter=matter, action="rectify", result="完成", on=D(2026, 4, 1)
    )
    matter = services.matter_transition(
        actor=leader, matter=matter, action="reject", reason="现场仍有堆存", on=D(2026, 4, 10)
    )
    assert (matter.state, matter.done_on, matter.done_late) == ("in_progress", None, None)
    # re-work deadline: 30 calendar days from the failed acceptance
    assert matter.due_on == D(2026, 5, 11)  # 05-10 is a Sunday: the period ends on Monday


def test_listed_problem_is_delisted(tour, make_matter, leader):
    matter = make_matter(tour, "listed", "GP-01", received=D(2025, 10, 1))
    # one year from listing (2026-10-01) falls in the National Day holiday: ends 10-08
    assert matter.due_on == D(2026, 10, 8) and matter.due_rule == "rectification.listed"
    with pytest.raises(ValidationError):
        services.matter_transition(actor=leader, matter=matter, action="write_off", evidence="x")
    services.matter_transition(actor=leader, matter=matter, action="rectify", result="达标")
    matter = services.matter_transition(
        actor=leader, matter=matter, action="delist", evidence="摘牌验收意见"
    )
    assert matter.state == "delisted" and not matter.is_open


def test_assigned_petition_closes_in_one_act(tour, make_matter, leader):
    matter = make_matter(tour, "petition", "XF-001")
    assert matter.due_on == D(2026, 4, 1)  # 30 calendar days [U, configurable]
    matter = services.matter_transition(
        actor=leader, matter=matter, action="close", on=D(2026, 3, 20), result="已查处并反馈"
    )
    assert (matter.state, matter.done_on, matter.closed_on) == (
        "closed",
        D(2026, 3, 20),
        D(2026, 3, 20),
    )


def test_problem_deadline_is_six_months_and_rolls_past_holidays(tour, make_matter):
    assert make_matter(tour, "feedback", "FK-05").due_on == D(2026, 9, 2)
    # 2026-10-04 is in the National Day holiday: the period ends on the next working day
    assert make_matter(tour, "feedback", "FK-06", received=D(2026, 4, 4)).due_on == D(2026, 10, 8)
    # month end: 08-31 + 6 months = 02-28, a make-up working Saturday in 2026
    assert make_matter(tour, "feedback", "FK-07", received=D(2025, 8, 31)).due_on == D(2026, 2, 28)


def test_a_plan_deadline_wins_and_late_work_is_marked(tour, make_matter, leader):
    matter = make_matter(tour, "feedback", "FK-08", due_on=D(2026, 4, 30))
    assert (matter.due_on, matter.due_rule) == (D(2026, 4, 30), "given")
    matter = services.matter_transition(
        actor=leader, matter=matter, action="rectify", result="完成", on=D(2026, 5, 8)
    )
    assert matter.done_late is True
    assert matter.events.get(type="rectify").payload["late"] is True


def test_act_date_cannot_be_in_the_future_or_before_assignment(tour, make_matter, leader):
    matter = make_matter(tour, "feedback", "FK-09")
    with pytest.raises(ValidationError, match="晚于今天"):
        services.matter_transition(actor=leader, matter=matter, action="start", on=D(2099, 1, 1))
    with pytest.raises(ValidationError, match="早于交办日期"):
        services.matter_transition(actor=leader, matter=matter, action="start", on=D(2026, 1, 1))


def test_matter_needs_a_known_category_and_a_unique_reference(tour, make_matter):
    make_matter(tour, "feedback", "FK-10")
    with pytest.raises(ValidationError) as info:
        make_matter(tour, "feedback", "FK-10")
    assert "已登记" in info.value.message_dict["reference"][0]
    with pytest.raises(ValidationError) as info:
        make_matter(tour, "nonsense", "FK-11")
    assert "不是可选的类别" in info.value.message_dict["category"][0]
    assert not Matter.objects.filter(reference="FK-11").exists()


def test_events_are_append_only(tour, make_matter):
    event = make_matter(tour, "feedback", "FK-12").events.first()
    event.reason = "篡改"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        MatterEvent.objects.first().delete()


def test_a_units_overdue_list_follows_the_steps(world, tour, make_matter, leader):
    from ecogov.matters import queries

    housing = world.organisation("市住房和城乡建设局")
    matter = make_matter(
        tour, "feedback", "FK-13", county="示例市", lead=housing, due_on=D(2026, 4, 30)
    )
    reporter = world.user("housing_reporter")

    def listed():
        return (
            queries.unit_overdue(reporter, housing, today=D(2026, 5, 10))
            .filter(pk=matter.pk)
            .exists()
        )

    assert listed()
    services.matter_transition(
        actor=leader, matter=matter, action="rectify", result="完成", on=D(2026, 5, 6)
    )
    assert not listed()  # done: awaiting write-off is not the unit's overdue work
    services.matter_transition(
        actor=leader, matter=matter, action="reject", reason="不合格", on=D(2026, 5, 8)
    )
    assert not listed()  # re-work has a new date (06-08)
    assert (
        queries.unit_overdue(reporter, housing, today=D(2026, 6, 9)).filter(pk=matter.pk).exists()
    )
    services.matter_set_deadline(
        actor=leader, matter=matter, due_on=D(2026, 7, 31), reason="省整改办同意延期"
    )
    assert (
        not queries.unit_overdue(reporter, housing, today=D(2026, 6, 9))
        .filter(pk=matter.pk)
        .exists()
    )
