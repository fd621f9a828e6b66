"""The dashboard: the year in view (picked, kept in the session, in the title; every yearly tile
counts it) and the overdue list grouped by area, most overdue first, filtered and paged."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ecogov.core.areas import AREAS
from ecogov.core.dashboard import OVERDUE_PER_PAGE, YEAR_SESSION_KEY
from ecogov.core.queries import overdue_items_for

pytestmark = pytest.mark.django_db


def _count(html: str, label: str) -> int:
    found = re.search(
        re.escape(label) + r'</(?:a|span)>\s*<strong class="ecogov-count">(\d+)<', html
    )
    assert found, f"no tile {label!r}"
    return int(found.group(1))


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_the_demo_opens_on_its_own_year(login, world):
    """示例市's ledgers are of 2020 (one permit is issued today): the dashboard opens on 2020."""
    from ecogov.eia.models import Decision, EiaProject

    client = login("leader")
    html = client.get("/admin/").content.decode()
    assert _title(html).startswith("2020年工作台")
    approved = (
        EiaProject.objects.visible_to(world.user("leader"))
        .filter(decision=Decision.APPROVED, decided_on__year=2020)
        .count()
    )
    assert approved > 0 and _count(html, "2020年批准") == approved
    assert client.session[YEAR_SESSION_KEY] == 2020


def test_the_chosen_year_is_kept_and_every_yearly_tile_follows_it(login, world):
    from ecogov.inspections.models import InspectionRecord, Plan
    from ecogov.matters.models import Matter

    leader = world.user("leader")
    client = login("leader")
    html = client.get("/admin/", {"year": "2019"}).content.decode()
    assert _title(html).startswith("2019年工作台") and "各业务领域(2019年)" in html
    html = client.get("/admin/").content.decode()  # kept in the session
    assert _title(html).startswith("2019年工作台")
    assert (
        _count(html, "2019年检查家次")
        == InspectionRecord.objects.visible_to(leader).filter(date__year=2019).count()
    )
    assert (
        _count(html, "2019年抽查计划")
        == Plan.objects.visible_to(leader).filter(period_start__year=2019).count()
    )
    assert (
        _count(html, "2019年交办事项")
        == Matter.objects.visible_to(leader).filter(received_on__year=2019).count()
    )
    this_year = timezone.localdate().year
    html = client.get("/admin/", {"year": str(this_year)}).content.decode()
    assert f"{this_year}年批准" in html and "2019年批准" not in html


def test_a_county_user_counts_his_own_territory(login, world):
    from ecogov.matters.models import Matter

    html = login("beishan_staff").get("/admin/", {"year": "2020"}).content.decode()
    mine = Matter.objects.visible_to(world.user("beishan_staff")).filter(received_on__year=2020)
    assert (
        _count(html, "2020年交办事项")
        == mine.count()
        < Matter.objects.filter(received_on__year=2020).count()
    )


@pytest.mark.parametrize("asked", ["abc", "1800", "99999", ""])
def test_a_wrong_year_is_refused_in_chinese_and_the_year_stays(login, world, asked):
    client = login("leader")
    client.get("/admin/", {"year": "2019"})
    html = client.get("/admin/", {"year": asked}).content.decode()
    assert "无效:请选择 2000 年至" in html and f"年份“{asked}”" in html
    assert _title(html).startswith("2019年工作台")


def test_a_configured_default_year(login, world, settings):
    settings.ECOGOV_DEFAULT_YEAR = 2018
    assert _title(login("leader").get("/admin/").content.decode()).startswith("2018年工作台")


def test_every_tile_links_to_a_list_that_takes_it(login, world):
    """Each tile's link opens its list with the tile's filter (a refused filter redirects)."""
    from ecogov.core.dashboard import dashboard_callback

    client = login("leader")
    request = client.get("/admin/").wsgi_request
    for year in (2020, timezone.localdate().year):
        request.session[YEAR_SESSION_KEY] = year
        context = dashboard_callback(request, {})
        for area in context["ecogov_areas"]:
            for counter in area["counters"]:
                if counter.url:
                    assert client.get(counter.url).status_code == 200, counter.url


def test_the_administrators_see_no_ledgers(login, world):
    html = login("sysadmin").get("/admin/").content.decode()
    assert "管理账户" in html and 'id="ecogov-areas"' not in html


# --- the overdue list ---------------------------------------------------------------------------
def _rows(html: str) -> list[tuple[str, str]]:
    table = html[
        html.find('id="ecogov-overdue"') : html.find("</table>", html.find('id="ecogov-overdue"'))
    ]
    return re.findall(
        r'<tr class="[^"]*" data-area="(\w+)"><td class="py-1"><a [^>]*>([^<]*)</a>'
        r"</td><td>(\d{4}-\d\d-\d\d)",
        table,
    )


def test_the_overdue_list_is_grouped_sorted_and_paged(login, world):
    leader = world.user("leader")
    items = overdue_items_for(leader)
    assert len(items) > OVERDUE_PER_PAGE  # the demo's leader has ~100
    client = login("leader")
    html = client.get("/admin/").content.decode()
    first = _rows(html)
    assert len(first) == OVERDUE_PER_PAGE
    order = list(AREAS)
    keys = [(order.index(area), due) for area, _label, due in first]
    assert keys == sorted(keys)  # by area, most overdue (earliest) first within an area
    pages = -(-len(items) // OVERDUE_PER_PAGE)
    assert f"第 1 / {pages} 页(共 {len(items)} 项)" in html
    seen = [
        row
        for page in range(1, pages + 1)
        for row in _rows(client.get("/admin/", {"page": page}).content.decode())
    ]
    assert len(seen) == len(items) and len(set(seen)) == len(items)
    # the area summary counts each area's overdue and due-soon items
    today = timezone.localdate()
    matters_overdue = sum(1 for i in items if i.area == "matters" and i.due < today)
    summary = html[
        html.find('id="ecogov-overdue-summary"') : html.find(
            "</ul>", html.find('id="ecogov-overdue-summary"')
        )
    ]
    assert re.search(r'data-area="matters">.*?逾期 ' + str(matters_overdue) + "<", summary, re.S)


def test_the_overdue_list_filters(login, world):
    leader = world.user("leader")
    items = overdue_items_for(leader)
    today = timezone.localdate()
    client = login("leader")
    rows = _rows(client.get("/admin/", {"area": "enforcement"}).content.decode())
    assert rows and {a for a, _l, _d in rows} == {"enforcement"}
    assert len(rows) == sum(1 for i in items if i.area == "enforcement")
    soon = _rows(client.get("/admin/", {"due": "soon"}).content.decode())
    assert soon and all(dt.date.fromisoformat(d) >= today for _a, _l, d in soon)
    assert len(soon) == sum(1 for i in items if i.due >= today)
    wanted = next(i for i in items if i.area == "matters")
    reference = wanted.label.split()[0]
    found = _rows(client.get("/admin/", {"q": reference}).content.decode())
    assert found and all(reference in label for _a, label, _d in found)
    html = client.get("/admin/", {"q": "没有这样的事项"}).content.decode()
    assert "没有符合筛选条件的事项。" in html


def test_an_area_listing_only_its_earliest_items_says_how_many_there_are(login, world):
    from ecogov.matters import queries

    leader = world.user("leader")
    listed = queries.overdue_items(leader, limit=10)
    assert len(listed) == 10 and listed.total > 10
    assert listed.url == reverse("admin:matters-overdue")


def test_the_calendar_is_read_once_per_request(login, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("leader")
    client.get("/admin/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/admin/")
    reads = [q for q in queries.captured_queries if "core_historicalworkdayoverride" in q["sql"]]
    assert len(reads) == 1


def test_the_app_list_is_built_once_per_request_and_each_caller_gets_its_own_copy(
    login, world, monkeypatch
):
    from django.contrib import admin
    from django.test import RequestFactory

    from ecogov.core.admin_site import EcoGovAdminSite

    assert isinstance(admin.site, EcoGovAdminSite)
    builds = []
    original = EcoGovAdminSite._build_app_dict

    def counting(site, request, label=None):
        builds.append(label)
        return original(site, request, label)

    monkeypatch.setattr(EcoGovAdminSite, "_build_app_dict", counting)
    response = login("leader").get("/admin/")
    assert response.status_code == 200
    assert builds == [None]  # Django asks twice (the sidebar's apps, the index's list)

    from django.contrib.auth.models import User

    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(username="leader")
    first = admin.site.get_app_list(request)
    first[0]["models"].clear()  # a caller filtering its copy (the theme's search)
    second = admin.site.get_app_list(request)
    assert second[0]["models"], "another caller's copy was changed"
    assert len(builds) == 2
