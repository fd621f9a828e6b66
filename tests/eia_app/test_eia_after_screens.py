"""Back-office screens of EIA after approval: lists and add pages in Chinese, adding through the
services, the 办理 pages of suspensions and re-reviews, deferral on the project's 办理 page."""

import datetime as dt

from django.urls import reverse

from ecogov.eia import services
from ecogov.eia.models import (
    EiaEvent,
    EiaProject,
    EiaReReview,
    RegionalSuspension,
    ReReviewOutcome,
)

D = dt.date
SCREENS = ("regionalsuspension", "eiarereview", "eiaacceptance", "eiaspotcheck")


def test_lists_and_add_pages_render(login, world):
    for user in ("leader", "beishan_staff", "viewer"):
        client = login(user)
        for name in SCREENS:
            page = client.get(reverse(f"admin:eia_{name}_changelist"))
            assert page.status_code == 200, (user, name)
    client = login("leader")
    for name in SCREENS:
        assert client.get(reverse(f"admin:eia_{name}_add")).status_code == 200, name
    add = client.get(reverse("admin:eia_eiaproject_add")).content.decode()
    assert "省级批复文号" in add


def test_a_suspension_is_added_and_lifted_on_its_pages(login, world):
    client = login("eia_staff")
    added = client.post(
        reverse("admin:eia_regionalsuspension_add"),
        {
            "division": world.division("北山县").pk,
            "authority": "省生态环境厅",
            "document_number": "省环函〔2026〕31号",
            "reason": "重点行业整治不力",
            "starts_on": "2026-01-10",
            "ends_on": "2026-02-10",  # too short: the service's message on the form
        },
    )
    assert added.status_code == 200 and "3至12个月" in added.content.decode()
    assert not RegionalSuspension.objects.filter(document_number="省环函〔2026〕31号").exists()
    client.post(
        reverse("admin:eia_regionalsuspension_add"),
        {
            "division": world.division("北山县").pk,
            "authority": "省生态环境厅",
            "document_number": "省环函〔2026〕31号",
            "reason": "重点行业整治不力",
            "starts_on": "2026-01-10",
            "ends_on": "2026-07-09",
        },
    )
    suspension = RegionalSuspension.objects.get(document_number="省环函〔2026〕31号")
    page = client.get(reverse("admin:eia_regionalsuspension_change", args=[suspension.pk]))
    assert page.status_code == 200 and "登记限批" in page.content.decode()
    url = reverse("admin:eia_regionalsuspension_handle_step", args=[suspension.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"step": "lift", "day": "2026-03-01", "number": ""})
    assert "解除决定文号" in refused.content.decode()
    done = client.post(url, {"step": "lift", "day": "2026-03-01", "number": "省环函〔2026〕40号"})
    assert done.status_code == 302
    assert RegionalSuspension.objects.get(pk=suspension.pk).lifted_on == D(2026, 3, 1)
    assert login("beishan_staff").get(url).status_code == 403


def test_a_rereview_is_answered_on_its_page_and_a_project_deferred(login, world, submit):
    project = (
        EiaProject.objects.filter(
            division__name="北山县", level="county", state="approved", rereviews__isnull=True
        )
        .order_by("pk")
        .first()
    )
    rereview = services.rereview_request(
        actor=world.user("beishan_staff"),
        project=project,
        received_on=D(2026, 6, 1),
        construction_starts_on=D(2026, 9, 1),
    )
    client = login("beishan_staff")
    page = client.get(reverse("admin:eia_eiarereview_change", args=[rereview.pk]))
    assert page.status_code == 200 and "按工作日" in page.content.decode()
    url = reverse("admin:eia_eiarereview_handle_step", args=[rereview.pk])
    done = client.post(url, {"outcome": "agreed", "day": "2026-06-05", "number": "北环函5号"})
    assert done.status_code == 302
    assert EiaReReview.objects.get(pk=rereview.pk).outcome == ReReviewOutcome.AGREED

    staff = world.user("beishan_staff")
    open_ = services.project_accept(actor=staff, project=submit(), accepted_on=D(2026, 3, 5))
    step = reverse("admin:eia_eiaproject_handle_step", args=[open_.pk])
    deferred = client.post(
        step, {"step": "decide", "decision": "deferred", "day": "2026-03-20", "reasons": "待核实"}
    )
    assert deferred.status_code == 302
    open_.refresh_from_db()
    assert open_.state == "deferred" and open_.events.filter(type=EiaEvent.Type.DEFERRED).exists()
