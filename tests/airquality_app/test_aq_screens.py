"""Back-office screens and the public page: they render, show the verdict, stay offline."""

import re

import pytest
from django.urls import reverse

from ecogov.airquality.models import ImportBatch

VERDICT = "六项污染物全部达到国家环境空气质量二级标准"


def test_report_screen_shows_card_calendar_trends_and_stations(login, world):
    html = login("leader").get(reverse("admin:airquality_report") + "?year=2020").content.decode()
    assert VERDICT in html
    assert "GB 3095-2012 二级浓度限值" in html and "GB3095-2012" in html  # edition and limits
    assert "2019年" in html and "PM₂.₅" in html  # last year beside
    assert 'id="aq-calendar"' in html and "background:#00E400" in html  # standard colours
    assert html.count('class="aq-day') == 366
    assert "<polyline" in html and 'id="aq-stations"' in html and "云岭清洁对照点" in html


def test_report_under_the_2026_edition_says_so(login, world):
    html = (
        login("viewer")
        .get(reverse("admin:airquality_report"), {"year": 2020, "edition": "2026"})
        .content.decode()
    )
    assert "GB3095-2026-transition" in html and "HJ 633-2026" in html


def test_report_without_data(login, world):
    html = login("leader").get(reverse("admin:airquality_report") + "?year=2001").content.decode()
    assert 'id="aq-no-data"' in html


def test_public_page_for_anyone_offline(client, world):
    response = client.get("/airquality/?year=2020", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert VERDICT in html and "示例市" in html and 'id="aq-calendar"' in html
    assert not re.search(r"(src|href)=\"https?://", html) and "<script" not in html


@pytest.mark.parametrize(
    "url",
    [
        "admin:airquality_station_changelist",
        "admin:airquality_patrol_changelist",
        "admin:airquality_observation_changelist",
        "admin:airquality_importbatch_changelist",
        "admin:airquality_evaluation_changelist",
    ],
)
def test_lists_render_for_readers(login, world, url):
    assert login("viewer").get(reverse(url)).status_code == 200


def test_sidebar_and_dashboard(login, world):
    html = login("leader").get("/admin/").content.decode()
    assert 'data-area="airquality"' in html and "监测站点" in html
    assert reverse("admin:airquality_report") in html


def test_upload_page_and_permissions(login, world, stations, write_csv):
    url = reverse("admin:airquality_importbatch_upload")
    assert login("viewer").get(url).status_code == 403
    assert login("beishan_staff").get(url).status_code == 403
    client = login("leader")
    assert client.get(url).status_code == 200
    path = write_csv(
        "up.csv",
        ["station", "time", "pollutant", "value"],
        [["T1", "2024-08-01T00:00", "SO2", "8"], ["T1", "2024-08-01T00:00", "CO", "x"]],
    )
    with open(path, "rb") as fh:
        response = client.post(url, {"file": fh})
    # a background job (the test settings run it inside the request): its page links the batch
    batch = ImportBatch.objects.get(file_name="up.csv")
    assert response.status_code == 302 and response.url.startswith("/admin/core/job/")
    assert batch.source == "admin" and batch.values_added == 1 and batch.values_rejected == 1
    job_page = client.get(response.url).content.decode()
    assert "导入完成:新增 1 个数值,相同 0 个,覆盖 0 个,未导入 1 个;问题 1 处" in job_page
    batch_url = reverse("admin:airquality_importbatch_change", args=[batch.pk])
    assert f'href="{batch_url}"' in job_page and "查看导入批次" in job_page
    page = client.get(batch_url).content.decode()
    assert "不是数字(缺测请留空)" in page and 'class="aq-problems"' in page


def test_station_screen_edits_only_for_city_staff(login, world):
    from ecogov.airquality.models import Station

    station = Station.objects.get(code="9905B")
    url = reverse("admin:airquality_station_change", args=[station.pk])
    html = login("beishan_staff").get(url).content.decode()
    assert "云岭清洁对照点" in html and 'name="name"' not in html  # read-only
    assert 'name="name"' in login("leader").get(url).content.decode()


def test_patrol_list_shows_the_totals(login, world):
    html = (
        login("leader")
        .get(reverse("admin:airquality_patrol_changelist") + "?patrol_date__year=2020")
        .content.decode()
    )
    assert "出动督查人员 958 人次,巡查工地和企业 1201 个,下达问题交办函 79 件</p>" in html


def test_public_page_unknown_city_and_year_without_data(client, world):
    assert client.get("/airquality/?city=123456", follow=True).status_code == 404
    html = client.get("/airquality/?year=2005", follow=True).content.decode()
    assert 'id="aq-no-data"' in html
