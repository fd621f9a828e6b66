"""API lists: paged by number with the total, or walked by cursor; ordered by `?ordering=`
(core/api_lists.py; docs/api.md, "Lists")."""

from ecogov.core.models import RegulatedEntity

API = "/api/core/entities/"


def walk(client, url):
    rows, pages = [], 0
    while url:
        answer = client.get(url)
        assert answer.status_code == 200, answer.content
        body = answer.json()
        assert "count" not in body  # a cursor page has no total
        rows += body["results"]
        url, pages = body["next"], pages + 1
    return rows, pages


def test_a_cursor_walks_every_row_once_even_when_rows_are_added(login, world):
    client = login("inspector")
    visible = RegulatedEntity.objects.visible_to(world.user("inspector")).count()
    first = client.get(f"{API}?paging=cursor&page_size=7").json()
    assert len(first["results"]) == 7 and "cursor=" in first["next"]
    # a record added while another system is paging does not shift what it reads
    RegulatedEntity.objects.filter(pk=first["results"][0]["id"]).update(name="中途修改的名称")
    rest, pages = walk(client, first["next"])
    ids = [r["id"] for r in first["results"] + rest]
    assert len(ids) == len(set(ids)) == visible
    assert pages == -(-(visible - 7) // 7)
    bad = client.get(f"{API}?cursor=not-a-cursor")
    assert bad.status_code == 404 and "游标无效" in bad.json()["detail"]


def test_numbered_pages_keep_their_count_and_size(login, world):
    client = login("beishan_staff")
    body = client.get(f"{API}?page_size=5&page=2").json()
    assert body["count"] == RegulatedEntity.objects.visible_to(world.user("beishan_staff")).count()
    assert len(body["results"]) == 5
    assert client.get(f"{API}?page_size=5000").json()["results"].__len__() <= 500
    wrong = client.get(f"{API}?page=999999")
    assert wrong.status_code == 404 and "页码无效" in wrong.json()["detail"]


def test_ordering_by_a_field_and_walking_that_order_by_cursor(login, world):
    client = login("inspector")
    names = [r["credit_code"] for r in client.get(f"{API}?ordering=-credit_code").json()["results"]]
    assert names == sorted(names, reverse=True) and len(names) > 1
    rows, _pages = walk(client, f"{API}?paging=cursor&ordering=-credit_code&page_size=9")
    codes = [r["credit_code"] for r in rows]
    assert codes == sorted(codes, reverse=True)
    # unknown fields are ignored (the default order), never a server error
    assert client.get(f"{API}?ordering=no_such_field").status_code == 200
