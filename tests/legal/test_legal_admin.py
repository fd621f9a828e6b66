"""The back-office screens: opened and saved by the legal user, refused cleanly (403, no
form offered) for the viewer; steps run their service and show its refusal on the form."""

import datetime as dt
import re
from urllib.parse import urlencode

import lxml.html
import pytest
from django.urls import reverse

from ecogov.legal import models as m

D = dt.date
LEDGERS = [
    m.CounselContract,
    m.CounselOpinion,
    m.LeadingGroup,
    m.GroupMember,
    m.GroupMeeting,
    m.LeaderDuty,
    m.StudySession,
    m.Bill,
    m.PolicyMeasure,
    m.ReviewKind,
    m.LegalPolicy,
    m.Theme,
]
STEPPED = [m.NormativeDocument, m.PolicyReview, m.CleanupCampaign, m.DisputeCase, m.ContractReview]


def _form_values(html: str, form_id: str) -> list[tuple[str, str]]:
    form = lxml.html.fromstring(html).get_element_by_id(form_id)
    return list(form.form_values())


@pytest.mark.parametrize("model", LEDGERS + STEPPED, ids=lambda model: model.__name__)
def test_every_screen_opens_for_the_legal_user_and_the_viewer(login, world, model):
    name = model._meta.model_name
    obj = model.objects.order_by("pk").first()
    for user in ("legal", "viewer"):
        client = login(user)
        listing = client.get(reverse(f"admin:legal_{name}_changelist"))
        assert listing.status_code == 200, (user, name)
        page = client.get(reverse(f"admin:legal_{name}_change", args=[obj.pk]))
        assert page.status_code == 200, (user, name)
        assert "Traceback" not in page.content.decode()


@pytest.mark.parametrize("model", LEDGERS, ids=lambda model: model.__name__)
def test_an_unchanged_ledger_row_saves_and_the_viewer_is_refused(login, world, model):
    name = model._meta.model_name
    obj = model.objects.order_by("pk").first()
    url = reverse(f"admin:legal_{name}_change", args=[obj.pk])
    client = login("legal")
    data = _form_values(client.get(url).content.decode(), f"{name}_form")
    response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302, response.content.decode()[:3000]
    viewer = login("viewer")
    page = viewer.get(url).content.decode()
    assert f'id="{name}_form"' not in page or 'name="_save"' not in page  # nothing to save
    assert (
        viewer.post(
            url, urlencode(data), content_type="application/x-www-form-urlencoded"
        ).status_code
        == 403
    )
    assert viewer.get(reverse(f"admin:legal_{name}_add")).status_code == 403


def test_a_changed_study_session_is_saved_and_a_wrong_value_refused_in_chinese(login, world):
    session = m.StudySession.objects.order_by("pk").first()
    url = reverse("admin:legal_studysession_change", args=[session.pk])
    client = login("legal")
    data = dict(_form_values(client.get(url).content.decode(), "studysession_form"))
    data["attendee_count"] = "31"
    assert client.post(url, data).status_code == 302
    assert m.StudySession.objects.get(pk=session.pk).attendee_count == 31
    # the page opened again after saving (the old form's version is stale now: core/versions.py)
    data = dict(_form_values(client.get(url).content.decode(), "studysession_form"))
    data["held_on"] = "2099-01-01"
    refused = client.post(url, data)
    assert refused.status_code == 200 and "晚于今天" in refused.content.decode()


def test_a_document_is_drafted_and_stepped_through_the_screens(login, docs):
    client = login("legal")
    add = reverse("admin:legal_normativedocument_add")
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {
            "title": "后台起草的办法",
            "summary": "",
            "drafting_unit": docs.unit.pk,
            "division": docs.city.pk,
            "drafted_on": "2025-03-03",
            "affects_public": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    doc = m.NormativeDocument.objects.get(title="后台起草的办法")
    change = client.get(reverse("admin:legal_normativedocument_change", args=[doc.pk]))
    html = change.content.decode()
    assert "公开征求意见" in html and "提交合法性审核" in html  # the step buttons
    step = reverse("admin:legal_normativedocument_step", args=[doc.pk, "submit_review"])
    refused = client.post(step, {"submitted_on": "2025-03-05"})
    assert refused.status_code == 200 and "须先公开征求意见" in refused.content.decode()
    step = reverse("admin:legal_normativedocument_step", args=[doc.pk, "issue"])
    refused = client.post(step, {"issued_on": "2025-03-05"})
    assert "未经合法性审核" in refused.content.decode()
    step = reverse("admin:legal_normativedocument_step", args=[doc.pk, "waive_consultation"])
    assert client.post(step, {"reason": "内部管理", "on": ""}).status_code == 302
    viewer = login("viewer")
    page = viewer.get(reverse("admin:legal_normativedocument_change", args=[doc.pk]))
    assert "提交合法性审核" not in page.content.decode()  # no buttons for a reader
    assert viewer.post(step, {"reason": "x"}).status_code == 403


def test_the_review_queue_page_and_the_dashboard(login, world):
    client = login("legal")
    page = client.get(reverse("admin:legal_review_queue")).content.decode()
    assert "法制审核工作台" in page and "示例市生态环境损害赔偿磋商办法" in page
    assert "合同合法性审查" in page
    dashboard = client.get("/admin/").content.decode()
    assert "现行有效规范性文件" in dashboard and "待审查事项" in dashboard
    assert login("viewer").get(reverse("admin:legal_review_queue")).status_code == 200


def test_excel_pages_of_the_register_and_the_catalogue(login, world):
    client = login("legal")
    ids = m.NormativeDocument.objects.filter(number_year=2020).values_list("pk", flat=True)
    response = client.post(
        reverse("admin:legal_normativedocument_changelist"),
        {"action": "export_register", "_selected_action": [str(pk) for pk in ids]},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert re.fullmatch(
        r'attachment; filename="normative-documents-\d{12}\.xlsx"',
        response["Content-Disposition"],
    )
    campaign = m.CleanupCampaign.objects.first()
    response = client.get(reverse("admin:legal_cleanupcampaign_catalogue", args=[campaign.pk]))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_the_record_of_steps_shows_states_in_chinese(login, world):
    doc = m.NormativeDocument.objects.get(number="示环规〔2020〕1号")
    page = (
        login("legal")
        .get(reverse("admin:legal_normativedocument_change", args=[doc.pk]))
        .content.decode()
    )
    assert "合法性审核中" in page and "已统一登记编号" in page
    for code in ("legality_review", "registered", "in_force"):
        assert f">{code}<" not in page


def test_dashboard_counters_link_to_working_lists(login, world):
    from ecogov.legal.queries import counters

    client = login("legal")
    found = {c.label: c for c in counters(world.user("legal"), 2020)}
    assert found["待审查事项"].value >= 2  # the draft with the legal section, the contract
    for counter in found.values():
        assert client.get(counter.url).status_code == 200, counter.url
    in_force = client.get(found["现行有效规范性文件"].url).content.decode()
    assert "示环规〔2020〕2号" in in_force  # renewed in 2025 after its evaluation
    assert "示环规〔2020〕5号" not in in_force  # five years from 2020-11-12 have passed
