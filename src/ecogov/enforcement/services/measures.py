"""Coercive measures of environmental law (docs/enforcement.md §10): seizure or impoundment
(查封扣押, also on the spot in an emergency) and production restriction or suspension (限产停产),
their extension, testing time and release. The daily continuous penalty and referrals are in
`daily_penalty.py`.

These acts run beside the case's main line: they do not move its state nor its "previous
step" date, but each is an event of the case's record with the acting user."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.roles import Role, has_role
from ecogov.enforcement import coercion
from ecogov.enforcement.bulk import DIRECT, CaseWriter
from ecogov.enforcement.deadlines import measure_end
from ecogov.enforcement.models import CaseEvent, CoerciveMeasure, MeasureKind, PenaltyCase

from .common import (
    ensure_handler,
    ensure_role,
    lock,
    person,
    require,
    required_text,
    side_act_date,
    side_event,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet


def _named(
    measures: QuerySet[CoerciveMeasure],
    measure: CoerciveMeasure | int | None,
    field: str,
    missing: str,
) -> CoerciveMeasure:
    """The measure the caller named among `measures` (the case's measures a step may act on),
    or without a name the latest of them; a name that is not among them is refused, never
    replaced by another measure."""
    if measure is None:
        found = measures.last()
    else:
        pk = measure.pk if isinstance(measure, CoerciveMeasure) else measure
        found = measures.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: missing})
    return found


def _measure(
    case: PenaltyCase, measure: CoerciveMeasure | int | None, field: str = "measure"
) -> CoerciveMeasure:
    running = CoerciveMeasure.objects.filter(case=case, released_on__isnull=True)
    return _named(running, measure, field, _("本案没有正在实施的查封扣押或限产停产措施。"))


@transaction.atomic
def case_take_measure(
    *,
    actor: User,
    case: PenaltyCase,
    kind: str,
    subject: str,
    approved_by: User | None,
    started_on: dt.date | None = None,
    days: int | None = None,
    months: int | None = None,
    emergency: bool = False,
    writer: CaseWriter = DIRECT,
) -> CoerciveMeasure:
    """查封扣押 for at most `seizure_days` (30) days, or 限产停产 for at most
    `restriction_months` (3) months; approved by a bureau leader beforehand (环保部令29号第十条)
    — or, a seizure in an emergency, taken on the spot and approved within 24 hours
    (行政强制法第十九条; `case_approve_measure`)."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "take_measure")
    policy = writer.policy()
    if kind not in MeasureKind.values:
        raise ValidationError({"kind": _("未知的措施“%s”。") % kind})
    subject = required_text(
        subject, "subject", _("请填写查封扣押的设施、设备、物品或限产停产的范围。")
    )
    if emergency and kind != MeasureKind.SEIZURE:
        raise ValidationError({"emergency": _("只有查封、扣押可以在情况紧急时当场实施。")})
    if emergency and approved_by is not None:
        raise ValidationError(
            {"approved_by": _("当场实施的查封、扣押事后补办批准,此处不选批准人。")}
        )
    if not emergency and (approved_by is None or not has_role(approved_by, Role.LEADER)):
        raise ValidationError(
            {
                "approved_by": _(
                    "查封扣押、限产停产须经局负责人批准;情况紧急当场实施的,请勾选“情况紧急当场实施”。"
                )
            }
        )
    on = side_act_date(started_on, field="started_on", label=_("实施"), not_before=case.opened_on)
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
        approved_on=None if emergency else on,
        emergency=emergency,
        approval_due=approval_due(on) if emergency else None,
        subject=subject,
        days=days,
        months=months or None,
    )
    end = measure_end(measure)
    measure.ends_on, measure.ends_provisional = end.due, end.provisional
    measure.save()
    side_event(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.MEASURE_TAKEN,
        on=on,
        payload={
            "measure": measure.pk,
            "kind": kind,
            "subject": subject,
            "approved_by": approved_by.pk if approved_by else None,
            "approver": person(approved_by) if approved_by else "",
            "emergency": emergency,
            "approval_due": measure.approval_due,
            "days": days,
            "months": months,
            "ends_on": measure.ends_on,
        },
    )
    return measure


def approval_due(started_on: dt.date) -> dt.date:
    """ "二十四小时内" after an act dated by its day: at the latest the next day (the time of day
    is not recorded; docs/enforcement.md §10)."""
    return started_on + dt.timedelta(days=1)


@transaction.atomic
def case_approve_measure(
    *,
    actor: User,
    case: PenaltyCase,
    approved: bool,
    opinion: str = "",
    measure: CoerciveMeasure | int | None = None,
    approved_on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> CoerciveMeasure:
    """The head's approval of a seizure taken on the spot (行政强制法第十九条): approved, it
    stands as if approved beforehand; not approved, it is released at once. An approval
    recorded after the 24 hours is kept, marked late."""
    case = lock(case, writer)
    ensure_role(actor, case, Role.LEADER, _("补办查封、扣押批准"))
    require(case, "approve_measure")
    pending = CoerciveMeasure.objects.filter(
        case=case, emergency=True, approved_on__isnull=True, released_on__isnull=True
    )
    found = _named(pending, measure, "approved", _("本案没有待补办批准的当场查封、扣押。"))
    on = side_act_date(
        approved_on, field="approved_on", label=_("批准"), not_before=found.started_on
    )
    if not approved:
        opinion = required_text(opinion, "opinion", _("不予批准须说明理由(应当立即解除)。"))
    late = found.approval_due is not None and on > found.approval_due
    if approved:
        found.approved_by, found.approved_on = actor, on
    else:
        found.released_on = on
        found.release_note = _("局负责人不予批准,立即解除:%s") % opinion
    found.save()
    side_event(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.MEASURE_APPROVAL,
        on=on,
        reason=opinion,
        payload={
            "measure": found.pk,
            "approved": bool(approved),
            "approval_due": found.approval_due,
            "late": late,
        },
    )
    if not approved:
        side_event(
            case,
            writer=writer,
            actor=actor,
            type=CaseEvent.Type.MEASURE_RELEASED,
            on=on,
            reason=found.release_note,
            payload={"measure": found.pk, "late": False, "ends_on": found.ends_on},
        )
    return found


@transaction.atomic
def case_extend_measure(
    *,
    actor: User,
    case: PenaltyCase,
    reason: str,
    extension: int,
    measure: CoerciveMeasure | int | None = None,
    extended_on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> CoerciveMeasure:
    """One extension: a seizure by at most `seizure_extension_days` (30), a restriction by at
    most `restriction_extension_months` (3); decided before the term ends, by a leader."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "extend_measure")
    if not has_role(actor, Role.LEADER):
        raise ValidationError(
            {"reason": _("延长期限须经局负责人批准,%s不具有该角色。") % person(actor)}
        )
    measure = _measure(case, measure)
    if measure.awaiting_approval:
        raise ValidationError({"extension": _("当场实施的查封、扣押尚未补办批准,须先补办批准。")})
    reason = required_text(reason, "reason", _("延长期限须说明理由(情况复杂)。"))
    policy = writer.policy()
    on = side_act_date(
        extended_on, field="extended_on", label=_("延长"), not_before=measure.started_on
    )
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
    side_event(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.MEASURE_EXTENDED,
        on=on,
        reason=reason,
        payload={"measure": measure.pk, "extension": extension, "from": before, "to": end.due},
    )
    return measure


@transaction.atomic
def case_record_testing(
    *,
    actor: User,
    case: PenaltyCase,
    testing_from: dt.date,
    testing_to: dt.date,
    measure: CoerciveMeasure | int | None = None,
    note: str = "",
    writer: CaseWriter = DIRECT,
) -> CoerciveMeasure:
    """检测、检验、检疫或者技术鉴定的期间 are not counted in a seizure's term (行政强制法第二十五条)."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "record_testing")
    measure = _measure(case, measure, "testing_from")
    if measure.kind != MeasureKind.SEIZURE:
        raise ValidationError({"testing_from": _("只有查封、扣押的期限扣除检测等期间。")})
    if testing_from is None or testing_to is None or testing_to < testing_from:
        raise ValidationError({"testing_to": _("请填写检测等期间的起止日期,结束不早于开始。")})
    side_act_date(testing_to, field="testing_to", label=_("检测结束"))
    side_act_date(
        testing_from, field="testing_from", label=_("检测开始"), not_before=measure.started_on
    )
    days = (testing_to - testing_from).days + 1
    measure.testing_days += days
    end = measure_end(measure)
    before = measure.ends_on
    measure.ends_on, measure.ends_provisional = end.due, end.provisional
    measure.save()
    side_event(
        case,
        writer=writer,
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
    *,
    actor: User,
    case: PenaltyCase,
    note: str,
    measure: CoerciveMeasure | int | None = None,
    released_on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> CoerciveMeasure:
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "release_measure")
    measure = _measure(case, measure, "note")
    note = required_text(note, "note", _("请填写解除的理由和物品返还情况。"))
    on = side_act_date(
        released_on, field="released_on", label=_("解除"), not_before=measure.started_on
    )
    measure.released_on, measure.release_note = on, note
    measure.save()
    side_event(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.MEASURE_RELEASED,
        on=on,
        reason=note,
        payload={"measure": measure.pk, "late": on > measure.ends_on, "ends_on": measure.ends_on},
    )
    return measure
