"""The emergency API: scoped lists, writes through the services, reminders, figures."""

from ecogov.emergency.models import ContingencyPlan


def test_drills_incidents_and_plans_through_the_api(login, world):
    client = login("beishan_staff")
    entity = world.entity_in("北山县")
    drill = client.post(
        "/api/emergency/drills/",
        {
            "held_on": "2024-06-12",
            "title": "危废仓库泄漏演练",
            "organiser": "北山县人民政府",
            "host_entity": entity.credit_code,
            "scenario": "危废仓库泄漏",
            "participating_units": "分局、企业",
            "participants": 60,
        },
        content_type="application/json",
    )
    assert drill.status_code == 201, drill.json()
    assert drill.json()["division"] == "990121"
    incident = client.post(
        "/api/emergency/incidents/",
        {
            "title": "某河段油污",
            "place": "北山县某河段",
            "occurred_at": "2024-07-01T08:00:00+08:00",
            "learned_at": "2024-07-01T09:00:00+08:00",
            "grade": "general",
        },
        content_type="application/json",
    ).json()
    assert incident["report_due_at"].startswith("2024-07-01T13:00:00")
    assert incident["grade_label"] == "一般(Ⅳ级)" and incident["state"] == "responding"
    plan = client.post(
        "/api/emergency/plans/",
        {
            "entity": entity.credit_code,
            "title": "综合预案",
            "filing_number": "API-1",
            "risk_level": "larger",
            "issued_on": "2024-01-02",
            "filed_on": "2024-01-10",
        },
        content_type="application/json",
    )
    assert plan.status_code == 201 and plan.json()["expires_on"] == "2027-01-02"
    reviewed = client.post(
        f"/api/emergency/plans/{plan.json()['id']}/review/",
        {"reviewed_on": "2025-01-05"},
        content_type="application/json",
    )
    assert reviewed.json()["expires_on"] == "2028-01-05"
    refused = client.post(
        f"/api/emergency/plans/{plan.json()['id']}/withdraw/",
        {"ended_on": "2023-01-01", "reason": "企业关闭"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "撤销日期" in str(refused.json())
    reminders = client.get("/api/emergency/reminders/").json()
    assert any("某河段油污" in r["label"] for r in reminders)
    assert (
        login("nanhu_staff").get("/api/emergency/plans/").json()["count"]
        == ContingencyPlan.objects.filter(division__name="南湖县").count()
    )
    assert login("viewer").post("/api/emergency/drills/", {}).status_code == 403


def test_figures_by_period_through_the_one_endpoint(login, world):
    """The area's figures come through /api/figures/ (its own endpoint is gone)."""
    client = login("leader")
    assert client.get("/api/emergency/figures/", {"year": 2020}).status_code == 404
    body = client.get("/api/figures/", {"year": 2020}).json()
    assert {f["area"] for f in body["figures"] if f["key"].startswith("emergency.")} == {
        "emergency"
    }
    values = {f["key"]: f["value"] for f in body["figures"]}
    assert values["emergency.drills"] == 1 and values["emergency.incidents"] == 0
    assert values["emergency.drills.participants"] > 200
    cut = client.get("/api/figures/", {"year": 2020, "until": "2020-05-19"}).json()
    assert {f["key"]: f["value"] for f in cut["figures"]}["emergency.drills"] == 0
    assert client.get("/api/figures/", {"year": 2020, "until": "2021-01-01"}).status_code == 400
