"""The doors: admin screens (steps as buttons), the REST API, the Excel ledger."""

import datetime as dt
import hashlib
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecogov.core.models import AuditLogEntry
from ecogov.enforcement import services as s
from ecogov.enforcement.models import PartyKind, PenaltyCase

D = dt.date
API = "/api/enforcement/cases/"


def change_url(case):
    return reverse("admin:enforcement_penaltycase_change", args=[case.pk])


def step_url(case, step):
    return reverse("admin:enforcement_penaltycase_step", args=[case.pk, step])


def test_case_list_and_page_with_the_allowed_steps(flow, login):
    case = flow.simple()
    client = login("beishan_staff")
    listing = client.get(reverse("admin:enforcement_penaltycase_changelist")).content.decode()
    assert case.number in listing and "示环罚〔2020〕" in listing
    page = client.get(change_url(case)).content.decode()
    assert "作出处罚决定" in page and "提交法制审核" in page and "校验全过程记录" in page
    assert login("nanhu_staff").get(change_url(case)).status_code in (302, 404)


def test_a_step_through_the_admin_calls_the_service(flow, login):
    case = flow.opened()
    client = login("inspector")
    assert "开始调查取证" in client.get(step_url(case, "investigate")).content.decode()
    response = client.post(
        step_url(case, "investigate"), {"on": "2025-03-06", "late_entry_reason": "历史案卷补录"}
    )
    assert response.status_code == 302
    assert PenaltyCase.objects.get(pk=case.pk).state == "investigating"


def test_a_refused_step_shows_the_services_message(flow, login):
    case = flow.simple()
    response = login("leader").post(
        step_url(case, "decide"),
        {
            "penalty_kinds": ["fine"],
            "fine": "50000",
            "decided_on": "2025-03-20",
            "public_impact": "on",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "决定日期2025-03-20早于告知日期2025-04-01" in html
    assert PenaltyCase.objects.get(pk=case.pk).state == "notified"


def test_opening_a_case_from_the_admin(flow, login, world):
    entity = world.entity_in("北山县")
    response = login("beishan_staff").post(
        reverse("admin:enforcement_penaltycase_add"),
        {
            "entity": entity.pk,
            "source": "complaint",
            "facts": "夜间偷排。",
            "found_on": "2025-03-03",
            "opened_on": "2025-03-04",
            "officers": [flow.p.beishan.pk, flow.p.handler.pk],
            "open_now": "on",
            "late_entry_reason": "历史案卷补录",
        },
    )
    assert response.status_code == 302
    case = PenaltyCase.objects.get(facts="夜间偷排。")
    assert case.state == "opened" and case.number.startswith("示环罚〔2025〕")


def test_documents_verify_and_dossier_from_the_admin(flow, login):
    case = flow.opened()
    client = login("inspector")
    client.post(
        step_url(case, "attach"),
        {"file": SimpleUploadedFile("笔录.pdf", b"%PDF-1.4 q"), "description": "询问笔录"},
    )
    assert case.events.filter(type="attachment_added").count() == 1
    page = client.get(reverse("admin:enforcement_penaltycase_verify", args=[case.pk]), follow=True)
    assert "全过程记录完整" in page.content.decode()
    zipped = client.get(reverse("admin:enforcement_penaltycase_dossier", args=[case.pk]))
    assert zipfile.ZipFile(io.BytesIO(zipped.content)).read("files/0003_笔录.pdf") == b"%PDF-1.4 q"


def test_configuration_screens_for_the_legal_section(login, world):
    client = login("legal")
    for name in ("legalbasis", "penaltyrule", "enforcementpolicy", "casedisclosure"):
        assert client.get(reverse(f"admin:enforcement_{name}_changelist")).status_code == 200
    assert (
        login("beishan_staff").get(reverse("admin:enforcement_legalbasis_add")).status_code == 403
    )


def test_api_lists_by_scope_and_masks_for_readers(flow, login):
    case = flow.opened()
    own = login("beishan_staff").get(API).json()
    assert own["count"] == 12 and {c["division"] for c in own["results"]} == {"990121"}
    assert login("nanhu_staff").get(f"{API}{case.pk}/").status_code == 404
    detail = login("viewer").get(f"{API}{case.pk}/").json()
    assert detail["party_phone"].count("*") == 4
    assert detail["events"][0]["type"] == "lead_registered"
    assert login("inspector").get(f"{API}{case.pk}/").json()["party_phone"] == case.party_phone


def test_api_opens_a_case_and_takes_steps(flow, login, world):
    entity = world.entity_in("北山县")
    client = login("inspector")
    created = client.post(
        API,
        {
            "entity": entity.pk,
            "source": "monitoring",
            "facts": "在线数据超标。",
            "found_on": "2025-03-03",
            "opened_on": "2025-03-05",
            "open_now": True,
            "late_entry_reason": "历史案卷补录",
            "officers": [flow.p.beishan.pk, flow.p.handler.pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    ok = client.post(
        f"{API}{pk}/steps/investigate/",
        {"on": "2025-03-06", "late_entry_reason": "历史案卷补录"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["state"] == "investigating"
    bad = client.post(
        f"{API}{pk}/steps/notify/",
        {
            "legal_basis": flow.voc.pk,
            "penalty_kinds": ["fine"],
            "fine": "500000",
            "notified_on": "2025-04-01",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "超出法定幅度" in bad.json()["fine"][0]
    assert client.get(f"{API}{pk}/verify/").json()["ok"] is True
    dossier = client.get(f"{API}{pk}/dossier/")
    assert dossier.status_code == 200 and dossier["Content-Type"] == "application/zip"
    assert dossier["Content-Disposition"] == f'attachment; filename="case-{pk}.zip"'


def test_api_decision_by_a_leader_only(flow, login):
    case = flow.simple()
    body = {
        "penalty_kinds": ["fine"],
        "fine": "50000",
        "decided_on": "2025-04-15",
        "late_entry_reason": "历史案卷补录",
    }
    refused = login("inspector").post(
        f"{API}{case.pk}/steps/decide/", body, content_type="application/json"
    )
    assert refused.status_code == 403 and "局领导" in refused.json()["detail"]
    done = login("leader").post(
        f"{API}{case.pk}/steps/decide/", body, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["state"] == "decided"
    due = login("beishan_staff").get("/api/enforcement/disclosures/?due=1").json()
    assert case.number in [d["case"] for d in due["results"]]


def test_excel_ledger_export_is_scoped_masked_and_audited(flow, login, world):
    entity = world.entity_in("北山县")
    s.case_open(
        actor=flow.p.handler,
        division=entity.division,
        source="complaint",
        facts="个人焚烧。",
        found_on=D(2025, 3, 3),
        officers=[flow.p.beishan, flow.p.handler],
        party_kind=PartyKind.INDIVIDUAL,
        party_name="李某某",
        party_id_number="990121198001010011",
    )
    response = login("viewer").get(f"{API}export/?division__code=990121")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("案件编号", "案由", "当事人") and len(rows) == 1 + 12
    individual = [r for r in rows if r[2] and r[2].startswith("李")][0]
    assert individual[2] == "李**" and individual[3] == "990121********0011"
    assert AuditLogEntry.objects.filter(event="export", detail__what="行政处罚案件台账").exists()
    admin = login("leader").post(
        reverse("admin:enforcement_penaltycase_changelist"),
        {
            "action": "export_xlsx",
            "_selected_action": [c.pk for c in PenaltyCase.objects.all()[:3]],
        },
    )
    assert admin["Content-Type"].startswith("application/vnd.openxmlformats")
    assert re.fullmatch(
        r'attachment; filename="penalty-cases-\d{12}\.xlsx"', admin["Content-Disposition"]
    )
    assert response["Content-Disposition"] == 'attachment; filename="penalty-cases.xlsx"'


def test_dashboard_and_sidebar(login, world):
    html = login("leader").get("/admin/").content.decode()
    assert "在办案件" in html and "待公开的处罚决定" in html and "行政处罚案件" in html


def test_payments_and_disclosures_are_not_edited_in_place(flow, login):
    case = flow.closed()
    client = login("leader")
    assert client.get(reverse("admin:enforcement_payment_add")).status_code == 403
    payment = case.payments.get()
    page = client.get(reverse("admin:enforcement_payment_change", args=[payment.pk]))
    assert page.status_code == 200 and 'name="amount"' not in page.content.decode()
    assert client.get(reverse("admin:enforcement_casedisclosure_add")).status_code == 403


def test_the_api_schema_lists_the_case_endpoints(login, world):
    schema = login("leader").get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/enforcement/cases/{id}/steps/{step}/" in schema.content
    assert b"/api/enforcement/disclosures/" in schema.content


def test_every_step_form_and_every_state_page_renders(flow, login):
    from ecogov.enforcement.admin.forms import CASE_STEPS

    client = login("leader")
    case = flow.simple()
    for step in CASE_STEPS:
        assert client.get(step_url(case, step)).status_code == 200, step
    assert client.get(step_url(case, "nope")).status_code == 404
    assert case.facts in client.get(step_url(case, "update")).content.decode()  # prefilled
    assert 'value="50000.00"' in client.get(step_url(case, "decide")).content.decode()
    for state in ("closed", "no_penalty", "transferred", "withdrawn", "executing"):
        demo_case = PenaltyCase.objects.filter(state=state).first()
        assert client.get(change_url(demo_case)).status_code == 200, state
    assert client.get(reverse("admin:enforcement_penaltycase_add")).status_code == 200


@pytest.mark.parametrize("body", ["[1, 2]", '"立案"', "3", "null", "true"])
def test_api_a_body_that_is_no_json_object_is_a_400(login, world, body):
    response = login("inspector").post(API, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("请求体应为 JSON 对象")


def test_api_a_value_of_the_wrong_kind_is_a_400_naming_the_field(flow, login, world):
    body = {
        "entity": world.entity_in("北山县").pk,
        "source": "monitoring",
        "facts": "在线数据超标。",
        "found_on": 20250303,
        "officers": [flow.p.beishan.pk, flow.p.handler.pk],
    }
    client = login("inspector")
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["found_on"] == ["输入一个有效的日期。"]
    assert response.json()["detail"] == "发现线索日期:输入一个有效的日期。"
    response = client.post(
        API,
        {**body, "found_on": "2025-03-03", "facts": {"废气": "超标"}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["facts"] == ["应为文本,而不是对象。"]
    assert response.json()["detail"] == "违法事实:应为文本,而不是对象。"
    response = client.post(
        API,
        {**body, "found_on": "2025-03-03", "officers": flow.p.beishan.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["detail"].startswith("执法人员:应为列表")
    assert not PenaltyCase.objects.filter(facts="在线数据超标。").exists()


def test_api_attaches_an_evidence_video_over_5_mb(flow, login, settings):
    """Django keeps an upload over FILE_UPLOAD_MAX_MEMORY_SIZE (5 MB) in a temporary file,
    which the step's form gets as it is (it was deep-copied: “cannot pickle BufferedRandom”)."""
    settings.ECOGOV_MAX_UPLOAD_MB = 50
    case = flow.opened()
    content = b"\x00\x00\x00\x18ftypmp42" + bytes(6 * 1024 * 1024)
    video = SimpleUploadedFile("执法记录仪.mp4", content, content_type="video/mp4")
    response = login("inspector").post(
        f"{API}{case.pk}/steps/attach/", {"file": video, "description": "现场执法记录"}
    )
    assert response.status_code == 200, response.content
    attachment = case.events.get(type="attachment_added").payload
    assert attachment["sha256"] == hashlib.sha256(content).hexdigest()


def test_api_an_attachment_over_the_limit_is_a_400_naming_the_file(flow, login):
    case = flow.opened()  # the tests' limit is 1 MB
    video = SimpleUploadedFile("执法记录仪.mp4", bytes(6 * 1024 * 1024), content_type="video/mp4")
    response = login("inspector").post(f"{API}{case.pk}/steps/attach/", {"file": video})
    assert response.status_code == 400 and "超过上限 1 MB" in response.json()["file"][0]
    assert response.json()["detail"] == response.json()["file"][0]  # it names the file itself
