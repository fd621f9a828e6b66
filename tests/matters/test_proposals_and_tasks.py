"""NPC suggestions / CPPCC proposals and campaign tasks on the same engine."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ecogov.matters import services
from ecogov.matters.models import Matter

D = dt.date


@pytest.fixture
def proposal(world, session, make_matter):
    return make_matter(
        session,
        "npc",
        "RD-001",
        county="示例市",
        lead=world.organisation("市住房和城乡建设局"),
        co=[world.organisation("大气环境科")],
        deputy="代表李某",
    )


def test_proposal_deadlines_lead_and_co_handler(proposal):
    assert proposal.due_on == D(2026, 6, 2)  # 3 months from assignment
    co = proposal.units.get(role="co")
    assert co.organisation.name == "大气环境科"
    assert co.due_on == D(2026, 4, 2)  # the co-handler's opinion to the lead: 1 month
    assert proposal.units.get(role="lead").due_on is None


def test_reply_then_satisfied_feedback_closes(proposal, leader):
    with pytest.raises(ValidationError) as info:
        services.matter_transition(actor=leader, matter=proposal, action="reply", result="答复")
    assert "答复类别" in info.value.message_dict["reply_category"][0]
    proposal = services.matter_transition(
        actor=leader,
        matter=proposal,
        action="reply",
        result="已纳入年度计划",
        reply_category="B",
        on=D(2026, 5, 20),
    )
    assert proposal.state == "replied" and proposal.done_late is False
    proposal = services.matter_transition(
        actor=leader, matter=proposal, action="feedback", feedback="basic", on=D(2026, 6, 10)
    )
    assert (proposal.state, proposal.feedback, proposal.is_open) == ("closed", "basic", False)


def test_dissatisfied_deputy_sends_it_back_for_a_month(proposal, leader):
    services.matter_transition(
        actor=leader,
        matter=proposal,
        action="reply",
        result="答复",
        reply_category="C",
        on=D(2026, 5, 20),
    )
    with pytest.raises(ValidationError, match="重新办理"):
        services.matter_transition(
            actor=leader, matter=proposal, action="feedback", feedback="dissatisfied"
        )
    proposal = services.matter_transition(
        actor=leader, matter=proposal, action="rehandle", feedback="dissatisfied", on=D(2026, 7, 31)
    )
    assert (proposal.state, proposal.due_on, proposal.done_on) == (
        "rehandling",
        D(2026, 8, 31),
        None,
    )
    proposal = services.matter_transition(
        actor=leader,
        matter=proposal,
        action="reply",
        result="再次答复",
        reply_category="A",
        on=D(2026, 8, 20),
    )
    assert proposal.state == "replied"


def test_complex_proposal_extended_to_six_months_once(proposal, leader):
    proposal = services.matter_transition(
        actor=leader, matter=proposal, action="extend", reason="涉及规划调整"
    )
    assert proposal.due_on == D(2026, 9, 2) and proposal.extended
    with pytest.raises(ValidationError):
        services.matter_transition(actor=leader, matter=proposal, action="extend", reason="再")


def test_misassigned_proposal_may_be_returned_only_promptly(world, session, make_matter, leader):
    early = make_matter(
        session, "cppcc", "ZX-001", county="示例市", lead=world.organisation("大气环境科")
    )
    services.matter_transition(
        actor=leader, matter=early, action="return", reason="属住建部门职责", on=D(2026, 3, 10)
    )
    assert Matter.objects.get(pk=early.pk).state == "returned"
    late = make_matter(
        session, "cppcc", "ZX-002", county="示例市", lead=world.organisation("大气环境科")
    )
    with pytest.raises(ValidationError, match="退回期限"):
        services.matter_transition(
            actor=leader, matter=late, action="return", reason="非本单位职责", on=D(2026, 3, 20)
        )


def test_campaign_task_completion_on_time_and_late(world, campaign, make_matter, leader):
    task = make_matter(campaign, "蓝天保卫战", "T-001", due_on=D(2026, 6, 30))
    late = make_matter(campaign, "碧水保卫战", "T-002", due_on=D(2026, 6, 30))
    task = services.matter_transition(
        actor=leader, matter=task, action="complete", result="已完成", on=D(2026, 6, 29)
    )
    late = services.matter_transition(
        actor=leader, matter=late, action="complete", result="已完成", on=D(2026, 7, 3)
    )
    assert (task.state, task.done_late, task.closed_on) == ("completed", False, D(2026, 6, 29))
    assert late.done_late is True
    with pytest.raises(ValidationError) as info:
        make_matter(campaign, "净土保卫战", "T-003")
    assert "蓝天保卫战、碧水保卫战" in info.value.message_dict["category"][0]


def test_a_measure_must_belong_to_the_campaign(world, campaign, make_source, make_matter, leader):
    other = make_source("task", "c-other", task_categories=["蓝天保卫战"])
    aspect = services.plan_add_aspect(actor=leader, source=other, number=1, name="别的方面")
    measure = services.plan_add_measure(actor=leader, aspect=aspect, number=1, text="别的措施")
    with pytest.raises(ValidationError) as info:
        make_matter(campaign, "蓝天保卫战", "T-004", measure=measure)
    assert "不属于" in info.value.message_dict["measure"][0]
    with pytest.raises(ValidationError):
        services.plan_add_aspect(actor=leader, source=other, number=1, name="重复序号")
