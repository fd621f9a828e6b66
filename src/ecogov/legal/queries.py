"""Reads of the legal area, always through the user's scope: what is in force, what waits for
a review, filings and answers due, documents to evaluate before they expire, counters."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ecogov.core.areas import Counter, OverdueItem
from ecogov.core.queries import contains_any, public_filter
from ecogov.core.remedies import RemedyPeriod
from ecogov.core.reviews import ReviewItem, review_count_for


def document_in_force_q(day: dt.date, prefix: str = "") -> Q:
    """In force on `day`: published, taken effect, not past its validity nor ended."""
    return Q(
        **{
            f"{prefix}published_on__lte": day,
            f"{prefix}effective_from__lte": day,
            f"{prefix}in_force_until__gte": day,
        }
    )


def measure_in_force_q(day: dt.date) -> Q:
    return Q(issued_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def documents_for(user, *, search: str = ""):
    from ecogov.legal.models import NormativeDocument

    queryset = NormativeDocument.objects.visible_to(user).select_related("drafting_unit")
    if search:
        queryset = queryset.filter(Q(number__icontains=search) | Q(title__icontains=search))
    return queryset


def documents_in_force(user, day: dt.date | None = None):
    return documents_for(user).filter(document_in_force_q(day or timezone.localdate()))


def filings_due(user):
    """Issued documents not yet filed with the justice bureau, earliest deadline first."""
    from ecogov.legal.models import NormativeDocument

    return (
        NormativeDocument.objects.visible_to(user)
        .filter(issued_on__isnull=False, filed_on__isnull=True, filing_due__isnull=False)
        .exclude(state__in=["repealed", "amended", "expired"])
        .order_by("filing_due", "pk")
    )


def expiring_documents(user, *, today: dt.date | None = None):
    """Documents whose validity ends within the evaluation window, not yet evaluated for it."""
    from ecogov.legal.models import LegalPolicy, NormativeDocument

    today = today or timezone.localdate()
    policy = LegalPolicy.current()
    until = today + dt.timedelta(days=policy.evaluation_days)
    return (
        NormativeDocument.objects.visible_to(user)
        .filter(state__in=["published", "in_force"], valid_until__lte=until, valid_until__gte=today)
        .exclude(evaluated_on__gte=today - dt.timedelta(days=policy.evaluation_days))
        .order_by("valid_until", "pk")
    )


def pending_reviews(user):
    from ecogov.legal.models import PolicyReview, ReviewState

    return (
        PolicyReview.objects.visible_to(user)
        .filter(state=ReviewState.PENDING)
        .select_related("kind", "document", "measure")
        .order_by("due_on", "pk")
    )


def pending_contract_reviews(user):
    from ecogov.legal.models import ContractReview

    return (
        ContractReview.objects.visible_to(user)
        .filter(reviewed_on__isnull=True)
        .order_by("due_on", "pk")
    )


def disputes_to_answer(user):
    from ecogov.legal.models import DisputeCase, DisputeState

    return (
        DisputeCase.objects.visible_to(user)
        .filter(state=DisputeState.RECEIVED)
        .order_by("answer_due", "pk")
    )


def remedy_periods(record) -> list[RemedyPeriod]:
    """The reconsiderations and lawsuits about `record` (any area's), from the day the bureau
    received the application to the day decided (core/remedies.py)."""
    from django.contrib.contenttypes.models import ContentType

    from ecogov.legal.models import DisputeCase

    if record.pk is None:
        return []
    rows = DisputeCase.objects.filter(
        act_content_type=ContentType.objects.get_for_model(type(record)), act_object_id=record.pk
    ).order_by("received_on", "pk")
    return [
        RemedyPeriod(f"{d.get_kind_display()}{d.reference}", d.received_on, d.decided_on)
        for d in rows
    ]


def review_items(user) -> list[ReviewItem]:
    """The legal area's waiting reviews for the legal section's one work list
    (ecogov.core.reviews): documents' and measures' reviews, contracts."""
    items = [
        ReviewItem(
            area="legal",
            label=str(review.subject),
            kind=review.kind.name,
            due=review.due_on,
            provisional=review.due_provisional,
            submitted_on=review.submitted_on,
            url=reverse("admin:legal_policyreview_change", args=[review.pk]),
        )
        for review in pending_reviews(user)
    ]
    items += [
        ReviewItem(
            area="legal",
            label=f"{review}(相对方:{review.counterparty})",
            kind="合同合法性审查",
            due=review.due_on,
            provisional=review.due_provisional,
            submitted_on=review.submitted_on,
            url=reverse("admin:legal_contractreview_change", args=[review.pk]),
        )
        for review in pending_contract_reviews(user)
    ]
    return items


def review_count(user) -> int:
    return pending_reviews(user).count() + pending_contract_reviews(user).count()


def overdue_items(user) -> list[OverdueItem]:
    """The dashboard's due and overdue list: filings, answers to reconsideration and lawsuits,
    reviews, and documents to evaluate before their validity ends."""
    from ecogov.legal.models import LegalPolicy

    items = [
        OverdueItem(
            "legal",
            f"{d} 报送备案",
            d.filing_due,
            reverse("admin:legal_normativedocument_change", args=[d.pk]),
            provisional=d.filing_due_provisional,
        )
        for d in filings_due(user)
    ]
    items += [
        OverdueItem(
            "legal",
            f"{c.get_kind_display()} {c} 提交答复(答辩)",
            c.answer_due,
            reverse("admin:legal_disputecase_change", args=[c.pk]),
            provisional=c.answer_due_provisional,
        )
        for c in disputes_to_answer(user)
        if c.answer_due
    ]
    items += [
        OverdueItem("legal", f"{i.kind}:{i.label}", i.due, i.url, provisional=i.provisional)
        for i in review_items(user)
        if i.due
    ]
    days = LegalPolicy.current().evaluation_days
    items += [
        OverdueItem(
            "legal",
            f"{d} 有效期届满前评估",
            d.valid_until - dt.timedelta(days=days),
            reverse("admin:legal_normativedocument_change", args=[d.pk]),
        )
        for d in expiring_documents(user)
    ]
    return items


def counters(user, year: int) -> list[Counter]:
    """Current-state counts (in force, waiting, overdue): the same whatever year is chosen."""
    today = timezone.localdate()
    documents_url = reverse("admin:legal_normativedocument_changelist")
    return [
        Counter(
            "现行有效规范性文件",
            documents_in_force(user, today).count(),
            documents_url + "?validity=in_force",
        ),
        Counter("待审查事项", review_count_for(user), reverse("admin:legal_review_queue")),
        Counter(
            "逾期未备案",
            filings_due(user).filter(filing_due__lt=today).count(),
            documents_url + "?filing=overdue",
        ),
        Counter(
            "待答复(答辩)的复议诉讼",
            disputes_to_answer(user).count(),
            reverse("admin:legal_disputecase_changelist") + "?state__exact=received",
        ),
    ]


# --- the public portal (docs/legal.md; docs/portal.md) ------------------------------------
# Normative documents in force today (an unpublished document is never in force), and the
# conclusions of finished cleanup campaigns (清理结果向社会公布, 国办发〔2018〕37号). Public part:
# number, title, summary, dates, where published; for a cleanup item its campaign, subject,
# verdict and reason. Never the drafting record, the review or the people.


def public_documents(
    *,
    division: str = "",
    search: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    today: dt.date | None = None,
):
    """Documents in force today, newest first; dates the issue date."""
    from .models import NormativeDocument

    today = today or timezone.localdate()
    queryset = NormativeDocument.objects.filter(document_in_force_q(today))
    queryset = public_filter(
        queryset,
        division=division,
        match=contains_any(search, "title", "number", "summary"),
        since=since,
        until=until,
        date_field="issued_on",
    )
    return queryset.select_related("division").order_by("-issued_on", "-pk")


def public_document_row(document) -> dict:
    return {
        "id": document.pk,
        "title": document.display_title,
        "number": document.number or "",
        "division": document.division.name,
        "division_code": document.division.code,
        "summary": document.summary,
        "issued_on": document.issued_on,
        "effective_from": document.effective_from,
        "valid_until": document.valid_until,
        "published_on": document.published_on,
        "channel": document.publication_channel,
    }


def public_cleanup_items(
    *,
    division: str = "",
    search: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    today: dt.date | None = None,
):
    """Conclusions of finished cleanup campaigns, newest campaign first; dates the campaign's
    finishing date."""
    from .models import CleanupItem

    today = today or timezone.localdate()
    queryset = CleanupItem.objects.filter(
        campaign__state="finished", campaign__finished_on__lte=today
    ).exclude(verdict="")
    queryset = public_filter(
        queryset,
        division=division,
        division_field="campaign__division",
        match=contains_any(
            search,
            "campaign__title",
            "document__title",
            "document__number",
            "measure__title",
            "measure__reference",
        ),
        since=since,
        until=until,
        date_field="campaign__finished_on",
    )
    return queryset.select_related("campaign__division", "document", "measure").order_by(
        "-campaign__finished_on", "campaign_id", "pk"
    )


def public_cleanup_row(item) -> dict:
    from ecogov.core.masking import mask_text

    subject = item.document if item.document_id else item.measure
    if item.document_id:
        name, number = subject.display_title, subject.number or ""
    else:
        name, number = subject.title, subject.reference
    return {
        "id": item.pk,
        "title": f"{name} {item.get_verdict_display()}",
        "campaign": item.campaign.title,
        "division": item.campaign.division.name,
        "division_code": item.campaign.division.code,
        "subject": name,
        "number": number,
        "verdict": item.get_verdict_display(),
        "reason": mask_text(item.reason),
        "finished_on": item.campaign.finished_on,
    }
