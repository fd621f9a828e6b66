"""A matter's step dated beyond the late-entry window (补录) needs a reason, in the API and on the
handling page; the event keeps it (issue 15; core/backdating.py)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from ecogov.matters.models import Matter, MatterEvent


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def _matter(client) -> int:
    response = client.post(
        "/api/matters/matters/",
        {
            "source": "t2026",
            "category": "feedback",
            "reference": "LATE-01",
            "title": "河道垃圾堆积",
            "division": "990121",
            "received_on": days_ago(60).isoformat(),
            "lead": "北山县人民政府",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_an_old_step_needs_a_reason_in_the_api(login, world, tour):
    client = login("beishan_staff")
    pk = _matter(client)
    url = f"/api/matters/matters/{pk}/transition/"
    step = {"action": "rectify", "result": "已清理", "on": days_ago(45).isoformat()}
    refused = client.post(url, step, content_type="application/json")
    assert refused.status_code == 400
    assert "请填写补录理由" in refused.json()["late_entry_reason"][0]
    assert Matter.objects.get(pk=pk).state == "assigned"
    assert not MatterEvent.objects.filter(record_id=pk, type="rectify").exists()
    done = client.post(
        url, {**step, "late_entry_reason": "县里纸质报告迟到"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["state"] == "rectified"
    event = MatterEvent.objects.get(record_id=pk, type="rectify")
    assert event.payload["late_entry_reason"] == "县里纸质报告迟到"
    assert timezone.localdate(event.occurred_at) == days_ago(45)


def test_the_handling_page_offers_the_reason_and_refuses_without_it(login, world, tour):
    client = login("beishan_staff")
    pk = _matter(client)
    url = reverse("admin:matters_rectification_handle", args=[pk])
    page = client.get(url).content.decode()
    assert "补录理由" in page
    form = {
        "step": "1",
        "step-action": "rectify",
        "step-result": "已清理",
        "step-on": days_ago(45).isoformat(),
    }
    refused = client.post(url, form)
    assert refused.status_code == 200 and "请填写补录理由" in refused.content.decode()
    assert Matter.objects.get(pk=pk).state == "assigned"
    done = client.post(url, {**form, "step-late_entry_reason": "县里纸质报告迟到"})
    assert done.status_code == 302
    assert Matter.objects.get(pk=pk).state == "rectified"
