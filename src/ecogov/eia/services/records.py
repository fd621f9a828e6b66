"""Recording a ledger row as it stands (past decisions included): the writer behind the Excel import.

The workflow services make decisions; this one records decisions already made (the bureau's
old ledger, or a correction). The same field rules apply (investment, order of dates, location
in the division), plus consistency of the state with the dates and the decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from .. import events
from ..models import ApprovalLevel, Decision, EiaProject, Procedure, ProjectState
from .common import add, ensure_can_create, ensure_can_edit
from .projects import PROJECT_FIELDS, build, default_level, validate

if TYPE_CHECKING:
    from django.contrib.auth.models import User

RECORD_FIELDS = PROJECT_FIELDS + [
    "state",
    "decision_number",
    "decision_reasons",
    "receipt_number",
    "accepted_on",
    "proposed_on",
    "deferred_on",
    "deferral_reasons",
    "decided_on",
    "decision_published_on",
    "revoked_on",
]
_DECISION_OF_STATE: dict[str, str] = {
    ProjectState.APPROVED: Decision.APPROVED,
    ProjectState.REVOKED: Decision.APPROVED,
    ProjectState.REFUSED: Decision.REFUSED,
    ProjectState.RETURNED: Decision.RETURNED,
}


def prepare(data: dict[str, Any], project: EiaProject | None = None) -> EiaProject:
    """The project a ledger row describes (not saved); `decision` follows from the state."""
    if project is None:
        project = build(data)
    for field in RECORD_FIELDS:
        if field in data:
            setattr(project, field, data[field])
    if not project.level:
        project.level = default_level(project.document_type)
    project.decision = _DECISION_OF_STATE.get(project.state, "")
    if project.facts is None:
        project.facts = {}
    return project


def _deferral_problems(project: EiaProject, errors: dict) -> None:
    """暂缓审批: a deferred row names its day and reasons; the day lies between acceptance and
    the decision (a deferred project decided later keeps its deferral day)."""
    state = project.state
    if state == ProjectState.DEFERRED and not project.deferred_on:
        add(errors, "deferred_on", _("暂缓审批的项目须填写暂缓审批日期。"))
    if project.deferred_on and not project.accepted_on:
        add(errors, "deferred_on", _("填写暂缓审批日期的项目须填写受理日期。"))
    deferred, accepted, decided = project.deferred_on, project.accepted_on, project.decided_on
    if deferred and accepted and deferred < accepted:
        add(
            errors,
            "deferred_on",
            _("暂缓审批日期(%(d)s)早于受理日期(%(v)s)。") % {"d": deferred, "v": accepted},
        )
    if deferred and decided and deferred > decided:
        add(
            errors,
            "deferred_on",
            _("暂缓审批日期(%(d)s)晚于决定日期(%(v)s)。") % {"d": deferred, "v": decided},
        )
    if project.deferred_on and state not in (
        ProjectState.DEFERRED,
        *_DECISION_OF_STATE,
    ):
        add(
            errors,
            "deferred_on",
            _("状态为“%(state)s”的项目不能填写暂缓审批日期。")
            % {"state": project.get_state_display()},
        )
    if state == ProjectState.DEFERRED and not project.deferral_reasons.strip():
        add(errors, "deferral_reasons", _("暂缓审批须写明暂缓理由。"))


def state_problems(project: EiaProject) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    state = project.state
    if state == ProjectState.SUBMITTED and project.accepted_on:
        add(errors, "state", _("已填受理日期的项目状态不能是“待受理”。"))
    if state in (ProjectState.ACCEPTED, ProjectState.PROPOSED) and not project.accepted_on:
        add(errors, "accepted_on", _("审查中的项目须填写受理日期。"))
    if state in _DECISION_OF_STATE or state in (ProjectState.FILED, ProjectState.EXEMPTED):
        if not project.decided_on:
            add(
                errors,
                "decided_on",
                _("状态为“%(state)s”的项目须填写决定日期。")
                % {"state": project.get_state_display()},
            )
    elif project.decided_on:
        add(errors, "decided_on", _("未作出决定的项目不能填写决定日期。"))
    if (
        state in (ProjectState.APPROVED, ProjectState.REFUSED, ProjectState.REVOKED)
        and not project.accepted_on
    ):
        add(errors, "accepted_on", _("已作出审批决定的项目须填写受理日期。"))
    if state in (ProjectState.APPROVED, ProjectState.REVOKED) and not project.decision_number:
        add(errors, "decision_number", _("已批准的项目须填写批复文号。"))
    if state == ProjectState.REVOKED and not project.revoked_on:
        add(errors, "revoked_on", _("已撤销批复的项目须填写撤销日期。"))
    if state != ProjectState.REVOKED and project.revoked_on:
        add(errors, "revoked_on", _("只有已撤销批复的项目才填写撤销日期。"))
    _deferral_problems(project, errors)
    provincial_states = (ProjectState.APPROVED, ProjectState.REFUSED, ProjectState.REVOKED)
    if project.level == ApprovalLevel.PROVINCE and state not in provincial_states:
        add(
            errors,
            "state",
            _("省级审批的项目只登记省级作出的决定(已批准、不予批准或已撤销),不能是“%(state)s”。")
            % {"state": project.get_state_display()},
        )
    if state == ProjectState.EXEMPTED and project.procedure != Procedure.EXEMPT:
        add(errors, "procedure", _("豁免项目的审批方式应为“豁免”。"))
    if project.procedure == Procedure.EXEMPT and state != ProjectState.EXEMPTED:
        add(errors, "state", _("审批方式为“豁免”的项目状态应为“豁免”。"))
    if state == ProjectState.FILED and project.procedure != Procedure.FILING:
        add(errors, "procedure", _("已备案的项目审批方式应为“登记表备案”。"))
    if project.procedure == Procedure.FILING and state != ProjectState.FILED:
        add(errors, "state", _("登记表备案的项目状态应为“已备案”。"))
    return errors


def check(actor: User, project: EiaProject, *, existing: bool) -> None:
    """Every problem of the row at once (ValidationError), or PermissionDenied."""
    (ensure_can_edit if existing else ensure_can_create)(actor, project)
    validate(project, state_problems(project))


@transaction.atomic
def project_record(
    *, actor: User, data: dict[str, Any], source: str = "", project: EiaProject | None = None
) -> EiaProject:
    existing = project is not None
    if project is not None:
        project = EiaProject.objects.select_for_update().get(pk=project.pk)
        ensure_can_edit(actor, project)  # before the row's values: the record as it is now
    project = prepare(data, project)
    check(actor, project, existing=existing)
    project.save()
    events.project_imported_event(project=project, actor=actor, source=source, created=not existing)
    return project
