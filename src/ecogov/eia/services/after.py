"""After (or instead of) the approval: deferral (暂缓审批), provincial approvals recorded for projects
in the city, re-review when construction starts more than 5 years later (重新审核), the builder's
completion acceptance (竣工环境保护验收) and the bureau's spot checks of it. docs/eia.md “批后”."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.calendar import current_calendar
from ecogov.core.dates import add_years

from .. import deadlines, events
from ..models import (
    ApprovalLevel,
    Decision,
    DocumentType,
    EiaAcceptance,
    EiaProject,
    EiaReReview,
    EiaSpotCheck,
    Procedure,
    ProjectState,
    ReReviewOutcome,
    SpotCheckResult,
)
from ..policy import policy
from .common import (
    add,
    ensure_can_edit,
    ensure_in_scope,
    merged,
    not_before,
    not_in_future,
    raise_if,
    required,
)
from .projects import _locked, _prepare_new, validate

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def project_record_provincial(
    *,
    actor: User,
    data: dict[str, Any],
    decided_on: dt.date,
    decision_number: str,
) -> EiaProject:
    """A provincial approval of a project in the city, recorded by the city bureau (the province
    decides; EcoGov keeps the record for supervision after approval). Counted apart."""
    data = {
        **data,
        "level": ApprovalLevel.PROVINCE,
        "procedure": data.get("procedure") or Procedure.REVIEW,
        "document_type": data.get("document_type") or DocumentType.REPORT,
        "submitted_on": data.get("submitted_on") or decided_on,
    }
    project = _prepare_new(
        actor, data, procedures=(Procedure.REVIEW, Procedure.COMMITMENT), provincial=True
    )
    errors: dict = {}
    required(errors, "decided_on", _("省级批复日期"), decided_on)
    required(errors, "decision_number", _("省级批复文号"), decision_number)
    project.state, project.decision = ProjectState.APPROVED, Decision.APPROVED
    project.decided_on, project.decision_number = decided_on, decision_number
    validate(project, errors)
    project.save()
    events.project_provincial_recorded_event(project=project, actor=actor)
    return project


# --- 重新审核 ----------------------------------------------------------------------------


def five_years_after(decided_on: dt.date) -> dt.date:
    return add_years(decided_on, policy("rereview_after_years"))


@transaction.atomic
def rereview_request(
    *, actor: User, project: EiaProject, received_on: dt.date, construction_starts_on: dt.date
) -> EiaReReview:
    """The builder asks the original approver to re-review an approval (EIA law art. 24): only
    when construction starts more than 5 years after the approval."""
    ensure_can_edit(actor, project)
    project = _locked(project)
    errors: dict = {}
    if project.level == ApprovalLevel.PROVINCE:
        add(errors, "project", _("该项目由省级审批,重新审核由原审批部门(省级)办理。"))
    if project.state != ProjectState.APPROVED:
        add(
            errors,
            "project",
            _("只有已批准(未撤销)的项目可以申请重新审核;该项目状态为“%(state)s”。")
            % {"state": project.get_state_display()},
        )
    required(errors, "received_on", _("收到申请日期"), received_on)
    required(errors, "construction_starts_on", _("拟开工日期"), construction_starts_on)
    not_in_future(errors, "received_on", _("收到申请日期"), received_on)
    not_before(
        errors, "received_on", _("收到申请日期"), received_on, _("批准日期"), project.decided_on
    )
    if project.decided_on and construction_starts_on:
        mark = five_years_after(project.decided_on)
        if construction_starts_on <= mark:
            add(
                errors,
                "construction_starts_on",
                _(
                    "批准之日(%(decided)s)起满5年为%(mark)s;拟开工日期(%(start)s)未超过5年,"
                    "无需重新审核,原批复继续有效。"
                )
                % {"decided": project.decided_on, "mark": mark, "start": construction_starts_on},
            )
    if project.rereviews.filter(outcome=ReReviewOutcome.PENDING).exists():
        add(errors, "project", _("该项目已有尚未答复的重新审核申请。"))
    raise_if(errors)
    rereview = EiaReReview.objects.create(
        project=project, received_on=received_on, construction_starts_on=construction_starts_on
    )
    events.rereview_event(
        project=project, actor=actor, rereview=rereview, type="rereview_requested"
    )
    return rereview


@transaction.atomic
def rereview_answer(
    *,
    actor: User,
    rereview: EiaReReview,
    outcome: str,
    answered_on: dt.date,
    number: str = "",
    reasons: str = "",
) -> EiaReReview:
    """The answer within 10 日 of receipt (条例 art. 12), or, once that has run out (the later of
    the two readings), the record that silence counted as consent (视为同意)."""
    ensure_can_edit(actor, rereview.project)
    rereview = EiaReReview.objects.select_for_update().select_related("project").get(pk=rereview.pk)
    errors: dict = {}
    if rereview.outcome != ReReviewOutcome.PENDING:
        add(errors, "outcome", _("该重新审核申请已答复。"))
    if outcome not in (ReReviewOutcome.AGREED, ReReviewOutcome.NOT_AGREED, ReReviewOutcome.DEEMED):
        add(errors, "outcome", _("审核结论应为“同意”“不同意(须重新报批)”或“逾期未答复视为同意”。"))
    required(errors, "answered_on", _("答复日期"), answered_on)
    not_in_future(errors, "answered_on", _("答复日期"), answered_on)
    not_before(
        errors, "answered_on", _("答复日期"), answered_on, _("收到申请日期"), rereview.received_on
    )
    if outcome == ReReviewOutcome.NOT_AGREED:
        required(errors, "reasons", _("不同意的理由"), reasons)
    if outcome in (ReReviewOutcome.AGREED, ReReviewOutcome.NOT_AGREED):
        required(errors, "answer_number", _("答复文号"), number)
    due = deadlines.rereview_deadline(rereview, current_calendar(), allow_provisional=True)
    last = max(due.calendar.due, due.working.due)
    if answered_on and outcome in (ReReviewOutcome.AGREED, ReReviewOutcome.NOT_AGREED):
        if answered_on > last and not due.working.provisional:
            add(
                errors,
                "answered_on",
                _("答复期限已于%(last)s届满,逾期未答复视为同意:请登记“逾期未答复视为同意”。")
                % {"last": last},
            )
    if answered_on and outcome == ReReviewOutcome.DEEMED and answered_on <= last:
        add(
            errors,
            "answered_on",
            _("答复期限(10日,至%(last)s)尚未届满,不能视为同意。") % {"last": last},
        )
    raise_if(errors)
    rereview.outcome, rereview.answered_on = outcome, answered_on
    rereview.answer_number, rereview.reasons = number, reasons
    rereview.save()
    events.rereview_event(
        project=rereview.project, actor=actor, rereview=rereview, type="rereview_answered"
    )
    return rereview


# --- 竣工环境保护验收 and spot checks ---------------------------------------------------------

ACCEPTANCE_FIELDS = [
    "phase",
    "completed_on",
    "concluded_on",
    "passed",
    "published_from",
    "published_until",
    "where",
    "note",
]


@transaction.atomic
def acceptance_record(*, actor: User, project: EiaProject, data: dict[str, Any]) -> EiaAcceptance:
    """The builder's own completion acceptance, as published (条例 arts. 17, 19): the acceptance
    report's publicity runs at least 20 working days (暂行办法 art. 11, [M])."""
    ensure_in_scope(actor, project)
    project = _locked(project)
    errors: dict = {}
    if project.state != ProjectState.APPROVED:
        add(
            errors,
            "project",
            _("只有已批准(未撤销)的项目可以登记竣工环保验收;该项目状态为“%(state)s”。")
            % {"state": project.get_state_display()},
        )
    labels = {
        "completed_on": _("竣工日期"),
        "concluded_on": _("验收意见日期"),
        "published_from": _("公示开始日期"),
        "published_until": _("公示结束日期"),
        "where": _("公开渠道"),
    }
    for field, label in labels.items():
        required(errors, field, label, data.get(field))
    acceptance = EiaAcceptance(
        project=project, **{k: data[k] for k in ACCEPTANCE_FIELDS if k in data}
    )
    order = [
        ("completed_on", _("竣工日期"), project.decided_on, _("批准日期")),
        ("concluded_on", _("验收意见日期"), acceptance.completed_on, _("竣工日期")),
        ("published_from", _("公示开始日期"), acceptance.concluded_on, _("验收意见日期")),
        ("published_until", _("公示结束日期"), acceptance.published_from, _("公示开始日期")),
    ]
    for field, label, before, before_label in order:
        not_before(errors, field, label, getattr(acceptance, field), before_label, before)
    for field in ("completed_on", "concluded_on", "published_from"):
        not_in_future(errors, field, labels[field], getattr(acceptance, field))
    start, end = acceptance.published_from, acceptance.published_until
    minimum = policy("acceptance_publicity_min_working_days")
    if start and end and end >= start:
        ran = deadlines.notice_working_days(current_calendar(), start, end)
        if ran < minimum:
            add(
                errors,
                "published_until",
                _("验收报告公示期为 %(ran)d 个工作日,少于规定的 %(min)d 个工作日。")
                % {"ran": ran, "min": minimum},
            )
    try:
        acceptance.full_clean(exclude=["project"])
    except ValidationError as exc:
        errors = merged(exc, errors)
    raise_if(errors)
    acceptance.save()
    events.acceptance_recorded_event(project=project, actor=actor, acceptance=acceptance)
    return acceptance


@transaction.atomic
def spot_check_record(
    *,
    actor: User,
    acceptance: EiaAcceptance,
    checked_on: dt.date,
    result: str,
    findings: str = "",
    follow_up: str = "",
) -> EiaSpotCheck:
    """The bureau's spot check of a completion acceptance (事中事后监管)."""
    project = acceptance.project
    ensure_in_scope(actor, project)
    errors: dict = {}
    required(errors, "checked_on", _("抽查日期"), checked_on)
    not_in_future(errors, "checked_on", _("抽查日期"), checked_on)
    not_before(
        errors, "checked_on", _("抽查日期"), checked_on, _("验收意见日期"), acceptance.concluded_on
    )
    if result not in SpotCheckResult.values:
        add(errors, "result", _("请选择抽查结果(未发现问题或发现问题)。"))
    if result == SpotCheckResult.PROBLEMS:
        required(errors, "findings", _("发现的问题"), findings)
    raise_if(errors)
    check = EiaSpotCheck.objects.create(
        acceptance=acceptance,
        checked_on=checked_on,
        result=result,
        findings=findings,
        follow_up=follow_up,
    )
    events.spot_checked_event(project=project, actor=actor, check=check)
    return check
