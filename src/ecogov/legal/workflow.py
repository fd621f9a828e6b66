"""The normative document's states and which step may run in which state (docs/legal.md §2).

drafting → consultation → legality review → collective deliberation → registration and
numbering → issuance → publication → filing → in force → amended | repealed | expired.
The services are the only code that changes `NormativeDocument.state`; each looks its step up
here first, so a step out of order is refused with the same message everywhere.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DocState(models.TextChoices):
    DRAFTING = "drafting", _("起草中")
    CONSULTATION = "consultation", _("公开征求意见中")
    LEGALITY_REVIEW = "legality_review", _("合法性审核中")
    REVIEWED = "reviewed", _("合法性审核通过")
    DELIBERATED = "deliberated", _("已集体审议")
    REGISTERED = "registered", _("已统一登记编号")
    ISSUED = "issued", _("已统一印发")
    PUBLISHED = "published", _("已公开(待备案)")
    IN_FORCE = "in_force", _("已备案")
    AMENDED = "amended", _("已修改(被新文件替代)")
    REPEALED = "repealed", _("已废止")
    EXPIRED = "expired", _("已失效")
    ABANDONED = "abandoned", _("终止制定")


ENDED = frozenset({DocState.AMENDED, DocState.REPEALED, DocState.EXPIRED, DocState.ABANDONED})
BEFORE_REGISTRATION = frozenset(
    {
        DocState.DRAFTING,
        DocState.CONSULTATION,
        DocState.LEGALITY_REVIEW,
        DocState.REVIEWED,
        DocState.DELIBERATED,
    }
)
PUBLISHED_STATES = frozenset({DocState.PUBLISHED, DocState.IN_FORCE})

# step: (states it may run in, state it leads to; None = the state does not change)
ACTIONS: dict[str, tuple[frozenset, DocState | None]] = {
    "update": (frozenset({DocState.DRAFTING, DocState.CONSULTATION}), None),
    "start_consultation": (frozenset({DocState.DRAFTING}), DocState.CONSULTATION),
    "close_consultation": (frozenset({DocState.CONSULTATION}), DocState.DRAFTING),
    "waive_consultation": (frozenset({DocState.DRAFTING}), None),
    "submit_review": (frozenset({DocState.DRAFTING}), DocState.LEGALITY_REVIEW),
    "submit_other_review": (BEFORE_REGISTRATION, None),
    "review_pass": (frozenset({DocState.LEGALITY_REVIEW}), DocState.REVIEWED),
    "review_fail": (frozenset({DocState.LEGALITY_REVIEW}), DocState.DRAFTING),
    "deliberate": (frozenset({DocState.REVIEWED}), DocState.DELIBERATED),
    "register": (frozenset({DocState.DELIBERATED}), DocState.REGISTERED),
    "issue": (frozenset({DocState.REGISTERED}), DocState.ISSUED),
    "publish": (frozenset({DocState.ISSUED}), DocState.PUBLISHED),
    "file": (frozenset({DocState.PUBLISHED}), DocState.IN_FORCE),
    "evaluate": (PUBLISHED_STATES, None),
    "amend": (PUBLISHED_STATES, DocState.AMENDED),
    "repeal": (PUBLISHED_STATES, DocState.REPEALED),
    "expire": (PUBLISHED_STATES, DocState.EXPIRED),
    "abandon": (BEFORE_REGISTRATION, DocState.ABANDONED),
}

ACTION_LABELS = {
    "update": _("修改草案信息"),
    "start_consultation": _("公开征求意见"),
    "close_consultation": _("结束征求意见"),
    "waive_consultation": _("记录不公开征求意见的理由"),
    "submit_review": _("提交合法性审核"),
    "submit_other_review": _("提交其他审查(公平竞争审查等)"),
    "review_pass": _("合法性审核通过"),
    "review_fail": _("合法性审核不通过"),
    "deliberate": _("记录集体审议"),
    "register": _("统一登记并编号"),
    "issue": _("统一印发"),
    "publish": _("公开发布"),
    "file": _("报送备案"),
    "evaluate": _("评估(可续期)"),
    "amend": _("修改(被新文件替代)"),
    "repeal": _("废止"),
    "expire": _("宣布失效"),
    "abandon": _("终止制定"),
}
# Steps taken through another record (the review's conclusion), not by a button on the document.
INTERNAL = frozenset({"review_pass", "review_fail"})


def allowed_actions(state: str) -> list[str]:
    return [
        name
        for name, (sources, _to) in ACTIONS.items()
        if state in sources and name not in INTERNAL
    ]


def target_state(action: str, state: str) -> str:
    """The state `action` leads to from `state`; a clear refusal if it may not run there."""
    sources, target = ACTIONS[action]
    if state not in sources:
        allowed = "、".join(str(ACTION_LABELS[a]) for a in allowed_actions(state)) or gettext("无")
        raise ValidationError(
            gettext("文件当前为“%(state)s”,不能%(action)s。可以进行:%(allowed)s。")
            % {"state": DocState(state).label, "action": ACTION_LABELS[action], "allowed": allowed}
        )
    return state if target is None else target
