"""Legal review, collective discussion, extensions and the decision, with the rules that
make a decision lawful enforced here (not advisory): see docs/enforcement.md "Rules".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core import services as core_services
from ecogov.core.models import AssignmentRole
from ecogov.core.roles import Role, has_role
from ecogov.enforcement import events, rules
from ecogov.enforcement.bulk import DIRECT, CaseWriter
from ecogov.enforcement.deadlines import (
    decision_deadline,
    disclosure_deadline,
    refresh_step,
    review_deadline,
)
from ecogov.enforcement.models import (
    CaseDisclosure,
    CaseEvent,
    LegalBasis,
    PenaltyCase,
    PenaltyKind,
)
from ecogov.enforcement.workflow import CaseState

from .common import (
    advance,
    check_date,
    ensure_handler,
    ensure_not_officer,
    ensure_role,
    jsonable,
    lock,
    person,
    require,
    required_text,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def case_submit_review(
    *,
    actor: User,
    case: PenaltyCase,
    reviewer: User,
    submitted_on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """Send the case to the legal section; the reviewer is assigned as its approver."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "submit_review")
    on = check_date(case, submitted_on, field="submitted_on", label=_("提交法制审核"))
    if not has_role(reviewer, Role.LEGAL_REVIEWER):
        raise ValidationError(
            {"reviewer": _("%s不是法制审核人员,不能审核本案。") % person(reviewer)}
        )
    ensure_not_officer(reviewer, case, "reviewer", _("法制审核人员"))
    policy = writer.policy()
    case.reviewer, case.review_submitted_on, case.review_extended = reviewer, on, False
    case.review_due = review_deadline(on, policy).due
    core_services.record_assign(
        actor=actor,
        record=case,
        role=AssignmentRole.APPROVER,
        user=reviewer,
        reason=str(_("法制审核")),
    )
    advance(
        case,
        writer=writer,
        actor=actor,
        action="submit_review",
        event_type=CaseEvent.Type.REVIEW_SUBMITTED,
        on=on,
        policy=policy,
        payload={"reviewer": reviewer.pk, "due": case.review_due},
    )
    return case


@transaction.atomic
def case_extend_review(
    *, actor: User, case: PenaltyCase, reason: str, writer: CaseWriter = DIRECT
) -> PenaltyCase:
    """Complex cases: the review period is extended once, with a head's approval."""
    case = lock(case, writer)
    ensure_role(actor, case, Role.LEADER, _("延长法制审核期限"))
    require(case, "extend_review")
    reason = required_text(reason, "reason", _("延长法制审核期限须说明理由。"))
    if case.review_extended:
        raise ValidationError({"reason": _("法制审核期限已延长过一次,不能再延长。")})
    policy = writer.policy()
    case.review_extended = True
    case.review_due = review_deadline(case.review_submitted_on, policy, extended=True).due
    refresh_step(case, policy)
    writer.save(case)
    events.append(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.REVIEW_EXTENDED,
        reason=reason,
        payload=jsonable({"due": case.review_due}),
    )
    return case


@transaction.atomic
def case_legal_review(
    *,
    actor: User,
    case: PenaltyCase,
    passed: bool,
    opinion: str = "",
    reviewed_on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """法制审核 by a legal reviewer who did not handle the case: passed, or failed and
    returned for further investigation (a new notice follows)."""
    case = lock(case, writer)
    ensure_role(actor, case, Role.LEGAL_REVIEWER, _("法制审核"))
    require(case, "review_pass" if passed else "review_fail")
    ensure_not_officer(actor, case, "reviewer", _("法制审核人员"))
    on = check_date(case, reviewed_on, field="reviewed_on", label=_("法制审核"))
    if not passed:
        opinion = required_text(opinion, "opinion", _("审核不通过须写明意见。"))
    case.reviewer, case.reviewed_on, case.review_passed = actor, on, passed
    case.review_opinion = opinion
    late = bool(case.review_due and on > case.review_due)
    advance(
        case,
        writer=writer,
        actor=actor,
        action="review_pass" if passed else "review_fail",
        event_type=CaseEvent.Type.LEGAL_REVIEWED,
        on=on,
        reason=opinion,
        payload={"passed": passed, "late": late},
    )
    return case


@transaction.atomic
def case_discuss(
    *,
    actor: User,
    case: PenaltyCase,
    conclusion: str,
    discussed_on: dt.date | None = None,
    participants: str = "",
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """负责人集体讨论, after the legal review where one is required."""
    case = lock(case, writer)
    ensure_role(actor, case, Role.LEADER, _("集体讨论"))
    require(case, "discuss")
    if case.review_required and not case.review_passed:
        raise ValidationError({"discussed_on": _("本案须法制审核,审核通过后方可提交集体讨论。")})
    on = check_date(case, discussed_on, field="discussed_on", label=_("集体讨论"))
    conclusion = required_text(conclusion, "conclusion", _("请填写集体讨论结论。"))
    case.discussed_on, case.discussion_conclusion = on, conclusion
    advance(
        case,
        writer=writer,
        actor=actor,
        action="discuss",
        event_type=CaseEvent.Type.DISCUSSED,
        on=on,
        reason=conclusion,
        payload={"participants": participants},
    )
    return case


@transaction.atomic
def case_extend_decision(
    *,
    actor: User,
    case: PenaltyCase,
    reason: str,
    collective_minutes: str = "",
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """+30 days with the head's approval; a second extension needs the heads' collective
    discussion (2023 办法 art. 57)."""
    case = lock(case, writer)
    ensure_role(actor, case, Role.LEADER, _("延长办案期限"))
    require(case, "extend_decision")
    reason = required_text(reason, "reason", _("延长办案期限须说明理由。"))
    policy = writer.policy()
    if case.extensions >= policy.decision_extensions_max:
        raise ValidationError({"reason": _("办案期限已延长%d次,不能再延长。") % case.extensions})
    if case.extensions >= 1:
        required_text(
            collective_minutes,
            "collective_minutes",
            _("再次延长办案期限须经负责人集体讨论,请填写集体讨论纪要。"),
        )
    case.extensions += 1
    refresh_step(case, policy)
    writer.save(case)
    due = decision_deadline(case, policy)
    events.append(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.DEADLINE_EXTENDED,
        reason=reason,
        payload=jsonable(
            {
                "extensions": case.extensions,
                "due": due.due if due else None,
                "collective_minutes": collective_minutes,
            }
        ),
    )
    return case


def _refuse_decision_state(case: PenaltyCase) -> None:
    """The reasons a decision cannot be taken yet, named before the generic state message."""
    if case.state == CaseState.HEARING_REQUESTED:
        assert case.hearing_requested_on is not None  # case_request_hearing set the day
        raise ValidationError(
            {
                "decided_on": _(
                    "当事人已于%(on)s在听证申请期限内申请听证,听证举行前不能作出处罚决定。"
                )
                % {"on": case.hearing_requested_on.isoformat()}
            }
        )
    if case.state == CaseState.LEGAL_REVIEW:
        assert case.reviewer is not None  # case_submit_review named the reviewer
        raise ValidationError(
            {
                "decided_on": _("法制审核尚未完成(审核人:%s),不能作出处罚决定。")
                % person(case.reviewer)
            }
        )
    if case.state in (CaseState.LEAD, CaseState.OPENED, CaseState.INVESTIGATING):
        raise ValidationError(
            {
                "decided_on": _(
                    "本案尚未进行处罚事先告知,不能作出处罚决定(行政处罚法第四十四条、第六十二条)。"
                )
            }
        )


@transaction.atomic
def case_decide(
    *,
    actor: User,
    case: PenaltyCase,
    penalty_kinds: list[str],
    fine: Decimal | None = None,
    confiscation: Decimal | None = None,
    legal_basis: LegalBasis | None = None,
    decided_on: dt.date | None = None,
    decision_text: str = "",
    public_impact: bool = True,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """作出行政处罚决定 (by a bureau head). Refused, with the reason, when: no advance
    notice; the decision date is before the notice date or inside the party's windows; a
    hearing asked for in time has not been held; the penalty is heavier than notified; the
    fine is outside the statutory range; a major decision lacks a passed legal review or a
    required collective discussion; the decision period has run out."""
    case = lock(case, writer)
    ensure_role(actor, case, Role.LEADER, _("作出处罚决定"))
    _refuse_decision_state(case)
    require(case, "decide")
    on = decided_on or check_date(case, None, field="decided_on", label=_("决定"))
    assert case.notified_on is not None  # a decidable case was notified: case_notify set the day
    if on < case.notified_on:
        raise ValidationError(
            {
                "decided_on": _(
                    "决定日期%(on)s早于告知日期%(notice)s:处罚事先告知必须在作出决定之前。"
                )
                % {"on": on.isoformat(), "notice": case.notified_on.isoformat()}
            }
        )
    _check_windows(case, on)
    on = check_date(case, on, field="decided_on", label=_("决定"))
    basis = legal_basis or case.legal_basis
    kinds = list(dict.fromkeys(penalty_kinds))
    rules.check_fine(basis=basis, kinds=kinds, fine=fine)
    assert basis is not None  # check_fine refused a missing basis
    _check_not_heavier(case, kinds, fine, confiscation)
    rule = rules.rule_for(
        memo=writer.rule_memo, division=case.division, party_kind=case.party_kind, on=on
    )
    need = rules.requirements(
        rule=rule,
        kinds=kinds,
        fine=fine,
        confiscation=confiscation,
        is_complex=case.is_complex,
        major_public_interest=case.major_public_interest,
        hearing_held=case.hearing_held_on is not None,
    )
    if need.review and not (case.review_passed and case.reviewed_on and case.reviewed_on <= on):
        raise ValidationError(
            {
                "decided_on": _("本案属重大执法决定,未经法制审核或法制审核未通过,不能作出决定。%s")
                % ";".join(need.reasons)
            }
        )
    if need.collective and case.discussed_on is None:
        raise ValidationError(
            {"decided_on": _("本案须经负责人集体讨论,尚无集体讨论记录,不能作出决定。")}
        )
    policy = writer.policy()
    due = decision_deadline(case, policy)
    if due is not None and on > due.due:
        raise ValidationError(
            {
                "decided_on": _(
                    "决定日期%(on)s已超过办案期限%(due)s,须先经负责人批准延长办案期限。"
                )
                % {"on": on.isoformat(), "due": due.due.isoformat()}
            }
        )
    case.decided_on, case.decided_by = on, actor
    case.legal_basis, case.penalty_kinds = basis, kinds
    case.fine, case.confiscation = fine, confiscation
    case.decision_text, case.public_impact = decision_text, public_impact
    case.review_required, case.collective_required = need.review, need.collective
    advance(
        case,
        writer=writer,
        actor=actor,
        action="decide",
        event_type=CaseEvent.Type.DECIDED,
        on=on,
        policy=policy,
        payload={
            "number": case.number,
            "legal_basis": basis.pk,
            "kinds": kinds,
            "fine": fine,
            "confiscation": confiscation,
            "review_required": need.review,
            "public_impact": public_impact,
        },
    )
    if public_impact:
        disclosure_due = disclosure_deadline(on, policy)
        CaseDisclosure.objects.create(
            case=case, due_on=disclosure_due.due, due_provisional=disclosure_due.provisional
        )
    return case


def _check_windows(case: PenaltyCase, on: dt.date) -> None:
    """APL art. 62: no decision before the party could state, defend and ask for a hearing,
    unless the party waived in writing."""
    if case.party_waived:
        return
    windows = [(case.statement_due, _("陈述申辩期限"))]
    if case.hearing_offered and case.hearing_requested_on is None:
        windows.append((case.hearing_request_due, _("听证申请期限")))
    for due, label in windows:
        if due is not None and on <= due:
            raise ValidationError(
                {
                    "decided_on": _(
                        "当事人的%(label)s至%(due)s届满,当事人未书面放弃,决定日期%(on)s不能早于期满后一日。"
                    )
                    % {"label": label, "due": due.isoformat(), "on": on.isoformat()}
                }
            )


def _check_not_heavier(
    case: PenaltyCase, kinds: Iterable[str], fine: Decimal | None, confiscation: Decimal | None
) -> None:
    """APL art. 45: the decision may not be heavier than the notice (a new notice is due)."""
    heavier = []
    extra = set(kinds) - set(case.notified_kinds or [])
    if extra:
        heavier.append(_("增加了处罚种类%s") % "、".join(str(PenaltyKind(k).label) for k in extra))
    if (fine or 0) > (case.notified_fine or 0):
        heavier.append(
            _("罚款%(fine)s元高于告知的%(notified)s元")
            % {"fine": fine, "notified": case.notified_fine or 0}
        )
    if (confiscation or 0) > (case.notified_confiscation or 0):
        heavier.append(_("没收金额高于告知金额"))
    if heavier:
        raise ValidationError(
            {
                "fine": _("处罚决定重于事先告知的拟处罚内容(%s),须重新告知当事人。")
                % ";".join(heavier)
            }
        )


@transaction.atomic
def case_decide_no_penalty(
    *,
    actor: User,
    case: PenaltyCase,
    reason: str,
    decided_on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """不予行政处罚 (e.g. minor and corrected in time, or not established); the case ends."""
    case = lock(case, writer)
    ensure_role(actor, case, Role.LEADER, _("决定不予处罚"))
    require(case, "decide_no_penalty")
    reason = required_text(reason, "reason", _("不予处罚须说明理由。"))
    on = check_date(case, decided_on, field="decided_on", label=_("不予处罚决定"))
    case.decided_on, case.decided_by, case.closed_on = on, actor, on
    case.ending_reason = reason
    advance(
        case,
        writer=writer,
        actor=actor,
        action="decide_no_penalty",
        event_type=CaseEvent.Type.NO_PENALTY,
        on=on,
        reason=reason,
    )
    return case
