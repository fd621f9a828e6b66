"""The back-office pages of every business role; the annual report's deadlines."""

import datetime as dt

import pytest
from django.urls import reverse

from ecogov.reports import queries

BUSINESS = [
    "leader",
    "eia_staff",
    "legal",
    "inspector",
    "beishan_staff",
    "housing_reporter",
    "viewer",
]


@pytest.mark.parametrize("username", BUSINESS)
def test_the_figures_page_in_the_sidebar_of_every_business_role(world, login, username):
    client = login(username)
    home = client.get("/admin/").content.decode()
    assert reverse("admin:reports-figures") in home and "年度数据" in home
    page = client.get(reverse("admin:reports-figures") + "?year=2020")
    assert page.status_code == 200 and 'id="rp-figures"' in page.content.decode()
    report = client.get(reverse("admin:reports-report") + "?year=2020")
    assert report.status_code == 200 and "rp-document" in report.content.decode()
    assert client.get("/admin/reports/outline/").status_code == 200
    assert client.get("/admin/reports/narrative/").status_code == 200
    assert client.get("/admin/reports/publishedreport/").status_code == 200


def test_administrators_do_not_see_it(login, world):
    for name in ("sysadmin", "secadmin", "auditadmin"):
        assert login(name).get(reverse("admin:reports-figures")).status_code == 403


def test_each_value_links_to_exactly_its_records(login, world):
    client = login("leader")
    html = client.get(reverse("admin:reports-figures") + "?year=2020").content.decode()
    assert 'data-key="eia.approved.city_level"' in html
    url = reverse("admin:reports-records") + "?key=eia.approved.city_level&area=eia&year=2020"
    assert url.replace("&", "&amp;") in html
    page = client.get(url)
    assert page.status_code == 200 and "由以下 187 条" in page.content.decode()


def test_bad_parameters_on_the_page_are_shown(login, world):
    html = login("leader").get(reverse("admin:reports-figures") + "?year=20x").content.decode()
    assert "参数 year(年度)" in html


def test_the_report_page_shows_the_check_and_the_publish_form(login, world):
    legal = login("legal").get(reverse("admin:reports-report") + "?year=2020").content.decode()
    assert "文中写“项目总投资215.27亿元”" in legal and "218.5亿元" in legal
    # every area registers its figures now: the demo's 2020 report lacks none
    assert 'id="rp-publish"' in legal and "〔暂无数据:" not in legal
    viewer = login("viewer").get(reverse("admin:reports-report") + "?year=2020").content.decode()
    assert 'id="rp-publish"' not in viewer


def test_the_deadlines_of_the_annual_report(world, annual, legal):
    from ecogov.reports import services

    items = queries.overdue_items(legal, today=dt.date(2021, 2, 10))
    assert [(i.label, i.due) for i in items] == [
        ("2020年度法治政府建设年度报告:报送本级政府", dt.date(2021, 3, 1)),
        ("2020年度法治政府建设年度报告:向社会公开", dt.date(2021, 4, 1)),
    ]
    assert queries.overdue_items(world.user("leader"), today=dt.date(2021, 2, 10))
    assert queries.overdue_items(world.user("viewer"), today=dt.date(2021, 2, 10)) == []
    assert queries.overdue_items(world.user("eia_staff"), today=dt.date(2021, 2, 10)) == []
    report = services.report_publish(actor=legal, outline=annual, year=2020, acknowledge=True)
    services.report_mark_submitted(actor=legal, report=report, day=dt.date(2021, 2, 20))
    items = queries.overdue_items(legal, today=dt.date(2021, 2, 21))
    assert [i.due for i in items] == [dt.date(2021, 4, 1)]


def test_the_dashboard_of_the_legal_section(login, world):
    # the overdue list is paged and filterable by area (dashboard): the report's group
    html = login("legal").get("/admin/?area=reports").content.decode()
    assert "年度法治政府建设年度报告:报送本级政府" in html
    assert (
        "年度法治政府建设年度报告:报送本级政府"
        not in login("viewer").get("/admin/?area=reports").content.decode()
    )


def test_the_dashboard_counts_the_years_reports(login, world):
    from ecogov.reports import queries

    client = login("leader")
    html = client.get("/admin/?year=2020").content.decode()
    found = {c.label: c for c in queries.counters(world.user("leader"), 2020)}
    assert "2020年已发布的报告" in found and "2020年已发布的报告" in html
    for counter in found.values():
        listing = client.get(counter.url)
        assert listing.status_code == 200, counter.url
    assert queries.counters(world.user("sysadmin"), 2020) == []  # no ledgers, no tile
