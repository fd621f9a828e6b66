"""A normative document from drafting to its end (docs/legal.md §2, §3), one service per step.

The rules enforced here (not advisory; docs/legal.md "Rules"): a document that affects the
public is put out for comments for at least `consultation_days` unless the exception's reason
is recorded; it cannot be registered, numbered or issued without a passed legality review
(problems found fixed) and every other review it needs; it is numbered once, from the one
sequence; it is filed within `filing_days` of issuance (the deadline is kept and shown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.models import Division
from ecogov.legal import events, numbering
from ecogov.legal.deadlines import (
    consultation_long_enough,
    default_valid_until,
    filing_deadline,
)
from ecogov.legal.models import LegalEvent, LegalPolicy, NormativeDocument
from ecogov.legal.workflow import target_state

from .common import check_date, ensure_can_create, ensure_editor, lock, required_text
from .reviews import (
    after_legality_review_call,
    create_review,
    issuance_blockers,
    latest_review,
    legality_kind,
    withdraw_pending_reviews,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from ecogov.core.models import Organisation
    from ecogov.legal.models import PolicyReview

EDITABLE_FIELDS = [
    "title",
    "summary",
    "drafting_unit",
    "is_trial",
    "affects_public",
    "affects_market",
]


def _locked(document: NormativeDocument) -> NormativeDocument:
    return lock(NormativeDocument, document.pk)


def _move(
    document: NormativeDocument,
    *,
    actor: User,
    action: str,
    type: str,
    on: dt.date | None,
    reason: str = "",
    payload: dict | None = None,
) -> NormativeDocument:
    from_state = document.state
    document.state = target_state(action, document.state)
    if on is not None:
        document.last_step_on = on
    document.save()  # each step checked its own fields; full_clean ran when drafted
    events.document_step_event(
        document=document,
        actor=actor,
        type=type,
        from_state=from_state,
        on=on,
        reason=reason,
        payload=payload,
    )
    return document


def _date(document: NormativeDocument, on: dt.date | None, *, field: str, label: str) -> dt.date:
    return check_date(on, field=field, label=label, after=document.last_step_on)


# --- drafting and consultation ------------------------------------------------------------------
@transaction.atomic
def document_draft(
    *,
    actor: User,
    title: str,
    drafting_unit: Organisation,
    division: Division | None = None,
    drafted_on: dt.date | None = None,
    summary: str = "",
    is_trial: bool = False,
    affects_public: bool = True,
    affects_market: bool = False,
    themes: Iterable = (),
) -> NormativeDocument:
    """登记起草: the document enters the one register as a draft (no number yet)."""
    profile = getattr(actor, "staff", None)
    division = division or (profile.division if profile is not None else None)
    ensure_can_create(actor, division)
    title = required_text(title, "title", _("请填写文件名称。"))
    on = check_date(drafted_on, field="drafted_on", label=_("起草"))
    document = NormativeDocument(
        title=title,
        summary=summary,
        drafting_unit=drafting_unit,
        division=division,
        is_trial=is_trial,
        affects_public=affects_public,
        affects_market=affects_market,
        drafted_on=on,
        last_step_on=on,
    )
    document.full_clean(exclude=["themes"])
    document.save()
    document.themes.set(list(themes))
    events.document_drafted_event(document=document, actor=actor)
    return document


@transaction.atomic
def document_update(
    *, actor: User, document: NormativeDocument, data: dict, reason: str = ""
) -> NormativeDocument:
    """Change the draft (before the legality review; afterwards a change needs a new review)."""
    document = _locked(document)
    ensure_editor(actor, document)
    target_state("update", document.state)
    unknown = set(data) - set(EDITABLE_FIELDS) - {"themes"}
    if unknown:
        raise ValidationError({name: _("该字段不允许修改。") for name in sorted(unknown)})
    changed = [k for k, v in data.items() if k != "themes" and getattr(document, k) != v]
    for name in changed:
        setattr(document, name, data[name])
    if "themes" in data and set(data["themes"]) != set(document.themes.all()):
        document.themes.set(list(data["themes"]))
        changed.append("themes")
    if changed:
        document.full_clean(exclude=["themes"])
        document.save()
        events.document_updated_event(document=document, actor=actor, changed=changed)
    return document


@transaction.atomic
def document_start_consultation(
    *,
    actor: User,
    document: NormativeDocument,
    started_on: dt.date | None = None,
    channel: str = "",
) -> NormativeDocument:
    document = _locked(document)
    ensure_editor(actor, document)
    target_state("start_consultation", document.state)
    on = _date(document, started_on, field="started_on", label=_("征求意见开始"))
    document.consultation_started_on, document.consultation_ended_on = on, None
    document.consultation_channel = required_text(
        channel, "channel", _("请填写征求意见途径(如政府门户网站)。")
    )
    return _move(
        document,
        actor=actor,
        action="start_consultation",
        type=LegalEvent.Type.CONSULTATION_STARTED,
        on=on,
        payload={"channel": document.consultation_channel},
    )


@transaction.atomic
def document_close_consultation(
    *,
    actor: User,
    document: NormativeDocument,
    ended_on: dt.date | None = None,
    opinions: int = 0,
    adopted: str = "",
    exception_reason: str = "",
) -> NormativeDocument:
    """The comment period ends. Shorter than `consultation_days`: only with the reason recorded."""
    document = _locked(document)
    ensure_editor(actor, document)
    target_state("close_consultation", document.state)
    policy = LegalPolicy.current()
    start = document.consultation_started_on
    assert start is not None  # set by document_start_consultation, the only way into consultation
    on = check_date(
        ended_on,
        field="ended_on",
        label=_("征求意见结束"),
        after=start,
        after_label=_("征求意见开始"),
    )
    exception_reason = (exception_reason or "").strip()
    if not consultation_long_enough(start, on, policy) and not exception_reason:
        raise ValidationError(
            {
                "ended_on": _(
                    "征求意见自%(start)s开始,至%(end)s仅%(days)d日,少于%(min)d日。确需缩短的,"
                    "须在“例外理由”中记录理由。"
                )
                % {
                    "start": start.isoformat(),
                    "end": on.isoformat(),
                    "days": (on - start).days,
                    "min": policy.consultation_days,
                }
            }
        )
    if exception_reason:
        document.consultation_exception = exception_reason
    document.consultation_ended_on, document.consultation_opinions = on, opinions
    document.consultation_adopted = adopted
    return _move(
        document,
        actor=actor,
        action="close_consultation",
        type=LegalEvent.Type.CONSULTATION_CLOSED,
        on=on,
        reason=exception_reason,
        payload={
            "days": (on - start).days,
            "opinions": opinions,
            "shortened": bool(exception_reason),
        },
    )


@transaction.atomic
def document_waive_consultation(
    *, actor: User, document: NormativeDocument, reason: str
) -> NormativeDocument:
    """Not put out for comments (e.g. it does not affect the public, or it is urgent): the
    reason is recorded and goes with the document to the legality review."""
    document = _locked(document)
    ensure_editor(actor, document)
    target_state("waive_consultation", document.state)
    document.consultation_exception = required_text(
        reason, "reason", _("不公开征求意见的,须记录理由。")
    )
    return _move(
        document,
        actor=actor,
        action="waive_consultation",
        type=LegalEvent.Type.CONSULTATION_WAIVED,
        on=None,
        reason=document.consultation_exception,
    )


# --- legality review, deliberation ------------------------------------------------------------
@transaction.atomic
def document_submit_review(
    *,
    actor: User,
    document: NormativeDocument,
    submitted_on: dt.date | None = None,
    reviewer: User | None = None,
) -> NormativeDocument:
    """提交合法性审核 to the legal section (a PolicyReview of the legality kind)."""
    document = _locked(document)
    ensure_editor(actor, document)
    target_state("submit_review", document.state)
    if (
        document.affects_public
        and document.consultation_ended_on is None
        and not document.consultation_exception.strip()
    ):
        raise ValidationError(
            {
                "submitted_on": _(
                    "本文件涉及群众切身利益,须先公开征求意见(不少于%d日),或记录不公开征求意见的理由,"
                    "才能提交合法性审核。"
                )
                % LegalPolicy.current().consultation_days
            }
        )
    on = _date(document, submitted_on, field="submitted_on", label=_("提交合法性审核"))
    review = create_review(
        actor=actor, subject=document, kind=legality_kind(), submitted_on=on, reviewer=reviewer
    )
    return _move(
        document,
        actor=actor,
        action="submit_review",
        type=LegalEvent.Type.REVIEW_SUBMITTED,
        on=on,
        payload={"review": review.pk, "due": review.due_on},
    )


@after_legality_review_call
def after_legality_review(*, actor: User, review: PolicyReview) -> NormativeDocument:
    """Called by review_record in its transaction: the document follows the conclusion."""
    # review_record calls this for a legality review of a document only
    assert review.document is not None
    document = _locked(review.document)
    action = "review_pass" if review.passing else "review_fail"
    return _move(
        document,
        actor=actor,
        action=action,
        type=LegalEvent.Type.REVIEW_RECORDED,
        on=review.reviewed_on,
        reason=review.opinion,
        payload={"review": review.pk, "outcome": review.outcome},
    )


@transaction.atomic
def document_deliberate(
    *,
    actor: User,
    document: NormativeDocument,
    meeting: str,
    conclusion: str,
    deliberated_on: dt.date | None = None,
) -> NormativeDocument:
    """集体审议 at the leadership meeting, after the legality review passed."""
    document = _locked(document)
    ensure_editor(actor, document)
    target_state("deliberate", document.state)
    document.deliberation_meeting = required_text(
        meeting, "meeting", _("请填写审议会议(如 局党组会)。")
    )
    document.deliberation_conclusion = required_text(
        conclusion, "conclusion", _("请填写审议结论。")
    )
    document.deliberated_on = _date(
        document, deliberated_on, field="deliberated_on", label=_("集体审议")
    )
    return _move(
        document,
        actor=actor,
        action="deliberate",
        type=LegalEvent.Type.DELIBERATED,
        on=document.deliberated_on,
        reason=conclusion,
        payload={"meeting": meeting},
    )


# --- the three unifications: register and number, issue ------------------------------------------
def _refuse_blocked(document: NormativeDocument, field: str, act: str) -> None:
    blockers = issuance_blockers(document)
    if blockers:
        raise ValidationError(
            {field: _("不能%(act)s:%(why)s。") % {"act": act, "why": ";".join(blockers)}}
        )


@transaction.atomic
def document_register(
    *, actor: User, document: NormativeDocument, registered_on: dt.date | None = None
) -> NormativeDocument:
    """统一登记、统一编号: the next number of the one sequence (示环规〔2020〕1号), once."""
    document = _locked(document)  # a second registration of the same document waits here
    ensure_editor(actor, document)
    if document.number:
        raise ValidationError(
            {"number": _("本文件已统一登记编号为%s,不能重复编号。") % document.number}
        )
    _refuse_blocked(document, "registered_on", _("登记编号"))
    target_state("register", document.state)
    on = _date(document, registered_on, field="registered_on", label=_("统一登记"))
    prefix = LegalPolicy.current().number_prefix
    number, seq = numbering.allocate(prefix, on.year)
    document.number, document.number_prefix = number, prefix
    document.number_year, document.number_seq, document.registered_on = on.year, seq, on
    return _move(
        document,
        actor=actor,
        action="register",
        type=LegalEvent.Type.REGISTERED,
        on=on,
        payload={"number": number},
    )


@transaction.atomic
def document_issue(
    *,
    actor: User,
    document: NormativeDocument,
    issued_on: dt.date | None = None,
    effective_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> NormativeDocument:
    """统一印发. The validity runs `validity_years` (trial: `trial_validity_years`) from the
    day it takes effect unless stated; the filing deadline starts from issuance."""
    document = _locked(document)
    ensure_editor(actor, document)
    _refuse_blocked(document, "issued_on", _("印发"))
    if not document.number:
        raise ValidationError({"issued_on": _("本文件尚未统一登记编号,不能印发(三统一)。")})
    target_state("issue", document.state)
    on = _date(document, issued_on, field="issued_on", label=_("印发"))
    policy = LegalPolicy.current()
    effective_from = effective_from or on
    if effective_from < on:
        raise ValidationError(
            {
                "effective_from": _("施行日期%(eff)s不能早于印发日期%(on)s。")
                % {"eff": effective_from.isoformat(), "on": on.isoformat()}
            }
        )
    valid_until = valid_until or default_valid_until(
        effective_from, trial=document.is_trial, policy=policy
    )
    if valid_until <= effective_from:
        raise ValidationError({"valid_until": _("有效期截止日期应晚于施行日期。")})
    due = filing_deadline(on, policy)
    document.issued_on, document.issued_by = on, actor
    document.effective_from, document.valid_until = effective_from, valid_until
    document.in_force_until = valid_until
    document.filing_due, document.filing_due_provisional = due.due, due.provisional
    return _move(
        document,
        actor=actor,
        action="issue",
        type=LegalEvent.Type.ISSUED,
        on=on,
        payload={
            "effective_from": effective_from,
            "valid_until": valid_until,
            "filing_due": due.due,
        },
    )


@transaction.atomic
def document_publish(
    *,
    actor: User,
    document: NormativeDocument,
    published_on: dt.date | None = None,
    channel: str = "",
) -> NormativeDocument:
    """公开: an unpublished document cannot be the basis of any decision (it is not counted as
    in force before this date)."""
    document = _locked(document)
    ensure_editor(actor, document)
    target_state("publish", document.state)
    document.publication_channel = required_text(
        channel, "channel", _("请填写公开途径(如政府门户网站、政府公报)。")
    )
    document.published_on = _date(document, published_on, field="published_on", label=_("公开"))
    return _move(
        document,
        actor=actor,
        action="publish",
        type=LegalEvent.Type.PUBLISHED,
        on=document.published_on,
        payload={"channel": document.publication_channel},
    )


@transaction.atomic
def document_file(
    *,
    actor: User,
    document: NormativeDocument,
    filed_on: dt.date | None = None,
    authority: str = "",
    reference: str = "",
) -> NormativeDocument:
    """报送备案 to the justice bureau; a filing after the deadline is recorded as late."""
    document = _locked(document)
    ensure_editor(actor, document)
    target_state("file", document.state)
    on = _date(document, filed_on, field="filed_on", label=_("报送备案"))
    document.filed_on = on
    document.filing_authority = (authority or "").strip() or LegalPolicy.current().filing_authority
    document.filing_reference = reference
    return _move(
        document,
        actor=actor,
        action="file",
        type=LegalEvent.Type.FILED,
        on=on,
        payload={
            "authority": document.filing_authority,
            "due": document.filing_due,
            "late": bool(document.filing_due and on > document.filing_due),
        },
    )


# --- in force and after ------------------------------------------------------------------------
@transaction.atomic
def document_evaluate(
    *,
    actor: User,
    document: NormativeDocument,
    conclusion: str,
    evaluated_on: dt.date | None = None,
    extend_until: dt.date | None = None,
) -> NormativeDocument:
    """Evaluation before the validity ends; with `extend_until` the document is renewed."""
    document = _locked(document)
    ensure_editor(actor, document)
    target_state("evaluate", document.state)
    document.evaluation_conclusion = required_text(conclusion, "conclusion", _("请填写评估结论。"))
    document.evaluated_on = check_date(
        evaluated_on,
        field="evaluated_on",
        label=_("评估"),
        after=document.published_on,
        after_label=_("公开"),
    )
    if extend_until is not None:
        # a published document was issued, and document_issue set its validity
        assert document.valid_until is not None
        if extend_until <= document.valid_until:
            raise ValidationError(
                {
                    "extend_until": _("续期后的有效期应晚于原有效期%s。")
                    % document.valid_until.isoformat()
                }
            )
        document.valid_until = document.in_force_until = extend_until
    return _move(
        document,
        actor=actor,
        action="evaluate",
        type=LegalEvent.Type.EVALUATED,
        on=document.evaluated_on,
        reason=conclusion,
        payload={"extend_until": extend_until},
    )


def _end(
    action: str,
    *,
    actor: User,
    document: NormativeDocument,
    on: dt.date | None,
    reason: str,
    replaced_by: NormativeDocument | None = None,
) -> NormativeDocument:
    document = _locked(document)
    ensure_editor(actor, document)
    target_state(action, document.state)
    reason = required_text(reason, "reason", _("须写明理由。"))
    on = check_date(
        on, field="on", label=_("失效"), after=document.published_on, after_label=_("公开")
    )
    if replaced_by is not None and replaced_by.pk == document.pk:
        raise ValidationError({"replaced_by": _("替代文件不能是本文件。")})
    document.ended_on, document.ending_reason, document.replaced_by = on, reason, replaced_by
    # only a published document ends, and document_issue set its validity
    assert document.valid_until is not None
    document.in_force_until = min(document.valid_until, on - dt.timedelta(days=1))
    return _move(
        document,
        actor=actor,
        action=action,
        type=LegalEvent.Type.ENDED,
        on=on,
        reason=reason,
        payload={"action": action, "replaced_by": replaced_by},
    )


@transaction.atomic
def document_amend(
    *,
    actor: User,
    document: NormativeDocument,
    reason: str,
    on: dt.date | None = None,
    replaced_by: NormativeDocument | None = None,
) -> NormativeDocument:
    return _end(
        "amend", actor=actor, document=document, on=on, reason=reason, replaced_by=replaced_by
    )


@transaction.atomic
def document_repeal(
    *, actor: User, document: NormativeDocument, reason: str, on: dt.date | None = None
) -> NormativeDocument:
    return _end("repeal", actor=actor, document=document, on=on, reason=reason)


@transaction.atomic
def document_expire(
    *, actor: User, document: NormativeDocument, reason: str, on: dt.date | None = None
) -> NormativeDocument:
    return _end("expire", actor=actor, document=document, on=on, reason=reason)


@transaction.atomic
def document_abandon(
    *, actor: User, document: NormativeDocument, reason: str, on: dt.date | None = None
) -> NormativeDocument:
    """终止制定 before registration; a running review is closed with it."""
    document = _locked(document)
    ensure_editor(actor, document)
    target_state("abandon", document.state)
    reason = required_text(reason, "reason", _("须写明终止制定的理由。"))
    on = _date(document, on, field="on", label=_("终止制定"))
    document.ending_reason = reason
    pending_ids = withdraw_pending_reviews(document, actor=actor, reason=reason)
    return _move(
        document,
        actor=actor,
        action="abandon",
        type=LegalEvent.Type.ABANDONED,
        on=on,
        reason=reason,
        payload={"pending_reviews": pending_ids},
    )


def legality_review_of(document: NormativeDocument) -> PolicyReview | None:
    return latest_review(document, "legality")
