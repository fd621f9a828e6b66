"""The portal's lists: what each shows and for how long, the filters, the downloads, the feeds,
the addresses (issue 13)."""

import ast
import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

import ecogov
from ecogov.core.dates import add_years
from ecogov.enforcement.models import CaseDisclosure
from ecogov.legal.models import CleanupItem
from ecogov.portal.feeds import FEED_ITEMS

ATOM = "{http://www.w3.org/2005/Atom}"


def _publish(disclosure, day):
    CaseDisclosure.objects.filter(pk=disclosure.pk).update(published_on=day, withdrawn_on=None)


def _count(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.context["page"].paginator.count


@pytest.fixture
def disclosures(world):
    today = timezone.localdate()
    # on the portal: published and not withdrawn (the demo withdraws a revoked decision's)
    found = list(
        CaseDisclosure.objects.filter(published_on__isnull=False, withdrawn_on__isnull=True)
        .select_related("case__division")
        .order_by("pk")
    )
    assert len(found) >= 3
    CaseDisclosure.objects.filter(published_on__isnull=False).update(
        published_on=today - dt.timedelta(days=10)
    )
    return found


@pytest.mark.django_db
def test_a_withdrawn_decision_leaves_the_portal_with_a_notice(client, disclosures):
    disclosure = disclosures[0]
    url = f"/portal/penalties/{disclosure.pk}/"
    before = _count(client, "/portal/penalties/")
    assert disclosure.title in client.get(url).content.decode()
    today = timezone.localdate()
    CaseDisclosure.objects.filter(pk=disclosure.pk).update(
        withdrawn_on=today, withdrawal_reason="决定被撤销"
    )
    assert _count(client, "/portal/penalties/") == before - 1
    listed = client.get("/portal/penalties/").content.decode()
    assert "已撤回的公开信息" in listed and f'href="{url}"' in listed
    html = client.get(url).content.decode()
    assert "本条公开信息已撤回" in html and disclosure.case.number in html
    assert disclosure.content.splitlines()[1] not in html  # the text is gone
    for suffix in ("csv/", "atom/"):
        assert (
            disclosure.case.number not in client.get(f"/portal/penalties/{suffix}").content.decode()
        )


@pytest.mark.django_db
def test_a_decision_is_public_for_three_years_after_publication(client, disclosures):
    today = timezone.localdate()
    disclosure = disclosures[0]
    before = _count(client, "/portal/penalties/")
    _publish(disclosure, add_years(today, -3) + dt.timedelta(days=1))
    assert _count(client, "/portal/penalties/") == before
    _publish(disclosure, add_years(today, -3))
    assert _count(client, "/portal/penalties/") == before - 1
    assert client.get(f"/portal/penalties/{disclosure.pk}/").status_code == 404
    # one not yet published is not there either
    CaseDisclosure.objects.filter(pk=disclosure.pk).update(published_on=None)
    assert client.get(f"/portal/penalties/{disclosure.pk}/").status_code == 404


@pytest.mark.django_db
def test_filters_by_division_entity_and_date(client, disclosures):
    total = _count(client, "/portal/penalties/")
    division = disclosures[0].case.division
    in_division = sum(1 for d in disclosures if d.case.division.path.startswith(division.path))
    assert _count(client, "/portal/penalties/", division=division.code) == in_division
    assert _count(client, "/portal/penalties/", q=disclosures[0].case.number) == 1
    today = timezone.localdate()
    _publish(disclosures[1], today - dt.timedelta(days=100))
    since = (today - dt.timedelta(days=50)).isoformat()
    assert _count(client, "/portal/penalties/", since=since) == total - 1
    assert _count(client, "/portal/penalties/", until=since) == 1
    # an inspection result found by its entity's name
    html = client.get("/portal/inspections/").content.decode()
    assert _count(client, "/portal/inspections/") > 20  # paginated
    first = client.get("/portal/inspections/").context["table"][0]["cells"][0][1]
    narrowed = _count(client, "/portal/inspections/", q=first)
    assert 1 <= narrowed < _count(client, "/portal/inspections/")
    assert "第 1 / " in html


@pytest.mark.django_db
def test_bad_filters_are_named_in_chinese_and_ignored(client, world):
    response = client.get(
        "/portal/penalties/", {"since": "2020-13-01", "division": "999999", "until": "x"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "“起始日期”不是有效日期" in html and "“截止日期”不是有效日期" in html
    assert "“行政区划”没有代码为 999999 的区划" in html
    assert client.get("/portal/nothing/").status_code == 404
    assert client.get("/portal/draws/1/secret.txt").status_code == 404


@pytest.mark.django_db
def test_downloads_hold_every_row_and_no_formula(client, world):
    item = CleanupItem.objects.exclude(verdict="").filter(campaign__state="finished").first()
    CleanupItem.objects.filter(pk=item.pk).update(reason='=HYPERLINK("http://x","点我")')
    count = _count(client, "/portal/cleanup/")
    rows = list(csv.reader(io.StringIO(client.get("/portal/cleanup/csv/").content.decode())))
    assert rows[0][0] == "\ufeff清理工作" and len(rows) == count + 1
    assert any(cell == '\'=HYPERLINK("http://x","点我")' for row in rows for cell in row)
    response = client.get("/portal/cleanup/xlsx/")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == count + 1
    cells = [c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.django_db
def test_each_list_has_an_atom_feed_linking_its_records(client, disclosures):
    newest = disclosures[-1]
    _publish(newest, timezone.localdate())
    feed = ET.fromstring(client.get("/portal/penalties/atom/").content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == min(FEED_ITEMS, _count(client, "/portal/penalties/"))
    assert entries[0].find(f"{ATOM}title").text == newest.title
    link = entries[0].find(f"{ATOM}link").get("href")
    assert "/portal/penalties/" in link
    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200
    # the filters apply to the feed too
    narrowed = ET.fromstring(client.get(f"/portal/penalties/atom/?q={newest.case.number}").content)
    assert [e.find(f"{ATOM}title").text for e in narrowed.findall(f"{ATOM}entry")] == [newest.title]


@pytest.mark.django_db
def test_addresses(client, world):
    assert client.get("/")["Location"] == "/portal/"
    response = client.get("/airquality/?year=2020")
    assert response.status_code == 301 and response["Location"] == "/portal/airquality/?year=2020"
    assert client.get("/inspections/")["Location"] == "/portal/inspections/"
    assert client.get("/enforcement/")["Location"] == "/portal/penalties/"
    html = client.get("/portal/airquality/?year=2020").content.decode()
    assert 'id="aq-calendar"' in html and 'id="aq-card"' in html
    assert "<script" not in client.get("/portal/").content.decode()
    assert client.get("/admin/").status_code == 302  # the back office still asks to sign in


def test_the_portal_knows_no_area_model():
    """It reads each area only through the area's `queries` (docs/portal.md)."""
    root = Path(ecogov.__file__).parent
    areas = {p.parent.name for p in root.glob("*/apps.py")} - {"core", "portal"}
    offending = []
    for path in (root / "portal").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module + "." + a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if len(parts) > 1 and parts[0] == "ecogov" and parts[1] in areas:
                    if parts[2:3] != ["queries"]:
                        offending.append(f"{path.name}: {name}")
    assert offending == []
