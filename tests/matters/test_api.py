"""/api/matters/: register, take steps, set shares, import/export — errors in Chinese; the
matters' figures through the one endpoint /api/figures/."""

import io

import openpyxl

from ecogov.matters.models import Matter


def _create(client, **extra):
    payload = {
        "source": "t2026",
        "category": "feedback",
        "reference": "API-01",
        "title": "河道垃圾堆积",
        "division": "990121",
        "received_on": "2026-03-02",
        "lead": "北山县人民政府",
        **extra,
    }
    return client.post("/api/matters/matters/", payload, content_type="application/json")


def test_register_and_advance_through_the_api(login, world, tour):
    client = login("beishan_staff")
    response = _create(client)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "assigned" and body["due_on"] == "2026-09-02"
    assert body["units"] == [
        {"organisation": "北山县人民政府", "role": "lead", "share": "1.0000", "due_on": None}
    ]
    url = f"/api/matters/matters/{body['id']}/transition/"
    wrong = client.post(
        url, {"action": "write_off", "evidence": "x"}, content_type="application/json"
    )
    assert wrong.status_code == 400 and "不能“验收销号”" in wrong.json()["action"][0]
    done = client.post(
        url,
        {"action": "rectify", "result": "已清理", "on": "2026-04-01", "late_entry_reason": "补录"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["state"] == "rectified"
    events = client.get(f"/api/matters/matters/{body['id']}/events/").json()
    assert [e["type"] for e in events] == ["created", "rectify"]


def test_bad_input_names_the_field_in_chinese(login, world, tour):
    client = login("beishan_staff")
    response = _create(client, division="123456", lead="没有这个单位")
    assert response.status_code == 400
    assert "行政区划代码“123456”不存在" in response.json()["division"][0]
    assert "机构“没有这个单位”不存在" in response.json()["lead"][0]
    response = _create(client, category="随便")
    assert "不是可选的类别" in response.json()["category"][0]
    assert not Matter.objects.filter(reference="API-01").exists()


def test_joint_shares_through_the_api(login, world, tour):
    client = login("leader")
    matter = _create(client, reference="API-02").json()
    response = client.post(
        f"/api/matters/matters/{matter['id']}/units/",
        {
            "lead": "北山县人民政府",
            "co_units": ["南湖县人民政府"],
            "shares": {"北山县人民政府": "0.5", "南湖县人民政府": "0.5"},
            "reason": "两县共同办结",
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert sorted(u["share"] for u in response.json()["units"]) == ["0.5000", "0.5000"]
    bad = client.post(
        f"/api/matters/matters/{matter['id']}/units/",
        {
            "lead": "北山县人民政府",
            "co_units": ["南湖县人民政府"],
            "shares": {"北山县人民政府": "0.7", "南湖县人民政府": "0.5"},
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "合计应为1" in bad.json()["shares"][0]


def test_department_reporter_handles_through_the_api(login, world):
    reporter = login("housing_reporter")
    listing = reporter.get("/api/matters/matters/", {"kind": "task", "page_size": 500}).json()
    assert (
        listing["count"]
        == Matter.objects.filter(kind="task", units__organisation__name="市住房和城乡建设局")
        .distinct()
        .count()
    )
    assert (
        reporter.post("/api/matters/matters/", {}, content_type="application/json").status_code
        == 403
    )  # reporters do not register matters


def test_export_and_import_through_the_api(login, world):
    client = login("leader")
    export = client.get("/api/matters/matters/export/", {"kind": "proposal"})
    assert export.status_code == 200
    assert export["Content-Disposition"] == 'attachment; filename="proposal.xlsx"'
    rows = list(
        openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
    )
    assert len(rows) == 20  # header + 19 proposals
    upload = io.BytesIO(export.content)
    upload.name = "proposals.xlsx"
    response = client.post("/api/matters/matters/import/", {"file": upload, "kind": "proposal"})
    assert response.json() == {"created": 0, "updated": 0, "unchanged": 19}
    assert client.get("/api/matters/matters/export/").status_code == 400  # kind is required


def test_figures_endpoint(login, world):
    """The matters' figures come through /api/figures/ (its own endpoint is gone)."""
    body = login("leader").get("/api/figures/?year=2020").json()
    figures = {f["key"]: f for f in body["figures"] if f["area"] == "matters"}
    closed = figures["rectify.province2020.closed"]
    assert closed == {**closed, "value": "147.5", "kind": "credit", "record_count": 148}
    assert closed["url"]
    assert figures["petitions.closure_rate"] == {
        **figures["petitions.closure_rate"],
        "unit": "%",
        "kind": "ratio",
        "value": "92.8",
    }
    assert figures["campaign.summer.units.counties"]["record_count"] == 13
    assert login("leader").get("/api/matters/figures/").status_code == 404


def test_calls_through_the_api(login, world):
    import datetime as dt

    from django.utils import timezone

    client = login("leader")
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = client.post(
        "/api/matters/calls/",
        {"title": "任务调度", "source": "province2020", "due_on": due},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    status = client.get(f"/api/matters/calls/{response.json()['id']}/status/").json()
    assert status and all(s["filed"] == 0 for s in status)


def test_the_api_is_documented(login, world):
    schema = login("leader").get("/api/schema/")
    assert schema.status_code == 200
    for path in (
        b"/api/matters/matters/{id}/transition/",
        b"/api/matters/calls/{id}/status/",
        b"/api/matters/matters/import/",
    ):
        assert path in schema.content


def test_a_matter_and_its_batch_are_corrected_through_the_api(login, world, tour):
    client = login("beishan_staff")
    matter = _create(client).json()
    url = f"/api/matters/matters/{matter['id']}/"
    fixed = client.patch(url, {"title": "河道垃圾堆积(已核实)"}, content_type="application/json")
    assert fixed.status_code == 200 and fixed.json()["title"] == "河道垃圾堆积(已核实)"
    events = [e["type"] for e in client.get(f"{url}events/").json()]
    assert events[-1] == "updated"
    # a new deadline needs its reason, named in Chinese; nothing is written without it
    no_reason = client.patch(url, {"due_on": "2026-10-30"}, content_type="application/json")
    assert no_reason.status_code == 400 and "理由" in no_reason.json()["reason"][0]
    assert Matter.objects.get(pk=matter["id"]).due_on.isoformat() == "2026-09-02"
    moved = client.patch(
        url, {"due_on": "2026-10-30", "reason": "督察组函件"}, content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["due_on"] == "2026-10-30"
    # another county's user sees no such matter
    other = login("nanhu_staff").patch(url, {"title": "x"}, content_type="application/json")
    assert other.status_code == 404
    # the batch itself (a bureau writer's)
    source = client.get("/api/matters/sources/?kind=rectification").json()["results"][0]
    leader = login("leader")
    renamed = leader.patch(
        f"/api/matters/sources/{source['id']}/",
        {"name": "第二轮督察交办问题"},
        content_type="application/json",
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "第二轮督察交办问题"
