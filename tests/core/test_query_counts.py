"""Every back-office page asks the database a bounded number of questions, whatever the number
of rows (issue 10); pages leave compressed; the faster change lists write unfold's own HTML."""

import datetime as dt
import gzip
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from ecogov.core.areas import ADMIN_GROUPS, AREAS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_requests")]

QUERY_BOUND = 25  # session, user, permissions, scope, counts, rows, filters, sidebar
# the dashboard asks each area for its counters and overdue items: a few counts per area
DASHBOARD_BOUND = 12 + 5 * len(AREAS)

# The 年度数据 and report pages compute every figure of the year: about one aggregate query per figure,
# never one per record; its speed is measured by bench/bench_figures.py, not bounded here.
COMPUTING_PAGES = {"admin:reports-figures", "admin:reports-report"}
AREA_PAGES = [
    item.url_name
    for area in AREAS.values()
    for item in area.menu
    if item.url_name not in COMPUTING_PAGES
]
ADMIN_PAGES = {  # the administrators' sidebar groups, each opened by its own role
    "sysadmin": [i.url_name for i in ADMIN_GROUPS[0][1]],
    "secadmin": [i.url_name for i in ADMIN_GROUPS[1][1]],
    "auditadmin": [i.url_name for i in ADMIN_GROUPS[2][1]],
}


def _queries(client, url) -> tuple[int, int, bytes]:
    client.get(url)  # warm: the calendar, content types, the scope of the user
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), response.content.count(b'class="data-row'), response.content


def _same_for_more_rows(client, url_name, monkeypatch):
    """The page's queries with 2 rows shown and with up to 40: a per-row query shows up."""
    url = reverse(url_name)
    model_admin = getattr(resolve(url).func, "model_admin", None)
    if model_admin is None:  # a page of its own (not a change list): bounded only
        count, _rows, _html = _queries(client, url)
        assert count <= QUERY_BOUND, (url_name, count)
        return
    counts = {}
    for shown in (2, 40):
        monkeypatch.setattr(model_admin, "list_per_page", shown)
        counts[shown] = _queries(client, url)[:2]
    (few, few_rows), (many, many_rows) = counts[2], counts[40]
    assert few == many, f"{url_name}: {few} queries for {few_rows} rows, {many} for {many_rows}"
    assert many <= QUERY_BOUND, (url_name, many)


@pytest.mark.parametrize("username", ["leader", "beishan_staff"])
def test_every_area_list_page_has_a_fixed_number_of_queries(login, world, monkeypatch, username):
    client = login(username)
    opened = 0
    for url_name in AREA_PAGES:
        if client.get(reverse(url_name)).status_code != 200:
            continue  # not this role's page
        _same_for_more_rows(client, url_name, monkeypatch)
        opened += 1
    assert opened >= 20


@pytest.mark.parametrize("username", sorted(ADMIN_PAGES))
def test_every_administrator_list_page_has_a_fixed_number_of_queries(
    login, world, monkeypatch, username
):
    client = login(username)
    for url_name in ADMIN_PAGES[username]:
        _same_for_more_rows(client, url_name, monkeypatch)


def test_the_main_ledgers_show_many_rows_with_the_same_queries(login, world, monkeypatch):
    """The lists the issue measured hold more than 40 rows in 示例市: the check above saw them."""
    client = login("leader")
    for url_name in [
        "admin:enforcement_penaltycase_changelist",
        "admin:matters_petition_changelist",
        "admin:matters_rectification_changelist",
        "admin:eia_eiaproject_changelist",
    ]:
        monkeypatch.setattr(resolve(reverse(url_name)).func.model_admin, "list_per_page", 40)
        assert _queries(client, reverse(url_name))[1] == 40, url_name


def _more_matters(world, count: int, start: int = 0) -> None:
    """`count` more overdue matters in 示例市 (copies of a demo matter, new references)."""
    from ecogov.matters.models import Matter

    model = Matter.objects.filter(is_open=True, done_on__isnull=True).first()
    copies = []
    for i in range(start, start + count):
        copy = Matter.objects.get(pk=model.pk)
        copy.pk, copy.id, copy.reference = None, None, f"QC{i:05d}"
        copy.due_on = dt.date(2019, 1, 1) + dt.timedelta(days=i)
        copies.append(copy)
    Matter.objects.bulk_create(copies)


@pytest.mark.parametrize("username", ["leader", "beishan_staff", "housing_reporter"])
def test_the_dashboard_has_a_fixed_number_of_queries(login, world, username):
    """The demo's rows, 150 more, 300 more: a fixed bound, and no change once an area lists only
    its earliest items (the matters' list then also counts all of them: one query more)."""
    client = login(username)
    counts = [_queries(client, "/admin/")[0]]
    for start in (0, 150):
        _more_matters(world, 150, start=start)
        count, _rows, html = _queries(client, "/admin/")
        counts.append(count)
    assert (
        max(counts) <= DASHBOARD_BOUND and counts[1] == counts[2] and counts[1] - counts[0] <= 1
    ), counts
    if username == "leader":
        assert b"QC00000" in html  # the new matters are on the page: it did read them


def test_pages_leave_compressed(login, world):
    client = login("leader")
    url = reverse("admin:matters_petition_changelist")
    plain = client.get(url).content
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    packed = response.content
    assert len(packed) * 5 < len(plain)
    assert gzip.decompress(packed).count(b'class="data-row') == plain.count(b'class="data-row')


def _without_tokens(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:matters_petition_changelist",
        "admin:enforcement_penaltycase_changelist",
        "admin:inspections_plan_changelist",
    ],
)
def test_the_faster_lists_write_unfolds_own_html(login, world, url_name):
    from ecogov.core.admin import listing

    client = login("leader")
    url = reverse(url_name) + "?o=-1"
    fast = client.get(url).content
    listing.uninstall()
    try:
        shipped = client.get(url).content
    finally:
        listing.install()
    assert fast.count(b'name="_selected_action"') > 1 or b"data-row" in fast
    assert _without_tokens(fast) == _without_tokens(shipped)
