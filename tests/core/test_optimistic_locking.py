"""Two people saving stale versions of one record: the second is refused, nothing is lost
(issue 15 item 5; docs/security.md, “并发修改(乐观锁)”).

The API sends a record's version as its ETag and honours If-Match (412 on a stale one); a
back-office change form and a case's step page carry the version they were opened on and refuse a
stale save with what changed. Two saves of one version at the same moment: one wins, one is
refused, on SQLite and on PostgreSQL (each thread its own connection).
"""

from __future__ import annotations

import re
import threading
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client

from ecogov.core import services
from ecogov.core.models import RegulatedEntity
from ecogov.enforcement import services as case_services
from ecogov.enforcement.models import PenaltyCase
from ecogov.enforcement.workflow import TERMINAL
from tests.core.test_admin_base import form_data
from tests.core.test_concurrency import run_together, shared_db  # noqa: F401 (a fixture)

FORM = "application/x-www-form-urlencoded"


def _entity(user) -> RegulatedEntity:
    return RegulatedEntity.objects.editable_by(user).order_by("pk").first()


def _url(entity) -> str:
    return f"/api/core/entities/{entity.pk}/"


# --- the API ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_record_read_through_the_api_carries_its_version_which_a_save_changes(world, login):
    user = world.user("beishan_staff")
    entity = _entity(user)
    client = login("beishan_staff")
    first = client.get(_url(entity))
    assert first.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{32}"', first["ETag"])
    assert client.get(_url(entity))["ETag"] == first["ETag"]  # reading does not change it
    services.entity_update(actor=user, entity=entity, data={"address": "新地址 1 号"})
    assert client.get(_url(entity))["ETag"] != first["ETag"]


@pytest.mark.django_db
def test_a_put_with_a_stale_if_match_is_refused_with_412_and_nothing_is_written(world, login):
    user = world.user("beishan_staff")
    entity = _entity(user)
    client = login("beishan_staff")
    seen = client.get(_url(entity))["ETag"]
    # someone else saves in between (another session, the back office, an import …)
    services.entity_update(actor=world.user("leader"), entity=entity, data={"address": "甲地址"})
    response = client.patch(
        _url(entity), {"address": "乙地址"}, content_type="application/json", HTTP_IF_MATCH=seen
    )
    assert response.status_code == 412
    body = response.json()
    assert set(body) == {"detail"} and "已被他人修改" in body["detail"]
    assert response["ETag"] == client.get(_url(entity))["ETag"] != seen  # what to read again
    entity.refresh_from_db()
    assert entity.address == "甲地址"  # the other person's save is kept
    # a full PUT with the stale version: refused the same way
    data = {k: v for k, v in client.get(_url(entity)).json().items() if k != "id"}
    put = client.put(
        _url(entity), {**data, "address": "丙地址"}, content_type="application/json",
        HTTP_IF_MATCH=seen,
    )  # fmt: skip
    assert put.status_code == 412
    entity.refresh_from_db()
    assert entity.address == "甲地址"


@pytest.mark.django_db
def test_a_save_with_the_current_version_goes_through_and_answers_the_new_one(world, login):
    entity = _entity(world.user("beishan_staff"))
    client = login("beishan_staff")
    seen = client.get(_url(entity))["ETag"]
    response = client.patch(
        _url(entity), {"address": "乙地址"}, content_type="application/json", HTTP_IF_MATCH=seen
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] != seen
    assert response["ETag"] == client.get(_url(entity))["ETag"]
    entity.refresh_from_db()
    assert entity.address == "乙地址"
    # "*" asks only that the record exists
    star = client.patch(
        _url(entity), {"address": "丙地址"}, content_type="application/json", HTTP_IF_MATCH="*"
    )
    assert star.status_code == 200


@pytest.mark.django_db
def test_a_compressed_answer_weakens_the_etag_which_still_names_the_version(world, login):
    """GZipMiddleware marks the ETag of a compressed answer weak (W/"…"); sent back in If-Match
    it names the same version."""
    entity = _entity(world.user("beishan_staff"))
    client = login("beishan_staff")
    seen = client.get(_url(entity), HTTP_ACCEPT_ENCODING="gzip")["ETag"]
    assert seen.startswith('W/"')
    ok = client.patch(
        _url(entity), {"address": "乙地址"}, content_type="application/json", HTTP_IF_MATCH=seen
    )
    assert ok.status_code == 200
    stale = client.patch(
        _url(entity), {"address": "丙地址"}, content_type="application/json", HTTP_IF_MATCH=seen
    )
    assert stale.status_code == 412


@pytest.mark.django_db
def test_without_if_match_a_save_goes_through_as_before(world, login):
    """Documented: a client that does not lock (no If-Match) writes as it always did."""
    entity = _entity(world.user("beishan_staff"))
    client = login("beishan_staff")
    services.entity_update(actor=world.user("leader"), entity=entity, data={"address": "甲地址"})
    response = client.patch(_url(entity), {"address": "乙地址"}, content_type="application/json")
    assert response.status_code == 200 and response["ETag"]


# --- the back office -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_stale_change_form_is_refused_with_what_changed_and_nothing_is_saved(world, login):
    user = world.user("beishan_staff")
    entity = _entity(user)
    url = f"/admin/core/regulatedentity/{entity.pk}/change/"
    client = login("beishan_staff")
    opened = form_data(client.get(url).content.decode(), "regulatedentity_form")
    assert any(name == "record_version" and value for name, value in opened)
    before_name, before_status = entity.name, entity.get_status_display()
    # another person renames the entity and marks it closed while the form is open
    services.entity_update(
        actor=world.user("leader"),
        entity=entity,
        data={"name": "另一人改的名称", "status": "closed"},
    )
    mine = [(n, "我填写的地址" if n == "address" else v) for n, v in opened]
    response = client.post(url, urlencode(mine), content_type=FORM)

    assert response.status_code == 200  # the form again, not the redirect of a save
    html = response.content.decode()
    assert "已被他人修改" in html
    # the fields the other person changed, by their Chinese names, old → new as people read them
    assert f"单位名称:{before_name} → 另一人改的名称" in html
    assert f"状态:{before_status} → 关闭" in html
    assert "我填写的地址" in html  # the user's input is kept in the form
    entity.refresh_from_db()
    assert entity.name == "另一人改的名称" and entity.address != "我填写的地址"

    # read, then saved again: the form now carries the current version and goes through
    again = form_data(html, "regulatedentity_form")
    saved = client.post(url, urlencode(again), content_type=FORM)
    assert saved.status_code == 302, saved.content.decode()[-2000:]
    entity.refresh_from_db()
    assert entity.address == "我填写的地址"


@pytest.mark.django_db
def test_one_person_saving_twice_is_not_refused(world, login):
    """Saving changes the version; the page opened after it carries the new one, so one person
    saving one record again and again is never refused."""
    entity = _entity(world.user("beishan_staff"))
    url = f"/admin/core/regulatedentity/{entity.pk}/change/"
    client = login("beishan_staff")
    versions = []
    for address in ("一号", "二号"):
        data = form_data(client.get(url).content.decode(), "regulatedentity_form")
        versions.append(dict(data)["record_version"])
        data = [(n, address if n == "address" else v) for n, v in data]
        assert client.post(url, urlencode(data), content_type=FORM).status_code == 302
    assert versions[0] != versions[1]
    entity.refresh_from_db()
    assert entity.address == "二号"


# --- the case's steps -----------------------------------------------------------------------------
def _running_case(user) -> PenaltyCase:
    return (
        PenaltyCase.objects.editable_by(user)
        .exclude(state__in=TERMINAL)
        .exclude(number="")
        .order_by("pk")
        .first()
    )


def _edit(case, **changes) -> dict:
    fields = ["title", "facts", "party_name", "party_id_number", "party_phone", "party_address"]
    return {**{f: getattr(case, f) for f in fields}, "reason": "", **changes}


@pytest.mark.django_db
def test_a_case_update_through_the_api_honours_if_match(world, login):
    user = world.user("inspector")
    case = _running_case(user)
    url = f"/api/enforcement/cases/{case.pk}/"
    client = login("inspector")
    seen = client.get(url)["ETag"]
    case_services.case_update(actor=user, case=case, data={"title": "另一人改的案由"})
    stale = client.post(
        f"{url}steps/update/",
        _edit(case, facts="我改的违法事实"),
        content_type="application/json",
        HTTP_IF_MATCH=seen,
    )
    assert stale.status_code == 412 and "已被他人修改" in stale.json()["detail"]
    case.refresh_from_db()
    assert case.title == "另一人改的案由" and case.facts != "我改的违法事实"

    fresh = client.post(
        f"{url}steps/update/",
        _edit(case, facts="我改的违法事实"),
        content_type="application/json",
        HTTP_IF_MATCH=stale["ETag"],
    )
    assert fresh.status_code == 200, fresh.content
    assert fresh["ETag"] == client.get(url)["ETag"] != stale["ETag"]
    case.refresh_from_db()
    assert case.facts == "我改的违法事实" and case.title == "另一人改的案由"


@pytest.mark.django_db
def test_a_stale_case_step_page_is_refused_with_what_changed(world, login):
    user = world.user("inspector")
    case = _running_case(user)
    url = f"/admin/enforcement/penaltycase/{case.pk}/step/update/"
    client = login("inspector")
    page = client.get(url).content.decode()
    opened = dict(_step_form(page))
    assert opened.get("record_version")
    old_title = case.title
    case_services.case_update(actor=user, case=case, data={"title": "另一人改的案由"})
    response = client.post(url, urlencode({**opened, "facts": "我改的违法事实"}), content_type=FORM)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"案由:{old_title} → 另一人改的案由" in html
    assert "我改的违法事实" in html
    case.refresh_from_db()
    assert case.facts != "我改的违法事实" and case.title == "另一人改的案由"


def _step_form(html: str) -> list[tuple[str, str]]:
    import lxml.html

    form = next(f for f in lxml.html.fromstring(html).forms if "title" in f.fields)
    return list(form.form_values())


# --- two at once -----------------------------------------------------------------------------------
@pytest.mark.parametrize("door", ["api", "admin"])
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_version_at_once_one_wins_and_one_is_refused(
    shared_db,  # noqa: F811 (the fixture)
    monkeypatch,
    door,
):
    """Both sessions hold the same version and save at the same moment. The first to pass the
    check waits inside the write (2 s) for the other: were the check not atomic with the write,
    the other would pass too and both would save (the first change lost)."""
    user = User.objects.get(username="beishan_staff")
    entity = _entity(user)
    sessions = []
    for _ in range(2):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        sessions.append(client)
    api, admin = _url(entity), f"/admin/core/regulatedentity/{entity.pk}/change/"
    if door == "api":
        version = sessions[0].get(api)["ETag"]

        def save(client, address):
            return lambda: (
                client.patch(
                    api,
                    {"address": address},
                    content_type="application/json",
                    HTTP_IF_MATCH=version,
                ).status_code
            )

    else:
        # both open the form before either saves: one version
        opened = {
            c: form_data(c.get(admin).content.decode(), "regulatedentity_form") for c in sessions
        }

        def save(client, address):
            data = [(n, address if n == "address" else v) for n, v in opened[client]]
            return lambda: client.post(admin, urlencode(data), content_type=FORM).status_code

    inside, other_inside = [], threading.Event()
    real = services.entity_update

    def slow(**kwargs):
        inside.append(kwargs["data"].get("address"))
        if len(inside) == 1:
            other_inside.wait(2)
        else:
            other_inside.set()
        return real(**kwargs)

    monkeypatch.setattr(services, "entity_update", slow)
    codes = run_together(shared_db, [save(sessions[0], "甲地址"), save(sessions[1], "乙地址")])

    saved, refused = (200, 412) if door == "api" else (302, 200)
    assert sorted(codes) == sorted([saved, refused]), codes
    winner = ["甲地址", "乙地址"][codes.index(saved)]
    assert inside == [winner]  # the refused save never reached the service
    entity.refresh_from_db()
    assert entity.address == winner


# --- every door ------------------------------------------------------------------------------------
def test_every_viewset_of_the_api_sends_and_honours_versions():
    """A new viewset that forgets the mixin fails here (docs/architecture.md)."""
    from django.urls import get_resolver
    from rest_framework.viewsets import ViewSetMixin

    from ecogov.core.api_views import Versioned

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns)
            else:
                yield pattern

    routed = {getattr(p.callback, "cls", None) for p in walk(get_resolver().url_patterns)}
    viewsets = [
        view
        for view in routed
        if view is not None
        and issubclass(view, ViewSetMixin)
        and view.__module__.startswith("ecogov.")
    ]
    assert len(viewsets) > 30
    assert sorted(v.__name__ for v in viewsets if not issubclass(v, Versioned)) == []
