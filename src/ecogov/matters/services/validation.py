"""Validation of a matter's fields, shared by the one-by-one services and the bulk ledger import.

Returns errors as {field: message} in Chinese, naming the problem, so the import can report
them by row and column and the API by field. No database access here: callers pass what
they looked up (the source, existing references).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecogov.core.masking import MASKERS
from ecogov.matters.models import Matter
from ecogov.matters.workflow import Channel, Kind, categories_for, flow_for

if TYPE_CHECKING:
    from ecogov.matters.models import Source

COMMON = ["title", "content", "division", "received_on"]
KIND_FIELDS: dict[str, list[str]] = {
    Kind.RECTIFICATION: [],
    Kind.PETITION: [
        "channel",
        "complainant_name",
        "complainant_phone",
        "complainant_id_number",
        "subject_entity",
        "subject_name",
    ],
    Kind.PROPOSAL: ["deputy"],
    Kind.TASK: ["measure"],
}
# fields set by steps, which an import may carry for a matter already past them
# labels translated only when a message is written (a 50,000-row import checks every row)
_MILESTONES = [
    ("accepted", "accepted_on", gettext_lazy("受理日期")),
    ("done", "done_on", gettext_lazy("完成日期")),
    ("closed", "closed_on", gettext_lazy("办结日期")),
]
_NEEDS = [
    ("result", gettext_lazy("办理结果")),
    ("evidence", gettext_lazy("销号依据")),
    ("reply_category", gettext_lazy("答复类别")),
    ("feedback", gettext_lazy("代表委员反馈")),
]
STEP_FIELDS = [
    "accepted_on",
    "done_on",
    "closed_on",
    "result",
    "evidence",
    "reply_category",
    "feedback",
    "extended",
]
_FIELD_CACHE: dict[str, object] = {}


def _field(name: str) -> Any:
    if name not in _FIELD_CACHE:
        _FIELD_CACHE[name] = Matter._meta.get_field(name)
    return _FIELD_CACHE[name]


def category_error(kind: str, category: str, source: Source) -> str | None:
    if kind == Kind.TASK:
        allowed = source.task_categories or []
        if not category:
            return _("请填写任务类别。")
        if allowed and category not in allowed:
            return _("“%(value)s”不是该方案的任务类别,可选:%(choices)s。") % {
                "value": category,
                "choices": "、".join(allowed),
            }
        return None
    choices = categories_for(kind)
    if category not in choices:
        labels = "、".join(str(v) for v in choices.values())
        return _("“%(value)s”不是可选的类别,可选:%(choices)s。") % {
            "value": category,
            "choices": labels,
        }
    return None


def field_errors(kind: str, category: str, source: Source | None, data: dict) -> dict[str, str]:
    """Checks that need no database: lengths, choices, required inputs, dates, the kind's rules."""
    errors: dict[str, str] = {}
    if source is not None and source.kind != kind:
        errors["source"] = _("批次“%(source)s”属于“%(kind)s”,不能登记为“%(this)s”。") % {
            "source": source,
            "kind": Kind(source.kind).label,
            "this": Kind(kind).label,
        }
    message = category_error(kind, category, source) if source is not None else None
    if message:
        errors["category"] = message
    if not str(data.get("reference") or "").strip():
        errors["reference"] = _("请填写编号。")
    if not str(data.get("title") or "").strip():
        errors["title"] = _("请填写事项名称。")
    if not isinstance(data.get("received_on"), dt.date):
        errors["received_on"] = _("请填写交办日期。")
    for name in ["reference", "title", "subject_name", "complainant_name", "deputy"]:
        value = data.get(name) or ""
        limit = _field(name).max_length
        if len(str(value)) > limit:
            errors[name] = _("超过 %(limit)d 个字符。") % {"limit": limit}
    if kind == Kind.PETITION:
        channel = data.get("channel") or ""
        if not channel:
            errors["channel"] = _("请填写来源渠道。")
        elif channel not in Channel.values:
            errors["channel"] = _("“%s”不是可选的来源渠道。") % channel
        phone = data.get("complainant_phone") or ""
        if phone and not (phone.replace("-", "").isdigit() and 7 <= len(phone) <= 20):
            errors["complainant_phone"] = _("联系电话“%s”格式不正确。") % MASKERS["phone"](phone)
        id_number = (data.get("complainant_id_number") or "").upper()
        if id_number and not (
            len(id_number) == 18
            and id_number[:17].isdigit()
            and (id_number[17].isdigit() or id_number[17] == "X")
        ):
            errors["complainant_id_number"] = _("身份证号应为18位(末位可为X)。")
    received, due = data.get("received_on"), data.get("due_on")
    if isinstance(received, dt.date) and isinstance(due, dt.date) and due < received:
        errors["due_on"] = _("办理时限 %(due)s 早于交办日期 %(received)s。") % {
            "due": due,
            "received": received,
        }
    return errors


def state_errors(kind: str, category: str, data: dict) -> dict[str, str]:
    """A state carried in by an import must be reachable and carry its milestone dates."""
    errors: dict[str, str] = {}
    try:
        flow = flow_for(kind, category)
    except KeyError:
        return errors
    state = data.get("state") or flow.initial
    if state not in flow.states:
        labels = "、".join(_state_label(s) for s in flow.states)
        return {
            "state": _("“%(value)s”不是该类事项的状态,可选:%(choices)s。")
            % {"value": _state_label(state), "choices": labels}
        }
    path = flow.path_to(state)
    received = data.get("received_on")
    needed = {m for step in path for m in step.sets}
    for milestone, field, label in _MILESTONES:
        value = data.get(field)
        if milestone in needed and not value:
            errors[field] = _("状态为“%(state)s”时必须填写%(label)s。") % {
                "state": _state_label(state),
                "label": label,
            }
        elif value and milestone not in needed:
            errors[field] = _("状态为“%(state)s”时不应填写%(label)s。") % {
                "state": _state_label(state),
                "label": label,
            }
        elif value and isinstance(received, dt.date) and value < received:
            errors[field] = _("%(label)s %(value)s 早于交办日期。") % {
                "label": label,
                "value": value,
            }
    done, closed = data.get("done_on"), data.get("closed_on")
    if done and closed and closed < done and "closed_on" not in errors:
        errors["closed_on"] = _("办结日期早于完成日期。")
    needs = {n for step in path for n in step.needs} - {"reason"}
    for need, label in _NEEDS:
        if need in needs and not data.get(need):
            errors[need] = _("状态为“%(state)s”时必须填写%(label)s。") % {
                "state": _state_label(state),
                "label": label,
            }
    feedback = data.get("feedback")
    if kind == Kind.PROPOSAL and feedback and "feedback" not in errors:
        if state == "rehandling" and feedback != "dissatisfied":
            errors["feedback"] = _("重新办理的事项,代表委员反馈应为“不满意”。")
        elif state == "closed" and feedback == "dissatisfied":
            errors["feedback"] = _("代表委员不满意的,应重新办理,不能办结。")
    return errors


def _state_label(state: str) -> str:
    from ecogov.matters.workflow import State

    return str(State(state).label) if state in State.values else str(state)


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)
