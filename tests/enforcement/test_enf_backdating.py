"""A step dated beyond the late-entry window (补录) needs a reason, at every door; the step's
events keep it beside the real time of entry (issue 15; core/backdating.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from ecogov.enforcement.models import CaseEvent, CaseState

API = "/api/enforcement/cases/"


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def opened(flow):
    return flow.opened(found_on=days_ago(60), opened_on=days_ago(50))


def investigate(client, case, on, **extra):
    return client.post(
        f"{API}{case.pk}/steps/investigate/", {"on": on.isoformat(), **extra}, "application/json"
    )


def test_an_old_step_without_a_reason_is_refused_naming_the_field_and_writes_nothing(opened, login):
    events = CaseEvent.objects.filter(record=opened).count()
    refused = investigate(login("inspector"), opened, days_ago(40))
    assert refused.status_code == 400, refused.content
    message = refused.json()["late_entry_reason"][0]
    assert days_ago(40).isoformat() in message and "补录理由" in message and "30 天" in message
    opened.refresh_from_db()
    assert opened.state == CaseState.OPENED
    assert CaseEvent.objects.filter(record=opened).count() == events


def test_with_a_reason_the_step_is_taken_and_its_event_keeps_the_reason_and_both_times(
    opened, login
):
    done = investigate(
        login("inspector"), opened, days_ago(40), late_entry_reason="纸质案卷补录进系统"
    )
    assert done.status_code == 200, done.content
    event = CaseEvent.objects.filter(record=opened).latest("seq")
    assert event.type == CaseEvent.Type.INVESTIGATION_STARTED
    assert event.payload["late_entry_reason"] == "纸质案卷补录进系统"
    assert timezone.localdate(event.occurred_at) == days_ago(40)
    assert timezone.localdate(event.recorded_at) == timezone.localdate()


def test_within_the_window_no_reason_is_asked(opened, login):
    done = investigate(login("inspector"), opened, days_ago(30))
    assert done.status_code == 200, done.content
    event = CaseEvent.objects.filter(record=opened).latest("seq")
    assert "late_entry_reason" not in event.payload


def test_the_window_is_a_setting(opened, login, settings):
    settings.ECOGOV_LATE_ENTRY_DAYS = 5
    assert investigate(login("inspector"), opened, days_ago(10)).status_code == 400
    settings.ECOGOV_LATE_ENTRY_DAYS = 0  # the rule off
    assert investigate(login("inspector"), opened, days_ago(40)).status_code == 200


def test_the_back_office_step_page_offers_the_reason_and_shows_the_refusal_beside_it(opened, login):
    from django.urls import reverse

    client = login("inspector")
    url = reverse("admin:enforcement_penaltycase_step", args=[opened.pk, "investigate"])
    page = client.get(url).content.decode()
    assert "补录理由" in page and "30 天以上时必填" in page
    form = {"on": days_ago(40).isoformat(), "record_version": _version(page)}
    refused = client.post(url, form)
    assert refused.status_code == 200  # the form again, with the message
    html = refused.content.decode()
    assert "请填写补录理由" in html
    opened.refresh_from_db()
    assert opened.state == CaseState.OPENED
    done = client.post(url, {**form, "late_entry_reason": "外业期间未能及时录入"})
    assert done.status_code == 302, done.content.decode()[:2000]
    opened.refresh_from_db()
    assert opened.state == CaseState.INVESTIGATING
    event = CaseEvent.objects.filter(record=opened).latest("seq")
    assert event.payload["late_entry_reason"] == "外业期间未能及时录入"
    history = client.get(reverse("admin:enforcement_penaltycase_change", args=[opened.pk]))
    assert "外业期间未能及时录入(录入于" in history.content.decode()  # the case's 全过程记录


def test_services_called_outside_a_door_record_history_unasked(flow):
    # the demo, ledger imports and commands write past years' acts on purpose
    case = flow.investigating()  # 2025 dates, through the services directly
    assert case.state == CaseState.INVESTIGATING


def _version(html: str) -> str:
    import re

    found = re.search(r'name="record_version" value="([^"]*)"', html)
    return found.group(1) if found else ""
