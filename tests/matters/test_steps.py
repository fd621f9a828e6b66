"""Matters' doors take a step as every area does (core.steps): a table per flow and state, built
from the state table (workflow.Flow), whose every step runs matter_transition; the refusals stay
the service's own, in its words and its order."""

import datetime as dt

import pytest
from django.urls import reverse

from ecogov.core.steps import Steps
from ecogov.matters import workflow
from ecogov.matters.steps import flow_steps, matter_steps

FLOWS = {
    "petition_like": workflow.PETITION_LIKE,
    "problem": workflow.PROBLEM,
    "listed": workflow.LISTED,
    "petition": workflow.PETITION,
    "proposal": workflow.PROPOSAL,
    "task": workflow.TASK,
}


@pytest.mark.parametrize("name", FLOWS)
def test_each_flow_and_state_has_its_table_of_steps(name):
    flow = FLOWS[name]
    table = flow_steps(flow)
    assert isinstance(table, Steps)
    assert table.labels() == {t.action: t.label for t in flow.transitions}
    for state in flow.states:
        now = flow_steps(flow, state)
        assert now.choices() == [(t.action, t.label) for t in flow.available(state)]
        assert flow_steps(flow, state) is now  # built once: the flows are constants
    assert not any(flow_steps(flow, state) for state in flow.terminal)


def test_the_table_runs_the_service_with_its_action(world, tour, make_matter):
    matter = make_matter(tour, "feedback", "ST-001")
    steps = matter_steps(matter)
    assert list(steps) == ["start", "rectify"]
    on = dt.date(2026, 4, 1)
    done = steps.run("rectify", world.user("beishan_staff"), matter, {"result": "已清理", "on": on})
    assert done.state == "rectified" and done.done_on == on and done.result == "已清理"
    assert list(done.events.values_list("type", flat=True)) == ["created", "rectify"]
    assert list(matter_steps(done)) == ["reject", "write_off"]


def test_the_api_refuses_a_step_in_the_services_words(login, world, tour, make_matter):
    matter = make_matter(tour, "feedback", "ST-002", co=[world.organisation("市住房和城乡建设局")])
    url = f"/api/matters/matters/{matter.pk}/transition/"
    client = login("beishan_staff")
    for action in ("nope", "delist"):  # unknown, and another flow's (listed supervision)
        refused = client.post(url, {"action": action}, content_type="application/json")
        assert refused.status_code == 400
        assert refused.json()["action"] == [f"“{action}”不是督察整改的办理步骤。"]
    untimely = client.post(url, {"action": "write_off"}, content_type="application/json")
    assert untimely.json()["action"] == ["当前状态为“已交办”,不能“验收销号”。"]
    # a co-handler may not act: told so first, whatever step it names
    co = login("housing_reporter")
    for action in ("nope", "start"):
        response = co.post(url, {"action": action}, content_type="application/json")
        assert response.status_code == 403 and "会办" in response.json()["detail"]
    assert matter.events.count() == 1


def test_the_page_offers_the_states_steps_and_takes_one(login, world, tour, make_matter):
    matter = make_matter(tour, "listed", "ST-003")
    url = reverse("admin:matters_rectification_handle", args=[matter.pk])
    client = login("beishan_staff")
    page = client.get(url)
    assert [c[0] for c in page.context["step_form"].fields["action"].choices] == [
        "start",
        "rectify",
    ]
    other = client.post(url, {"step": "1", "step-action": "delist", "step-evidence": "x"})
    assert other.status_code == 200 and "action" in other.context["step_form"].errors
    taken = client.post(url, {"step": "1", "step-action": "start"})
    assert taken.status_code == 302
    matter.refresh_from_db()
    assert matter.state == "in_progress"
