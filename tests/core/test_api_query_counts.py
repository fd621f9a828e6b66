"""Every API list answers in a bounded number of queries whatever the page size (issue 13):
a per-row query (a permission check, a related record read per row) shows as more queries for
40 rows than for 2 (a prefetch of a generic relation may add one query per kind of record it
points to, fewer than the rows). The endpoints come from the URL resolver, so a new list is
covered."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.pagination import PageNumberPagination

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_requests")]

QUERY_BOUND = 20  # session, user, permissions, scope, count, rows, prefetches
USERS = ["leader", "beishan_staff", "legal", "sysadmin", "auditadmin", "secadmin"]


def _routes(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern).lstrip("^").rstrip("$")
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p.callback


def list_routes() -> list[str]:
    found = set()
    for route, callback in _routes(get_resolver().url_patterns):
        actions = getattr(callback, "actions", None) or {}
        if route.startswith("api/") and "<" not in route and actions.get("get") == "list":
            found.add("/" + route)
    return sorted(found)


def _page(client, url, size, monkeypatch) -> tuple[int, int, int]:
    monkeypatch.setattr(PageNumberPagination, "page_size", size)
    client.get(url)  # warm: content types, the calendar, the user's scope
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    rows = len(response.json().get("results", [])) if response.status_code == 200 else 0
    return response.status_code, len(captured), rows


def test_the_list_endpoints_are_found():
    routes = list_routes()
    assert "/api/enforcement/cases/" in routes and "/api/matters/matters/" in routes
    assert len(routes) >= 30


def test_every_api_list_asks_a_bounded_number_of_queries(world, monkeypatch):
    clients = {}
    for name in USERS:
        clients[name] = Client()
        clients[name].force_login(world.user(name))
    problems, measured = [], 0
    for url in list_routes():
        for name, client in clients.items():
            status, few, few_rows = _page(client, url, 2, monkeypatch)
            if status != 200:
                continue  # not this user's list: the next one who may read it
            _status, many, many_rows = _page(client, url, 40, monkeypatch)
            measured += 1
            # a query a row grows with the rows; a prefetch of a generic relation may add one
            # query per kind of record it points to, fewer than the rows added
            if many_rows > few_rows and many - few >= many_rows - few_rows:
                problems.append(
                    f"{url} ({name}): {few} queries for {few_rows} rows, {many} for {many_rows}"
                )
            elif many > QUERY_BOUND:
                problems.append(f"{url} ({name}): {many} queries")
            break
        else:
            problems.append(f"{url}: no demo user may read it")
    assert not problems, "\n".join(problems)
    assert measured >= 30
