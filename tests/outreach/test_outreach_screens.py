"""Back-office screens of 宣传普法: every list, add and change page opens for every ledger role;
a section user saves unchanged and changed; wrong values come back in Chinese; the viewer
reads and is offered no form to save."""

import pytest
from django.urls import reverse

from ecogov.outreach.models import (
    Activity,
    Creation,
    DutyList,
    Honour,
    LawExam,
    PublicityCount,
    PublicityItem,
    StudySession,
    Training,
)

from .screens import form_values, post_form, save_unchanged

MODELS = [
    DutyList,
    Activity,
    Training,
    StudySession,
    LawExam,
    PublicityCount,
    PublicityItem,
    Honour,
    Creation,
]
ROLES = ["leader", "legal", "eia_staff", "inspector", "beishan_staff", "viewer", "housing_reporter"]


def _url(model, view, *args):
    return reverse(f"admin:outreach_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("username", ROLES)
def test_every_screen_opens_for_every_role(login, world, username):
    client = login(username)
    for model in MODELS:
        listing = client.get(_url(model, "changelist"))
        assert listing.status_code in (200, 403), (model, listing.status_code)
        add = client.get(_url(model, "add"))
        assert add.status_code in (200, 403), (model, add.status_code)
        record = model.objects.order_by("pk").first()
        change = client.get(_url(model, "change", record.pk))
        assert change.status_code in (200, 302, 403, 404), (model, change.status_code)
        if username == "viewer":
            assert listing.status_code == 200 and add.status_code == 403
            html = change.content.decode()
            assert change.status_code == 200 and 'name="_save"' not in html, model
        if username == "housing_reporter":
            assert listing.status_code == 403  # a city department has no outreach ledgers


def test_a_section_user_saves_every_record_unchanged(login, world):
    client = login("legal")
    for model in MODELS:
        record = (
            model.objects.filter(division__code="990100").order_by("pk").last()
            or model.objects.order_by("pk").last()
        )
        url = _url(model, "change", record.pk)
        response = save_unchanged(client, url, f"{model._meta.model_name}_form")
        if model is DutyList and record.state != "in_force":
            assert response.status_code == 403
            continue
        assert response.status_code == 302, (model, response.content.decode()[:3000])


def test_saving_with_a_change_goes_through_the_service_and_is_recorded(login, world):
    from ecogov.outreach.events import events_of

    client = login("legal")
    activity = Activity.objects.get(kind="environment_day", held_on__year=2020)
    url = _url(Activity, "change", activity.pk)
    values = form_values(client.get(url).content.decode(), "activity_form")
    response = post_form(client, url, values, place="示例市市民广场")
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.place == "示例市市民广场"
    assert events_of(activity).filter(type="changed").exists()
    page = client.get(url).content.decode()
    assert "修改:地点" in page  # the event log names the field in Chinese


def test_wrong_values_are_refused_in_chinese(login, world):
    client = login("legal")
    url = _url(Training, "add")
    values = form_values(client.get(url).content.decode(), "training_form")
    response = post_form(
        client,
        url,
        values,
        topic="测试培训",
        law="other",
        law_other="",
        held_on="2025-03-01",
        audience_units="企业",
        attendee_count="",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "请填写法律法规名称" in html and "请填写参训人数" in html
    assert not Training.objects.filter(topic="测试培训").exists()
    url = _url(LawExam, "add")
    values = form_values(client.get(url).content.decode(), "lawexam_form")
    html = post_form(
        client,
        url,
        values,
        title="测试考试",
        held_on="2025-05-01",
        full_mark="100",
        pass_mark="120",
    ).content.decode()
    assert (
        "合格分数线(120.0)不能高于满分(100.0)" in html or "合格分数线(120)不能高于满分(100)" in html
    )


def test_a_new_duty_list_version_from_the_add_page_carries_the_items_over(login, world):
    client = login("legal")
    current = DutyList.objects.get(division__code="990100", state="in_force")
    url = _url(DutyList, "add")
    values = form_values(client.get(url).content.decode(), "dutylist_form")
    city = str(current.division_id)
    refused = post_form(
        client,
        url,
        values,
        division=city,
        title="普法责任清单",
        year="2021",
        issued_on="2021-03-01",
        adjustment="",
    )
    assert "动态调整清单时请写明调整说明" in refused.content.decode()
    done = post_form(
        client,
        url,
        values,
        division=city,
        title="普法责任清单",
        year="2021",
        issued_on="2021-03-01",
        adjustment="新增《长江保护法》",
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    current.refresh_from_db()
    new = DutyList.objects.get(division__code="990100", state="in_force")
    assert current.state == "superseded" and current.superseded_by == new
    assert new.items.count() == current.items.count()
    assert client.get(_url(DutyList, "change", current.pk)).status_code == 200
    assert (
        save_unchanged(client, _url(DutyList, "change", current.pk), "dutylist_form").status_code
        == 403
    )


def test_the_viewer_is_refused_cleanly(login, world):
    client = login("viewer")
    activity = Activity.objects.order_by("pk").first()
    url = _url(Activity, "change", activity.pk)
    response = client.post(url, {"title": "改名"})
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.title != "改名"
    assert client.post(_url(Activity, "add"), {"title": "x"}).status_code == 403


def test_the_exam_page_shows_coverage_and_who_did_not_sit(login, world):
    exam = LawExam.objects.get(held_on__year=2020)
    html = login("viewer").get(_url(LawExam, "change", exam.pk)).content.decode()
    assert "参考率" in html and "黄静(外出学习)" in html


def test_the_dashboard_counts_link_to_lists(login, world):
    from ecogov.outreach import queries

    client = login("leader")
    for counter in queries.counters(world.user("leader"), 2020):
        assert client.get(counter.url).status_code == 200, counter.url


def test_the_viewer_is_not_shown_the_exams_add_staff_field(login, world):
    from ecogov.outreach.models import LawExam

    exam = LawExam.objects.order_by("pk").last()
    viewer = login("viewer").get(f"/admin/outreach/lawexam/{exam.pk}/change/").content.decode()
    assert "Add staff" not in viewer and "追加应考人员" not in viewer
    assert (
        "追加应考人员"
        in login("leader").get(f"/admin/outreach/lawexam/{exam.pk}/change/").content.decode()
    )
