"""Public pages are fast: each reads a bounded number of queries, whatever the number of rows
on the page (issue 13)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecogov.portal.lists import LISTS

# divisions for the filter, the count, the page's rows (each list joins what its rows show)
PAGE_QUERIES = 3
# a download or a feed: the divisions and the rows
DOWNLOAD_QUERIES = 2
RECORD_QUERIES = 2


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("key", [item.key for item in LISTS])
def test_list_pages_downloads_and_feeds_read_a_bounded_number_of_queries(client, world, key):
    url = f"/portal/{key}/"
    # the penalties page also lists the notices taken down (one query)
    assert _queries(client, url) <= PAGE_QUERIES + (key == "penalties")
    for suffix in ("csv/", "xlsx/", "atom/"):
        assert _queries(client, url + suffix) <= DOWNLOAD_QUERIES, suffix
    html = client.get(url).content.decode()
    for pk in re.findall(rf'href="/portal/{key}/(\d+)/"', html)[:3]:
        assert _queries(client, f"{url}{pk}/") <= RECORD_QUERIES


@pytest.mark.django_db
def test_a_full_page_reads_no_more_than_a_short_one(client, world):
    full = client.get("/portal/inspections/")
    assert len(full.context["table"]) == 20
    short_url = "/portal/inspections/?page=" + str(full.context["page"].paginator.num_pages)
    assert _queries(client, "/portal/inspections/") == _queries(client, short_url)


@pytest.mark.django_db
def test_home_verify_and_air_quality(client, world):
    assert _queries(client, "/portal/") == 0
    assert _queries(client, "/portal/draws/verify/") == 0
    # the air-quality area's evaluation (card, calendar, trends, stations) and the annual
    # targets' progress (airquality.targets) read a fixed set, whatever the year's rows
    assert _queries(client, "/portal/airquality/?year=2020") <= 40
