"""The API only validates, calls the service and serialises: the same rules as the services
(issue without a passed review refused, no double numbering, short consultation refused)."""

import datetime as dt
import io

import openpyxl

from ecogov.legal.models import NormativeDocument, ReviewKind

D = dt.date


def _draft(client, docs, **extra):
    body = {
        "title": "示例市接口测试办法",
        "drafting_unit": docs.unit.pk,
        "division": "990100",
        "drafted_on": "2025-03-03",
        "affects_public": True,
        **extra,
    }
    response = client.post("/api/legal/documents/", body, content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    return response.json()


def _step(client, pk, step, **body):
    body.setdefault("late_entry_reason", "历史文件补录")  # the 2025 dates are long past
    return client.post(
        f"/api/legal/documents/{pk}/steps/{step}/", body, content_type="application/json"
    )


def test_the_document_life_through_the_api(login, docs):
    client = login("legal")
    doc = _draft(client, docs, themes=["wildlife"])
    assert doc["state"] == "drafting" and doc["themes"] == ["wildlife"] and doc["number"] is None
    assert "start_consultation" in doc["allowed_steps"]
    pk = doc["id"]
    assert _step(client, pk, "start_consultation", started_on="2025-03-10").status_code == 200
    short = _step(client, pk, "close_consultation", ended_on="2025-03-20")
    assert short.status_code == 400 and "少于30日" in short.json()["ended_on"][0]
    assert _step(client, pk, "close_consultation", ended_on="2025-04-10").status_code == 200
    issue = _step(client, pk, "issue", issued_on="2025-04-28")
    assert issue.status_code == 400 and "未经合法性审核" in issue.json()["issued_on"][0]
    assert _step(client, pk, "submit_review", submitted_on="2025-04-14").status_code == 200
    refused = _step(client, pk, "register", registered_on="2025-04-25")
    assert refused.status_code == 400 and "合法性审核尚未完成" in refused.json()["registered_on"][0]
    review = NormativeDocument.objects.get(pk=pk).reviews.get(kind__code=ReviewKind.LEGALITY)
    done = client.post(
        f"/api/legal/reviews/{review.pk}/steps/record/",
        {
            "outcome": "passed",
            "opinion": "同意",
            "reviewed_on": "2025-04-21",
            "late_entry_reason": "补录",
        },
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["outcome"] == "passed"
    assert (
        _step(
            client,
            pk,
            "deliberate",
            meeting="局党组会",
            conclusion="同意",
            deliberated_on="2025-04-24",
        ).status_code
        == 200
    )
    registered = _step(client, pk, "register", registered_on="2025-04-25")
    assert registered.status_code == 200
    number = registered.json()["number"]
    assert number.startswith("示环规〔2025〕")
    again = _step(client, pk, "register", registered_on="2025-04-26")
    assert again.status_code == 400 and again.json()["number"] == [
        f"本文件已统一登记编号为{number},不能重复编号。"
    ]
    issued = _step(client, pk, "issue", issued_on="2025-04-28")
    assert issued.status_code == 200 and issued.json()["filing_due"] == "2025-05-28"
    assert NormativeDocument.objects.get(pk=pk).number == number


def test_bad_input_is_named_and_unknown_steps_are_404(login, docs):
    client = login("legal")
    pk = _draft(client, docs)["id"]
    bad = _step(client, pk, "start_consultation", started_on="not-a-date")
    assert bad.status_code == 400 and "started_on" in bad.json()
    assert _step(client, pk, "fly").status_code == 404
    missing = client.post("/api/legal/documents/", {"title": ""}, content_type="application/json")
    assert missing.status_code == 400 and "title" in missing.json()


def test_the_viewer_reads_but_cannot_write(login, docs):
    doc = docs.draft()
    viewer = login("viewer")
    assert viewer.get("/api/legal/documents/").status_code == 200
    assert (
        viewer.post(
            "/api/legal/documents/", {"title": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert _step(viewer, doc.pk, "waive_consultation", reason="x").status_code == 403
    county = login("beishan_staff")
    assert county.get(f"/api/legal/documents/{doc.pk}/").status_code == 404


def test_the_register_exports_and_opens_back(login, world):
    response = login("legal").get("/api/legal/documents/export/?number_year=2020")
    assert response.status_code == 200
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert rows[0][:3] == ("文号", "文件名称", "起草科室")
    numbers = [r[0] for r in rows[1:]]
    assert numbers == [f"示环规〔2020〕{n}号" for n in range(1, 6)]
    by_number = {r[0]: r for r in rows[1:]}
    assert by_number["示环规〔2020〕2号"][5] == "修改后通过"  # legality outcome, in Chinese
    assert by_number["示环规〔2020〕4号"][6] == "适用例外规定"
    assert by_number["示环规〔2020〕3号"][15] == "否"  # filed after its deadline


def test_the_cleanup_catalogue_and_the_review_queue_over_the_api(login, world):
    client = login("legal")
    campaigns = client.get("/api/legal/cleanups/").json()["results"]
    wildlife = next(c for c in campaigns if "野生动物" in c["title"])
    response = client.get(f"/api/legal/cleanups/{wildlife['id']}/catalogue/")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert {r[5] for r in rows[1:]} == {"需要修改", "废止"}
    queue = client.get("/api/legal/review-queue/").json()
    assert any(i["kind"] == "合法性审核" and "损害赔偿磋商办法" in i["label"] for i in queue)
    assert login("housing_reporter").get("/api/legal/review-queue/").status_code == 403


def test_a_step_dated_long_ago_needs_a_reason(login, docs):
    client = login("legal")
    pk = _draft(client, docs)["id"]
    refused = _step(client, pk, "start_consultation", started_on="2025-03-10", late_entry_reason="")
    assert refused.status_code == 400
    assert "请填写补录理由" in refused.json()["late_entry_reason"][0]
    assert NormativeDocument.objects.get(pk=pk).state == "drafting"
    page = client.get(f"/admin/legal/normativedocument/{pk}/step/start_consultation/")
    assert page.status_code == 200 and "补录理由" in page.content.decode()


def test_the_plain_ledgers_are_written_through_the_api(login, world):
    """Bills, counsel opinions, study sessions and group meetings: create and update through
    the same save path as the back office (scope, the row's rules, the event)."""
    from ecogov.legal.models import Bill, LegalEvent, StudySession

    client = login("legal")
    unit = world.user("legal").staff.organisation
    made = client.post(
        "/api/legal/bills/",
        {
            "title": "示例市扬尘污染防治条例(草案)",
            "kind": Bill._meta.get_field("kind").choices[0][0],
            "drafting_unit": unit.pk,
            "division": "990100",
        },
        "application/json",
    )
    assert made.status_code == 201, made.content
    bill = Bill.objects.get(pk=made.json()["id"])
    changed = client.patch(
        f"/api/legal/bills/{bill.pk}/", {"summary": "征求意见稿。"}, "application/json"
    )
    assert changed.status_code == 200 and Bill.objects.get(pk=bill.pk).summary == "征求意见稿。"
    assert LegalEvent.objects.filter(object_id=bill.pk, type="updated").exists()
    future = client.post(
        "/api/legal/study-sessions/",
        {
            "division": bill.division_id,
            "held_on": "2999-01-01",
            "kind": StudySession._meta.get_field("kind").choices[0][0],
            "topic": "学习行政处罚法",
            "attendee_count": 20,
        },
        "application/json",
    )
    assert future.status_code == 400 and "held_on" in future.json()
    # a viewer reads, never writes
    assert login("viewer").post("/api/legal/bills/", {}, "application/json").status_code == 403


def test_the_leading_group_duties_and_counsel_are_ledgers_of_the_api(login, world):
    from ecogov.core.models import Division
    from ecogov.legal.models import GroupMember, LeaderDuty

    client = login("legal")
    city = Division.objects.get(code="990100").pk
    group = client.post(
        "/api/legal/leading-groups/",
        {"name": "法治政府建设领导小组", "division": city, "established_on": "2020-01-06"},
        "application/json",
    )
    assert group.status_code == 201, group.content
    member = client.post(
        "/api/legal/group-members/",
        {
            "group": group.json()["id"],
            "name": "王建国",
            "position": "局长",
            "role": GroupMember._meta.get_field("role").choices[0][0],
            "joined_on": "2020-01-06",
        },
        "application/json",
    )
    assert member.status_code == 201, member.content
    # a member's make-up is never rewritten: a change is a new row (the rule of the back office)
    renamed = client.patch(
        f"/api/legal/group-members/{member.json()['id']}/", {"name": "王某"}, "application/json"
    )
    assert renamed.status_code == 400 and "name" in renamed.json()
    duty = client.post(
        "/api/legal/leader-duties/",
        {
            "division": city,
            "year": 2020,
            "leader_name": "王建国",
            "kind": LeaderDuty._meta.get_field("kind").choices[0][0],
            "duty": "听取法治政府建设工作汇报",
        },
        "application/json",
    )
    assert duty.status_code == 201, duty.content
    listed = client.get("/api/legal/leader-duties/?year=2020").json()
    assert duty.json()["id"] in [r["id"] for r in listed["results"]]


def test_a_contract_is_sent_for_review_and_reviewed_through_the_api(login, world):
    from ecogov.legal.models import ContractReview

    unit = world.user("eia_staff").staff.organisation
    sent = login("eia_staff").post(
        "/api/legal/contract-reviews/",
        {
            "title": "2021年度环境监测车辆租赁合同",
            "counterparty": "某汽车租赁有限公司",
            "submitting_unit": unit.pk,
            "division": world.user("eia_staff").staff.division.pk,
            "submitted_on": "2021-01-04",
            "passed": True,  # read-only: the review decides, not the sender
        },
        "application/json",
    )
    assert sent.status_code == 201, sent.content
    review = ContractReview.objects.get(pk=sent.json()["id"])
    assert review.passed is None and review.due_on is not None
    client = login("legal")
    done = client.post(
        f"/api/legal/contract-reviews/{review.pk}/steps/review/",
        {
            "passed": "yes",
            "opinion": "条款合法。",
            "reviewed_on": "2021-01-06",
            "late_entry_reason": "补录",
        },
        "application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["passed"] is True
