"""The back-office screens: scoped lists, a plan with its quotas, draw now, verify, redraw,
records with the Excel export, the publication list, and the dashboard."""

import datetime as dt

from django.contrib.messages import get_messages
from django.urls import reverse

from ecogov.core import jobs
from ecogov.core.models import Job, JobKind, JobState
from ecogov.inspections.models import (
    Draw,
    InspectionRecord,
    Plan,
    PlanEvent,
    Publication,
    Seed,
)
from ecogov.inspections.testing import announce, drawn, make_plan

MODELS = ["plan", "seed", "draw", "conflictdeclaration", "inspectionrecord", "publication"]


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_every_screen_opens_for_the_leader(login, world):
    client = login("leader")
    for model in MODELS:
        assert client.get(reverse(f"admin:inspections_{model}_changelist")).status_code == 200
        assert (
            client.get(reverse(f"admin:inspections_{model}_changelist") + "?q=示例").status_code
            == 200
        )
    draw = Draw.objects.filter(drawn_at__year=2020).first()
    html = client.get(reverse("admin:inspections_draw_change", args=[draw.pk])).content.decode()
    assert draw.input_hash in html and "抽取结果" in html
    record = InspectionRecord.objects.filter(type="random").first()
    assert (
        client.get(
            reverse("admin:inspections_inspectionrecord_change", args=[record.pk])
        ).status_code
        == 200
    )
    assert client.get(reverse("admin:inspections_inspectionrecord_add")).status_code == 200
    assert client.get(reverse("admin:inspections_plan_add")).status_code == 200
    publication = Publication.objects.filter(kind="draw_list", published_on__isnull=False).first()
    html = client.get(
        reverse("admin:inspections_publication_change", args=[publication.pk])
    ).content.decode()
    assert publication.draw.result_hash in html


def test_county_user_lists_only_his_county(login, world):
    mine = make_plan(world)
    theirs = make_plan(world, user="nanhu_staff", division="南湖县", name="南湖县计划")
    html = login("beishan_staff").get(reverse("admin:inspections_plan_changelist")).content.decode()
    assert mine.name in html and theirs.name not in html
    assert login("beishan_staff").get(
        reverse("admin:inspections_plan_change", args=[theirs.pk])
    ).status_code in (302, 403, 404)


def test_plan_with_quotas_through_the_admin(login, world):
    client = login("beishan_staff")
    data = {
        "name": "后台计划",
        "period_label": "2021-Q4",
        "period_start": "2021-10-01",
        "period_end": "2021-12-31",
        "division": world.division("北山县").pk,
        "inspection_date": "2021-10-08",
        "inspectors_per_check": "2",
        "notes": "",
        "quotas-TOTAL_FORMS": "2",
        "quotas-INITIAL_FORMS": "0",
        "quotas-MIN_NUM_FORMS": "1",
        "quotas-MAX_NUM_FORMS": "1000",
        "quotas-0-category": "key",
        "quotas-0-share": "25",
        "quotas-0-count": "",
        "quotas-1-category": "ordinary",
        "quotas-1-share": "",
        "quotas-1-count": "3",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:inspections_plan_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = Plan.objects.get(name="后台计划")
    assert {(q.category, q.share, q.count) for q in plan.quotas.all()} == {
        ("key", 25, None),
        ("ordinary", None, 3),
    }
    assert PlanEvent.objects.filter(record=plan, type="created").exists()
    bad = {**data, "name": "坏计划", "quotas-0-share": "150"}
    response = client.post(reverse("admin:inspections_plan_add"), bad)
    assert response.status_code == 200 and "超过 100%" in response.content.decode()
    assert not Plan.objects.filter(name="坏计划").exists()


def test_draw_now_action_and_its_refusals(login, world):
    # a draw and its verification are background jobs (docs/jobs.md); the test settings run
    # them inside the request, so the job's page shows the outcome
    client = login("beishan_staff")
    plan = make_plan(world)
    changelist = reverse("admin:inspections_plan_changelist")
    response = client.post(
        changelist, {"action": "draw_now", "_selected_action": [plan.pk]}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/admin/core/job/")
    page = response.content.decode()
    assert 'id="import-errors"' in page and "先公布随机种子" in page
    assert not plan.draws.exists()
    announce(world, plan)
    response = client.post(
        changelist, {"action": "draw_now", "_selected_action": [plan.pk]}, follow=True
    )
    draw = plan.draws.get()
    page = response.content.decode()
    drawn_count = sum(t["drawn"] for t in draw.tallies)
    assert f"已抽取(第1次):抽中 {drawn_count} 家" in page and "查看抽取结果" in page
    assert reverse("admin:inspections_draw_change", args=[draw.pk]) in page
    # run again (a task delivered twice): nothing is drawn twice
    job = Job.objects.get(kind=JobKind.DRAW, state=JobState.SUCCEEDED)
    assert jobs.run_job(str(job.pk)) == JobState.SUCCEEDED and plan.draws.count() == 1
    response = client.get(
        reverse("admin:inspections_draw_verify_detail", args=[draw.pk]), follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/admin/core/job/")
    page = response.content.decode()
    assert "复核通过" in page and "返回抽取记录" in page
    verify = Job.objects.get(kind=JobKind.DRAW_VERIFY)
    assert verify.counts == {"ok": True} and verify.result_url.endswith(f"/{draw.pk}/change/")
    # a viewer (no 后台任务 screen) verifies too, and sees the job it started
    viewer = login("viewer")
    response = viewer.get(
        reverse("admin:inspections_draw_verify_detail", args=[draw.pk]), follow=True
    )
    assert response.status_code == 200 and "复核通过" in response.content.decode()
    assert viewer.get(f"/admin/core/job/{verify.pk}/change/").status_code == 403  # not its job


def test_a_draw_of_another_division_is_refused_before_any_job(login, world):
    plan = make_plan(world)
    announce(world, plan)
    client = login("nanhu_staff")
    response = client.post(
        reverse("admin:inspections_plan_changelist"),
        {"action": "draw_now", "_selected_action": [plan.pk]},
    )
    assert not Job.objects.filter(kind=JobKind.DRAW).exists() and not plan.draws.exists()
    assert response.status_code in (200, 302)


def test_redraw_form_records_the_reason(login, world):
    draw = drawn(world)
    client = login("beishan_staff")
    url = reverse("admin:inspections_draw_redraw", args=[draw.pk])
    assert "重新抽取理由" in client.get(url).content.decode()
    seed = announce(world, draw.plan, value="新种子")
    response = client.post(url, {"reason": "执法人员回避", "seed": seed.pk})
    assert response.status_code == 302 and response.url.startswith("/admin/core/job/")
    new = Draw.objects.get(supersedes=draw)
    assert new.redraw_reason == "执法人员回避" and new.seed == seed
    assert Seed.objects.filter(plan=draw.plan).count() == 2
    page = client.get(response.url).content.decode()
    assert reverse("admin:inspections_draw_change", args=[new.pk]) in page
    assert "已抽取(第2次)" in page


def test_record_through_the_admin_and_export(login, world):
    client = login("beishan_staff")
    entity = world.entity_in("北山县")
    data = {
        "date": "2021-05-12",
        "entity": entity.pk,
        "type": "daily",
        "inspectors": [world.user("beishan_staff").pk, world.user("inspector").pk],
        "findings": "日常检查",
        "outcome": "no_problem",
        "substitution_reason": "",
        "core-attachment-content_type-object_id-TOTAL_FORMS": "0",
        "core-attachment-content_type-object_id-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:inspections_inspectionrecord_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record = InspectionRecord.objects.get(date=dt.date(2021, 5, 12), findings="日常检查")
    assert record.recorded_by == world.user("beishan_staff") and record.events.exists()
    short = {**data, "inspectors": [world.user("beishan_staff").pk], "findings": "一人检查"}
    response = client.post(reverse("admin:inspections_inspectionrecord_add"), short, follow=True)
    assert not InspectionRecord.objects.filter(findings="一人检查").exists()
    assert "不得少于 2 人" in response.content.decode()
    response = client.post(
        reverse("admin:inspections_inspectionrecord_changelist"),
        {"action": "export_xlsx", "_selected_action": [record.pk]},
    )
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_dashboard_counts_and_due_publications(login, world):
    drawn(world)
    html = login("beishan_staff").get("/admin/").content.decode()
    assert "年检查家次" in html and "待公开" in html  # the year the dashboard shows
    assert "抽查名单(第1次抽取) 待公开" in html
