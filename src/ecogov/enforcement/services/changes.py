"""A penalty decision changed afterwards (docs/enforcement.md §11): revoked, changed or
confirmed illegal by reconsideration, a lawsuit or the bureau's own correction, with the
linked ruling. The figures follow the final state (a revoked decision is no longer counted,
a changed fine counts at its new amount) and so does the public portal: a revoked or
unlawful decision's disclosure is withdrawn with a public notice (行政处罚法第四十八条), a
changed one is published again as changed, with the notice."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.masking import mask_text
from ecogov.enforcement import events
from ecogov.enforcement.bulk import DIRECT, CaseWriter
from ecogov.enforcement.deadlines import refresh_step, withdrawal_deadline
from ecogov.enforcement.models import (
    CaseDisclosure,
    CaseEvent,
    CaseState,
    ChangeBy,
    ChangeKind,
    DecisionChange,
    PenaltyCase,
)

from .common import ensure_handler, jsonable, lock, require, required_text, today
from .execution import disclosure_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# legal.Outcome values that answer each change (the dispute's recorded outcome must agree)
_DISPUTE_OUTCOME = {
    ChangeKind.REVOKED: "revoked",
    ChangeKind.CHANGED: "changed",
    ChangeKind.CONFIRMED_ILLEGAL: "confirmed_illegal",
}


def _linked_dispute(case: PenaltyCase, dispute_id: int, kind: Any) -> Any:
    """The legal area's reconsideration or lawsuit record about this case (if installed)."""
    if not apps.is_installed("ecogov.legal"):
        raise ValidationError({"dispute": _("本系统未启用复议应诉台账,请只填写文书文号。")})
    model = apps.get_model("legal", "DisputeCase")
    dispute = model.objects.filter(pk=dispute_id).first()
    if dispute is None:
        raise ValidationError({"dispute": _("找不到编号为%s的复议应诉案件。") % dispute_id})
    ours = ContentType.objects.get_for_model(PenaltyCase)
    if dispute.act_content_type_id != ours.pk or dispute.act_object_id != case.pk:
        raise ValidationError({"dispute": _("该复议应诉案件针对的不是本案的处罚决定。")})
    if dispute.outcome != _DISPUTE_OUTCOME[kind]:
        raise ValidationError(
            {
                "dispute": _("该复议应诉案件登记的结果为“%(outcome)s”,与本次登记的“%(kind)s”不符。")
                % {
                    "outcome": dispute.get_outcome_display() or _("未审结"),
                    "kind": ChangeKind(kind).label,
                }
            }
        )
    return dispute


def withdrawal_notice(case: PenaltyCase, change: DecisionChange) -> str:
    """The public notice that replaces (or accompanies) the withdrawn decision's information."""
    text = _(
        "%(number)s行政处罚决定已于%(on)s经%(by)s%(kind)s%(ref)s,原公开的行政处罚决定信息予以撤回。"
    ) % {
        "number": case.number,
        "on": change.ruling_on.isoformat(),
        "by": ChangeBy(change.by).label,
        "kind": ChangeKind(change.kind).label,
        "ref": f"({change.ruling_reference})" if change.ruling_reference else "",
    }
    if change.kind == ChangeKind.CHANGED and change.fine_after is not None:
        text += _("变更后的处罚决定(罚款%(fine)s元)重新公开如下。") % {
            "fine": f"{change.fine_after:,.2f}"
        }
    # public text: ID and phone numbers in the typed reason are masked (core/masking.py)
    return text + _("理由:%s") % mask_text(change.reason)


@transaction.atomic
def case_change_decision(
    *,
    actor: User,
    case: PenaltyCase,
    kind: str,
    by: str,
    reason: str,
    ruling_on: dt.date | None = None,
    ruling_reference: str = "",
    dispute: int | None = None,
    fine_after: Decimal | None = None,
    withdrawn_on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "change_decision")
    if kind not in ChangeKind.values:
        raise ValidationError({"kind": _("未知的结果“%s”。") % kind})
    if by not in ChangeBy.values:
        raise ValidationError({"by": _("未知的依据“%s”。") % by})
    reason = required_text(reason, "reason", _("请填写撤销、变更或确认违法的理由。"))
    on = ruling_on or today()
    assert case.decided_on is not None  # a case after its decision: case_decide set the day
    if on > today() or on < case.decided_on:
        raise ValidationError(
            {"ruling_on": _("决定(判决)日期须在处罚决定日期%s之后、不晚于今天。") % case.decided_on}
        )
    if dispute:
        if by == ChangeBy.SELF_CORRECTION:
            raise ValidationError({"dispute": _("本机关自行纠正不关联复议应诉案件。")})
        _linked_dispute(case, dispute, kind)
    elif by != ChangeBy.SELF_CORRECTION and not ruling_reference.strip():
        raise ValidationError(
            {"ruling_reference": _("请关联复议应诉案件或填写复议决定书、判决书文号。")}
        )
    fine_before = case.fine
    if kind == ChangeKind.CHANGED:
        if fine_after is None or Decimal(fine_after) < 0:
            raise ValidationError({"fine_after": _("变更处罚决定须填写变更后的罚款金额。")})
        fine_after = Decimal(fine_after)
        if fine_after == (case.fine or 0):
            raise ValidationError({"fine_after": _("变更后的罚款与原罚款相同。")})
    else:
        fine_after = None
    policy = writer.policy()
    due = withdrawal_deadline(on, policy)
    change = DecisionChange.objects.create(
        case=case,
        kind=kind,
        by=by,
        ruling_on=on,
        ruling_reference=ruling_reference,
        dispute_id=dispute or None,
        fine_before=fine_before,
        fine_after=fine_after,
        reason=reason,
        withdrawal_due=due.due,
    )
    from_state = case.state
    if kind == ChangeKind.REVOKED:
        case.state = CaseState.REVOKED
        case.closed_on = case.closed_on or on
        case.ending_reason = reason
    elif kind == ChangeKind.CHANGED:
        case.fine = fine_after
    refresh_step(case, policy)
    events.transition_event(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.DECISION_CHANGED,
        from_state=from_state,
        on=on,
        reason=reason,
        payload=jsonable(
            {
                "change": change.pk,
                "kind": kind,
                "by": by,
                "ruling_reference": ruling_reference,
                "dispute": dispute or None,
                "fine_before": fine_before,
                "fine_after": fine_after,
                "refund": max(case.paid - fine_after, Decimal(0))
                if fine_after is not None
                else None,
            }
        ),
    )
    _follow_on_portal(
        case, change, writer=writer, actor=actor, on=withdrawn_on or today(), due=due.due
    )
    return case


def _follow_on_portal(
    case: PenaltyCase,
    change: DecisionChange,
    *,
    actor: User,
    on: dt.date,
    due: dt.date,
    writer: CaseWriter = DIRECT,
) -> None:
    disclosure = CaseDisclosure.objects.filter(case=case).first()
    if disclosure is None or disclosure.withdrawn_on is not None:
        return
    notice = withdrawal_notice(case, change)
    if change.kind == ChangeKind.CHANGED and disclosure.published_on is not None:
        # the changed decision replaces the original on the portal, under the notice
        disclosure.title, disclosure.content = disclosure_text(case)
        disclosure.withdrawal_notice = notice
        disclosure.save()
        republished = True
    elif change.kind == ChangeKind.CHANGED:
        return  # not yet published: it will be, as changed
    else:
        disclosure.withdrawn_on = on
        disclosure.withdrawal_reason = change.reason
        disclosure.withdrawal_notice = notice
        disclosure.save()
        republished = False
    events.append(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.DISCLOSURE_WITHDRAWN,
        on=on,
        reason=change.reason,
        payload=jsonable(
            {
                "disclosure": disclosure.pk,
                "republished_as_changed": republished,
                "due": due,
                "on_time": on <= due,
                "notice_sha256": hashlib.sha256(notice.encode()).hexdigest(),
            }
        ),
    )
