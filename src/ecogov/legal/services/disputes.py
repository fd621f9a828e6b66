"""Reconsideration and litigation where the bureau answers (行政复议 / 行政应诉): registered
with the deadline to answer, answered, heard (the principal leader's appearance), decided."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.legal import events
from ecogov.legal.deadlines import answer_deadline
from ecogov.legal.models import (
    ActKind,
    DisputeCase,
    DisputeKind,
    DisputeState,
    LegalEvent,
    LegalPolicy,
    Outcome,
)

from .common import check_date, ensure_can_create, ensure_editor, lock, required_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import Model

FIELDS = [
    "kind",
    "trial_level",
    "reference",
    "forum",
    "division",
    "handling_unit",
    "agent",
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "act_kind",
    "act_description",
    "claims",
    "received_on",
]
EDITABLE_FIELDS = [
    "trial_level",
    "reference",
    "forum",
    "handling_unit",
    "agent",
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "act_description",
    "claims",
]
# The records a contested act may point at, by its kind: (app, model, number field). Looked up
# by name (no import of another area's models); an area that is not installed is skipped.
LINKABLE: dict[str, tuple[str, str, str, str]] = {
    ActKind.PENALTY: ("enforcement", "PenaltyCase", "number", _("行政处罚案件")),
    ActKind.PERMIT: ("permits", "Permit", "permit_number", _("排污许可证")),
    ActKind.EIA: ("eia", "EiaProject", "reference", _("环评项目")),
}
# Endings that need no answer first (the applicant withdrew, the parties settled).
EARLY_OUTCOMES = frozenset({Outcome.WITHDRAWN, Outcome.MEDIATED})


def resolve_act(*, actor: User, act_kind: str, number: str) -> Model | None:
    """The record of the contested act, found by its number in the actor's scope."""
    number = (number or "").strip()
    if not number:
        return None
    if act_kind not in LINKABLE:
        raise ValidationError(
            {
                "act_number": _("“%s”类行为没有可关联的记录,请只填写行为说明。")
                % ActKind(act_kind).label
            }
        )
    app, model_name, field, label = LINKABLE[act_kind]
    if not apps.is_installed(f"ecogov.{app}"):
        raise ValidationError({"act_number": _("本系统未启用%s模块,无法关联。") % label})
    model = apps.get_model(app, model_name)
    found = model.objects.visible_to(actor).filter(**{field: number}).first()
    if found is None:
        raise ValidationError(
            {
                "act_number": _("在您的数据范围内未找到编号为“%(n)s”的%(what)s。")
                % {"n": number, "what": label}
            }
        )
    return found


def _set_deadline(case: DisputeCase) -> None:
    due = answer_deadline(case.kind, case.received_on, LegalPolicy.current())
    case.answer_due, case.answer_due_provisional = due.due, due.provisional
    case.answer_day_kind = due.day_type.value


@transaction.atomic
def dispute_register(*, actor: User, data: dict, act_record: Any = None) -> DisputeCase:
    """A copy of the application (复议申请书副本) or the complaint (起诉状副本) is received:
    the case is registered with its deadline to answer."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown dispute fields: {sorted(unknown)}")
    case = DisputeCase(**data)
    if case.division_id is None:
        profile = getattr(actor, "staff", None)
        case.division = profile.division if profile is not None else None
    ensure_can_create(actor, case.division)
    if case.kind == DisputeKind.RECONSIDERATION and case.trial_level:
        raise ValidationError({"trial_level": _("行政复议案件不填写审级。")})
    if case.kind == DisputeKind.LITIGATION and not case.trial_level:
        case.trial_level = "first"
    case.received_on = check_date(case.received_on, field="received_on", label=_("收到副本"))
    if act_record is not None:
        if (
            not hasattr(type(act_record).objects, "visible_to")
            or not type(act_record).objects.visible_to(actor).filter(pk=act_record.pk).exists()
        ):
            raise PermissionDenied(_("被诉行为的记录不在您的数据范围内。"))
        case.act_content_type = ContentType.objects.get_for_model(act_record)
        case.act_object_id = act_record.pk
    _set_deadline(case)
    case.full_clean()
    case.save()
    events.dispute_step_event(
        case=case,
        actor=actor,
        type=LegalEvent.Type.CREATED,
        from_state="",
        on=case.received_on,
        payload={
            "answer_due": case.answer_due,
            "day_kind": case.answer_day_kind,
            "act": str(act_record) if act_record is not None else "",
        },
    )
    return case


@transaction.atomic
def dispute_update(*, actor: User, case: DisputeCase, data: dict, reason: str = "") -> DisputeCase:
    case = lock(DisputeCase, case.pk)
    ensure_editor(actor, case)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("该字段不允许修改。") for name in sorted(unknown)})
    changed = [k for k, v in data.items() if getattr(case, k) != v]
    for name in changed:
        setattr(case, name, data[name])
    if changed:
        case.full_clean()
        case.save()
        events.record_updated_event(record=case, actor=actor, changed=changed, reason=reason)
    return case


@transaction.atomic
def dispute_answer(
    *, actor: User, case: DisputeCase, answered_on: dt.date | None = None
) -> DisputeCase:
    """The written answer (复议答复书) or defence with the evidence (答辩状及证据) is submitted."""
    case = lock(DisputeCase, case.pk)
    ensure_editor(actor, case)
    if case.state != DisputeState.RECEIVED:
        raise ValidationError(
            {"answered_on": _("本案已%s,不能再登记答复。") % case.get_state_display()}
        )
    on = check_date(
        answered_on,
        field="answered_on",
        label=_("答复(答辩)"),
        after=case.received_on,
        after_label=_("收到副本"),
    )
    from_state, case.answered_on, case.state = case.state, on, DisputeState.ANSWERED
    assert case.answer_due is not None  # dispute_register set the deadline to answer
    case.save()
    events.dispute_step_event(
        case=case,
        actor=actor,
        type=LegalEvent.Type.ANSWERED,
        from_state=from_state,
        on=on,
        payload={"due": case.answer_due, "late": on > case.answer_due},
    )
    return case


@transaction.atomic
def dispute_hearing(
    *,
    actor: User,
    case: DisputeCase,
    hearing_on: dt.date,
    principal_appeared: bool,
    appearing_person: str = "",
) -> DisputeCase:
    """开庭: whether the bureau's principal (or another) leader appeared in court."""
    case = lock(DisputeCase, case.pk)
    ensure_editor(actor, case)
    if case.state == DisputeState.DECIDED:
        raise ValidationError({"hearing_on": _("本案已审结,不能再登记开庭。")})
    if hearing_on is None:
        raise ValidationError({"hearing_on": _("请填写开庭(听证)日期。")})
    on = check_date(
        hearing_on,
        field="hearing_on",
        label=_("开庭"),
        after=case.received_on,
        after_label=_("收到副本"),
    )
    if principal_appeared:
        appearing_person = required_text(
            appearing_person, "appearing_person", _("负责人出庭的,请填写出庭负责人姓名及职务。")
        )
    case.hearing_on, case.principal_appeared = on, bool(principal_appeared)
    case.appearing_person = appearing_person if principal_appeared else ""
    case.save()
    events.dispute_step_event(
        case=case,
        actor=actor,
        type=LegalEvent.Type.HEARING_RECORDED,
        from_state=case.state,
        on=on,
        payload={"principal_appeared": bool(principal_appeared), "person": case.appearing_person},
    )
    return case


@transaction.atomic
def dispute_decide(
    *,
    actor: User,
    case: DisputeCase,
    outcome: str,
    decided_on: dt.date | None = None,
    note: str = "",
) -> DisputeCase:
    """审结: the decision or judgment (or the withdrawal, the settlement)."""
    case = lock(DisputeCase, case.pk)
    ensure_editor(actor, case)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择审结结果。")})
    if case.state == DisputeState.DECIDED:
        assert case.decided_on is not None  # dispute_decide sets the state and the day together
        raise ValidationError(
            {
                "outcome": _("本案已于%(on)s审结(%(outcome)s)。")
                % {"on": case.decided_on.isoformat(), "outcome": case.get_outcome_display()}
            }
        )
    if case.state == DisputeState.RECEIVED and outcome not in EARLY_OUTCOMES:
        raise ValidationError({"outcome": _("本案尚未提交答复(答辩),只能以撤回或调解、和解结案。")})
    on = check_date(
        decided_on,
        field="decided_on",
        label=_("审结"),
        after=case.hearing_on or case.answered_on or case.received_on,
    )
    from_state = case.state
    case.outcome, case.decided_on, case.outcome_note = outcome, on, note
    case.state = DisputeState.DECIDED
    case.save()
    events.dispute_step_event(
        case=case,
        actor=actor,
        type=LegalEvent.Type.DECIDED,
        from_state=from_state,
        on=on,
        reason=note,
        payload={"outcome": outcome},
    )
    return case
