"""The access matrix (issue 15): every role × every ledger × every action, allowed or denied.

The ledgers are discovered from the back-office registry and the API router, the expectation is
derived from the roles' definition (ecogov.core.access), and each cell is asked of the screen
or the endpoint as the demo user of the role: a new screen that forgets its permissions or its
scope fails here. A county user's view of another county's records is asserted "not found"
through every door; a city-wide user sees them. docs/access-matrix.md is generated from the
same source and must be up to date.
"""

from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ecogov.core import access
from ecogov.core.demo import USERS
from ecogov.core.management.commands.access_matrix import render
from ecogov.core.roles import Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "access-matrix.md"

# the demo user who holds exactly the role
ROLE_USERS = {
    role: next((name for name, spec in USERS.items() if list(spec[3]) == [role]), None)
    for role in Role
}


def test_every_role_has_a_demo_user_and_the_discovery_reaches_every_area():
    assert all(ROLE_USERS.values()), ROLE_USERS
    found = access.ledgers()
    areas = {ledger.area for ledger in found}
    assert {"core", "eia", "permits", "matters", "enforcement", "inspections"} <= areas
    assert {"legal", "outreach", "emergency", "airquality", "reports"} <= areas
    assert sum(1 for ledger in found if ledger.api) >= 30  # the API router was walked
    assert sum(1 for ledger in found if ledger.admin) >= 60  # so was the admin registry


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _records(ledger, user, role, *, editable=False):
    """Records the role's definition lets the user reach (in his scope); for a role that may
    not read the ledger at all, any record (the door must refuse it)."""
    manager = ledger.model._default_manager
    if ledger.scoped and access.role_may(role, ledger, "view"):
        mine = manager.editable_by(user) if editable else manager.visible_to(user)
        return list(mine.order_by("pk")[:20])
    return list(manager.order_by("pk")[:20])


def _admin_cells(ledger, user, role) -> dict:
    ma, request, superuser = ledger.admin, _request(user), access.superuser_request()
    cells = {
        "list": ma.has_view_or_change_permission(request),
        "create": ma.has_add_permission(request),
    }
    if access.export_actions(ma, superuser):
        cells["export"] = cells["list"] and bool(access.export_actions(ma, request))
    seen = _records(ledger, user, role)
    if seen:
        record = seen[0]
        reachable = ma.get_queryset(request).filter(pk=record.pk).exists()
        cells["view"] = reachable and ma.has_view_or_change_permission(request, record)
    editable = _records(ledger, user, role, editable=True)
    # a record whose state still lets anyone change it (a decided application does not)
    record = next((r for r in editable if ma.has_change_permission(superuser, r)), None)
    if record is not None:
        reachable = ma.get_queryset(request).filter(pk=record.pk).exists()
        cells["edit"] = reachable and ma.has_change_permission(request, record)
    steps = set(access._edit_record_actions(ma))
    for record in editable if steps else []:
        offered = {a.action_name for a in ma.get_actions_detail(superuser, str(record.pk))}
        if offered & steps:  # a record whose state still takes a step
            mine = {a.action_name for a in ma.get_actions_detail(request, str(record.pk))}
            cells["state"] = bool(mine & steps)
            break
    return cells


def _allowed(response, path) -> bool:
    """Past the permission check (a 400 or 415 is the empty body refused), or not (403)."""
    assert response.status_code in (200, 201, 400, 403, 415), (path, response.status_code)
    return response.status_code != 403


def _api_cells(ledger, client) -> dict:
    cells = {}
    for collection in ledger.api:
        got = _allowed(client.get(collection.path, {"page_size": 1}), collection.path)
        cells.setdefault("api_read", []).append(got)
        if collection.creates:
            response = client.post(collection.path, {}, content_type="application/json")
            cells.setdefault("api_write", []).append(_allowed(response, collection.path))
        if collection.exports and ledger.admin is None:
            path = collection.path + "export/"
            cells.setdefault("export", []).append(_allowed(client.get(path), path))
    # every collection of a ledger answers alike, else the cell is reported as mixed
    return {k: (v[0] if len(set(v)) == 1 else "mixed") for k, v in cells.items()}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_exactly_what_the_roles_definition_allows(role, world, client):
    user = world.user(ROLE_USERS[role])
    client.force_login(user)
    wrong = []
    for ledger in access.ledgers():
        offers = access.offered(ledger)
        want = access.expected(role, ledger, offers)
        admin_cells = _admin_cells(ledger, user, role) if ledger.admin else {}
        got = {**admin_cells, **_api_cells(ledger, client)}
        for action in access.ACTION_KEYS:
            if want[action] is not None and action in got and got[action] != want[action]:
                verdict = "允许" if want[action] else "拒绝"
                wrong.append(f"{ledger.key} {action}: 应{verdict},实际 {got[action]}")
    assert wrong == [], "\n".join(wrong)


COUNTY = "beishan_staff"


def _foreign(ledger, user):
    manager = ledger.model._default_manager
    return manager.exclude(pk__in=manager.visible_to(user).values("pk")).order_by("pk").first()


def _detail_path(collection, pk):
    return f"{collection.path}{pk}/"


def _leaks(ledger, county, leader, client) -> list[str]:
    """How the ledger's doors give the county user another county's record (none is right)."""
    record = _foreign(ledger, county)
    if record is None:
        return []
    leaks, ma = [], ledger.admin
    if ma is not None:
        request = _request(county)
        if ma.get_queryset(request).filter(pk=record.pk).exists():
            leaks.append(f"{ledger.key}: 后台列表含外区县记录 {record.pk}")
        if ma.has_view_or_change_permission(request, record):
            leaks.append(f"{ledger.key}: 后台可查看外区县记录 {record.pk}")
        opts = ledger.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        client.force_login(county)
        if client.get(url).status_code == 200:
            leaks.append(f"{ledger.key}: {url} 对区县用户返回 200")
        if not ma.get_queryset(_request(leader)).filter(pk=record.pk).exists():
            leaks.append(f"{ledger.key}: 局领导(全市)在后台看不到记录 {record.pk}")
    client.force_login(county)
    for collection in ledger.api:
        response = client.get(_detail_path(collection, record.pk))
        if response.status_code not in (403, 404, 405):
            leaks.append(f"{collection.path}{record.pk}/: 区县用户得到 {response.status_code}")
    return leaks


def test_another_countys_records_are_not_found_through_any_door(world, client):
    """For every scoped ledger: the county user's screens, detail pages and API answer “not
    found” for a record of another county; the city leader reaches the same record."""
    county, leader = world.user(COUNTY), world.user("leader")
    scoped = [x for x in access.ledgers() if x.scoped and _foreign(x, county) is not None]
    assert len(scoped) >= 25  # the scoped ledgers that hold another county's records
    leaks = [leak for ledger in scoped for leak in _leaks(ledger, county, leader, client)]
    assert leaks == []


def test_the_committed_access_matrix_document_is_up_to_date(db):
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/access-matrix.md 已过期:运行 ecogov access_matrix --output docs/access-matrix.md"
    )


def test_the_matrix_catches_a_screen_that_forgets_its_scope(world, client, monkeypatch):
    """The checks can fail: a screen that lists every county's records, or a role given a
    permission its definition does not hold, is caught."""
    from ecogov.core.admin.base import ScopedModelAdmin
    from ecogov.core.models import RegulatedEntity

    ledger = next(x for x in access.ledgers() if x.model is RegulatedEntity)
    county, leader = world.user(COUNTY), world.user("leader")
    assert _leaks(ledger, county, leader, client) == []
    monkeypatch.setattr(
        ScopedModelAdmin, "get_queryset", lambda self, request: self.model._default_manager.all()
    )
    assert _leaks(ledger, county, leader, client) != []
    monkeypatch.undo()
    viewer = world.user("viewer")
    assert access.expected(Role.VIEWER, ledger)["create"] is False
    assert _admin_cells(ledger, viewer, Role.VIEWER)["create"] is False
    monkeypatch.setattr(type(ledger.admin), "has_add_permission", lambda self, request: True)
    assert (
        _admin_cells(ledger, viewer, Role.VIEWER)["create"] is True
    )  # the role test would report it
