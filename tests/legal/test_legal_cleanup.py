"""Cleanup campaigns: selecting by validity, issue dates, theme and market; a verdict with
its reason on each; finishing carries the verdicts out; the catalogue as .xlsx, opened back."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from ecogov.core.figures import Period, by_key
from ecogov.legal import ledger
from ecogov.legal import services as s
from ecogov.legal.figures import legal_figures
from ecogov.legal.models import CleanupCampaign, NormativeDocument, Theme

D = dt.date


@pytest.fixture
def three(docs):
    wildlife = Theme.objects.get(code="wildlife")
    return {
        "wild": docs.filed(title="野生动物栖息地规定", themes=[wildlife]),
        "plain": docs.filed(title="普通办法"),
    }


def _campaign(docs, **kw):
    return s.campaign_start(
        actor=docs.p.legal,
        title=kw.pop("title", "测试清理"),
        kind=kw.pop("kind", "special"),
        started_on=D(2025, 6, 2),
        division=docs.city,
        **kw,
    )


def test_selection_by_theme_and_by_validity(docs, three):
    wildlife = Theme.objects.get(code="wildlife")
    special = _campaign(docs)
    assert s.campaign_select(actor=docs.p.legal, campaign=special, themes=[wildlife]) >= 1
    subjects = {i.document_id for i in special.items.all()}
    assert three["wild"].pk in subjects and three["plain"].pk not in subjects
    assert all(wildlife in NormativeDocument.objects.get(pk=pk).themes.all() for pk in subjects)
    # selecting again adds nothing twice
    assert s.campaign_select(actor=docs.p.legal, campaign=special, themes=[wildlife]) == 0
    full = _campaign(docs, kind="full", title="全面清理")
    s.campaign_select(actor=docs.p.legal, campaign=full, in_force_on=D(2025, 5, 31))
    selected = {i.document_id for i in full.items.filter(document__isnull=False)}
    assert {three["wild"].pk, three["plain"].pk} <= selected
    in_force = set(
        NormativeDocument.objects.filter(
            published_on__lte=D(2025, 5, 31),
            effective_from__lte=D(2025, 5, 31),
            in_force_until__gte=D(2025, 5, 31),
        ).values_list("pk", flat=True)
    )
    assert selected == in_force
    dated = _campaign(docs, title="按日期")
    s.campaign_select(
        actor=docs.p.legal,
        campaign=dated,
        issued_from=D(2025, 1, 1),
        issued_to=D(2025, 12, 31),
        include_measures=False,
    )
    assert {i.document_id for i in dated.items.all()} == {three["wild"].pk, three["plain"].pk}
    with pytest.raises(ValidationError, match="请至少给出一个选取条件"):
        s.campaign_select(actor=docs.p.legal, campaign=dated)


def test_a_verdict_needs_its_reason_and_finishing_needs_every_verdict(docs, three):
    campaign = _campaign(docs)
    s.campaign_select(
        actor=docs.p.legal, campaign=campaign, issued_from=D(2025, 1, 1), include_measures=False
    )
    wild, plain = (campaign.items.get(document=three[k]) for k in ("wild", "plain"))
    with pytest.raises(ValidationError, match="请写明清理结论的理由"):
        s.item_verdict(
            actor=docs.p.legal, item=wild, verdict="repeal", reason="", decided_on=D(2025, 6, 10)
        )
    s.item_verdict(
        actor=docs.p.legal,
        item=wild,
        verdict="repeal",
        reason="与上位法相抵触",
        decided_on=D(2025, 6, 10),
    )
    with pytest.raises(ValidationError, match="尚有1件未作出清理结论"):
        s.campaign_finish(actor=docs.p.legal, campaign=campaign, finished_on=D(2025, 6, 20))
    s.item_verdict(
        actor=docs.p.legal,
        item=plain,
        verdict="amend",
        reason="需修改第三条",
        decided_on=D(2025, 6, 11),
    )
    campaign = s.campaign_finish(
        actor=docs.p.legal, campaign=campaign, finished_on=D(2025, 6, 20), submitted_to="市司法局"
    )
    assert campaign.state == "finished" and campaign.catalogue_submitted_on == D(2025, 6, 20)
    wild_doc = NormativeDocument.objects.get(pk=three["wild"].pk)
    assert wild_doc.state == "repealed" and wild_doc.in_force_until == D(2025, 6, 19)
    assert "测试清理" in wild_doc.ending_reason
    assert NormativeDocument.objects.get(pk=three["plain"].pk).to_amend
    with pytest.raises(ValidationError, match="清理工作已于2025-06-20完成"):
        s.item_verdict(actor=docs.p.legal, item=plain, verdict="keep", reason="x")


def test_the_catalogue_opens_back_with_every_item_and_verdict(docs, three):
    campaign = _campaign(docs, title="野生动物专项清理")
    s.campaign_select(
        actor=docs.p.legal, campaign=campaign, issued_from=D(2025, 1, 1), include_measures=False
    )
    for item in campaign.items.all():
        s.item_verdict(
            actor=docs.p.legal,
            item=item,
            verdict="keep",
            reason="继续有效",
            decided_on=D(2025, 6, 5),
        )
    content = ledger.export_catalogue(actor=docs.p.legal, campaign=campaign)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("序号", "类别", "文号", "名称", "印发日期", "清理结论", "理由", "结论日期")
    body = rows[1:]
    assert len(body) == campaign.items.count() == 2
    assert {r[2] for r in body} == {three["wild"].number, three["plain"].number}
    assert {r[5] for r in body} == {"继续有效"} and {r[6] for r in body} == {"继续有效"}
    assert "《野生动物栖息地规定》" in {r[3] for r in body}


def test_the_demo_cleanups_and_their_counts(world):
    campaigns = {c.title: c for c in CleanupCampaign.objects.all()}
    wildlife = campaigns["涉及野生动物保护的规范性文件专项清理"]
    assert wildlife.state == "finished" and wildlife.submitted_to == "市司法局"
    assert set(wildlife.items.values_list("verdict", flat=True)) == {"amend", "repeal"}
    full = campaigns["2020年规范性文件全面清理"]
    assert full.catalogue_submitted_on == D(2020, 11, 20)
    figures = by_key(legal_figures(world.user("legal"), Period.of_year(2020)))
    total = figures["cleanup.documents"]
    parts = [figures[f"cleanup.documents.{v}"].value for v in ("keep", "amend", "repeal", "lapse")]
    assert total.value == sum(parts) == total.records.count()
    assert (
        figures["cleanup.documents.repeal"].value == 2
    )  # the wildlife breeding rules, 2016 discretion
    repealed = NormativeDocument.objects.filter(state__in=["repealed", "expired"])
    assert set(repealed.values_list("title", flat=True)) >= {
        "示例市野生动物人工繁育场所污染防治管理办法",
        "示例市排污许可证管理暂行办法",
    }
