"""Cleanup campaigns (清理): select the documents and measures, record a verdict with its
reason on each, finish (the verdicts to repeal or declare lapsed are then carried out)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ecogov.core.models import Division
from ecogov.legal import events
from ecogov.legal.models import (
    CampaignState,
    CleanupCampaign,
    CleanupItem,
    CleanupKind,
    MeasureState,
    NormativeDocument,
    PolicyMeasure,
    Verdict,
)
from ecogov.legal.queries import document_in_force_q, measure_in_force_q
from ecogov.legal.workflow import PUBLISHED_STATES

from .common import check_date, ensure_can_create, ensure_editor, lock, required_text
from .documents import document_expire, document_repeal
from .measures import measure_repeal

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def campaign_start(
    *,
    actor: User,
    title: str,
    kind: str,
    started_on: dt.date | None = None,
    basis: str = "",
    due_on: dt.date | None = None,
    division: Division | None = None,
) -> CleanupCampaign:
    profile = getattr(actor, "staff", None)
    division = division or (profile.division if profile is not None else None)
    ensure_can_create(actor, division)
    if kind not in CleanupKind.values:
        raise ValidationError({"kind": _("未知的清理类型。")})
    on = check_date(started_on, field="started_on", label=_("清理开始"))
    if due_on is not None and due_on < on:
        raise ValidationError({"due_on": _("完成期限不能早于开始日期。")})
    campaign = CleanupCampaign(
        title=required_text(title, "title", _("请填写清理名称。")),
        kind=kind,
        basis=basis,
        division=division,
        started_on=on,
        due_on=due_on,
    )
    campaign.full_clean()
    campaign.save()
    events.record_created_event(record=campaign, actor=actor, on=on)
    return campaign


def _open(actor: User, campaign: CleanupCampaign) -> CleanupCampaign:
    campaign = lock(CleanupCampaign, campaign.pk)
    ensure_editor(actor, campaign)
    if campaign.state != CampaignState.OPEN:
        assert campaign.finished_on is not None  # campaign_finish sets the state and the day
        raise ValidationError(
            {"campaign": _("清理工作已于%s完成,不能再修改。") % campaign.finished_on.isoformat()}
        )
    return campaign


@transaction.atomic
def campaign_select(
    *,
    actor: User,
    campaign: CleanupCampaign,
    in_force_on: dt.date | None = None,
    issued_from: dt.date | None = None,
    issued_to: dt.date | None = None,
    themes: Iterable = (),
    affects_market: bool = False,
    include_measures: bool = True,
) -> int:
    """Add the campaign's subjects: documents (and measures) issued within the campaign's
    division that meet every criterion given. Returns how many were added."""
    campaign = _open(actor, campaign)
    themes = list(themes)
    if not (in_force_on or issued_from or issued_to or themes or affects_market):
        raise ValidationError(
            {
                "in_force_on": _(
                    "请至少给出一个选取条件:现行有效日期、印发日期范围、主题或涉及经营者经济活动。"
                )
            }
        )
    if issued_from and issued_to and issued_to < issued_from:
        raise ValidationError({"issued_to": _("印发日期范围的结束日期不能早于开始日期。")})
    within = Q(division__path__startswith=campaign.division.path)
    documents = (
        NormativeDocument.objects.visible_to(actor).filter(within).filter(issued_on__isnull=False)
    )
    measures = (
        PolicyMeasure.objects.visible_to(actor).filter(within).filter(issued_on__isnull=False)
    )
    if in_force_on:
        documents = documents.filter(document_in_force_q(in_force_on))
        measures = measures.filter(measure_in_force_q(in_force_on))
    if issued_from:
        documents, measures = (
            documents.filter(issued_on__gte=issued_from),
            measures.filter(issued_on__gte=issued_from),
        )
    if issued_to:
        documents, measures = (
            documents.filter(issued_on__lte=issued_to),
            measures.filter(issued_on__lte=issued_to),
        )
    if themes:
        documents, measures = (
            documents.filter(themes__in=themes).distinct(),
            measures.filter(themes__in=themes).distinct(),
        )
    if affects_market:
        documents, measures = (
            documents.filter(affects_market=True),
            measures.filter(affects_market=True),
        )
    have_docs = set(campaign.items.values_list("document_id", flat=True))
    have_measures = set(campaign.items.values_list("measure_id", flat=True))
    new = [
        CleanupItem(campaign=campaign, document=d)
        for d in documents.order_by("issued_on", "pk")
        if d.pk not in have_docs
    ]
    if include_measures:
        new += [
            CleanupItem(campaign=campaign, measure=m)
            for m in measures.order_by("issued_on", "pk")
            if m.pk not in have_measures
        ]
    CleanupItem.objects.bulk_create(new)
    criteria = {
        "in_force_on": in_force_on,
        "issued_from": issued_from,
        "issued_to": issued_to,
        "themes": [t.pk for t in themes],
        "affects_market": affects_market,
        "include_measures": include_measures,
    }
    campaign.criteria = events.jsonable(criteria)
    campaign.save(update_fields=["criteria"])
    events.cleanup_selected_event(campaign=campaign, actor=actor, criteria=criteria, added=len(new))
    return len(new)


@transaction.atomic
def item_verdict(
    *, actor: User, item: CleanupItem, verdict: str, reason: str, decided_on: dt.date | None = None
) -> CleanupItem:
    """A verdict on one document or measure, with its reason (may be changed until finished)."""
    item = CleanupItem.objects.select_related("campaign").get(pk=item.pk)
    campaign = _open(actor, item.campaign)
    item = CleanupItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if verdict not in Verdict.values:
        raise ValidationError(
            {"verdict": _("清理结论只能是:%s。") % "、".join(str(v.label) for v in Verdict)}
        )
    reason = required_text(reason, "reason", _("请写明清理结论的理由。"))
    on = check_date(
        decided_on,
        field="decided_on",
        label=_("清理结论"),
        after=campaign.started_on,
        after_label=_("清理开始"),
    )
    previous = item.verdict
    item.verdict, item.reason, item.decided_on, item.decided_by = verdict, reason, on, actor
    item.campaign = campaign
    item.save()
    events.verdict_recorded_event(item=item, actor=actor, previous=previous)
    return item


@transaction.atomic
def campaign_finish(
    *,
    actor: User,
    campaign: CleanupCampaign,
    finished_on: dt.date | None = None,
    submitted_to: str = "",
) -> CleanupCampaign:
    """完成清理: every item needs its verdict. Documents to be repealed or declared lapsed are
    repealed or declared lapsed as of this day; those to be amended are marked for amendment."""
    campaign = _open(actor, campaign)
    items = list(campaign.items.select_related("document", "measure"))
    missing = [item for item in items if not item.verdict]
    if missing:
        raise ValidationError(
            {
                "finished_on": _("尚有%(n)d件未作出清理结论(如%(first)s)。")
                % {"n": len(missing), "first": missing[0].subject}
            }
        )
    last = max((item.decided_on for item in items), default=campaign.started_on)
    on = check_date(
        finished_on,
        field="finished_on",
        label=_("完成清理"),
        after=last,
        after_label=_("最后一件清理结论"),
    )
    for item in items:
        _apply(actor, campaign, item, on)
    campaign.state, campaign.finished_on = CampaignState.FINISHED, on
    if submitted_to.strip():
        campaign.catalogue_submitted_on, campaign.submitted_to = on, submitted_to.strip()
    campaign.save()
    counts = Counter(item.verdict for item in items)
    events.cleanup_finished_event(campaign=campaign, actor=actor, counts=dict(counts))
    return campaign


def _apply(actor: User, campaign: CleanupCampaign, item: CleanupItem, on: dt.date) -> None:
    reason = f"{campaign.title}:{item.reason}"
    subject = item.subject
    if isinstance(subject, NormativeDocument):
        if item.verdict == Verdict.AMEND:
            NormativeDocument.objects.filter(pk=subject.pk).update(to_amend=True)
        elif item.verdict in (Verdict.REPEAL, Verdict.LAPSE) and subject.state in PUBLISHED_STATES:
            end = document_repeal if item.verdict == Verdict.REPEAL else document_expire
            end(actor=actor, document=subject, reason=reason, on=on)
        else:
            return
    elif item.verdict in (Verdict.REPEAL, Verdict.LAPSE) and subject.state == MeasureState.ISSUED:
        measure_repeal(actor=actor, measure=subject, reason=reason, on=on)
    else:
        return
    CleanupItem.objects.filter(pk=item.pk).update(applied=True)
