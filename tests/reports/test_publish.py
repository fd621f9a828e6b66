"""Publishing freezes a report: text, figures, record IDs, hashes; the .docx is reproducible
byte for byte; the report page shows what has changed since."""

import datetime as dt
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError

from ecogov.reports import freeze, outputs, services
from ecogov.reports.document import Document
from ecogov.reports.render.docx import render_docx

from .conftest import DATED


@pytest.fixture
def published(summary, legal):
    return services.report_publish(
        actor=legal, outline=summary, year=2020, dated=DATED, acknowledge=True
    )


def test_publication_needs_the_errors_acknowledged(summary, legal):
    with pytest.raises(ValidationError) as caught:
        services.report_publish(actor=legal, outline=summary, year=2020, dated=DATED)
    assert "2处不一致" in caught.value.messages[0]


def test_a_viewer_cannot_publish(summary, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.report_publish(
            actor=world.user("viewer"), outline=summary, year=2020, acknowledge=True
        )


def test_the_frozen_report_is_hashed_and_reproducible(published):
    from ecogov.eia.models import EiaProject

    frozen = {f["key"]: f for f in published.figures}
    approved = frozen["eia.approved.total"]
    assert approved["value"] == 493 and approved["record_count"] == 493
    assert approved["model"] == "eia.EiaProject"
    ids = freeze.decode_ids(approved["records"])
    assert len(ids) == 493 and EiaProject.objects.filter(pk__in=ids).count() == 493
    assert frozen["legislation.passed"].get("missing") or frozen["legislation.passed"]["value"]
    assert published.content_sha256 == freeze.sha256(
        freeze.canonical({"content": published.content, "figures": published.figures})
    )
    stored = bytes(published.docx)
    assert freeze.sha256(stored) == published.docx_sha256
    regenerated = render_docx(Document.from_dict(published.content))
    assert regenerated == stored  # byte for byte
    assert outputs.verify(published) == {
        "content": True,
        "docx_stored": True,
        "docx_regenerated": True,
    }


def test_changes_since_publication_after_records_are_edited(published):
    from ecogov.eia.models import ApprovalLevel, Decision, EiaProject

    assert freeze.changes_since(published) == []
    approved = EiaProject.objects.filter(
        decision=Decision.APPROVED, decided_on__year=2020, level=ApprovalLevel.CITY
    ).order_by("pk")
    edited, moved = approved[0], approved[1]
    edited.total_investment += Decimal("10000")  # +1 亿元
    edited.save()
    moved.decided_on = dt.date(2021, 1, 5)  # out of the year
    moved.save()
    changes = {c.key: c for c in freeze.changes_since(published)}
    investment = changes["eia.investment.city_level"]
    assert (Decimal(investment.before), investment.after) == (Decimal("79.8"), "80.80") or Decimal(
        investment.after
    ) != Decimal(investment.before)
    assert edited.pk in investment.edited
    total = changes["eia.approved.total"]
    assert (total.before, total.after, total.removed) == (493, 492, [moved.pk])
    assert changes["eia.approved.city_level"].removed == [moved.pk]
    assert "eia.approved.county_level" not in changes
    # the published report itself is unchanged and still reproducible
    assert outputs.verify(published)["docx_regenerated"]


def test_a_new_version_and_the_published_page(published, summary, legal, login):
    second = services.report_publish(
        actor=legal, outline=summary, year=2020, dated=DATED, acknowledge=True
    )
    assert (published.version, second.version) == (1, 2)
    client = login("legal")
    page = client.get(f"/admin/reports/publishedreport/{published.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200 and "逐字节一致" in html and published.docx_sha256 in html
    assert "均未变化" in html
    download = client.get(f"/admin/reports/publishedreport/{published.pk}/download/docx/")
    assert download.content == bytes(published.docx)
    name = outputs.filename(outputs.published_document(published), "docx", published.version)
    assert name.endswith("-第1版.docx")  # a Chinese file name reaches the browser intact
    assert download["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    # frozen: no change form, no delete
    assert b'name="_save"' not in page.content
    response = client.post(
        f"/admin/reports/publishedreport/{published.pk}/change/",
        {"what": "disclosed", "on": "2099-01-01"},
    )
    assert "日期不能晚于今天" in response.content.decode()
    response = client.post(
        f"/admin/reports/publishedreport/{published.pk}/change/",
        {"what": "disclosed", "on": "2021-01-11"},
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.disclosed_on == dt.date(2021, 1, 11)
    viewer = login("viewer").post(
        f"/admin/reports/publishedreport/{published.pk}/change/",
        {"what": "disclosed", "on": "2021-01-12"},
    )
    assert viewer.status_code == 403
    assert (
        b'id="rp-mark"'
        not in login("viewer").get(f"/admin/reports/publishedreport/{published.pk}/change/").content
    )
