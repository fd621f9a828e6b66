"""Every state change of an EIA project: submit, accept, notices, pauses, decide, file, exempt.

`<entity>_<action>(*, actor, …)`, atomic, raising ValidationError (Chinese message naming the
field; every problem at once; nothing written) or PermissionDenied. States and deadlines:
docs/eia.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecogov.core import services as core_services
from ecogov.core.calendar import current_calendar
from ecogov.core.models import Division

from .. import deadlines, events
from ..models import (
    OPEN_STATES,
    ApprovalLevel,
    Decision,
    DocumentType,
    EiaNotice,
    EiaPause,
    EiaProject,
    NoticeKind,
    Procedure,
    ProjectState,
    ScreeningReview,
)
from ..screening import check_location, inputs_fingerprint
from .common import (
    add,
    ensure_can_create,
    ensure_can_edit,
    merged,
    not_before,
    not_in_future,
    raise_if,
    required,
)
from .suspensions import suspension_refusal

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PROJECT_FIELDS = [
    "reference",
    "name",
    "builder",
    "division",
    "industry_code",
    "catalogue_item",
    "document_type",
    "level",
    "procedure",
    "location",
    "total_investment",
    "env_investment",
    "facts",
    "submitted_on",
]
# What may still change while an application is open (the decision fixes the rest).
EDITABLE_FIELDS = [
    "name",
    "builder",
    "industry_code",
    "catalogue_item",
    "document_type",
    "level",
    "procedure",
    "location",
    "total_investment",
    "env_investment",
    "facts",
]
PROVINCIAL_MESSAGE = gettext_lazy(
    "省级审批的项目由省级生态环境部门审批,本局不受理;请用“登记省级审批”录入省级批复。"
)
_DATE_LABELS = {
    "submitted_on": gettext_lazy("申请日期"),
    "accepted_on": gettext_lazy("受理日期"),
    "deferred_on": gettext_lazy("暂缓审批日期"),
    "decided_on": gettext_lazy("决定日期"),
    "revoked_on": gettext_lazy("撤销日期"),
}


def default_level(document_type: str) -> str:
    """The bureau's delegation (configurable later): reports at city level, forms at county."""
    return ApprovalLevel.CITY if document_type == DocumentType.REPORT else ApprovalLevel.COUNTY


def new_reference(division: Division, day: dt.date) -> str:
    prefix = f"HP{day.year}{division.code}"
    taken = EiaProject.objects.filter(reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


def build(data: dict[str, Any]) -> EiaProject:
    project = EiaProject(**{k: v for k, v in data.items() if k in PROJECT_FIELDS})
    if project.facts is None:
        project.facts = {}
    return project


def validate(
    project: EiaProject, errors: dict | None = None, *, location_required: bool = False
) -> None:
    """full_clean plus the location checks; every problem reported in one ValidationError."""
    errors = dict(errors or {})
    if location_required:
        required(errors, "location", _("项目位置"), project.location)
    for field, label in _DATE_LABELS.items():
        not_in_future(errors, field, label, getattr(project, field))
    try:
        project.full_clean()
    except ValidationError as exc:
        errors = merged(exc, errors)
    # the screening reads the location and the facts: only once both are well-formed
    if (
        project.division_id
        and project.location is not None
        and not {"location", "facts"} & set(errors)
    ):
        for problem in check_location(project):
            add(errors, "location", problem)
    raise_if(errors)


def _new_builder(actor: User, data: dict[str, Any]) -> dict[str, Any]:
    """A builder not yet in the entity directory is registered first (core's entity_create),
    in the same transaction: a refused project leaves no orphan entity."""
    if data.get("builder") or not data.get("new_builder"):
        return data
    entity_data = {"division": data.get("division"), **data["new_builder"]}
    try:
        builder = core_services.entity_create(actor=actor, data=entity_data)
    except ValidationError as exc:
        messages = (
            exc.messages
            if not hasattr(exc, "error_dict")
            else [f"{field}:{m}" for field, ms in exc.message_dict.items() for m in ms]
        )
        raise ValidationError(
            {"builder": [_("新建设单位无法登记:%s") % m for m in messages]}
        ) from None
    return {**data, "builder": builder}


def _prepare_new(
    actor: User, data: dict, *, procedures: Iterable[str], provincial: bool = False
) -> EiaProject:
    data = _new_builder(actor, data)
    errors: dict = {}
    for field, label in (
        ("division", _("项目所在区划")),
        ("builder", _("建设单位")),
        ("name", _("项目名称")),
    ):
        required(errors, field, label, data.get(field))
    raise_if(errors)
    project = build(data)
    if project.procedure not in procedures:
        raise ValidationError(
            {
                "procedure": _("审批方式“%(value)s”不适用于此办理入口。")
                % {"value": project.procedure}
            }
        )
    if not project.level:
        project.level = default_level(project.document_type)
    if project.level == ApprovalLevel.PROVINCE and not provincial:
        raise ValidationError({"level": str(PROVINCIAL_MESSAGE)})
    ensure_can_create(actor, project)
    if not project.reference:
        project.reference = new_reference(
            project.division, project.submitted_on or timezone.localdate()
        )
    return project


@transaction.atomic
def project_submit(*, actor: User, data: dict[str, Any]) -> EiaProject:
    """An application for approval of a report or form is received (待受理)."""
    project = _prepare_new(actor, data, procedures=(Procedure.REVIEW, Procedure.COMMITMENT))
    errors: dict = {}
    required(errors, "submitted_on", _("申请日期"), project.submitted_on)
    project.state = ProjectState.SUBMITTED
    validate(project, errors, location_required=True)
    project.save()
    events.project_submitted_event(project=project, actor=actor)
    return project


@transaction.atomic
def project_file_registration(
    *, actor: User, data: dict[str, Any], filed_on: dt.date, receipt_number: str
) -> EiaProject:
    """A registration form (登记表) filed online: filing, not approval (部令41号)."""
    data = {
        **data,
        "document_type": DocumentType.REGISTRATION,
        "procedure": Procedure.FILING,
        "submitted_on": data.get("submitted_on") or filed_on,
    }
    project = _prepare_new(actor, data, procedures=(Procedure.FILING,))
    errors: dict = {}
    required(errors, "decided_on", _("备案日期"), filed_on)
    required(errors, "receipt_number", _("备案回执号"), receipt_number)
    project.state, project.decided_on, project.receipt_number = (
        ProjectState.FILED,
        filed_on,
        receipt_number,
    )
    validate(project, errors)
    project.save()
    events.project_filed_event(project=project, actor=actor)
    return project


@transaction.atomic
def project_exempt(
    *, actor: User, data: dict[str, Any], decided_on: dt.date, reasons: str
) -> EiaProject:
    """The bureau finds the project outside EIA management (豁免): recorded, counted apart."""
    data = {
        **data,
        "document_type": "",
        "procedure": Procedure.EXEMPT,
        "submitted_on": data.get("submitted_on") or decided_on,
    }
    project = _prepare_new(actor, data, procedures=(Procedure.EXEMPT,))
    errors: dict = {}
    required(errors, "decided_on", _("认定日期"), decided_on)
    required(errors, "decision_reasons", _("豁免依据"), reasons)
    project.state, project.decided_on, project.decision_reasons = (
        ProjectState.EXEMPTED,
        decided_on,
        reasons,
    )
    validate(project, errors)
    project.save()
    events.project_exempted_event(project=project, actor=actor)
    return project


def _locked(project: EiaProject) -> EiaProject:
    return EiaProject.objects.select_for_update().select_related("division").get(pk=project.pk)


def _ensure_state(project: EiaProject, allowed: Iterable[str], action: str) -> None:
    if project.state not in allowed:
        raise ValidationError(
            {
                "state": _("项目当前状态为“%(state)s”,不能%(action)s。")
                % {"state": project.get_state_display(), "action": action}
            }
        )


@transaction.atomic
def project_update(
    *, actor: User, project: EiaProject, data: dict[str, Any], reason: str = ""
) -> EiaProject:
    ensure_can_edit(actor, project)
    project = _locked(project)
    _ensure_state(project, OPEN_STATES, _("修改(已作出决定的项目只能撤销或重新申请)"))
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("该字段不允许修改。") for name in sorted(unknown)})
    if data.get("level") == ApprovalLevel.PROVINCE:
        raise ValidationError({"level": str(PROVINCIAL_MESSAGE)})
    changed = [k for k, v in data.items() if getattr(project, k) != v]
    for name in changed:
        setattr(project, name, data[name])
    if not changed:
        return project
    ensure_can_edit(actor, project)  # a changed level may need the city bureau
    validate(project, location_required=True)
    project.save()
    events.project_updated_event(project=project, actor=actor, changed=changed, reason=reason)
    return project


@transaction.atomic
def project_accept(*, actor: User, project: EiaProject, accepted_on: dt.date) -> EiaProject:
    ensure_can_edit(actor, project)
    project = _locked(project)
    _ensure_state(project, (ProjectState.SUBMITTED,), _("受理"))
    project.accepted_on, before = accepted_on, project.state
    project.state = ProjectState.ACCEPTED
    errors: dict = {}
    required(errors, "accepted_on", _("受理日期"), accepted_on)
    validate(project, errors)
    project.save()
    events.project_accepted_event(project=project, actor=actor, from_state=before)
    return project


@transaction.atomic
def project_return(
    *, actor: User, project: EiaProject, returned_on: dt.date, reasons: str
) -> EiaProject:
    """The application is returned (退回): incomplete, outside the bureau's remit, withdrawn."""
    ensure_can_edit(actor, project)
    project = _locked(project)
    _ensure_state(project, OPEN_STATES, _("退回"))
    errors: dict = {}
    required(errors, "decision_reasons", _("退回理由"), reasons)
    required(errors, "decided_on", _("退回日期"), returned_on)
    _ensure_no_open_pause(project, errors)
    before = project.state
    project.state, project.decision = ProjectState.RETURNED, Decision.RETURNED
    project.decided_on, project.decision_reasons = returned_on, reasons
    validate(project, errors)
    project.save()
    events.project_decided_event(project=project, actor=actor, from_state=before)
    return project


def _ensure_no_open_pause(project: EiaProject, errors: dict) -> None:
    if project.pauses.filter(ended_on__isnull=True).exists():
        add(errors, "state", _("审查期限暂停中(如专家评审、听证、补正),请先登记暂停结束。"))


@transaction.atomic
def pause_start(
    *,
    actor: User,
    project: EiaProject,
    kind: str,
    started_on: dt.date,
    reason: str = "",
    notice_number: str = "",
) -> EiaPause:
    """The clock stops: technical evaluation, expert review, hearing or supplements."""
    ensure_can_edit(actor, project)
    project = _locked(project)
    _ensure_state(
        project,
        (ProjectState.ACCEPTED, ProjectState.PROPOSED, ProjectState.DEFERRED),
        _("暂停审查期限"),
    )
    errors: dict = {}
    _ensure_no_open_pause(project, errors)
    required(errors, "started_on", _("暂停开始日期"), started_on)
    not_before(
        errors, "started_on", _("暂停开始日期"), started_on, _("受理日期"), project.accepted_on
    )
    last = project.pauses.exclude(ended_on__isnull=True).order_by("-ended_on").first()
    if last is not None and started_on is not None and started_on <= last.ended_on:
        add(
            errors,
            "started_on",
            _("暂停开始日期(%(start)s)须晚于上一次暂停的结束日期(%(end)s)。")
            % {"start": started_on, "end": last.ended_on},
        )
    not_in_future(errors, "started_on", _("暂停开始日期"), started_on)
    pause = EiaPause(
        project=project,
        kind=kind,
        started_on=started_on,
        reason=reason,
        notice_number=notice_number,
    )
    try:
        pause.full_clean(exclude=["project"])
    except ValidationError as exc:
        errors = merged(exc, errors)
    raise_if(errors)
    pause.save()
    events.pause_started_event(project=project, actor=actor, pause=pause)
    return pause


@transaction.atomic
def pause_end(*, actor: User, project: EiaProject, ended_on: dt.date) -> EiaPause:
    ensure_can_edit(actor, project)
    project = _locked(project)
    pause = project.pauses.filter(ended_on__isnull=True).first()
    if pause is None:
        raise ValidationError({"ended_on": _("该项目没有进行中的期限暂停。")})
    errors: dict = {}
    required(errors, "ended_on", _("暂停结束日期"), ended_on)
    not_before(errors, "ended_on", _("暂停结束日期"), ended_on, _("暂停开始日期"), pause.started_on)
    not_in_future(errors, "ended_on", _("暂停结束日期"), ended_on)
    raise_if(errors)
    pause.ended_on = ended_on
    pause.save()
    events.pause_ended_event(project=project, actor=actor, pause=pause)
    return pause


@transaction.atomic
def notice_publish(
    *,
    actor: User,
    project: EiaProject,
    kind: str,
    start_on: dt.date,
    end_on: dt.date | None = None,
    where: str = "",
) -> EiaNotice:
    """A public notice: acceptance (≥10 WD), proposed decision (≥5 WD; moves the project to
    拟审批公示), or the decision itself (within 7 WD of it; no end)."""
    ensure_can_edit(actor, project)
    project = _locked(project)
    errors: dict = {}
    required(errors, "start_on", _("公示开始日期"), start_on)
    not_in_future(errors, "start_on", _("公示开始日期"), start_on)
    if kind == NoticeKind.ACCEPTANCE:
        _ensure_state(project, (ProjectState.ACCEPTED, ProjectState.PROPOSED), _("发布受理公示"))
        not_before(
            errors, "start_on", _("公示开始日期"), start_on, _("受理日期"), project.accepted_on
        )
    elif kind == NoticeKind.PROPOSED:
        _ensure_state(project, (ProjectState.ACCEPTED, ProjectState.DEFERRED), _("发布拟审批公示"))
        _ensure_no_open_pause(project, errors)
        if (
            deadlines.needs_notices(project)
            and not project.notices.filter(kind=NoticeKind.ACCEPTANCE).exists()
        ):
            add(errors, "kind", _("评审制项目须先发布受理公示,再发布拟审批公示。"))
        not_before(
            errors, "start_on", _("公示开始日期"), start_on, _("受理日期"), project.accepted_on
        )
    elif kind == NoticeKind.DECISION:
        _ensure_state(project, (ProjectState.APPROVED, ProjectState.REFUSED), _("公告审批决定"))
        not_before(errors, "start_on", _("公告日期"), start_on, _("决定日期"), project.decided_on)
    else:
        add(errors, "kind", _("未知的公示类型“%(kind)s”。") % {"kind": kind})
    if project.notices.filter(kind=kind).exists():
        add(errors, "kind", _("该项目已发布过此类公示。"))
    minimum = deadlines.notice_minimum(kind)
    if minimum is not None:
        required(errors, "end_on", _("公示结束日期"), end_on)
        if start_on and end_on:
            not_before(errors, "end_on", _("公示结束日期"), end_on, _("公示开始日期"), start_on)
            ran = (
                deadlines.notice_working_days(current_calendar(), start_on, end_on)
                if end_on >= start_on
                else 0
            )
            if end_on >= start_on and ran < minimum:
                add(
                    errors,
                    "end_on",
                    _("公示期为 %(ran)d 个工作日,少于规定的 %(min)d 个工作日。")
                    % {"ran": ran, "min": minimum},
                )
    raise_if(errors)
    notice = EiaNotice.objects.create(
        project=project, kind=kind, start_on=start_on, end_on=end_on, where=where
    )
    before = project.state
    if kind == NoticeKind.PROPOSED:
        project.state, project.proposed_on = ProjectState.PROPOSED, start_on
    elif kind == NoticeKind.DECISION:
        project.decision_published_on = start_on
    validate(project)
    project.save()
    events.notice_published_event(project=project, actor=actor, notice=notice, from_state=before)
    return notice


# 暂缓审批 (a decision put off) from any state a decision may be taken in
DEFERRABLE = (ProjectState.ACCEPTED, ProjectState.PROPOSED, ProjectState.DEFERRED)


@transaction.atomic
def project_defer(
    *, actor: User, project: EiaProject, deferred_on: dt.date, reasons: str
) -> EiaProject:
    """暂缓审批: the decision is put off with written reasons (not a refusal). The application
    stays open: it is approved, refused or returned later; its decision clock keeps running."""
    ensure_can_edit(actor, project)
    project = _locked(project)
    _ensure_state(project, DEFERRABLE, _("暂缓审批"))
    errors: dict = {}
    required(errors, "deferred_on", _("暂缓审批日期"), deferred_on)
    required(errors, "deferral_reasons", _("暂缓理由"), reasons)
    not_before(
        errors, "deferred_on", _("暂缓审批日期"), deferred_on, _("受理日期"), project.accepted_on
    )
    not_before(
        errors,
        "deferred_on",
        _("暂缓审批日期"),
        deferred_on,
        _("上次暂缓日期"),
        project.deferred_on,
    )
    not_in_future(errors, "deferred_on", _("暂缓审批日期"), deferred_on)
    _ensure_no_open_pause(project, errors)
    before = project.state
    project.state, project.deferred_on, project.deferral_reasons = (
        ProjectState.DEFERRED,
        deferred_on,
        reasons,
    )
    validate(project, errors)
    project.save()
    events.project_deferred_event(project=project, actor=actor, from_state=before)
    return project


@transaction.atomic
def project_decide(
    *,
    actor: User,
    project: EiaProject,
    decision: str,
    decided_on: dt.date,
    decision_number: str = "",
    reasons: str = "",
) -> EiaProject:
    """Approve, refuse or defer (暂缓, `project_defer`). Approval needs a screening that is clear,
    or whose refusal proposal a reviewer overrode with a reason; ordinary review needs the
    proposed-decision notice run out; no approval while the division is under a regional
    suspension (区域限批), refused with the suspension's reason."""
    if decision == ProjectState.DEFERRED:
        return project_defer(actor=actor, project=project, deferred_on=decided_on, reasons=reasons)
    ensure_can_edit(actor, project)
    project = _locked(project)
    _ensure_state(
        project,
        (ProjectState.ACCEPTED, ProjectState.PROPOSED, ProjectState.DEFERRED),
        _("作出审批决定"),
    )
    errors: dict = {}
    required(errors, "decided_on", _("决定日期"), decided_on)
    not_before(
        errors, "decided_on", _("决定日期"), decided_on, _("暂缓审批日期"), project.deferred_on
    )
    _ensure_no_open_pause(project, errors)
    last = project.pauses.order_by("-ended_on").first()
    if last is not None and last.ended_on:
        not_before(
            errors,
            "decided_on",
            _("决定日期"),
            decided_on,
            _("最近一次暂停结束日期"),
            last.ended_on,
        )
    if decision == Decision.APPROVED:
        required(errors, "decision_number", _("批复文号"), decision_number)
        _check_proposed_notice(project, decided_on, errors)
        _check_screening(project, errors)
        if decided_on is not None:
            suspended = suspension_refusal(project.division, decided_on)
            if suspended:
                add(errors, "decision", suspended)
    elif decision == Decision.REFUSED:
        required(errors, "decision_reasons", _("不予批准的理由"), reasons)
    else:
        add(
            errors,
            "decision",
            _("审批结论应为“批准”“不予批准”或“暂缓审批”(退回请用退回)。"),
        )
    before = project.state
    project.state = ProjectState.APPROVED if decision == Decision.APPROVED else ProjectState.REFUSED
    project.decision, project.decided_on = decision, decided_on
    project.decision_number, project.decision_reasons = decision_number, reasons
    validate(project, errors)
    project.save()
    events.project_decided_event(project=project, actor=actor, from_state=before)
    return project


def _check_proposed_notice(project: EiaProject, decided_on: dt.date | None, errors: dict) -> None:
    if not deadlines.needs_notices(project):
        return
    notice = project.notices.filter(kind=NoticeKind.PROPOSED).first()
    if notice is None:
        add(errors, "state", _("评审制项目批准前须发布拟审批公示。"))
    elif decided_on and notice.end_on and decided_on <= notice.end_on:
        add(
            errors,
            "decided_on",
            _("决定日期(%(day)s)须在拟审批公示期满(%(end)s)之后。")
            % {"day": decided_on, "end": notice.end_on},
        )


def _check_screening(project: EiaProject, errors: dict) -> None:
    screening = project.screenings.order_by("-screened_at", "-pk").first()
    if screening is None:
        add(errors, "screening", _("批准前须完成三线一单筛查。"))
    elif screening.inputs != inputs_fingerprint(project):
        add(errors, "screening", _("项目位置、行业或审查事实在筛查后有变化,请重新筛查。"))
    elif screening.review == ScreeningReview.PENDING:
        add(
            errors,
            "screening",
            _("三线一单筛查提出了不予批准建议或有无法判定的规则,须先由复核人确认或否定(附理由)。"),
        )
    elif screening.review == ScreeningReview.CONFIRMED:
        add(errors, "screening", _("复核人已确认不予批准建议,不能批准。"))


@transaction.atomic
def project_revoke(
    *, actor: User, project: EiaProject, revoked_on: dt.date, reasons: str
) -> EiaProject:
    """An approval is revoked, e.g. a notification-commitment approval whose commitment proved false.
    The decision and its date stay (the year's approvals do not change); the state moves on."""
    ensure_can_edit(actor, project)
    project = _locked(project)
    _ensure_state(project, (ProjectState.APPROVED,), _("撤销批复"))
    errors: dict = {}
    required(errors, "revoked_on", _("撤销日期"), revoked_on)
    required(errors, "decision_reasons", _("撤销理由"), reasons)
    project.state, project.revoked_on = ProjectState.REVOKED, revoked_on
    validate(project, errors)
    project.save()
    events.project_revoked_event(project=project, actor=actor, reason=reasons)
    return project
