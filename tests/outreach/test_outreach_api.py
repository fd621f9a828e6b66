"""The outreach API: scoped lists, writes through the services, the import, the figures."""

import io

import openpyxl

from ecogov.outreach.models import Activity, LawExam


def test_lists_are_scoped_and_choices_carry_labels(login, world):
    rows = login("leader").get("/api/outreach/activities/").json()["results"]
    assert {"6·5世界环境日宣传", "12·4国家宪法日宣传"} <= {r["kind_label"] for r in rows}
    assert login("nanhu_staff").get("/api/outreach/activities/").json()["count"] == 0
    assert login("housing_reporter").get("/api/outreach/activities/").status_code == 403


def test_create_and_update_go_through_the_services(login, world):
    client = login("beishan_staff")
    created = client.post(
        "/api/outreach/activities/",
        {
            "kind": "open_day",
            "title": "环保设施开放日",
            "held_on": "2024-05-18",
            "place": "污水处理厂",
            "audience": "市民",
            "materials": [{"kind": "booklet", "title": "手册", "quantity": 50}],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["division"] == "990121" and body["materials"][0]["quantity"] == 50
    activity = Activity.objects.get(pk=body["id"])
    changed = client.patch(
        f"/api/outreach/activities/{activity.pk}/",
        {
            "materials": [
                {
                    "id": body["materials"][0]["id"],
                    "kind": "booklet",
                    "title": "手册",
                    "quantity": 80,
                }
            ]
        },
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["materials"][0]["quantity"] == 80
    wrong = client.post(
        "/api/outreach/trainings/",
        {"topic": "x", "law": "other", "held_on": "2024-05-18", "audience_units": "y"},
        content_type="application/json",
    )
    assert wrong.status_code == 400
    assert "请填写法律法规名称" in str(wrong.json()["law_other"])
    assert login("viewer").post("/api/outreach/activities/", {}).status_code == 403


def test_scores_through_the_api(login, world):
    client = login("legal")
    exam = LawExam.objects.get(held_on__year=2020)
    absent = exam.results.get(score__isnull=True)
    response = client.post(
        f"/api/outreach/exams/{exam.pk}/score/",
        {"staff": absent.staff_id, "score": "88"},
        content_type="application/json",
    )
    assert response.status_code == 200
    absent.refresh_from_db()
    assert absent.score == 88 and absent.passed
    outside = client.post(
        f"/api/outreach/exams/{exam.pk}/score/",
        {"staff": world.user("housing_reporter").staff.pk, "score": "88"},
        content_type="application/json",
    )
    assert outside.status_code == 400


def test_import_and_figures(login, world):
    client = login("legal")
    book = openpyxl.Workbook()
    book.active.append(["发布渠道", "年份", "月份", "发布条数"])
    book.active.append(["微博", 2022, 1, 0])
    book.active.append(["微博", 2022, 2, -1])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "weibo.xlsx"
    failed = client.post("/api/outreach/publicity-counts/import/", {"file": buffer})
    assert failed.status_code == 400
    assert failed.json()["errors"] == [
        {"row": 3, "column": "发布条数", "message": "发布条数应为不小于0的整数,“-1”不符合。"}
    ]
    template = client.get("/api/outreach/publicity-counts/template/")
    assert template.status_code == 200
    # the area's figures through the one endpoint /api/figures/ (its own is gone)
    assert client.get("/api/outreach/figures/", {"year": 2020}).status_code == 404
    figures = client.get("/api/figures/", {"year": 2020}).json()
    values = {f["key"]: f["value"] for f in figures["figures"]}
    assert values["publicity.social_posts"] == 1525 and values["publicity.web_articles"] == 696
    assert figures["period"] == "2020年"
    assert client.get("/api/figures/", {"year": "x"}).status_code == 400
