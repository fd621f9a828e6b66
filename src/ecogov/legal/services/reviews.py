"""Statutory reviews (legality, fair competition, and the kinds a bureau adds) and the rule
that decides whether a document or measure may be issued (`issuance_blockers`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.roles import Role, has_role
from ecogov.legal import events
from ecogov.legal.deadlines import review_deadline
from ecogov.legal.models import (
    LegalPolicy,
    NormativeDocument,
    PolicyMeasure,
    PolicyReview,
    Requirement,
    ReviewKind,
    ReviewOutcome,
    ReviewState,
)
from ecogov.legal.workflow import target_state

from .common import check_date, ensure_editor, ensure_role, lock, person, required_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.contrib.auth.models import User

# What follows a document's recorded legality review, in its transaction: the document moves on
# (documents.after_legality_review registers itself here; the reviews know no documents).
AFTER_LEGALITY_REVIEW: list[Callable[..., Any]] = []


def after_legality_review_call(follow: Callable[..., Any]) -> Callable[..., Any]:
    """Register `follow(*, actor, review)` to run once a document's legality review is recorded."""
    AFTER_LEGALITY_REVIEW.append(follow)
    return follow


BLOCKING = frozenset({ReviewOutcome.FAILED, ReviewOutcome.NOT_TO_ISSUE})


def required_kinds(subject: Any) -> list[ReviewKind]:
    """The review kinds the subject cannot be issued without."""
    kinds = []
    for kind in ReviewKind.objects.filter(is_active=True):
        if kind.requirement == Requirement.ALWAYS and isinstance(subject, NormativeDocument):
            kinds.append(kind)
        elif kind.requirement == Requirement.MARKET and subject.affects_market:
            kinds.append(kind)
    return kinds


def issuance_blockers(subject: Any) -> list[str]:
    """Why the document or measure may not be registered or issued yet (empty: it may).

    For each kind it needs, the latest concluded review must pass (and the problems found be
    fixed); no review may still be running; and a review of any kind whose latest conclusion
    is "不通过" or "不得出台" blocks until a later review of that kind passes.
    """
    reviews = list(
        subject.reviews.exclude(state=ReviewState.WITHDRAWN).select_related("kind").order_by("pk")
    )
    latest: dict[int, PolicyReview] = {}
    reasons = []
    for review in reviews:
        if review.state == ReviewState.PENDING:
            reasons.append(
                _("%(kind)s尚未完成(%(on)s提交)")
                % {"kind": review.kind.name, "on": review.submitted_on.isoformat()}
            )
        else:
            latest[review.kind_id] = review
    for kind in required_kinds(subject):
        if not any(r.kind_id == kind.pk for r in reviews):
            reasons.append(_("未经%s") % kind.name)
    for review in latest.values():
        if review.outcome in BLOCKING:
            reasons.append(
                _("%(kind)s结论为“%(outcome)s”")
                % {"kind": review.kind.name, "outcome": review.get_outcome_display()}
            )
        elif review.open_issues:
            reasons.append(_("%s发现的问题尚未整改") % review.kind.name)
    return reasons


def _kind(code: str) -> ReviewKind:
    return ReviewKind.objects.get(code=code)


def create_review(
    *,
    actor: User,
    subject: Any,
    kind: ReviewKind,
    submitted_on: dt.date,
    reviewer: User | None = None,
) -> PolicyReview:
    """The review row (the caller has checked the subject's state and locked it)."""
    if not kind.is_active:
        raise ValidationError({"kind": _("审查种类“%s”已停用。") % kind.name})
    if subject.reviews.filter(kind=kind, state=ReviewState.PENDING).exists():
        raise ValidationError(
            {"kind": _("%(kind)s已在进行中,不能重复提交。") % {"kind": kind.name}}
        )
    if (
        reviewer is not None
        and kind.legal_section_only
        and not has_role(reviewer, Role.LEGAL_REVIEWER)
    ):
        raise ValidationError(
            {
                "reviewer": _("%(who)s不是法制审核人员,不能承担%(kind)s。")
                % {"who": person(reviewer), "kind": kind.name}
            }
        )
    due = review_deadline(submitted_on, LegalPolicy.current())
    review = PolicyReview(
        kind=kind,
        division=subject.division,
        submitted_on=submitted_on,
        submitted_by=actor,
        due_on=due.due,
        due_provisional=due.provisional,
        reviewer=reviewer,
        **(
            {"document": subject}
            if isinstance(subject, NormativeDocument)
            else {"measure": subject}
        ),
    )
    review.full_clean()
    review.save()
    events.review_submitted_event(review=review, actor=actor)
    return review


@transaction.atomic
def review_submit(
    *,
    actor: User,
    subject: Any,
    kind: ReviewKind,
    submitted_on: dt.date | None = None,
    reviewer: User | None = None,
) -> PolicyReview:
    """A review other than the document's legality review (that one is
    `document_submit_review`, which moves the document): fair competition and the rest."""
    if isinstance(subject, NormativeDocument):
        if kind.code == ReviewKind.LEGALITY:
            raise ValidationError({"kind": _("合法性审核请通过“提交合法性审核”办理。")})
        subject = lock(NormativeDocument, subject.pk)
        ensure_editor(actor, subject)
        target_state("submit_other_review", subject.state)
        after = subject.drafted_on
    else:
        subject = lock(PolicyMeasure, subject.pk)
        ensure_editor(actor, subject)
        if subject.state != "drafting":
            raise ValidationError(
                {"kind": _("政策措施已%s,不能再提交审查。") % subject.get_state_display()}
            )
        after = subject.drafted_on
    on = check_date(
        submitted_on, field="submitted_on", label=_("提交审查"), after=after, after_label=_("起草")
    )
    return create_review(
        actor=actor, subject=subject, kind=kind, submitted_on=on, reviewer=reviewer
    )


@transaction.atomic
def review_record(
    *,
    actor: User,
    review: PolicyReview,
    outcome: str,
    opinion: str = "",
    issues_found: str = "",
    exception_ground: str = "",
    reviewed_on: dt.date | None = None,
) -> PolicyReview:
    """The review's conclusion. A legality review moves its document: passed → ready for the
    collective deliberation; failed → back to drafting."""
    review = (
        PolicyReview.objects.select_for_update(of=("self",))
        .select_related("kind", "division")
        .get(pk=review.pk)
    )
    kind = review.kind
    if kind.legal_section_only:
        ensure_role(actor, Role.LEGAL_REVIEWER, kind.name)
    ensure_editor(actor, review)
    if review.state == ReviewState.WITHDRAWN:  # its subject was given up: it has no conclusion
        raise ValidationError({"outcome": _("该审查已撤回,不能记录结论。")})
    if review.state != ReviewState.PENDING:
        assert review.reviewed_on is not None  # a done review: review_record set its day
        raise ValidationError(
            {
                "outcome": _("该审查已于%(on)s作出结论“%(outcome)s”,不能重复记录。")
                % {"on": review.reviewed_on.isoformat(), "outcome": review.get_outcome_display()}
            }
        )
    allowed = kind.outcomes()
    if outcome not in allowed:
        raise ValidationError(
            {
                "outcome": _("%(kind)s的结论只能是:%(allowed)s。")
                % {"kind": kind.name, "allowed": "、".join(str(o.label) for o in allowed)}
            }
        )
    if outcome == ReviewOutcome.EXCEPTION:
        exception_ground = required_text(
            exception_ground,
            "exception_ground",
            _("适用例外规定的,须写明属于哪一种例外情形及理由(公平竞争审查条例第十二条)。"),
        )
    elif exception_ground.strip():
        raise ValidationError({"exception_ground": _("只有结论为“适用例外规定”时才填写例外依据。")})
    if outcome in BLOCKING:
        opinion = required_text(
            opinion, "opinion", _("结论为“%s”的,须写明审查意见。") % ReviewOutcome(outcome).label
        )
    on = check_date(
        reviewed_on,
        field="reviewed_on",
        label=_("审查"),
        after=review.submitted_on,
        after_label=_("提交审查"),
    )
    review.outcome, review.opinion, review.issues_found = outcome, opinion, issues_found.strip()
    review.exception_ground, review.reviewed_on, review.reviewer = exception_ground, on, actor
    review.state = ReviewState.DONE
    review.save()
    events.review_recorded_event(review=review, actor=actor, from_state=ReviewState.PENDING)
    if kind.code == ReviewKind.LEGALITY and review.document_id:
        for follow in AFTER_LEGALITY_REVIEW:
            follow(actor=actor, review=review)
    return review


@transaction.atomic
def review_resolve(
    *, actor: User, review: PolicyReview, resolution: str, resolved_on: dt.date | None = None
) -> PolicyReview:
    """The problems a review found have been fixed (the drafting unit's answer)."""
    review = (
        PolicyReview.objects.select_for_update(of=("self",))
        .select_related("kind", "division")
        .get(pk=review.pk)
    )
    ensure_editor(actor, review)
    if review.state != ReviewState.DONE or not review.issues_found.strip():
        raise ValidationError({"resolution": _("该审查没有记录发现的问题,无需整改。")})
    if review.resolved:
        assert review.resolved_on is not None  # review_resolve sets the flag and the day together
        raise ValidationError(
            {"resolution": _("该审查发现的问题已于%s整改完毕。") % review.resolved_on.isoformat()}
        )
    resolution = required_text(resolution, "resolution", _("请填写整改情况。"))
    on = check_date(
        resolved_on,
        field="resolved_on",
        label=_("整改"),
        after=review.reviewed_on,
        after_label=_("审查"),
    )
    review.resolved, review.resolution, review.resolved_on = True, resolution, on
    review.save()
    events.review_resolved_event(review=review, actor=actor)
    return review


def legality_kind() -> ReviewKind:
    return _kind(ReviewKind.LEGALITY)


def latest_review(subject: Any, code: str) -> PolicyReview | None:
    return subject.reviews.filter(kind__code=code).select_related("kind").order_by("-pk").first()


def passed_legality(document: NormativeDocument) -> bool:
    review = latest_review(document, ReviewKind.LEGALITY)
    return bool(review and review.passing)


def withdraw_pending_reviews(subject: Any, *, actor: User, reason: str) -> list[int]:
    """The subject is given up: its running reviews leave the legal section's work list."""
    withdrawn = []
    for review in subject.reviews.select_for_update().filter(state=ReviewState.PENDING):
        review.state = ReviewState.WITHDRAWN
        review.save(update_fields=["state"])
        events.record_event(
            review,
            actor=actor,
            type="updated",
            from_state=ReviewState.PENDING,
            to_state=review.state,
            reason=reason,
        )
        withdrawn.append(review.pk)
    return withdrawn
