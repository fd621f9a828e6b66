"""Every state change of one matter: register, assign units, advance a step, report progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core import services as core_services
from ecogov.core.models import AssignmentRole, Organisation
from ecogov.core.scoping import can_edit
from ecogov.matters import deadlines, events
from ecogov.matters.models import Matter, MatterUnit, ProgressCallItem, ProgressReport, UnitRole
from ecogov.matters.workflow import Feedback, Kind, ReplyCategory, State

from .common import (
    actor_organisation,
    check_act_date,
    credit_holder,
    is_bureau_member,
    is_leader,
    plan_units,
    require_create_in,
    require_edit,
    sync_units,
    unit_snapshot,
)
from .validation import COMMON, KIND_FIELDS, field_errors, raise_if

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from ecogov.core.models import Attachment
    from ecogov.matters.models import ProgressCall, Source
    from ecogov.matters.workflow import Transition

    from .common import UnitPlan

MILESTONE_FIELD = {"accepted": "accepted_on", "done": "done_on", "closed": "closed_on"}
_ASSIGNMENT_ROLE: dict[str, AssignmentRole] = {
    UnitRole.LEAD: AssignmentRole.HANDLER,
    UnitRole.CO: AssignmentRole.CO_HANDLER,
}


def apply_due(matter: Matter, due: deadlines.Due) -> None:
    matter.due_on, matter.due_other_on = due.on, due.other
    matter.due_rule, matter.due_provisional = due.rule, due.provisional


def first_due(matter: Matter, explicit_due: dt.date | None) -> deadlines.Due:
    if explicit_due is not None:
        return deadlines.explicit(explicit_due)
    return deadlines.compute(matter.flow.first_deadline, matter.received_on)


@transaction.atomic
def matter_create(
    *,
    actor: User,
    source: Source,
    category: str,
    data: dict[str, Any],
    lead: Organisation,
    co_units: Iterable[Organisation] = (),
    shares: Mapping[Any, Any] | None = None,
) -> Matter:
    """Register a matter of the source's kind and hand it to its lead and co-handling units."""
    kind = source.kind
    errors = field_errors(kind, category, source, data)
    if not errors and Matter.objects.filter(kind=kind, reference=data["reference"]).exists():
        errors["reference"] = _("编号“%s”已登记,请勿重复录入。") % data["reference"]
    raise_if(errors)
    require_create_in(actor, data.get("division"))
    if (
        kind == Kind.TASK
        and data.get("measure") is not None
        and data["measure"].aspect.source_id != source.pk
    ):
        raise ValidationError({"measure": _("所选措施不属于该攻坚战方案。")})
    units = plan_units(lead, co_units, shares)
    allowed = set(COMMON) | set(KIND_FIELDS[kind])
    matter = Matter(
        kind=kind,
        category=category,
        source=source,
        reference=str(data["reference"]).strip(),
        **{k: v for k, v in data.items() if k in allowed},
    )
    matter.state = matter.flow.initial
    matter.is_open = True
    apply_due(matter, first_due(matter, data.get("due_on")))
    matter.credit_organisation = credit_holder(units)
    matter.full_clean(validate_constraints=False)
    matter.save()
    _write_units(actor, matter, units)
    events.matter_created_event(matter=matter, actor=actor, units=unit_snapshot(units))
    return matter


def _write_units(actor: User, matter: Matter, units: Iterable[UnitPlan], reason: str = "") -> None:
    for plan in units:
        assignment = core_services.record_assign(
            actor=actor,
            record=matter,
            role=_ASSIGNMENT_ROLE[plan.role],
            organisation=plan.organisation,
            reason=reason or matter.reference,
        )
        unit_due = None
        if matter.kind == Kind.PROPOSAL and plan.role == UnitRole.CO:
            unit_due = deadlines.compute("proposal.co_opinion", matter.received_on).on
        MatterUnit.objects.create(
            matter=matter,
            organisation=plan.organisation,
            role=plan.role,
            share=plan.share,
            assignment=assignment,
            assigned_on=matter.received_on,
            due_on=unit_due,
            source_id=matter.source_id,
            pending=matter.is_pending,
            matter_due_on=matter.due_on,
        )


@transaction.atomic
def matter_set_units(
    *,
    actor: User,
    matter: Matter,
    lead: Organisation,
    co_units: Iterable[Organisation] = (),
    shares: Mapping[Any, Any] | None = None,
    reason: str = "",
) -> Matter:
    """Change the responsible units or their shares (e.g. record a joint closure: 0.5 + 0.5)."""
    require_edit(actor, matter)
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    plans = plan_units(lead, co_units, shares)
    current = list(matter.units.filter(is_active=True).select_related("organisation"))
    before = unit_snapshot(current)
    wanted = {p.organisation.pk: p for p in plans}
    for unit in current:
        plan = wanted.get(unit.organisation_id)
        if plan is not None and plan.role == unit.role:
            if unit.share != plan.share:
                unit.share = plan.share
                unit.save(update_fields=["share"])
            del wanted[unit.organisation_id]
            continue
        unit.is_active = False
        unit.save(update_fields=["is_active"])
        if unit.assignment is not None:
            core_services.record_unassign(actor=actor, assignment=unit.assignment)
    _write_units(actor, matter, list(wanted.values()), reason)
    active = list(matter.units.filter(is_active=True).select_related("organisation"))
    matter.credit_organisation = credit_holder(active)
    matter.save(update_fields=["credit_organisation", "updated_at"])
    after = unit_snapshot(active)
    if before != after:
        events.matter_units_changed_event(
            matter=matter, actor=actor, before=before, after=after, reason=reason
        )
    return matter


UPDATABLE = [
    "title",
    "content",
    "division",
    "channel",
    "complainant_name",
    "complainant_phone",
    "complainant_id_number",
    "subject_entity",
    "subject_name",
    "deputy",
    "measure",
]


@transaction.atomic
def matter_update(*, actor: User, matter: Matter, data: dict[str, Any], reason: str = "") -> Matter:
    require_edit(actor, matter)
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    data = dict(data)
    due_on = data.pop("due_on", None)
    changed = core_services.model_update(instance=matter, data=data, fields=UPDATABLE)
    if "division" in changed:
        require_create_in(actor, matter.division)
    if changed:
        events.matter_updated_event(matter=matter, actor=actor, changed=changed, reason=reason)
    if due_on is not None and due_on != matter.due_on:
        matter_set_deadline(actor=actor, matter=matter, due_on=due_on, reason=reason)
    return matter


@transaction.atomic
def matter_set_deadline(*, actor: User, matter: Matter, due_on: dt.date, reason: str) -> Matter:
    """A deadline set by the assigning body (a plan, a superior's letter); the reason is kept."""
    require_edit(actor, matter)
    if not reason:
        raise ValidationError({"reason": _("调整办理时限必须说明理由(如依据的文件)。")})
    if due_on < matter.received_on:
        raise ValidationError({"due_on": _("办理时限早于交办日期。")})
    before = matter.due_on
    apply_due(matter, deadlines.explicit(due_on))
    matter.save()
    sync_units(matter)
    events.matter_deadline_changed_event(matter=matter, actor=actor, before=before, reason=reason)
    return matter


@transaction.atomic
def matter_transition(
    *,
    actor: User,
    matter: Matter,
    action: str,
    on: dt.date | None = None,
    result: str = "",
    evidence: str = "",
    reason: str = "",
    reply_category: str = "",
    feedback: str = "",
) -> Matter:
    """Take one step of the matter's workflow; refuses a step its state does not allow."""
    require_edit(actor, matter)
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    flow = matter.flow
    step = flow.transition(action)
    if step is None:
        raise ValidationError(
            {
                "action": _("“%(action)s”不是%(kind)s的办理步骤。")
                % {"action": action, "kind": matter.get_kind_display()}
            }
        )
    if matter.state not in step.sources:
        raise ValidationError(
            {
                "action": _("当前状态为“%(state)s”,不能“%(step)s”。")
                % {"state": matter.get_state_display(), "step": step.label}
            }
        )
    if step.by == "leader" and not is_leader(actor):
        raise PermissionDenied(_("“%s”须经局领导批准,由局领导办理。") % step.label)
    if step.by == "bureau" and not is_bureau_member(actor):
        raise PermissionDenied(
            _("“%s”须由生态环境部门组织验收,整改责任单位不能自行办理。") % step.label
        )
    if step.once and matter.extended:
        raise ValidationError({"action": _("该事项已延期一次,不能再次延期。")})
    inputs = {
        "result": result,
        "evidence": evidence,
        "reason": reason,
        "reply_category": reply_category,
        "feedback": feedback,
    }
    labels = {
        "result": _("办理结果"),
        "evidence": _("销号依据(验收材料)"),
        "reason": _("理由"),
        "reply_category": _("答复类别"),
        "feedback": _("代表委员反馈"),
    }
    missing = {
        n: _("“%s”必须填写%s。") % (step.label, labels[n])
        for n in step.needs
        if not str(inputs[n] or "").strip()
    }
    raise_if(missing)
    _check_step_values(matter, step, on, reply_category, feedback)
    on = check_act_date(on, not_before=matter.received_on)
    from_state, due_before = matter.state, matter.due_on
    if step.target:
        matter.state = step.target
    for milestone in step.clears:
        setattr(matter, MILESTONE_FIELD[milestone], None)
        if milestone == "done":
            matter.done_late = None
    for milestone in step.sets:
        setattr(matter, MILESTONE_FIELD[milestone], on)
        if milestone == "done":
            matter.done_late = bool(matter.due_on and on > matter.due_on)
    if step.once:
        matter.extended = True
    for name in ("result", "evidence", "reply_category", "feedback"):
        if inputs[name]:
            setattr(matter, name, inputs[name])
    if step.deadline:
        rule = deadlines.rule(step.deadline)
        start = (
            matter.due_on
            if rule.start == "due" and matter.due_on
            else (matter.received_on if rule.start == "received" else on)
        )
        apply_due(matter, deadlines.compute(step.deadline, start))
    matter.is_open = matter.state not in flow.terminal
    matter.save()
    sync_units(matter)
    payload: dict[str, Any] = {
        "due_before": str(due_before or ""),
        "due_after": str(matter.due_on or ""),
    }
    if "done" in step.sets:
        payload["late"] = matter.done_late
    events.matter_transitioned_event(
        matter=matter,
        actor=actor,
        action=action,
        from_state=from_state,
        on=on,
        reason=reason or result,
        payload=payload,
    )
    return matter


def _check_step_values(
    matter: Matter, step: Transition, on: dt.date | None, reply_category: str, feedback: str
) -> None:
    if step.action in ("feedback", "rehandle") and feedback not in Feedback.values:
        raise ValidationError({"feedback": _("代表委员反馈应为“满意”“基本满意”或“不满意”。")})
    if step.action == "feedback" and feedback == Feedback.DISSATISFIED:
        raise ValidationError({"feedback": _("代表委员不满意的,应选择“不满意,重新办理”。")})
    if step.action == "rehandle" and feedback != Feedback.DISSATISFIED:
        raise ValidationError({"feedback": _("只有代表委员不满意时才重新办理。")})
    if reply_category and reply_category not in ReplyCategory.values:
        raise ValidationError({"reply_category": _("答复类别应为A、B或C。")})
    if step.action == "return":
        limit = deadlines.compute("proposal.return", matter.received_on).on
        assert limit is not None  # a computed deadline always has its day
        if (on or timezone.localdate()) > limit:
            raise ValidationError({"action": _("已超过退回期限(%s),不能退回,应当办理。") % limit})


@transaction.atomic
def matter_link_duplicate(*, actor: User, matter: Matter, original: Matter) -> Matter:
    """Link a repeated complaint to the first one (both stay counted as received)."""
    require_edit(actor, matter)
    if matter.kind != Kind.PETITION or original.kind != Kind.PETITION:
        raise ValidationError({"duplicate_of": _("只有信访件可以关联重复件。")})
    if original.pk == matter.pk or original.duplicate_of_id == matter.pk:
        raise ValidationError({"duplicate_of": _("不能把信访件关联为它自己的重复件。")})
    if not Matter.objects.visible_to(actor).filter(pk=original.pk).exists():
        raise PermissionDenied(_("无权查看所关联的原件。"))
    matter.duplicate_of = original.duplicate_of or original  # always point at the first
    matter.save(update_fields=["duplicate_of", "updated_at"])
    events.matter_duplicate_linked_event(matter=matter, actor=actor, original=matter.duplicate_of)
    return matter


@transaction.atomic
def matter_attachment_add(
    *, actor: User, matter: Matter, uploaded_file: UploadedFile, description: str = ""
) -> Attachment:
    attachment = core_services.attachment_add(
        actor=actor, record=matter, uploaded_file=uploaded_file, description=description
    )
    events.matter_attachment_added_event(matter=matter, actor=actor, attachment=attachment)
    return attachment


@transaction.atomic
def matter_report_progress(
    *,
    actor: User,
    matter: Matter,
    text: str,
    percent: int | None = None,
    call: ProgressCall | None = None,
    organisation: Organisation | None = None,
) -> ProgressReport:
    """A responsible unit (lead or co-handling) files its progress on an open matter.

    Co-handlers may report although they may not change the matter: reporting is their duty.
    """
    organisation = organisation or actor_organisation(actor)
    if organisation is None:
        raise PermissionDenied(_("您没有所属单位,不能报送进展。"))
    if organisation != actor_organisation(actor) and not can_edit(actor, matter):
        raise PermissionDenied(_("只能报送本单位的进展。"))
    if not matter.units.filter(organisation=organisation, is_active=True).exists():
        raise PermissionDenied(_("“%s”不是该事项的责任单位。") % organisation)
    if not matter.is_open:
        raise ValidationError({"matter": _("该事项已办结,无需报送进展。")})
    if not str(text or "").strip():
        raise ValidationError({"text": _("请填写进展情况。")})
    item = None
    if call is not None:
        if call.closed_at is not None:
            raise ValidationError({"call": _("调度“%s”已结束,不再接收报送。") % call})
        item = ProgressCallItem.objects.filter(
            call=call, matter=matter, organisation=organisation
        ).first()
        if item is None:
            raise ValidationError({"call": _("该事项不在调度“%s”的报送范围内。") % call})
    report = ProgressReport(
        matter=matter,
        organisation=organisation,
        call=call,
        text=text,
        percent=percent,
        reported_by=actor,
    )
    report.full_clean()
    report.save()
    if item is not None:
        item.report = report
        item.save(update_fields=["report"])
    events.matter_progress_event(matter=matter, actor=actor, report=report)
    return report


def state_label(state: str) -> str:
    return str(State(state).label)
