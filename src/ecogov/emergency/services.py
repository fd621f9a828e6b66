"""Every state change of the emergency app (the only writer): drills, incidents, plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.calendar import current_calendar
from ecogov.core.models import Division
from ecogov.core.scoping import can_create_in, can_edit
from ecogov.core.workdays import DayType

from . import events, rules
from .models import ContingencyPlan, Drill, Incident, IncidentState, PlanState

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import Model

    from ecogov.core.workdays import Deadline

DRILL_FIELDS = [
    "division",
    "held_on",
    "title",
    "organiser",
    "guided_by_bureau",
    "host_entity",
    "place",
    "scenario",
    "participating_units",
    "participants",
    "lessons",
    "follow_up",
]
INCIDENT_FIELDS = [
    "division",
    "title",
    "place",
    "entity",
    "occurred_at",
    "learned_at",
    "grade",
    "reported_as_major",
    "initial_report_at",
    "reported_to",
    "response",
    "closed_on",
    "closure_summary",
]
PLAN_FIELDS = [
    "entity",
    "title",
    "filing_number",
    "risk_level",
    "issued_on",
    "filed_on",
    "reviewed_on",
]
PLAN_CHANGE_FIELDS = ["title", "risk_level", "issued_on", "filed_on"]


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _clean(record: Model, errors: dict, **kwargs: Any) -> None:
    merged = {k: list(v) for k, v in errors.items()}
    try:
        record.full_clean(**kwargs)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            merged.setdefault(field, []).extend(m for m in messages if m not in merged[field])
    _raise_if(merged)


def _ensure_create(actor: User, division: Division) -> None:
    if not can_create_in(actor, division):
        raise PermissionDenied(
            _("无权在“%(division)s”录入:超出您的数据范围或您只有查看权限。")
            % {"division": division}
        )


def _ensure_edit(actor: User, record: Any) -> None:
    if not can_edit(actor, record):
        raise PermissionDenied(_("无权修改该记录:超出您的数据范围或您只有查看权限。"))


def _create(
    actor: User,
    model: type[Any],
    data: dict,
    fields: list,
    check: Callable[[Any, dict], None],
    effective_on: Callable[[Any], dt.date | None],
) -> Any:
    record = model(**{k: data[k] for k in fields if k in data})
    if "division" in fields and record.division_id is None:
        record.division = getattr(getattr(actor, "staff", None), "division", None)
    errors: dict = {}
    if record.division_id is None:
        _add(errors, "division", _("请选择所属区划。"))
        _raise_if(errors)
    _ensure_create(actor, record.division)
    check(record, errors)
    _clean(record, errors)
    record.save()
    events.recorded_event(record=record, actor=actor, effective_on=effective_on(record))
    return record


def _update(
    actor: User, record: Any, data: dict, fields: list, check: Callable[[Any, dict], None]
) -> tuple[Any, list[str]]:
    _ensure_edit(actor, record)
    record = type(record).objects.select_for_update().get(pk=record.pk)
    errors: dict = {}
    for name in sorted(set(data) - set(fields)):
        _add(errors, name, _("该项不能修改。"))
    _raise_if(errors)
    changed = [n for n in fields if n in data and getattr(record, n) != data[n]]
    for name in changed:
        setattr(record, name, data[name])
    if "division" in changed:
        _ensure_create(actor, record.division)
    check(record, errors)
    _clean(record, errors)
    return record, changed


# --- drills --------------------------------------------------------------------------------
def _drill_check(record: Drill, errors: dict) -> None:
    if record.held_on and record.held_on > timezone.localdate():
        _add(errors, "held_on", _("演练日期不能晚于今天(计划中的演练演练后再录入)。"))
    if record.host_entity_id is None and not (record.place or "").strip():
        _add(errors, "place", _("未选择承办企业时请填写演练地点。"))


@transaction.atomic
def drill_record(*, actor: User, data: dict[str, Any]) -> Drill:
    return _create(actor, Drill, data, DRILL_FIELDS, _drill_check, lambda r: r.held_on)


@transaction.atomic
def drill_update(*, actor: User, drill: Drill, data: dict[str, Any]) -> Drill:
    drill, changed = _update(actor, drill, data, DRILL_FIELDS, _drill_check)
    if changed:
        drill.save()
        events.changed_event(record=drill, actor=actor, changed=changed, effective_on=drill.held_on)
    return drill


# --- incidents -----------------------------------------------------------------------------
def _incident_check(record: Incident, errors: dict) -> None:
    now = timezone.now()
    if record.occurred_at and record.learned_at and record.learned_at < record.occurred_at:
        _add(errors, "learned_at", _("发现或得知时间不能早于发生时间。"))
    for name, label in (
        ("occurred_at", _("发生时间")),
        ("learned_at", _("发现或得知时间")),
        ("initial_report_at", _("初报时间")),
    ):
        value = getattr(record, name)
        if value is not None and value > now:
            _add(errors, name, _("%(label)s不能晚于现在。") % {"label": label})
    if (
        record.initial_report_at
        and record.learned_at
        and (record.initial_report_at < record.learned_at)
    ):
        _add(errors, "initial_report_at", _("初报时间不能早于发现或得知时间。"))
    if record.initial_report_at and not (record.reported_to or "").strip():
        _add(errors, "reported_to", _("请填写初报的报告对象。"))
    if record.closed_on and not (record.closure_summary or "").strip():
        _add(errors, "closure_summary", _("处置结束时请填写处理结果报告。"))
    if record.closed_on and record.initial_report_at is None:
        _add(errors, "initial_report_at", _("尚未初报的事件不能结束处置。"))
    if (
        record.closed_on
        and record.occurred_at
        and record.closed_on < timezone.localtime(record.occurred_at).date()
    ):
        _add(errors, "closed_on", _("处置结束日期不能早于发生时间。"))
    if record.learned_at and record.grade:
        record.report_due_at = rules.report_due(
            record.learned_at, record.grade, record.reported_as_major
        )
    record.state = IncidentState.CLOSED if record.closed_on else IncidentState.RESPONDING


@transaction.atomic
def incident_record(*, actor: User, data: dict[str, Any]) -> Incident:
    incident = _create(
        actor,
        Incident,
        data,
        INCIDENT_FIELDS,
        _incident_check,
        lambda r: timezone.localtime(r.occurred_at).date(),
    )
    if incident.initial_report_at:
        events.incident_reported_event(incident=incident, actor=actor)
    if incident.closed_on:
        events.incident_closed_event(incident=incident, actor=actor, from_state="responding")
    return incident


@transaction.atomic
def incident_update(*, actor: User, incident: Incident, data: dict[str, Any]) -> Incident:
    before = Incident.objects.get(pk=incident.pk)
    incident, changed = _update(actor, incident, data, INCIDENT_FIELDS, _incident_check)
    if not changed:
        return incident
    incident.save()
    # the first report and the closing are their own events, with the fields they carry
    reported = before.initial_report_at is None and incident.initial_report_at is not None
    closed = before.state != incident.state and incident.state == IncidentState.CLOSED
    own = ({"initial_report_at", "reported_to"} if reported else set()) | (
        {"closed_on", "closure_summary"} if closed else set()
    )
    rest = [n for n in changed if n not in own]
    if rest:
        events.changed_event(
            record=incident, actor=actor, changed=rest, effective_on=timezone.localdate()
        )
    if reported:
        events.incident_reported_event(incident=incident, actor=actor)
    if closed:
        events.incident_closed_event(incident=incident, actor=actor, from_state=before.state)
    return incident


# --- contingency plans ---------------------------------------------------------------------
def filing_due(issued_on: dt.date) -> Deadline:
    return current_calendar().deadline(
        issued_on, rules.FILING_WORKING_DAYS, DayType.WORKING, allow_provisional=True
    )


def _plan_check(record: ContingencyPlan, errors: dict) -> None:
    if record.entity_id:
        record.division = record.entity.division
    if record.issued_on and record.filed_on and record.filed_on < record.issued_on:
        _add(errors, "filed_on", _("备案日期不能早于企业签署发布日期。"))
    if record.reviewed_on and record.issued_on and record.reviewed_on < record.issued_on:
        _add(errors, "reviewed_on", _("回顾性评估日期不能早于发布日期。"))
    today = timezone.localdate()
    for name, label in (
        ("issued_on", _("发布日期")),
        ("filed_on", _("备案日期")),
        ("reviewed_on", _("回顾性评估日期")),
    ):
        if getattr(record, name) and getattr(record, name) > today:
            _add(errors, name, _("%(label)s不能晚于今天。") % {"label": label})
    if record.issued_on:
        record.expires_on = rules.review_due(record.issued_on, record.reviewed_on)
        if record.filed_on:
            record.filed_late = record.filed_on > filing_due(record.issued_on).due


@transaction.atomic
def plan_file(*, actor: User, data: dict[str, Any], source: str = "") -> ContingencyPlan:
    """File an enterprise's plan. The plan it had filed before (if any) is superseded."""
    plan = ContingencyPlan(**{k: data[k] for k in PLAN_FIELDS if k in data})
    errors: dict = {}
    if plan.entity_id is None:
        _add(errors, "entity", _("请选择企业。"))
        _raise_if(errors)
    _ensure_create(actor, plan.entity.division)
    _plan_check(plan, errors)
    previous = (
        ContingencyPlan.objects.select_for_update()
        .filter(entity=plan.entity, state=PlanState.FILED)
        .first()
    )
    if previous is not None and plan.filed_on and plan.filed_on < previous.filed_on:
        _add(
            errors,
            "filed_on",
            _("该企业已有更晚的备案(%(n)s,%(d)s),不能以更早的日期备案。")
            % {"n": previous.filing_number, "d": previous.filed_on},
        )
    _clean(plan, errors)
    plan.save()
    if previous is not None:
        previous.state, previous.ended_on, previous.superseded_by = (
            PlanState.SUPERSEDED,
            plan.filed_on,
            plan,
        )
        previous.save()
        events.plan_ended_event(plan=previous, actor=actor, by=plan)
    if source:
        events.plan_imported_event(plan=plan, actor=actor, source=source, created=True)
    else:
        events.plan_filed_event(plan=plan, actor=actor, previous=previous)
    return plan


def _editable_plan(actor: User, plan: ContingencyPlan) -> ContingencyPlan:
    _ensure_edit(actor, plan)
    plan = ContingencyPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != PlanState.FILED:
        raise ValidationError(
            _("该备案已失效(%(s)s),不能再修改。") % {"s": plan.get_state_display()}
        )
    return plan


@transaction.atomic
def plan_update(*, actor: User, plan: ContingencyPlan, data: dict[str, Any]) -> ContingencyPlan:
    plan = _editable_plan(actor, plan)
    reviewed = data.pop("reviewed_on", plan.reviewed_on)
    errors: dict = {}
    for name in sorted(set(data) - set(PLAN_CHANGE_FIELDS)):
        _add(errors, name, _("该项不能修改。"))
    _raise_if(errors)
    changed = [n for n in PLAN_CHANGE_FIELDS if n in data and getattr(plan, n) != data[n]]
    for name in changed:
        setattr(plan, name, data[name])
    _plan_check(plan, errors)
    _clean(plan, errors)
    if changed:
        plan.save()
        events.changed_event(
            record=plan, actor=actor, changed=changed, effective_on=timezone.localdate()
        )
    if reviewed != plan.reviewed_on:
        plan = plan_review(actor=actor, plan=plan, reviewed_on=reviewed)
    return plan


@transaction.atomic
def plan_review(
    *, actor: User, plan: ContingencyPlan, reviewed_on: dt.date | None
) -> ContingencyPlan:
    """A review (回顾性评估) or revision: the next one falls due three years later."""
    plan = _editable_plan(actor, plan)
    errors: dict = {}
    if reviewed_on is None:
        _add(errors, "reviewed_on", _("请填写回顾性评估日期。"))
    elif plan.reviewed_on and reviewed_on < plan.reviewed_on:
        _add(
            errors,
            "reviewed_on",
            _("回顾性评估日期不能早于上一次(%(d)s)。") % {"d": plan.reviewed_on},
        )
    _raise_if(errors)
    previous_expiry = plan.expires_on
    plan.reviewed_on = reviewed_on
    _plan_check(plan, errors)
    _clean(plan, errors)
    plan.save()
    events.plan_reviewed_event(plan=plan, actor=actor, previous_expiry=previous_expiry)
    return plan


@transaction.atomic
def plan_withdraw(
    *, actor: User, plan: ContingencyPlan, ended_on: dt.date | None, reason: str
) -> ContingencyPlan:
    """The enterprise closed or no longer needs a plan: the filing ends."""
    plan = _editable_plan(actor, plan)
    errors: dict = {}
    if not (reason or "").strip():
        _add(errors, "reason", _("请填写撤销备案的理由。"))
    if ended_on is None or ended_on < plan.filed_on:
        _add(errors, "ended_on", _("撤销日期应不早于备案日期。"))
    _raise_if(errors)
    plan.state, plan.ended_on = PlanState.WITHDRAWN, ended_on
    plan.save()
    events.plan_ended_event(plan=plan, actor=actor, reason=reason)
    return plan
