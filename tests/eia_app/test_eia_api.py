"""/api/eia/: scopes (a county sees only its own projects), workflow steps, Excel; figures."""

import io

import openpyxl
import pytest

from ecogov.eia.demo import site_for
from ecogov.eia.models import EiaProject


def _payload(world, **overrides):
    data = {
        "name": "接口登记项目",
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
    data.update(overrides)
    return data


def test_a_county_sees_only_its_own_projects(login, world):
    client = login("beishan_staff")
    listed = client.get("/api/eia/projects/?page_size=1000").json()
    divisions = {row["division"] for row in listed["results"]}
    assert divisions == {"990121"}
    assert listed["count"] == EiaProject.objects.filter(division__code="990121").count()
    other = EiaProject.objects.filter(division__name="南湖县").first()
    assert client.get(f"/api/eia/projects/{other.pk}/").status_code == 404
    assert (
        client.post(
            f"/api/eia/projects/{other.pk}/accept/",
            {"day": "2026-03-05"},
            content_type="application/json",
        ).status_code
        == 404
    )
    city = login("leader").get("/api/eia/projects/").json()
    assert city["count"] == EiaProject.objects.count()


def test_workflow_through_the_api(login, world):
    client = login("beishan_staff")
    created = client.post("/api/eia/projects/", _payload(world), content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["state"] == "submitted"
    assert created.json()["due"][0]["step"] == "acceptance_check"
    accepted = client.post(
        f"/api/eia/projects/{pk}/accept/", {"day": "2026-03-05"}, content_type="application/json"
    )
    assert accepted.json()["state"] == "accepted"
    assert accepted.json()["due"][0]["due"] == "2026-04-07"
    assert accepted.json()["due"][0]["other_reading"] == "2026-04-17"
    screening = client.post(f"/api/eia/projects/{pk}/screen/")
    assert screening.status_code == 201 and screening.json()["review"] == "not_needed"
    decided = client.post(
        f"/api/eia/projects/{pk}/decide/",
        {"day": "2026-03-20", "decision": "approved", "number": "北环承〔2026〕20号"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["state"] == "approved"
    early = client.post(
        f"/api/eia/projects/{pk}/revoke/",
        {"day": "2026-03-19", "reasons": "承诺不实"},
        content_type="application/json",
    )
    assert early.status_code == 400 and "撤销日期" in str(early.json()["revoked_on"])


def test_bad_input_is_a_400_naming_the_field_and_viewers_cannot_write(login, world):
    client = login("beishan_staff")
    response = client.post(
        "/api/eia/projects/",
        _payload(world, env_investment="900.00"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["env_investment"] == [
        "环保投资(900.00 万元)不能大于总投资(600.00 万元)。"
    ]
    viewer = login("viewer")
    assert viewer.get("/api/eia/projects/").status_code == 200
    assert (
        viewer.post(
            "/api/eia/projects/", _payload(world), content_type="application/json"
        ).status_code
        == 403
    )


def test_screening_review_through_the_api(login, world):
    client = login("beishan_staff")
    payload = _payload(
        world, industry_code="C2611", location={"type": "Point", "coordinates": [110.03, 27.1]}
    )  # 北山's red-line strip
    pk = client.post("/api/eia/projects/", payload, content_type="application/json").json()["id"]
    client.post(
        f"/api/eia/projects/{pk}/accept/", {"day": "2026-03-05"}, content_type="application/json"
    )
    screening = client.post(f"/api/eia/projects/{pk}/screen/").json()
    assert screening["refuse"] and screening["review"] == "pending"
    assert (
        client.post(
            f"/api/eia/screenings/{screening['id']}/override/",
            {"reason": "理由充分的例外情形说明"},
            content_type="application/json",
        ).status_code
        == 403
    )
    confirmed = login("leader").post(
        f"/api/eia/screenings/{screening['id']}/confirm/",
        {"reason": "红线"},
        content_type="application/json",
    )
    assert confirmed.status_code == 200 and confirmed.json()["review"] == "confirmed"


def test_export_and_import_through_the_api(login, world):
    client = login("beishan_staff")
    response = client.get("/api/eia/projects/export/")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row - 1 == EiaProject.objects.filter(division__code="990121").count()
    upload = io.BytesIO(response.content)
    upload.name = "eia.xlsx"
    assert (
        client.post("/api/eia/projects/import/", {"file": upload}).json()["unchanged"]
        == sheet.max_row - 1
    )
    bad = io.BytesIO(b"not a spreadsheet")
    bad.name = "bad.xlsx"
    refused = client.post("/api/eia/projects/import/", {"file": bad})
    assert refused.status_code == 400 and refused.json()["errors"][0]["column"] == "文件"


def test_the_figures_are_served_by_the_one_figures_endpoint(login, world):
    """/api/eia/figures/ is gone: /api/figures/ serves the area's figures with their records
    (typed totals are checked by `ecogov eia_figures --typed` and the report's check)."""
    assert login("leader").get("/api/eia/figures/?year=2020").status_code == 404
    body = login("leader").get("/api/figures/?year=2020").json()
    figures = {f["key"]: f for f in body["figures"] if f["area"] == "eia"}
    assert figures["eia.approved.total"]["value"] == 493
    investment = figures["eia.investment.total"]
    assert (investment["value"], investment["kind"], investment["record_count"]) == (
        "218.50",
        "sum",
        493,
    )
    county = login("beishan_staff").get("/api/figures/?year=2020").json()
    assert 0 < {f["key"]: f["value"] for f in county["figures"]}["eia.approved.total"] < 493


def test_an_application_can_register_its_new_builder(login, world):
    from ecogov.core import creditcode

    code = creditcode.make("91990121MA0000888")
    payload = _payload(
        world, builder=None, new_builder={"name": "接口新建设单位", "credit_code": code}
    )
    created = login("beishan_staff").post(
        "/api/eia/projects/", payload, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["builder"] == code and created.json()["builder_name"] == "接口新建设单位"


@pytest.mark.parametrize("facts", ["全部符合", 3, True, ["total_emission_ok"]])
def test_facts_that_are_no_object_are_a_400_naming_them(login, world, facts):
    response = login("beishan_staff").post(
        "/api/eia/projects/", _payload(world, facts=facts), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["facts"] == ["审查事实须为“事实名: 是/否”的对象。"]
    assert not EiaProject.objects.filter(name="接口登记项目").exists()


@pytest.mark.parametrize(
    "new_builder,message",
    [
        ("北山新公司", "新建设单位:无效数据。期待为字典类型"),
        ({"name": "北山新公司", "credit_code": {"code": 1}}, "统一社会信用代码:不是有效的字符串"),
        ({"name": "北山新公司", "credit_code": "x", "division": "999999"}, "统一社会信用代码"),
    ],
)
def test_a_new_builder_that_is_no_entity_is_a_400_naming_it(login, world, new_builder, message):
    payload = _payload(world, builder=None, new_builder=new_builder)
    response = login("beishan_staff").post(
        "/api/eia/projects/", payload, content_type="application/json"
    )
    assert response.status_code == 400 and message in response.json()["detail"]
    assert "new_builder" in response.json()


def test_changing_a_project_names_the_new_builder_it_cannot_take(login, world):
    from ecogov.core import creditcode

    client = login("beishan_staff")
    pk = client.post("/api/eia/projects/", _payload(world), content_type="application/json").json()[
        "id"
    ]
    response = client.patch(
        f"/api/eia/projects/{pk}/",
        {
            "new_builder": {
                "name": "另一家公司",
                "credit_code": creditcode.make("91990121MA0000999"),
            }
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["new_builder"] == ["该字段不允许修改。"]


def test_a_location_without_coordinates_is_a_400_naming_it(login, world):
    response = login("beishan_staff").post(
        "/api/eia/projects/",
        _payload(world, location={"type": "Point"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "缺少 GeoJSON 的“coordinates”" in response.json()["location"][0]


def test_the_lists_read_the_builders_by_key_not_by_a_join(login, world):
    """The projects' list never joins the entity table for the builders (docs/indexes.md: the
    join made PostgreSQL hash every entity for a county's page): the changelist does not show
    them, the API fetches the page's builders by primary key; each row still names its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("leader")
    for url in ("/api/eia/projects/", "/api/eia/projects/?paging=cursor", "/admin/eia/eiaproject/"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        joined = [
            q["sql"]
            for q in captured.captured_queries
            if 'FROM "eia_eiaproject"' in q["sql"] and '"core_regulatedentity"' in q["sql"]
        ]
        assert not joined, (url, joined)
    rows = client.get("/api/eia/projects/").json()["results"]
    projects = EiaProject.objects.select_related("builder").in_bulk([r["id"] for r in rows])
    assert rows and all(
        r["builder_name"] == projects[r["id"]].builder.name
        and r["builder"] == projects[r["id"]].builder.credit_code
        for r in rows
    )
