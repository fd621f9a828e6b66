"""/api/inspections/: plans, seeds, draws (verify, files, redraw), records, publications; scoped."""

import hashlib
import io

import openpyxl
import pytest

from ecogov.inspections.models import Draw, InspectionRecord, Plan
from ecogov.inspections.testing import drawn

API = "/api/inspections"


def _plan_body(world, **changes):
    return {
        "name": "API计划",
        "period_label": "2021-Q3",
        "period_start": "2021-07-01",
        "period_end": "2021-09-30",
        "division": "990121",
        "inspection_date": "2021-07-01",
        "inspectors_per_check": 2,
        "allow_cross_division": False,
        "quotas": [
            {"category": "key", "share": "50"},
            {"category": "ordinary", "count": 2},
            {"category": "special", "share": "0"},
        ],
        **changes,
    }


def test_plan_seed_draw_verify_through_the_api(login, world):
    client = login("beishan_staff")
    response = client.post(f"{API}/plans/", _plan_body(world), content_type="application/json")
    assert response.status_code == 201, response.json()
    plan = response.json()
    assert {q["category"] for q in plan["quotas"]} == {"key", "ordinary", "special"}
    response = client.post(
        f"{API}/seeds/",
        {"plan": plan["id"], "value": "API 种子", "source": "public", "source_note": "测试"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    response = client.post(f"{API}/plans/{plan['id']}/draw/", {}, content_type="application/json")
    assert response.status_code == 201, response.json()
    draw = response.json()
    detail = client.get(f"{API}/draws/{draw['id']}/").json()
    assert len(detail["checks"]) == 2 + 2 and detail["seed"] == "API 种子"
    assert all(len(c["inspectors"]) == 2 for c in detail["checks"])
    assert client.get(f"{API}/draws/{draw['id']}/verify/").json()["ok"] is True
    document = client.get(f"{API}/draws/{draw['id']}/document/").content
    assert hashlib.sha256(document).hexdigest() == draw["input_hash"]
    # a second draw of the same plan is refused; a redraw needs a reason
    again = client.post(f"{API}/plans/{plan['id']}/draw/", {}, content_type="application/json")
    assert again.status_code == 400 and "plan" in again.json()
    redo = client.post(
        f"{API}/draws/{draw['id']}/redraw/", {"reason": ""}, content_type="application/json"
    )
    assert redo.status_code == 400 and "reason" in redo.json()


def test_bad_plan_is_a_400_naming_the_field(login, world):
    client = login("beishan_staff")
    response = client.post(
        f"{API}/plans/",
        _plan_body(world, quotas=[{"category": "key", "share": "120"}]),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert (
        "超过 100%" in response.json()["quotas"][0]
        and not Plan.objects.filter(name="API计划").exists()
    )
    response = client.post(
        f"{API}/plans/", _plan_body(world, inspectors_per_check=1), content_type="application/json"
    )
    assert response.status_code == 400 and "inspectors_per_check" in response.json()


def test_county_users_see_only_their_county(login, world):
    draw = drawn(world)
    nanhu = login("nanhu_staff")
    assert draw.plan.pk not in [p["id"] for p in nanhu.get(f"{API}/plans/").json()["results"]]
    assert nanhu.get(f"{API}/draws/{draw.pk}/").status_code == 404
    assert nanhu.get(f"{API}/draws/{draw.pk}/verify/").status_code == 404
    records = nanhu.get(f"{API}/records/?page_size=1").json()
    assert records["count"] == InspectionRecord.objects.filter(division__name="南湖县").count()
    # the demo's city draws are the city's: a county user does not see them
    assert nanhu.get(f"{API}/draws/").json()["count"] == 0
    leader = login("leader")  # (the same test client, now signed in as the leader)
    assert leader.get(f"{API}/draws/{draw.pk}/").status_code == 200


def test_viewer_reads_but_does_not_write(login, world):
    client = login("viewer")
    assert client.get(f"{API}/plans/").status_code == 200
    response = client.post(
        f"{API}/plans/", _plan_body(world, division="990100"), content_type="application/json"
    )
    assert response.status_code == 403
    draw = Draw.objects.filter(drawn_at__year=2020, status="active").first()
    assert (
        client.post(
            f"{API}/draws/{draw.pk}/redraw/", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_record_export_and_open_case(login, world):
    pytest.importorskip("ecogov.enforcement.services")
    client = login("beishan_staff")
    entity = world.entity_in("北山县")
    body = {
        "date": "2021-05-12",
        "entity": entity.pk,
        "type": "complaint",
        "inspectors": [world.user("beishan_staff").pk, world.user("inspector").pk],
        "findings": "信访核查:夜间异味",
    }
    response = client.post(f"{API}/records/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    record = response.json()
    short = client.post(
        f"{API}/records/",
        {**body, "inspectors": body["inspectors"][:1]},
        content_type="application/json",
    )
    assert short.status_code == 400 and "不得少于 2 人" in short.json()["inspectors"][0]
    opened = client.post(
        f"{API}/records/{record['id']}/open-case/",
        {"facts": "夜间超标排放废气", "opened_on": "2021-05-14"},
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.json()
    assert (
        client.get(f"{API}/records/{record['id']}/").json()["case_number"]
        == opened.json()["number"]
    )
    content = client.get(f"{API}/records/export/?type=complaint").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "检查记录编号"
    assert (
        len(rows) - 1
        == InspectionRecord.objects.filter(division__name="北山县", type="complaint").count()
    )
    assert any(r[0] == record["number"] and r[10] == opened.json()["number"] for r in rows)


def test_pending_publications_and_publish(login, world):
    draw = drawn(world)
    client = login("beishan_staff")
    pending = client.get(f"{API}/publications/?pending=1").json()["results"]
    item = next(p for p in pending if p["draw"] == draw.pk)
    assert item["kind"] == "draw_list" and item["published_on"] is None
    response = client.post(f"{API}/publications/{item['id']}/publish/")
    assert response.status_code == 200 and response.json()["published_on"]
    assert response.json()["content"]["draw"]["result_hash"] == draw.result_hash
    assert login("viewer").post(f"{API}/publications/{item['id']}/publish/").status_code == 403


def test_conflict_reason_only_for_those_who_handle_it(login, world):
    client = login("beishan_staff")
    response = client.post(
        f"{API}/conflicts/",
        {
            "inspector": world.user("inspector").pk,
            "entity": world.entity_in("北山县").pk,
            "reason": "配偶在该单位任职",
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["reason"] == "配偶在该单位任职"
    listed = login("viewer").get(f"{API}/conflicts/").json()["results"]
    assert listed and all(c["reason"] is None for c in listed)


@pytest.mark.parametrize("seed", ["第一个种子", {"id": 1}, [1]])
def test_a_draw_with_a_seed_that_is_no_seed_id_is_a_400_naming_it(login, world, seed):
    client = login("beishan_staff")
    plan = client.post(f"{API}/plans/", _plan_body(world), content_type="application/json").json()
    response = client.post(
        f"{API}/plans/{plan['id']}/draw/", {"seed": seed}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("随机数种子:") and "seed" in response.json()
    assert not Draw.objects.filter(plan_id=plan["id"]).exists()


def test_a_plan_is_corrected_until_its_draw(login, world):
    client = login("beishan_staff")
    plan = client.post(f"{API}/plans/", _plan_body(world), content_type="application/json").json()
    url = f"{API}/plans/{plan['id']}/"
    fixed = client.patch(
        url,
        {"name": "API计划(修订)", "quotas": [{"category": "ordinary", "count": 3}]},
        content_type="application/json",
    )
    assert fixed.status_code == 200, fixed.json()
    assert fixed.json()["name"] == "API计划(修订)"
    assert [q["category"] for q in fixed.json()["quotas"]] == ["ordinary"]
    client.post(
        f"{API}/seeds/",
        {"plan": plan["id"], "value": "修订后种子", "source": "public", "source_note": "测试"},
        content_type="application/json",
    )
    assert client.post(f"{url}draw/", {}, content_type="application/json").status_code == 201
    locked = client.patch(url, {"name": "抽取后再改"}, content_type="application/json")
    assert locked.status_code == 400 and Plan.objects.get(pk=plan["id"]).name == "API计划(修订)"
