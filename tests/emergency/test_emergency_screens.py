"""Back-office screens of 应急管理 for every ledger role; saves go through the services."""

import pytest
from django.urls import reverse

from ecogov.emergency.models import ContingencyPlan, Drill, Incident
from tests.outreach.screens import form_values, post_form, save_unchanged

MODELS = [Drill, Incident, ContingencyPlan]
ROLES = [
    "leader",
    "legal",
    "inspector",
    "beishan_staff",
    "zone_staff",
    "viewer",
    "housing_reporter",
]


def _url(model, view, *args):
    return reverse(f"admin:emergency_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("username", ROLES)
def test_every_screen_opens_for_every_role(login, world, username):
    client = login(username)
    for model in MODELS:
        listing = client.get(_url(model, "changelist"))
        add = client.get(_url(model, "add"))
        record = model.objects.order_by("pk").first()
        change = client.get(_url(model, "change", record.pk))
        assert listing.status_code in (200, 403) and add.status_code in (200, 403), model
        assert change.status_code in (200, 302, 403, 404), model
        if username == "viewer":
            assert listing.status_code == 200 and add.status_code == 403
            assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
        if username == "housing_reporter":
            assert listing.status_code == 403


def test_a_city_user_saves_unchanged_and_changed(login, world):
    client = login("inspector")
    for model in MODELS:
        record = (
            model.objects.filter(state="filed").first()
            if model is ContingencyPlan
            else model.objects.order_by("pk").first()
        )
        response = save_unchanged(
            client, _url(model, "change", record.pk), f"{model._meta.model_name}_form"
        )
        assert response.status_code == 302, (model, response.content.decode()[:3000])
    drill = Drill.objects.get()
    url = _url(Drill, "change", drill.pk)
    values = form_values(client.get(url).content.decode(), "drill_form")
    assert post_form(client, url, values, participants="215").status_code == 302
    drill.refresh_from_db()
    assert drill.participants == 215
    wrong = post_form(client, url, values, participants="0").content.decode()
    assert "参演人数" in wrong and "确保该值大于或等于1" in wrong


def test_the_zone_sub_bureau_sees_its_drill_and_not_other_counties_plans(login, world):
    zone = login("zone_staff")
    assert zone.get(_url(Drill, "change", Drill.objects.get().pk)).status_code == 200
    other = ContingencyPlan.objects.exclude(division__name="示例经济开发区").first()
    assert zone.get(_url(ContingencyPlan, "change", other.pk)).status_code in (302, 404)


def test_an_incident_form_shows_the_report_deadline_rule(login, world):
    client = login("inspector")
    url = _url(Incident, "add")
    values = form_values(client.get(url).content.decode(), "incident_form")
    html = post_form(
        client,
        url,
        values,
        title="测试事件",
        place="某地",
        occurred_at_0="2025-03-01",
        occurred_at_1="08:00:00",
        learned_at_0="2025-03-01",
        learned_at_1="07:00:00",
        grade="general",
        closed_on="2025-03-02",
    ).content.decode()
    assert "发现或得知时间不能早于发生时间" in html and "处理结果报告" in html
    assert not Incident.objects.filter(title="测试事件").exists()


def test_a_superseded_plan_is_kept_read_only(login, world):
    client = login("inspector")
    old = ContingencyPlan.objects.filter(state="superseded").first()
    assert client.get(_url(ContingencyPlan, "change", old.pk)).status_code == 200
    assert (
        save_unchanged(
            client, _url(ContingencyPlan, "change", old.pk), "contingencyplan_form"
        ).status_code
        == 403
    )


def test_the_dashboard_reminds_of_the_plan_due_for_review(login, world):
    # the overdue list is paged across areas: the area's filter shows its own items
    html = login("leader").get("/admin/?area=emergency").content.decode()
    assert "环境应急预案回顾性评估到期" in html
    from ecogov.emergency import queries

    client = login("leader")
    for counter in queries.counters(world.user("leader"), 2020):
        assert client.get(counter.url).status_code == 200, counter.url


def test_withdrawal_is_offered_only_to_who_may_withdraw(login, world):
    plan = ContingencyPlan.objects.filter(state="filed").order_by("pk").first()
    url = _url(ContingencyPlan, "change", plan.pk)
    withdraw = f"/admin/emergency/contingencyplan/{plan.pk}/withdraw/"
    assert withdraw in login("inspector").get(url).content.decode()
    viewer = login("viewer")
    assert withdraw not in viewer.get(url).content.decode()
    assert viewer.get(withdraw).status_code == 403
    old = ContingencyPlan.objects.exclude(state="filed").order_by("pk").first()
    old_withdraw = f"/admin/emergency/contingencyplan/{old.pk}/withdraw/"
    assert (
        old_withdraw
        not in login("inspector").get(_url(ContingencyPlan, "change", old.pk)).content.decode()
    )
