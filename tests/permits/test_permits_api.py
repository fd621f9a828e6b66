"""/api/permits/: scopes (a county sees only its own permits), issue by the city, steps, Excel."""

import io

import openpyxl
import pytest

from ecogov.permits.models import Permit, Registration


def test_a_county_sees_only_its_own_permits(login, world):
    client = login("beishan_staff")
    listed = client.get("/api/permits/permits/?page_size=1000").json()
    assert {row["division"] for row in listed["results"]} == {"990121"}
    assert listed["count"] == Permit.objects.filter(division__code="990121").count()
    other = Permit.objects.filter(division__code="990122").first()
    assert client.get(f"/api/permits/permits/{other.pk}/").status_code == 404
    registrations = client.get("/api/permits/registrations/").json()
    assert registrations["count"] == Registration.objects.filter(division__code="990121").count()
    assert login("leader").get("/api/permits/permits/").json()["count"] == Permit.objects.count()


def test_issue_and_steps_through_the_api(login, world):
    entity = world.entity_in("北山县")
    body = {
        "entity": entity.credit_code,
        "site": "北山县接口厂区1号",
        "management_class": "key",
        "issued_on": "2025-03-10",
        "pollutants": [{"pollutant": "二氧化硫", "limit": "35"}],
    }
    county = login("beishan_staff").post(
        "/api/permits/permits/", body, content_type="application/json"
    )
    assert county.status_code == 403  # permits are issued by the city bureau
    client = login("eia_staff")
    created = client.post("/api/permits/permits/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["valid_until"] == "2030-03-09" and created.json()["division"] == "990121"
    again = client.post("/api/permits/permits/", body, content_type="application/json")
    assert again.status_code == 400 and "不能重复核发" in again.json()["site"][0]
    pk = created.json()["id"]
    report = login("beishan_staff").post(
        f"/api/permits/permits/{pk}/report/",
        {"day": "2025-04-20", "year": 2025, "period": "q1"},
        content_type="application/json",
    )
    assert report.status_code == 200
    assert (
        client.get(
            "/api/permits/reports/?permit__permit_number=" + created.json()["permit_number"]
        ).json()["count"]
        == 1
    )
    client = login("eia_staff")  # the test client is shared: sign the city staff in again
    revoked = client.post(
        f"/api/permits/permits/{pk}/revoke/",
        {"day": "2025-06-01", "reason": "以欺骗手段取得"},
        content_type="application/json",
    )
    assert revoked.json()["state"] == "revoked" and revoked.json()["in_force_until"] == "2025-05-31"


def test_registrations_reminders_and_figures_through_the_api(login, world):
    client = login("beishan_staff")
    filed = client.post(
        "/api/permits/registrations/",
        {
            "entity": world.entity_in("北山县").credit_code,
            "address": "北山县接口路2号",
            "filed_on": "2025-05-06",
        },
        content_type="application/json",
    )
    assert filed.status_code == 201 and filed.json()["valid_until"] == "2030-05-05"
    assert (
        login("viewer")
        .post("/api/permits/registrations/", {}, content_type="application/json")
        .status_code
        == 403
    )
    reminders = login("leader").get("/api/permits/reminders/").json()
    assert {r["kind"] for r in reminders} >= {
        "renewal_application",
        "rectification",
        "execution_report",
    }
    # the figures: /api/figures/ (the area's own endpoint is gone)
    assert login("leader").get("/api/permits/figures/?year=2020").status_code == 404
    figures = {
        f["key"]: f
        for f in login("leader").get("/api/figures/?year=2020").json()["figures"]
        if f["area"] == "permits"
    }
    in_force = figures["permits.in_force"]
    assert (in_force["value"], in_force["kind"], in_force["record_count"]) == (718, "count", 718)
    assert figures["permits.issued_cumulative"]["value"] == 727 and in_force["url"]


def test_export_and_import_through_the_api(login, world):
    client = login("beishan_staff")
    response = client.get("/api/permits/registrations/export/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row - 1 == Registration.objects.filter(division__code="990121").count()
    upload = io.BytesIO(response.content)
    upload.name = "registrations.xlsx"
    result = client.post("/api/permits/registrations/import/", {"file": upload})
    assert result.status_code == 200 and result.json()["unchanged"] == sheet.max_row - 1


def test_changes_through_the_api_touch_only_what_may_change(login, world):
    client = login("eia_staff")
    entity = world.entity_in("北山县")
    pk = client.post(
        "/api/permits/permits/",
        {
            "entity": entity.credit_code,
            "site": "北山县接口厂区9号",
            "management_class": "key",
            "issued_on": "2025-03-10",
        },
        content_type="application/json",
    ).json()["id"]
    changed = client.patch(
        f"/api/permits/permits/{pk}/",
        {"conditions": "夜间禁止排放", "changed_on": "2025-05-01"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["conditions"] == "夜间禁止排放"
    moved = client.patch(
        f"/api/permits/permits/{pk}/", {"site": "别处"}, content_type="application/json"
    )
    assert moved.status_code == 400 and "须重新申请" in moved.json()["site"][0]
    county = login("beishan_staff")
    registration = county.post(
        "/api/permits/registrations/",
        {"entity": entity.credit_code, "address": "北山县接口路3号", "filed_on": "2025-05-06"},
        content_type="application/json",
    ).json()
    renamed = county.patch(
        f"/api/permits/registrations/{registration['id']}/",
        {"unit_name": "北山县新名称洗车场", "changed_on": "2025-06-01"},
        content_type="application/json",
    )
    assert renamed.status_code == 200 and renamed.json()["changed_on"] == "2025-06-01"


@pytest.mark.parametrize("year", [-1, 0, 10000, 2**63, "二〇二五"])
def test_a_report_year_out_of_range_is_a_400_naming_it(login, world, year):
    permit = Permit.objects.filter(state="in_force", division__code="990121").first()
    response = login("beishan_staff").post(
        f"/api/permits/permits/{permit.pk}/report/",
        {"day": "2025-04-20", "year": year, "period": "q1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["year"] == ["应为2000至2100之间的年份,如 2020。"]
    assert response.json()["detail"] == "报告年度:应为2000至2100之间的年份,如 2020。"
    assert not permit.reports.filter(period="q1", submitted_on="2025-04-20").exists()
