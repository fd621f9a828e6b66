"""The advance notice (告知) and the party's rights: statement and defence, hearing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.enforcement import events, rules
from ecogov.enforcement.bulk import DIRECT, CaseWriter
from ecogov.enforcement.deadlines import (
    earliest_hearing_on,
    hearing_request_deadline,
    statement_deadline,
)
from ecogov.enforcement.models import CaseEvent, LegalBasis, PenaltyCase
from ecogov.enforcement.workflow import CaseState

from .common import (
    advance,
    check_date,
    ensure_handler,
    ensure_not_officer,
    jsonable,
    lock,
    require,
    required_text,
)
from .opening import check_officers

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def case_notify(
    *,
    actor: User,
    case: PenaltyCase,
    legal_basis: LegalBasis,
    penalty_kinds: list[str],
    fine: Decimal | None = None,
    confiscation: Decimal | None = None,
    notified_on: dt.date | None = None,
    is_complex: bool | None = None,
    major_public_interest: bool | None = None,
    reason: str = "",
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """处罚事先告知: the intended penalty, its basis, and the party's rights with their windows.

    A new notice (after a failed legal review) starts the party's windows and the review over.
    """
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "notify")
    on = check_date(case, notified_on, field="notified_on", label=_("告知"))
    check_officers(case, list(case.officers.select_related("staff")), on)
    kinds = list(dict.fromkeys(penalty_kinds))
    rules.check_fine(basis=legal_basis, kinds=kinds, fine=fine)
    if is_complex is not None:
        case.is_complex = is_complex
    if major_public_interest is not None:
        case.major_public_interest = major_public_interest
    policy = writer.policy()
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
    )
    case.legal_basis, case.notified_kinds = legal_basis, kinds
    case.notified_fine, case.notified_confiscation = fine, confiscation
    case.notified_on = on
    case.statement_due = statement_deadline(on, policy).due
    case.hearing_offered = need.hearing
    case.hearing_request_due = hearing_request_deadline(on, policy).due if need.hearing else None
    case.review_required, case.collective_required = need.review, need.collective
    # a fresh notice: what the party and the reviewers did on the previous one no longer counts
    case.party_waived = False
    case.hearing_requested_on = case.hearing_notice_on = case.hearing_on = None
    case.hearing_held_on, case.hearing_chair = None, None
    case.reviewer, case.reviewed_on, case.review_passed, case.review_opinion = None, None, False, ""
    case.review_submitted_on, case.review_due, case.review_extended = None, None, False
    case.discussed_on, case.discussion_conclusion = None, ""
    advance(
        case,
        writer=writer,
        actor=actor,
        action="notify",
        event_type=CaseEvent.Type.NOTIFIED,
        on=on,
        reason=reason,
        policy=policy,
        payload={
            "legal_basis": legal_basis.pk,
            "basis_title": legal_basis.title,
            "kinds": kinds,
            "fine": fine,
            "confiscation": confiscation,
            "statement_due": case.statement_due,
            "hearing_offered": need.hearing,
            "hearing_request_due": case.hearing_request_due,
            "review_required": need.review,
            "collective_required": need.collective,
            "why": list(need.reasons),
        },
    )
    return case


@transaction.atomic
def case_record_statement(
    *,
    actor: User,
    case: PenaltyCase,
    summary: str,
    received_on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """陈述申辩 received; a late one is still recorded (and marked late)."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "record_statement")
    on = check_date(case, received_on, field="received_on", label=_("陈述申辩"))
    summary = required_text(summary, "summary", _("请填写陈述申辩的内容摘要。"))
    case.last_step_on = on
    writer.save(case, update_fields=["last_step_on"])
    events.append(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.STATEMENT_RECEIVED,
        on=on,
        reason=summary,
        payload=jsonable({"late": bool(case.statement_due and on > case.statement_due)}),
    )
    return case


@transaction.atomic
def case_record_waiver(
    *,
    actor: User,
    case: PenaltyCase,
    note: str,
    waived_on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """The party waives statement, defence and hearing in writing: the decision need not wait."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "record_waiver")
    on = check_date(case, waived_on, field="waived_on", label=_("放弃陈述申辩和听证"))
    note = required_text(note, "note", _("请注明当事人放弃权利的书面材料。"))
    case.party_waived, case.last_step_on = True, on
    writer.save(case, update_fields=["party_waived", "last_step_on"])
    events.append(
        case, writer=writer, actor=actor, type=CaseEvent.Type.WAIVER_RECORDED, on=on, reason=note
    )
    return case


@transaction.atomic
def case_request_hearing(
    *,
    actor: User,
    case: PenaltyCase,
    requested_on: dt.date | None = None,
    note: str = "",
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """The party asks for a hearing. Within the period it blocks the decision until the
    hearing is held; a late request is recorded and does not block."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    if case.state == CaseState.NOTIFIED and not case.hearing_offered:
        raise ValidationError(
            {
                "requested_on": _(
                    "本案拟作出的处罚未达到听证标准,告知时未告知听证权利,不受理听证申请;"
                    "当事人可以陈述申辩。"
                )
            }
        )
    if case.state == CaseState.NOTIFIED and case.party_waived:
        raise ValidationError({"requested_on": _("当事人已书面放弃听证。")})
    require(case, "request_hearing")
    on = check_date(case, requested_on, field="requested_on", label=_("申请听证"))
    # a hearing was offered (refused above otherwise), and case_notify set its deadline with it
    assert case.hearing_request_due is not None
    if on > case.hearing_request_due:
        case.last_step_on = on
        writer.save(case, update_fields=["last_step_on"])
        events.append(
            case,
            writer=writer,
            actor=actor,
            type=CaseEvent.Type.HEARING_REQUEST_LATE,
            on=on,
            reason=note,
            payload=jsonable({"due": case.hearing_request_due}),
        )
        return case
    case.hearing_requested_on = on
    advance(
        case,
        writer=writer,
        actor=actor,
        action="request_hearing",
        event_type=CaseEvent.Type.HEARING_REQUESTED,
        on=on,
        reason=note,
        payload={"due": case.hearing_request_due},
    )
    return case


@transaction.atomic
def case_schedule_hearing(
    *,
    actor: User,
    case: PenaltyCase,
    chair: User,
    hearing_on: dt.date,
    notice_on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """Fix the hearing: chaired by someone who did not investigate, the party told at least
    seven working days ahead (APL art. 64)."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "schedule_hearing")
    notice_on = check_date(case, notice_on, field="notice_on", label=_("听证通知"))
    ensure_not_officer(chair, case, "chair", _("听证主持人"))
    policy = writer.policy()
    earliest = earliest_hearing_on(notice_on, policy)
    if hearing_on < earliest:
        raise ValidationError(
            {
                "hearing_on": _(
                    "听证通知应在举行听证%(days)d个工作日前送达当事人:通知日期%(notice)s,"
                    "听证最早可安排在%(earliest)s,而不是%(on)s。"
                )
                % {
                    "days": policy.hearing_notice_days,
                    "notice": notice_on.isoformat(),
                    "earliest": earliest.isoformat(),
                    "on": hearing_on.isoformat(),
                }
            }
        )
    case.hearing_notice_on, case.hearing_on, case.hearing_chair = notice_on, hearing_on, chair
    case.last_step_on = notice_on
    writer.save(case)
    events.append(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.HEARING_SCHEDULED,
        on=notice_on,
        payload=jsonable({"hearing_on": hearing_on, "chair": chair}),
    )
    return case


@transaction.atomic
def case_hold_hearing(
    *,
    actor: User,
    case: PenaltyCase,
    summary: str,
    held_on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "hold_hearing")
    if case.hearing_on is None:
        raise ValidationError({"held_on": _("尚未安排听证(主持人、日期、通知),不能登记听证举行。")})
    on = check_date(case, held_on, field="held_on", label=_("听证"))
    if on < case.hearing_on:
        raise ValidationError(
            {
                "held_on": _("听证举行日期%(on)s早于通知当事人的听证日期%(planned)s。")
                % {"on": on.isoformat(), "planned": case.hearing_on.isoformat()}
            }
        )
    summary = required_text(summary, "summary", _("请填写听证笔录摘要。"))
    case.hearing_held_on = on
    case.review_required = True  # APL art. 58: a decision after a hearing is reviewed
    advance(
        case,
        writer=writer,
        actor=actor,
        action="hold_hearing",
        event_type=CaseEvent.Type.HEARING_HELD,
        on=on,
        reason=summary,
        payload={"chair": case.hearing_chair_id},
    )
    return case
