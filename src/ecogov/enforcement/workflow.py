"""The penalty case's states and which action may run in which state (docs/enforcement.md §2).

The services are the only code that changes `PenaltyCase.state`; each looks its action up
here first, so a step out of order is refused with the same message everywhere.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    LEAD = "lead", _("线索核查")
    OPENED = "opened", _("已立案")
    INVESTIGATING = "investigating", _("调查取证")
    NOTIFIED = "notified", _("已告知")
    HEARING_REQUESTED = "hearing_requested", _("已申请听证")
    HEARING_HELD = "hearing_held", _("已听证")
    LEGAL_REVIEW = "legal_review", _("法制审核中")
    REVIEWED = "reviewed", _("法制审核通过")
    DISCUSSED = "discussed", _("已集体讨论")
    DECIDED = "decided", _("已作出处罚决定")
    SERVED = "served", _("已送达")
    DISCLOSED = "disclosed", _("已公开")
    EXECUTING = "executing", _("执行中")
    CLOSED = "closed", _("已结案")
    NOT_OPENED = "not_opened", _("不予立案")
    NO_PENALTY = "no_penalty", _("不予处罚")
    TRANSFERRED = "transferred", _("已移送")
    WITHDRAWN = "withdrawn", _("撤销立案")
    REVOKED = "revoked", _("处罚决定已撤销")


# Endings: the case record is frozen; only an amendment with a recorded reason changes it.
TERMINAL = frozenset(
    {
        CaseState.CLOSED,
        CaseState.NOT_OPENED,
        CaseState.NO_PENALTY,
        CaseState.TRANSFERRED,
        CaseState.WITHDRAWN,
        CaseState.REVOKED,
    }
)
BEFORE_DECISION = frozenset(
    {
        CaseState.OPENED,
        CaseState.INVESTIGATING,
        CaseState.NOTIFIED,
        CaseState.HEARING_REQUESTED,
        CaseState.HEARING_HELD,
        CaseState.LEGAL_REVIEW,
        CaseState.REVIEWED,
        CaseState.DISCUSSED,
    }
)
# States from which the penalty decision itself may be taken (other rules permitting).
DECIDABLE = frozenset(
    {CaseState.NOTIFIED, CaseState.HEARING_HELD, CaseState.REVIEWED, CaseState.DISCUSSED}
)

AFTER_DECISION = frozenset(
    {CaseState.DECIDED, CaseState.SERVED, CaseState.DISCLOSED, CaseState.EXECUTING}
)
PAYING = frozenset({CaseState.SERVED, CaseState.DISCLOSED, CaseState.EXECUTING})
INVESTIGATION_ON = BEFORE_DECISION | AFTER_DECISION

# action: (states it may run in, state it leads to; None = the state does not change)
ACTIONS: dict[str, tuple[frozenset, CaseState | None]] = {
    "open": (frozenset({CaseState.LEAD}), CaseState.OPENED),
    "not_open": (frozenset({CaseState.LEAD}), CaseState.NOT_OPENED),
    "investigate": (frozenset({CaseState.OPENED}), CaseState.INVESTIGATING),
    "set_officers": (frozenset({CaseState.LEAD}) | BEFORE_DECISION, None),
    "notify": (frozenset({CaseState.INVESTIGATING}), CaseState.NOTIFIED),
    "record_statement": (
        frozenset({CaseState.NOTIFIED, CaseState.HEARING_REQUESTED, CaseState.HEARING_HELD}),
        None,
    ),
    "record_waiver": (frozenset({CaseState.NOTIFIED}), None),
    "request_hearing": (frozenset({CaseState.NOTIFIED}), CaseState.HEARING_REQUESTED),
    "schedule_hearing": (frozenset({CaseState.HEARING_REQUESTED}), None),
    "hold_hearing": (frozenset({CaseState.HEARING_REQUESTED}), CaseState.HEARING_HELD),
    "submit_review": (
        frozenset({CaseState.NOTIFIED, CaseState.HEARING_HELD}),
        CaseState.LEGAL_REVIEW,
    ),
    "extend_review": (frozenset({CaseState.LEGAL_REVIEW}), None),
    "review_pass": (frozenset({CaseState.LEGAL_REVIEW}), CaseState.REVIEWED),
    "review_fail": (frozenset({CaseState.LEGAL_REVIEW}), CaseState.INVESTIGATING),
    "discuss": (
        frozenset({CaseState.NOTIFIED, CaseState.HEARING_HELD, CaseState.REVIEWED}),
        CaseState.DISCUSSED,
    ),
    "extend_decision": (BEFORE_DECISION, None),
    "decide": (DECIDABLE, CaseState.DECIDED),
    "decide_no_penalty": (frozenset({CaseState.INVESTIGATING}) | DECIDABLE, CaseState.NO_PENALTY),
    "transfer": (BEFORE_DECISION, CaseState.TRANSFERRED),
    "withdraw": (BEFORE_DECISION, CaseState.WITHDRAWN),
    "serve": (frozenset({CaseState.DECIDED}), CaseState.SERVED),
    "disclose": (frozenset({CaseState.SERVED}), CaseState.DISCLOSED),
    "execute": (frozenset({CaseState.SERVED, CaseState.DISCLOSED}), CaseState.EXECUTING),
    "record_payment": (frozenset({CaseState.EXECUTING}), None),
    "close": (frozenset({CaseState.EXECUTING}), CaseState.CLOSED),
    # execution to the end (services/compulsory.py)
    "plan_payment": (PAYING, None),
    "serve_demand": (frozenset({CaseState.EXECUTING}), None),
    "apply_court": (frozenset({CaseState.EXECUTING}), None),
    "record_ruling": (frozenset({CaseState.EXECUTING}), None),
    "record_outcome": (frozenset({CaseState.EXECUTING}), None),
    # coercive measures (services/measures.py)
    "take_measure": (INVESTIGATION_ON, None),
    "approve_measure": (INVESTIGATION_ON | TERMINAL, None),
    "extend_measure": (INVESTIGATION_ON, None),
    "record_testing": (INVESTIGATION_ON, None),
    "release_measure": (INVESTIGATION_ON | TERMINAL, None),
    "order_correction": (PAYING, None),
    "reinspect": (PAYING, None),
    "refer": (INVESTIGATION_ON, None),
    # a decision changed afterwards (services/changes.py); the new state is the service's
    "change_decision": (AFTER_DECISION | frozenset({CaseState.CLOSED}), None),
    "update": (frozenset(CaseState) - TERMINAL, None),
    "amend": (TERMINAL, None),
}

ACTION_LABELS = {
    "open": _("立案"),
    "not_open": _("不予立案"),
    "investigate": _("开始调查取证"),
    "set_officers": _("指定执法人员"),
    "notify": _("处罚事先告知"),
    "record_statement": _("记录陈述申辩"),
    "record_waiver": _("记录放弃陈述申辩和听证"),
    "request_hearing": _("登记听证申请"),
    "schedule_hearing": _("安排听证"),
    "hold_hearing": _("记录听证"),
    "submit_review": _("提交法制审核"),
    "extend_review": _("延长法制审核"),
    "review_pass": _("法制审核通过"),
    "review_fail": _("法制审核不通过(退回)"),
    "discuss": _("记录集体讨论"),
    "extend_decision": _("延长办案期限"),
    "decide": _("作出处罚决定"),
    "decide_no_penalty": _("决定不予处罚"),
    "transfer": _("移送"),
    "withdraw": _("撤销立案"),
    "serve": _("送达"),
    "disclose": _("公开处罚决定"),
    "execute": _("开始执行"),
    "record_payment": _("登记缴款"),
    "close": _("结案"),
    "plan_payment": _("延期(分期)缴纳审批"),
    "serve_demand": _("催告"),
    "apply_court": _("申请法院强制执行"),
    "record_ruling": _("登记法院裁定"),
    "record_outcome": _("登记强制执行结果"),
    "take_measure": _("查封扣押或限产停产"),
    "approve_measure": _("补办查封扣押批准"),
    "extend_measure": _("延长查封扣押或限产停产"),
    "record_testing": _("登记检测等期间"),
    "release_measure": _("解除查封扣押或限产停产"),
    "order_correction": _("责令改正(按日连续处罚)"),
    "reinspect": _("复查(按日连续处罚)"),
    "refer": _("移送拘留或司法机关"),
    "change_decision": _("登记决定撤销、变更或确认违法"),
    "update": _("修改案件信息"),
    "amend": _("更正(须说明理由)"),
}


def allowed_actions(state: str) -> list[str]:
    return [name for name, (sources, _to) in ACTIONS.items() if state in sources]


def target_state(action: str, state: str) -> str:
    """The state `action` leads to from `state`; a clear refusal if it may not run there."""
    sources, target = ACTIONS[action]
    if state not in sources:
        if state in TERMINAL:
            raise ValidationError(
                gettext(
                    "案件已处于“%(state)s”,不能再%(action)s;已办结的案件只能以更正方式修改并说明理由。"
                )
                % {"state": CaseState(state).label, "action": ACTION_LABELS[action]}
            )
        raise ValidationError(
            gettext("案件当前为“%(state)s”,不能%(action)s。可以进行:%(allowed)s。")
            % {
                "state": CaseState(state).label,
                "action": ACTION_LABELS[action],
                "allowed": "、".join(
                    str(ACTION_LABELS[a])
                    for a in allowed_actions(state)
                    if a not in ("update", "amend")
                )
                or gettext("无"),
            }
        )
    return state if target is None else target
