"""The back office: the four ledgers, handling a matter, overdue list, calls, scores, dashboard."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from ecogov.matters.models import Matter, ProgressCall

LISTS = ["rectification", "petition", "proposal", "campaigntask"]


@pytest.mark.parametrize("name", LISTS)
def test_each_kind_has_its_list_and_detail(login, world, name):
    client = login("leader")
    listing = client.get(reverse(f"admin:matters_{name}_changelist"))
    assert listing.status_code == 200
    kind = {"campaigntask": "task"}.get(name, name)
    matter = Matter.objects.filter(kind=kind).first()
    detail = client.get(reverse(f"admin:matters_{name}_change", args=[matter.pk]))
    assert detail.status_code == 200 and matter.reference in detail.content.decode()
    history = client.get(reverse(f"admin:matters_{name}_history", args=[matter.pk]))
    assert history.status_code == 200


def test_handling_page_takes_a_step(login, world, tour, make_matter):
    matter = make_matter(tour, "feedback", "PG-01")
    client = login("leader")
    url = reverse("admin:matters_rectification_handle", args=[matter.pk])
    page = client.get(url).content.decode()
    assert "完成整改" in page and "验收销号" not in page  # only the steps its state allows
    response = client.post(
        url,
        {
            "step": "1",
            "step-action": "rectify",
            "step-result": "已完成",
            "step-on": "2026-04-01",
            "step-late_entry_reason": "整改报告补录",
        },
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert (matter.state, matter.done_on) == ("rectified", dt.date(2026, 4, 1))
    page = client.post(url, {"step": "1", "step-action": "write_off"}).content.decode()
    assert "必须填写销号依据" in page
    assert Matter.objects.get(pk=matter.pk).state == "rectified"


def test_co_handler_reports_progress_on_the_page(login, world, tour, make_matter):
    matter = make_matter(tour, "feedback", "PG-02", co=[world.organisation("市住房和城乡建设局")])
    client = login("housing_reporter")
    url = reverse("admin:matters_rectification_handle", args=[matter.pk])
    page = client.get(url).content.decode()
    assert "报送进展" in page and 'name="step"' not in page
    client.post(url, {"progress": "1", "progress-text": "道路已硬化", "progress-percent": "60"})
    assert matter.reports.get().percent == 60


def test_petition_list_masks_complainants(login, world):
    html = login("viewer").get(reverse("admin:matters_petition_changelist")).content.decode()
    petition = Matter.objects.filter(kind="petition").exclude(complainant_name="").first()
    assert petition.complainant_name not in html
    detail = login("viewer").get(reverse("admin:matters_petition_change", args=[petition.pk]))
    assert detail.status_code == 200
    assert petition.complainant_phone not in detail.content.decode()
    history = reverse("admin:matters_petition_history", args=[petition.pk])
    assert login("viewer").get(history).status_code == 403
    handler = login("leader").get(history)
    assert handler.status_code == 200


def test_overdue_page_for_a_unit(login, world):
    html = login("housing_reporter").get(reverse("admin:matters-overdue")).content.decode()
    assert "市住房和城乡建设局的逾期事项" in html
    housing_overdue = Matter.objects.filter(
        units__organisation__name="市住房和城乡建设局",
        units__is_active=True,
        is_open=True,
        done_on__isnull=True,
        due_on__lt=timezone.localdate(),
    ).count()
    assert f"共 {housing_overdue} 件逾期事项" in html
    city = login("leader").get(reverse("admin:matters-overdue")).content.decode()
    assert "数据范围内的逾期事项" in city and "示例矿业公司砷碱渣超期贮存问题" in city


def test_assessment_page(login, world):
    html = login("leader").get(reverse("admin:matters-assessment")).content.decode()
    assert "score-table" in html and "北山县人民政府" in html


def test_call_admin_opens_a_call_and_exports(login, world):
    from ecogov.matters.models import Source

    client = login("leader")
    province2020 = Source.objects.get(code="province2020")
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("admin:matters_progresscall_add"),
        {
            "title": "回头看整改调度",
            "kind": "rectification",
            "source": province2020.pk,
            "division": world.division("示例市").pk,
            "due_on": due,
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    call = ProgressCall.objects.get(title="回头看整改调度")
    assert call.items.count() == Matter.objects.filter(source=province2020, is_open=True).count()
    detail = client.get(reverse("admin:matters_progresscall_change", args=[call.pk]))
    assert "ecogov-call-status" in detail.content.decode()
    export = client.get(reverse("admin:matters_progresscall_export_summary", args=[call.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content))["报送情况"]
    assert sheet.cell(2, 1).value == "单位"


def test_dashboard_shows_the_area(login, world):
    html = login("beishan_staff").get("/admin/").content.decode()
    assert "督察整改(未办结)" in html and "逾期交办事项" in html


def test_import_page_reports_errors(login, world):
    client = login("leader")
    book = openpyxl.Workbook()
    book.active.append(["编号", "来源批次"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "bad.xlsx"
    html = client.post(
        reverse("admin:matters_rectification_import_xlsx"), {"file": buffer}, follow=True
    ).content.decode()
    assert "缺少该列" in html and "未写入任何数据" in html


def test_registering_a_matter_on_the_add_page(login, world, tour):
    client = login("beishan_staff")
    url = reverse("admin:matters_rectification_add")
    assert client.get(url).status_code == 200
    form = {
        "source": tour.pk,
        "category": "feedback",
        "reference": "PG-ADD-1",
        "title": "园区污水管网未配套",
        "content": "",
        "division": world.division("北山县").pk,
        "received_on": "2026-03-02",
        "due_on": "",
        "lead": world.organisation("北山县人民政府").pk,
        "co_units": [world.organisation("市水利局").pk],
    }
    assert client.post(url, form).status_code == 302
    matter = Matter.objects.get(reference="PG-ADD-1")
    assert matter.due_on == dt.date(2026, 9, 2)
    assert {u.organisation.name for u in matter.units.all()} == {"北山县人民政府", "市水利局"}
    again = client.post(url, {**form, "title": "重复"}).content.decode()
    assert "已登记,请勿重复录入" in again
    nanhu = client.post(
        url, {**form, "reference": "PG-ADD-2", "division": world.division("南湖县").pk}
    )
    assert nanhu.status_code == 200  # 南湖县 is not offered to a 北山 user
    assert not Matter.objects.filter(reference="PG-ADD-2").exists()


def test_the_category_filter_lists_the_workflows_categories_without_reading_the_rows(login, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ecogov.matters.models import Source

    client = login("leader")
    url = reverse("admin:matters_rectification_changelist")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert "信访交办件" in page and "反馈问题" in page  # the labels, not the codes
    assert not [q for q in queries if "DISTINCT" in q["sql"] and '"category"' in q["sql"]]
    filtered = client.get(url, {"category": "feedback"})
    shown = filtered.context["cl"].result_list
    assert shown and {m.category for m in shown} == {"feedback"}
    task_categories = {
        c
        for cs in Source.objects.filter(kind="task").values_list("task_categories", flat=True)
        for c in cs or []
    }
    tasks = client.get(reverse("admin:matters_campaigntask_changelist")).content.decode()
    assert task_categories and all(c in tasks for c in task_categories)
