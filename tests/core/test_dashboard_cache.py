"""The dashboard's counts are kept for a minute per user, year and day, and forgotten by any
save of a ledger record (core/dashboard.py): a second view is cheap, a change shows at once."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.ECOGOV_DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def _view(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/", params)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def _entities(html: str) -> int:
    found = re.search(r'排污单位</(?:a|span)>\s*<strong class="ecogov-count">(\d+)<', html)
    return int(found.group(1))


def test_a_second_view_is_served_from_the_kept_counts(kept, login):
    client = login("leader")
    first, counted = _view(client)
    second, kept_queries = _view(client)
    assert kept_queries < counted - 30  # the areas' ~50 queries are not run again
    assert _entities(second) == _entities(first)
    assert "统计于" in second and "重新统计" in second
    _, refreshed = _view(client, refresh="1")  # the user asks to count again
    assert refreshed > kept_queries + 30


def test_a_saved_record_is_counted_on_the_next_view(kept, login, world):
    from ecogov.core.models import RegulatedEntity

    client = login("leader")
    before = _entities(_view(client)[0])
    entity = RegulatedEntity.objects.visible_to(world.user("leader")).first()
    entity.pk = None
    entity.credit_code = "91330100MA2K000017"
    entity.name = "示例市新登记有限公司"
    entity.save()
    html, queries = _view(client)
    assert _entities(html) == before + 1


def test_kept_counts_are_the_users_own(kept, login):
    city = _entities(_view(login("leader"))[0])
    county = _entities(_view(login("beishan_staff"))[0])
    assert county < city
