"""The annual 法治政府建设年度报告 appears on the portal once the bureau marks a published
version disclosed (docs/reports.md, docs/portal.md)."""

import datetime as dt

import pytest

from ecogov.reports import builtin, services
from ecogov.reports.models import Outline


@pytest.mark.django_db
def test_the_annual_report_is_public_once_disclosed(client, world):
    legal = world.user("legal")
    annual = Outline.objects.get(name=builtin.ANNUAL_REPORT)
    report = services.report_publish(
        actor=legal, outline=annual, year=2020, dated=dt.date(2021, 2, 20), acknowledge=True
    )
    assert client.get("/portal/reports/").context["page"].paginator.count == 0
    assert client.get(f"/portal/reports/{report.pk}/docx/").status_code == 404
    assert client.get(f"/portal/reports/{report.pk}/").status_code == 404

    services.report_mark_disclosed(actor=legal, report=report, day=dt.date(2021, 3, 25))
    html = client.get("/portal/reports/").content.decode()
    assert f'href="/portal/reports/{report.pk}/"' in html
    page = client.get(f"/portal/reports/{report.pk}/").content.decode()
    assert report.docx_sha256 in page and "2021-03-25" in page
    docx = client.get(f"/portal/reports/{report.pk}/docx/")
    assert docx.content == bytes(report.docx)
    assert "filename*=utf-8''" in docx["Content-Disposition"]
    text = client.get(f"/portal/reports/{report.pk}/text/").content.decode()
    assert "2020" in text and "法治政府建设" in text
