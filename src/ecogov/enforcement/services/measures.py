"""Coercive measures of environmental law (docs/enforcement.md §10): seizure or impoundment
(查封扣押), production restriction or suspension (限产停产), the daily continuous penalty
(按日连续处罚) and transfer to the police for detention or to judicial organs.

These acts run beside the case's main line: they do not move its state nor its "previous
step" date, but each is an event of the case's record with the acting user."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.events import jsonable
from ecogov.core.roles import Role, has_role
from ecogov.enforcement import coercion, events
from ecogov.enforcement.bulk import policy as current_policy
from ecogov.enforcement.deadlines import measure_end, reinspection_deadline
from ecogov.enforcement.models import CaseEvent, CoerciveMeasure, DailyPenalty, MeasureKind

from .common import ensure_handler, lock, person, require, required_text, today

REFERRAL_KINDS = {
    "detention": _("移送公安机关行政拘留(环境保护法第六十三条)"),
    "judicial": _("涉嫌犯罪移送司法机关"),
}


def _on(value: dt.date | None, *, field: str, label: str, not_before: dt.date | None = None):
    on = value or today()
    if on > today():
        raise ValidationError(
            {field: _("%(label)s日期%(on)s晚于今天。") % {"label": label, "on": on.isoformat()}}
        )
    if not_before is not None and on < not_before:
        raise ValidationError(
            {
                field: _("%(label)s日期%(on)s早于%(before)s。")
                % {"label": label, "on": on.isoformat(), "before": not_before.isoformat()}
            }
        )
    return on


def _record(case, *, actor, type, on, payload, reason=""):
    events.append(case, actor=actor, type=type, on=on, reason=reason, payload=jsonable(payload))


def _measure(case, pk, field="measure") -> CoerciveMeasure:
    measure = CoerciveMeasure.objects.filter(case=case, pk=pk).first() if pk else None
    if measure is None:
        measure = CoerciveMeasure.objects.filter(case=case, released_on__isnull=True).last()
    if measure is None or measure.released_on is not None:
        raise ValidationError({field: _("本案没有正在实施的查封扣押或限产停产措施。")})
    return measure


@transaction.atomic
def case_take_measure(
    *,
    actor,
    case,
    kind: str,
    subject: str,
    approved_by,
    started_on: dt.date | None = None,
    days: int | None = None,
    months: int | None = None,
):
    """查封扣押 for at most `seizure_days` (30) days, or 限产停产 for at most
    `restriction_months` (3) months; approved by a bureau leader (环保部令29号第十条)."""
    case = lock(case)
    ensure_handler(actor, case)
    require(case, "take_measure")
    policy = current_policy()
    if kind not in MeasureKind.values:
        raise ValidationError({"kind": _("未知的措施“%s”。") % kind})
    subject = required_text(
        subject, "subject", _("请填写查封扣押的设施、设备、物品或限产停产的范围。")
    )
    if approved_by is None or not has_role(approved_by, Role.LEADER):
        raise ValidationError({"approved_by": _("查封扣押、限产停产须经局负责人批准。")})
    on = _on(started_on, field="started_on", label=_("实施"), not_before=case.opened_on)
    if kind == MeasureKind.SEIZURE:
        days = policy.seizure_days if days is None else int(days)
        problem = coercion.seizure_problem(days=days, max_days=policy.seizure_days)
        if problem:
            raise ValidationError({"days": problem})
        months = None
    else:
        months = policy.restriction_months if months is None else int(months)
        if kind == MeasureKind.RESTRICT and not 1 <= months <= policy.restriction_months:
            raise ValidationError(
                {"months": _("限制生产期限为1至%d个月(环保部令30号)。") % policy.restriction_months}
            )
        days = None
    measure = CoerciveMeasure(
        case=case,
        kind=kind,
        started_on=on,
        approved_by=approved_by,
        subject=subject,
        days=days,
        months=months or None,
    )
    end = measure_end(measure)
    measure.ends_on, measure.ends_provisional = end.due, end.provisional
    measure.save()
    _record(
        case,
        actor=actor,
        type=CaseEvent.Type.MEASURE_TAKEN,
        on=on,
        payload={
            "measure": measure.pk,
            "kind": kind,
            "subject": subject,
            "approved_by": approved_by.pk,
            "approver": person(approved_by),
            "days": days,
            "months": months,
            "ends_on": measure.ends_on,
        },
    )
    return measure


@transaction.atomic
def case_extend_measure(
    *, actor, case, reason: str, extension: int, measure=None, extended_on: dt.date | None = None
):
    """One extension: a seizure by at most `seizure_extension_days` (30), a restriction by at
    most `restriction_extension_months` (3); decided before the term ends, by a leader."""
    case = lock(case)
    ensure_handler(actor, case)
    require(case, "extend_measure")
    if not has_role(actor, Role.LEADER):
        raise ValidationError(
            {"reason": _("延长期限须经局负责人批准,%s不具有该角色。") % person(actor)}
        )
    measure = _measure(case, measure)
    reason = required_text(reason, "reason", _("延长期限须说明理由(情况复杂)。"))
    policy = current_policy()
    on = _on(extended_on, field="extended_on", label=_("延长"), not_before=measure.started_on)
    if on > measure.ends_on:
        raise ValidationError(
            {"extended_on": _("期限已于%s届满,不能再延长。") % measure.ends_on.isoformat()}
        )
    extension = int(extension or 0)
    if measure.kind == MeasureKind.SEIZURE:
        limit = policy.seizure_extension_days
    else:
        limit = policy.restriction_extension_months
    problem = coercion.extension_problem(
        already_extended=measure.extended_on is not None, days=extension, max_days=limit
    )
    if problem and measure.kind != MeasureKind.SEIZURE:
        problem = (
            problem.replace("查封、扣押", "限产停产")
            .replace("日", "个月")
            .replace("行政强制法第二十五条", "环保部令30号")
        )
    if problem:
        raise ValidationError({"extension": problem})
    before = measure.ends_on
    measure.extended_on, measure.extension = on, extension
    end = measure_end(measure)
    measure.ends_on, measure.ends_provisional = end.due, end.provisional
    measure.save()
    _record(
        case,
        actor=actor,
        type=CaseEvent.Type.MEASURE_EXTENDED,
        on=on,
        reason=reason,
        payload={"measure": measure.pk, "extension": extension, "from": before, "to": end.due},
    )
    return measure


@transaction.atomic
def case_record_testing(
    *, actor, case, testing_from: dt.date, testing_to: dt.date, measure=None, note: str = ""
):
    """检测、检验、检疫或者技术鉴定的期间 are not counted in a seizure's term (行政强制法第二十五条)."""
    case = lock(case)
    ensure_handler(actor, case)
    require(case, "record_testing")
    measure = _measure(case, measure, "testing_from")
    if measure.kind != MeasureKind.SEIZURE:
        raise ValidationError({"testing_from": _("只有查封、扣押的期限扣除检测等期间。")})
    if testing_from is None or testing_to is None or testing_to < testing_from:
        raise ValidationError({"testing_to": _("请填写检测等期间的起止日期,结束不早于开始。")})
    _on(testing_to, field="testing_to", label=_("检测结束"))
    _on(testing_from, field="testing_from", label=_("检测开始"), not_before=measure.started_on)
    days = (testing_to - testing_from).days + 1
    measure.testing_days += days
    end = measure_end(measure)
    before = measure.ends_on
    measure.ends_on, measure.ends_provisional = end.due, end.provisional
    measure.save()
    _record(
        case,
        actor=actor,
        type=CaseEvent.Type.MEASURE_TESTING,
        on=testing_to,
        reason=note,
        payload={
            "measure": measure.pk,
            "from": testing_from,
            "to": testing_to,
            "days": days,
            "ends_from": before,
            "ends_to": end.due,
        },
    )
    return measure


@transaction.atomic
def case_release_measure(
    *, actor, case, note: str, measure=None, released_on: dt.date | None = None
):
    case = lock(case)
    ensure_handler(actor, case)
    require(case, "release_measure")
    measure = _measure(case, measure, "note")
    note = required_text(note, "note", _("请填写解除的理由和物品返还情况。"))
    on = _on(released_on, field="released_on", label=_("解除"), not_before=measure.started_on)
    measure.released_on, measure.release_note = on, note
    measure.save()
    _record(
        case,
        actor=actor,
        type=CaseEvent.Type.MEASURE_RELEASED,
        on=on,
        reason=note,
        payload={"measure": measure.pk, "late": on > measure.ends_on, "ends_on": measure.ends_on},
    )
    return measure


@transaction.atomic
def case_order_correction(
    *, actor, case, order_served_on: dt.date | None = None, order_reference: str = ""
):
    """按日连续处罚, first step: after the fine, the order to correct (责令改正违法行为决定书)
    served; the covert re-inspection is due within `reinspection_days` (30) of service."""
    case = lock(case)
    ensure_handler(actor, case)
    require(case, "order_correction")
    if not case.fine:
        raise ValidationError({"order_served_on": _("按日连续处罚须以已作出的罚款处罚为前提。")})
    on = _on(order_served_on, field="order_served_on", label=_("送达"), not_before=case.decided_on)
    if DailyPenalty.objects.filter(case=case, reinspected_on__isnull=True).exists():
        raise ValidationError({"order_served_on": _("已有待复查的责令改正决定。")})
    due = reinspection_deadline(on, current_policy())
    daily = DailyPenalty.objects.create(
        case=case,
        order_reference=order_reference,
        order_served_on=on,
        reinspection_due=due.due,
        reinspection_provisional=due.provisional,
        daily_amount=case.fine,
    )
    _record(
        case,
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
    actor,
    case,
    continuing: bool,
    reinspected_on: dt.date | None = None,
    covert: bool = True,
    note: str = "",
):
    """The re-inspection: violation continuing → days × the original fine, with its working."""
    case = lock(case)
    ensure_handler(actor, case)
    require(case, "reinspect")
    daily = DailyPenalty.objects.filter(case=case, reinspected_on__isnull=True).last()
    if daily is None:
        raise ValidationError({"reinspected_on": _("本案没有待复查的责令改正决定。")})
    on = _on(reinspected_on, field="reinspected_on", label=_("复查"))
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
    _record(
        case,
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
def case_refer(*, actor, case, kind: str, to: str, reason: str, referred_on: dt.date | None = None):
    """移送公安机关拘留 (环境保护法第六十三条) or 涉嫌犯罪移送司法机关: the case goes on."""
    case = lock(case)
    ensure_handler(actor, case)
    require(case, "refer")
    if kind not in REFERRAL_KINDS:
        raise ValidationError({"kind": _("未知的移送类别“%s”。") % kind})
    to = required_text(to, "to", _("请填写接受移送的机关。"))
    reason = required_text(reason, "reason", _("请填写移送的事实和理由。"))
    on = _on(referred_on, field="referred_on", label=_("移送"), not_before=case.opened_on)
    _record(
        case,
        actor=actor,
        type=CaseEvent.Type.REFERRED,
        on=on,
        reason=reason,
        payload={"kind": kind, "to": to},
    )
    return case
