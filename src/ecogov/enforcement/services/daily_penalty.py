"""The daily continuous penalty (按日连续处罚, 环境保护法第五十九条; 环保部令28号) and referrals
to the police for detention or to judicial organs (docs/enforcement.md §10). Like the coercive
measures they run beside the case's main line."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.enforcement import coercion
from ecogov.enforcement.bulk import DIRECT, CaseWriter
from ecogov.enforcement.deadlines import reinspection_deadline
from ecogov.enforcement.models import CaseEvent, DailyPenalty, PenaltyCase

from .common import ensure_handler, lock, require, required_text, side_act_date, side_event

if TYPE_CHECKING:
    from django.contrib.auth.models import User


REFERRAL_KINDS = {
    "detention": _("移送公安机关行政拘留(环境保护法第六十三条)"),
    "judicial": _("涉嫌犯罪移送司法机关"),
}


@transaction.atomic
def case_order_correction(
    *,
    actor: User,
    case: PenaltyCase,
    order_served_on: dt.date | None = None,
    order_reference: str = "",
    writer: CaseWriter = DIRECT,
) -> DailyPenalty:
    """按日连续处罚, first step: after the fine, the order to correct (责令改正违法行为决定书)
    served; the covert re-inspection is due within `reinspection_days` (30) of service."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "order_correction")
    if not case.fine:
        raise ValidationError({"order_served_on": _("按日连续处罚须以已作出的罚款处罚为前提。")})
    on = side_act_date(
        order_served_on, field="order_served_on", label=_("送达"), not_before=case.decided_on
    )
    if DailyPenalty.objects.filter(case=case, reinspected_on__isnull=True).exists():
        raise ValidationError({"order_served_on": _("已有待复查的责令改正决定。")})
    due = reinspection_deadline(on, writer.policy())
    daily = DailyPenalty.objects.create(
        case=case,
        order_reference=order_reference,
        order_served_on=on,
        reinspection_due=due.due,
        reinspection_provisional=due.provisional,
        daily_amount=case.fine,
    )
    side_event(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.CORRECTION_ORDERED,
        on=on,
        payload={
            "daily": daily.pk,
            "order_reference": order_reference,
            "reinspection_due": due.due,
            "original_fine": case.fine,
        },
    )
    return daily


@transaction.atomic
def case_reinspect(
    *,
    actor: User,
    case: PenaltyCase,
    continuing: bool,
    reinspected_on: dt.date | None = None,
    covert: bool = True,
    note: str = "",
    writer: CaseWriter = DIRECT,
) -> DailyPenalty:
    """The re-inspection: violation continuing → days × the original fine, with its working."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "reinspect")
    daily = DailyPenalty.objects.filter(case=case, reinspected_on__isnull=True).last()
    if daily is None:
        raise ValidationError({"reinspected_on": _("本案没有待复查的责令改正决定。")})
    on = side_act_date(reinspected_on, field="reinspected_on", label=_("复查"))
    if on <= daily.order_served_on:
        raise ValidationError({"reinspected_on": _("复查日期须晚于责令改正决定书送达日期。")})
    if on > daily.reinspection_due:
        raise ValidationError(
            {
                "reinspected_on": _(
                    "复查须在责令改正决定书送达之日起三十日内(%s前)进行,逾期复查不能据以按日连续处罚。"
                )
                % daily.reinspection_due.isoformat()
            }
        )
    daily.reinspected_on, daily.covert, daily.continuing = on, bool(covert), bool(continuing)
    if continuing:
        result = coercion.daily_penalty(
            order_served_on=daily.order_served_on,
            reinspected_on=on,
            original_fine=daily.daily_amount,
        )
        daily.days, daily.amount, daily.derivation = result.days, result.amount, result.derivation
    else:
        daily.derivation = _("复查时违法排污行为已停止,不实施按日连续处罚。")
    daily.save()
    side_event(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.REINSPECTED,
        on=on,
        reason=note,
        payload={
            "daily": daily.pk,
            "covert": daily.covert,
            "continuing": daily.continuing,
            "days": daily.days,
            "amount": daily.amount,
            "derivation": daily.derivation,
        },
    )
    return daily


@transaction.atomic
def case_refer(
    *,
    actor: User,
    case: PenaltyCase,
    kind: str,
    to: str,
    reason: str,
    referred_on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """移送公安机关拘留 (环境保护法第六十三条) or 涉嫌犯罪移送司法机关: the case goes on."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "refer")
    if kind not in REFERRAL_KINDS:
        raise ValidationError({"kind": _("未知的移送类别“%s”。") % kind})
    to = required_text(to, "to", _("请填写接受移送的机关。"))
    reason = required_text(reason, "reason", _("请填写移送的事实和理由。"))
    on = side_act_date(referred_on, field="referred_on", label=_("移送"), not_before=case.opened_on)
    side_event(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.REFERRED,
        on=on,
        reason=reason,
        payload={"kind": kind, "to": to},
    )
    return case
