"""A bureau copies an outline and edits it in the back office; unknown keys are refused."""

from urllib.parse import urlencode

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.reports import services
from ecogov.reports.models import Outline, ReportEvent, Section


def _form(html: str, form_id: str) -> list[tuple[str, str]]:
    form = lxml.html.fromstring(html).get_element_by_id(form_id)
    return list(form.form_values())


def test_the_two_shipped_outlines(summary, annual):
    headings = [s.heading for s in summary.sections.filter(level=1)]
    assert headings == ["{year}年工作情况", "存在的问题", "下一步工作打算"]
    assert summary.sections.filter(level=2).count() == 5
    report = [s.heading for s in annual.sections.filter(level=1)]
    assert report == [
        "{year}年度推进法治政府建设的主要举措和成效",
        "党政主要负责人履行推进法治建设第一责任人职责情况",
        "存在的不足和原因",
        "{next_year}年度推进法治政府建设的主要安排",
        "其他需要报告的情况",
    ]
    assert summary.is_builtin and annual.is_builtin and summary.relations.count() >= 10


def test_a_builtin_outline_is_copied_not_edited(summary, legal, world, known):
    with pytest.raises(ValidationError):
        services.section_save(
            actor=legal, section=summary.sections.first(), data={"heading": "改"}, known=known
        )
    with pytest.raises(PermissionDenied):
        services.outline_copy(actor=world.user("viewer"), outline=summary)
    copy = services.outline_copy(actor=legal, outline=summary, name="北山版总结")
    assert copy.sections.count() == summary.sections.count()
    assert copy.relations.count() == summary.relations.count()
    assert (
        copy.sections.filter(narratives__year=2020).count()
        == summary.sections.filter(narratives__year=2020).count()
    )
    assert ReportEvent.objects.filter(record=copy, type="outline_copied").exists()


def test_a_template_with_an_unknown_key_is_refused_in_chinese(summary, legal, known):
    copy = services.outline_copy(actor=legal, outline=summary, name="测试提纲")
    section = copy.sections.get(heading="严格环境监管")
    with pytest.raises(ValidationError) as caught:
        services.section_save(
            actor=legal,
            section=section,
            known=known,
            data={"template": "共检查{inspections.enterprise_vists}家次"},
        )
    assert "“{inspections.enterprise_vists}”不是已登记的数据项" in str(caught.value)
    with pytest.raises(ValidationError):
        services.relation_save(
            actor=legal,
            relation=copy.relations.first(),
            known=known,
            data={"expression": "eia.approved.total = eia.nope + eia.exempted"},
        )
    saved = services.section_save(
        actor=legal,
        section=section,
        known=known,
        data={"template": "共检查{inspections.enterprise_visits}家次"},
    )
    assert saved.template == "共检查{inspections.enterprise_visits}家次"


def test_editing_an_outline_in_the_back_office(summary, login):
    client = login("legal")
    response = client.post(f"/admin/reports/outline/{summary.pk}/copy/", {"name": "后台编辑的提纲"})
    assert response.status_code == 302
    copy = Outline.objects.get(name="后台编辑的提纲")
    url = f"/admin/reports/outline/{copy.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = _form(page.content.decode(), "outline_form")
    # saved unchanged
    assert (
        client.post(
            url, urlencode(data), content_type="application/x-www-form-urlencoded"
        ).status_code
        == 302
    )
    # opened again after saving, as a person does (the old form's version is stale now)
    data = _form(client.get(url).content.decode(), "outline_form")
    section = copy.sections.get(heading="严格环境监管")
    prefix = next(
        name[: -len("-id")]
        for name, value in data
        if name.endswith("-id") and value == str(section.pk)
    )
    bad = [
        (n, "全市共抽查企业{inspections.nope}家次" if n == f"{prefix}-template" else v)
        for n, v in data
    ]
    refused = client.post(url, urlencode(bad), content_type="application/x-www-form-urlencoded")
    html = refused.content.decode()
    assert refused.status_code == 200 and "“{inspections.nope}”不是已登记的数据项" in html
    good = [
        (
            n,
            "本年抽查{inspections.enterprise_visits}家次"
            if n == f"{prefix}-template"
            else ("15" if n == f"{prefix}-position" else v),
        )
        for n, v in data
    ]
    assert (
        client.post(
            url, urlencode(good), content_type="application/x-www-form-urlencoded"
        ).status_code
        == 302
    )
    section.refresh_from_db()
    assert (section.template, section.position) == (
        "本年抽查{inspections.enterprise_visits}家次",
        15,
    )
    assert section.history.count() >= 2
    # the builtin one offers no form, and a viewer gets none either
    assert b'name="_save"' not in client.get(f"/admin/reports/outline/{summary.pk}/change/").content
    assert b'name="_save"' not in login("viewer").get(url).content


def test_narratives_in_the_back_office(summary, login):
    client = login("legal")
    section = Section.objects.get(outline=summary, heading="存在的问题")
    add = client.get(f"/admin/reports/narrative/add/?section={section.pk}&year=2021")
    assert add.status_code == 200
    refused = client.post(
        "/admin/reports/narrative/add/",
        {"section": section.pk, "year": 2021, "text": "共有{petitions.nope}件"},
    )
    assert "不是已登记的数据项" in refused.content.decode()
    saved = client.post(
        "/admin/reports/narrative/add/",
        {"section": section.pk, "year": 2021, "text": "信访{petitions.received}件。"},
    )
    assert saved.status_code == 302
    assert section.narratives.get(year=2021).updated_by.username == "legal"
    assert login("viewer").get("/admin/reports/narrative/add/").status_code == 403
