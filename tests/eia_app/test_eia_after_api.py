"""EIA after approval through /api/eia/: suspensions refuse approvals, deferral, provincial
approvals, the 5-year re-review, acceptances and spot checks; errors in the one shape."""

import datetime as dt

from ecogov.core.calendar import current_calendar
from ecogov.core.dates import add_years
from ecogov.eia.demo import site_for
from ecogov.eia.models import EiaProject

JSON = "application/json"


def _post(client, url, data):
    return client.post(url, data, content_type=JSON)


def _ready_project(client, world):
    body = {
        "name": "接口限批测试项目",
        "builder": world.entity_in("北山县").credit_code,
        "division": "990121",
        "industry_code": "C1351",
        "document_type": "form",
        "procedure": "commitment",
        "location": site_for("北山县"),
        "total_investment": "600.00",
        "env_investment": "30.00",
        "submitted_on": "2026-03-02",
        "facts": {
            "total_emission_ok": True,
            "industry_policy_ok": True,
            "planning_eia_ok": True,
            "offset_secured": True,
        },
    }
    pk = _post(client, "/api/eia/projects/", body).json()["id"]
    _post(client, f"/api/eia/projects/{pk}/accept/", {"day": "2026-03-05"})
    assert client.post(f"/api/eia/projects/{pk}/screen/").status_code == 201
    return pk


def test_suspension_refuses_approvals_through_the_api_and_deferral_is_apart(login, world):
    pk = _ready_project(login("beishan_staff"), world)
    record = {
        "division": "990121",
        "authority": "省生态环境厅",
        "document_number": "省环函〔2026〕11号",
        "reason": "未完成主要污染物总量减排任务",
        "starts_on": "2026-02-01",
        "ends_on": "2026-07-31",
    }
    assert _post(login("beishan_staff"), "/api/eia/suspensions/", record).status_code == 403
    created = _post(login("eia_staff"), "/api/eia/suspensions/", record)
    assert created.status_code == 201, created.content
    suspension = created.json()["id"]
    assert (
        login("beishan_staff").get(f"/api/eia/suspensions/{suspension}/").json()["last_day"]
        == "2026-07-31"
    )
    refused = _post(
        login("beishan_staff"),
        f"/api/eia/projects/{pk}/decide/",
        {"day": "2026-03-20", "decision": "approved", "number": "北环承〔2026〕30号"},
    )
    assert refused.status_code == 400
    body = refused.json()
    assert "未完成主要污染物总量减排任务" in str(body) and "区域限批" in body["detail"]
    deferred = _post(
        login("beishan_staff"),
        f"/api/eia/projects/{pk}/decide/",
        {"day": "2026-03-20", "decision": "deferred", "reasons": "区域限批期间暂缓"},
    )
    assert deferred.status_code == 200, deferred.content
    assert deferred.json()["state"] == "deferred" and deferred.json()["decision"] == ""
    assert deferred.json()["deferred_on"] == "2026-03-20"
    bad = _post(
        login("eia_staff"), f"/api/eia/suspensions/{suspension}/extend/", {"day": "2027-03-01"}
    )
    assert bad.status_code == 400 and "extension_number" in str(bad.json())
    lifted = _post(
        login("eia_staff"),
        f"/api/eia/suspensions/{suspension}/lift/",
        {"day": "2026-04-01", "number": "省环函〔2026〕20号"},
    )
    assert lifted.status_code == 200 and lifted.json()["last_day"] == "2026-03-31"
    approved = _post(
        login("beishan_staff"),
        f"/api/eia/projects/{pk}/decide/",
        {"day": "2026-04-02", "decision": "approved", "number": "北环承〔2026〕30号"},
    )
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    figures = {
        f["key"]: f for f in login("eia_staff").get("/api/figures/?year=2026").json()["figures"]
    }
    assert figures["eia.deferred"]["value"] >= 1  # the project counted as deferred …
    refused_count = figures["eia.refused"]["value"]
    assert (
        refused_count
        == EiaProject.objects.filter(decision="refused", decided_on__year=2026).count()
    )  # … and not as refused


def test_provincial_approval_through_the_api(login, world):
    body = {
        "name": "省级审批的输变电工程",
        "builder": world.entity_in("南湖县").credit_code,
        "division": "990122",
        "document_type": "report",
        "decided_on": "2026-05-06",
        "decision_number": "省环审〔2026〕7号",
    }
    before = {
        f["key"]: f["value"]
        for f in login("leader").get("/api/figures/?year=2026").json()["figures"]
    }
    assert _post(login("nanhu_staff"), "/api/eia/projects/provincial/", body).status_code == 403
    missing = _post(
        login("leader"), "/api/eia/projects/provincial/", {**body, "decision_number": ""}
    )
    assert missing.status_code == 400 and "decision_number" in str(missing.json())
    created = _post(login("leader"), "/api/eia/projects/provincial/", body)
    assert created.status_code == 201, created.content
    assert created.json()["level"] == "province" and created.json()["state"] == "approved"
    after = {
        f["key"]: f["value"]
        for f in login("leader").get("/api/figures/?year=2026").json()["figures"]
    }
    assert after["eia.approved.province_level"] == before["eia.approved.province_level"] + 1
    assert after["eia.approved.total"] == before["eia.approved.total"]
    own = _post(
        login("leader"),
        "/api/eia/projects/",
        {
            **body,
            "level": "province",
            "procedure": "review",
            "submitted_on": "2026-05-01",
            "location": site_for("南湖县"),
        },
    )
    assert own.status_code == 400 and "level" in str(own.json())


def test_the_five_year_rereview_through_the_api(login, world):
    project = (
        EiaProject.objects.filter(
            division__code="990121",
            level="county",
            state="approved",
            decided_on__year=2020,
            rereviews__isnull=True,
        )
        .order_by("-pk")
        .first()
    )
    mark = add_years(project.decided_on, 5)
    request = {
        "project": project.reference,
        "received_on": "2026-06-01",
        "construction_starts_on": str(mark),
    }
    within = _post(login("beishan_staff"), "/api/eia/rereviews/", request)
    assert within.status_code == 400 and "construction_starts_on" in str(within.json())
    later = str(mark + dt.timedelta(days=1))
    created = _post(
        login("beishan_staff"), "/api/eia/rereviews/", {**request, "construction_starts_on": later}
    )
    assert created.status_code == 201, created.content
    due = created.json()["due"]
    calendar = current_calendar()
    assert due["calendar"] == str(calendar.add_calendar_days(dt.date(2026, 6, 1), 10))
    assert due["working"] == str(calendar.add_workdays(dt.date(2026, 6, 1), 10))
    pk = created.json()["id"]
    early = _post(
        login("beishan_staff"),
        f"/api/eia/rereviews/{pk}/answer/",
        {"outcome": "deemed", "day": "2026-06-02"},
    )
    assert early.status_code == 400 and "answered_on" in str(early.json())
    answered = _post(
        login("beishan_staff"),
        f"/api/eia/rereviews/{pk}/answer/",
        {"outcome": "agreed", "day": due["alert_on"], "number": "北环函〔2026〕4号"},
    )
    assert answered.status_code == 200 and answered.json()["outcome"] == "agreed"
    assert login("nanhu_staff").get(f"/api/eia/rereviews/{pk}/").status_code == 404


def test_acceptance_and_spot_check_through_the_api(login, world):
    project = (
        EiaProject.objects.filter(
            division__code="990121", state="approved", level="county", acceptances__isnull=True
        )
        .order_by("pk")
        .first()
    )
    start = dt.date(2026, 6, 1)
    until = current_calendar().add_workdays(start - dt.timedelta(days=1), 20)
    body = {
        "project": project.reference,
        "completed_on": "2026-03-01",
        "concluded_on": "2026-05-20",
        "passed": True,
        "published_from": str(start),
        "published_until": str(until),
        "where": "建设单位网站",
    }
    short = _post(
        login("beishan_staff"),
        "/api/eia/acceptances/",
        {**body, "published_until": str(until - dt.timedelta(days=1))},
    )
    # one day less is at least one working day less (or the same if it was a rest day)
    if short.status_code == 400:
        assert "published_until" in str(short.json())
    created = _post(login("beishan_staff"), "/api/eia/acceptances/", body)
    if short.status_code == 201:
        assert created.status_code == 201  # a phase may be accepted again
    assert created.status_code == 201, created.content
    acceptance = created.json()["id"]
    problems = _post(
        login("beishan_staff"),
        "/api/eia/spot-checks/",
        {"acceptance": acceptance, "checked_on": "2026-07-15", "result": "problems"},
    )
    assert problems.status_code == 400 and "findings" in str(problems.json())
    check = _post(
        login("beishan_staff"),
        "/api/eia/spot-checks/",
        {
            "acceptance": acceptance,
            "checked_on": "2026-07-15",
            "result": "problems",
            "findings": "验收监测数据不完整",
        },
    )
    assert check.status_code == 201, check.content
    figures = {
        f["key"]: f for f in login("beishan_staff").get("/api/figures/?year=2026").json()["figures"]
    }
    assert figures["eia.spot_checks.problems"]["value"] >= 1
    assert figures["eia.acceptances"]["value"] >= 1
    listed = login("beishan_staff").get("/api/eia/spot-checks/?result=problems").json()
    assert check.json()["id"] in [row["id"] for row in listed["results"]]
