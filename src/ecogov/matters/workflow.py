"""The one engine's rules: kinds, categories, states and the transitions between them (no ORM).

Four kinds of assigned matter share one pattern — handed to responsible units with a
deadline, progress reported, closed by a formal act — and differ only in this table
(docs/matters.md §1 inspection tours, §2 petitions, §3 NPC/CPPCC, §4 campaign tasks).

This is the state machine: each `Transition` (a workflow step, by its action) names the states
it leaves from, the state it reaches, what the actor must supply, which milestone date it sets
(`done`: the work is done; `closed`: the formal closing act), the deadline rule it starts
(ecogov.matters.deadlines) and who may take it. The service `matter_transition` applies it; the
doors reach it through each flow's core.steps table (ecogov.matters.steps), as in every area.

The deadline (`due_on`) is for the responsible units' work: once it is done (rectified,
answered, completed) the matter leaves the overdue lists, and whether it was done late is
kept; the formal closing act that follows (write-off, de-listing) is the bureau's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RECTIFICATION = "rectification", _("督察整改")
    PETITION = "petition", _("环境信访")
    PROPOSAL = "proposal", _("建议提案")
    TASK = "task", _("攻坚任务")


class State(models.TextChoices):
    # inspection-tour rectification (docs/matters.md §1)
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("整改中")
    RECTIFIED = "rectified", _("已完成整改")
    WRITTEN_OFF = "written_off", _("已销号")
    DELISTED = "delisted", _("已摘牌")
    # petitions (docs/matters.md §2)
    RECEIVED = "received", _("已登记")
    ACCEPTED = "accepted", _("已受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    IN_HANDLING = "in_handling", _("办理中")
    REPLIED = "replied", _("已答复")
    REVIEW = "review", _("复查中")
    # proposals (docs/matters.md §3)
    RETURNED = "returned", _("已退回")
    REHANDLING = "rehandling", _("重新办理")
    # campaign tasks
    COMPLETED = "completed", _("已完成")
    # shared closing state (办结)
    CLOSED = "closed", _("已办结")


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("12369电话")
    ONLINE = "online", _("网络")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    TRANSFERRED = "transferred", _("上级转办")


class Feedback(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class ReplyCategory(models.TextChoices):
    A = "A", _("A类(已解决或采纳)")
    B = "B", _("B类(列入计划解决)")
    C = "C", _("C类(留作参考)")


# Categories per kind. Tasks take their categories from their campaign (Source.task_categories).
RECTIFICATION_CATEGORIES = {
    "petition": _("信访交办件"),
    "supervised": _("交办督办件"),
    "feedback": _("反馈问题"),
    "transfer": _("重点移交问题"),
    "assigned": _("交办问题"),
    "listed": _("挂牌督办问题"),
}
PROPOSAL_CATEGORIES = {"npc": _("人大代表建议"), "cppcc": _("政协提案")}
PETITION_CATEGORIES = {"petition": _("信访件"), "report": _("举报件")}


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str  # "" keeps the state (an extension)
    needs: tuple[str, ...] = ()  # inputs: result, evidence, reason, reply_category, feedback
    sets: tuple[str, ...] = ()  # milestones: accepted, done, closed
    clears: tuple[str, ...] = ()  # milestones undone (a failed acceptance, a review)
    deadline: str | None = None  # rule key (deadlines.RULES) started by the step
    by: str = "handler"  # handler | bureau (acceptance, not by the rectifying unit) | leader
    once: bool = False  # e.g. only one extension


@dataclass(frozen=True)
class Flow:
    initial: str
    states: tuple[str, ...]  # in order of progress (imports may only move forward)
    terminal: frozenset[str]
    transitions: tuple[Transition, ...]
    first_deadline: str  # rule key applied when the matter is created

    def transition(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)

    def available(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def rank(self, state: str) -> int:
        return self.states.index(state)

    def path_to(self, state: str, start: str | None = None) -> list[Transition]:
        """The shortest chain of transitions from `start` (the initial state) to `state`.

        Bulk writes (ledger import, demo) record them as events, as the services would.
        """
        start = start or self.initial
        cached = _PATHS.get((id(self), start, state))
        if cached is not None:
            return list(cached)
        path = self._search(start, state)
        _PATHS[(id(self), start, state)] = tuple(path)
        return path

    def _search(self, start: str, state: str) -> list[Transition]:
        frontier: list[tuple[str, list[Transition]]] = [(start, [])]
        seen = {start}
        while frontier:
            current, path = frontier.pop(0)
            if current == state:
                return path
            for step in self.available(current):
                target = step.target or current
                if target not in seen:
                    seen.add(target)
                    frontier.append((target, [*path, step]))
        raise ValueError(f"state {state} unreachable")


_PATHS: dict[tuple, tuple] = {}  # the flows are constants: cache their paths
_START = Transition("start", _("开始整改"), (State.ASSIGNED,), State.IN_PROGRESS)
_REJECT = Transition(
    "reject",
    _("验收不通过"),
    (State.RECTIFIED,),
    State.IN_PROGRESS,
    needs=("reason",),
    clears=("done",),
    by="bureau",
    deadline="rectification.rework",
)

PETITION_LIKE = Flow(  # assigned petitions and supervised items of a tour: 办结
    initial=State.ASSIGNED,
    states=(State.ASSIGNED, State.IN_PROGRESS, State.CLOSED),
    terminal=frozenset({State.CLOSED}),
    first_deadline="rectification.petition",
    transitions=(
        Transition("start", _("开始办理"), (State.ASSIGNED,), State.IN_PROGRESS),
        Transition(
            "close",
            _("办结"),
            (State.ASSIGNED, State.IN_PROGRESS),
            State.CLOSED,
            needs=("result",),
            sets=("done", "closed"),
        ),
    ),
)
PROBLEM = Flow(  # feedback, key transferred and assigned problems: rectified, then written off
    initial=State.ASSIGNED,
    states=(State.ASSIGNED, State.IN_PROGRESS, State.RECTIFIED, State.WRITTEN_OFF),
    terminal=frozenset({State.WRITTEN_OFF}),
    first_deadline="rectification.problem",
    transitions=(
        _START,
        Transition(
            "rectify",
            _("完成整改"),
            (State.ASSIGNED, State.IN_PROGRESS),
            State.RECTIFIED,
            needs=("result",),
            sets=("done",),
        ),
        _REJECT,
        Transition(
            "write_off",
            _("验收销号"),
            (State.RECTIFIED,),
            State.WRITTEN_OFF,
            needs=("evidence",),
            sets=("closed",),
            by="bureau",
        ),
    ),
)
LISTED = Flow(  # listed supervision (挂牌督办): rectified, then de-listed
    initial=State.ASSIGNED,
    states=(State.ASSIGNED, State.IN_PROGRESS, State.RECTIFIED, State.DELISTED),
    terminal=frozenset({State.DELISTED}),
    first_deadline="rectification.listed",
    transitions=(
        _START,
        Transition(
            "rectify",
            _("完成整改"),
            (State.ASSIGNED, State.IN_PROGRESS),
            State.RECTIFIED,
            needs=("result",),
            sets=("done",),
        ),
        _REJECT,
        Transition(
            "delist",
            _("验收摘牌"),
            (State.RECTIFIED,),
            State.DELISTED,
            needs=("evidence",),
            sets=("closed",),
            by="bureau",
        ),
    ),
)
PETITION = Flow(  # docs/matters.md §2: classify; accept 15 日, answer 60 日 (+30), review 30 日
    initial=State.RECEIVED,
    states=(
        State.RECEIVED,
        State.NOT_ACCEPTED,
        State.ACCEPTED,
        State.IN_HANDLING,
        State.REPLIED,
        State.REVIEW,
        State.CLOSED,
    ),
    terminal=frozenset({State.NOT_ACCEPTED, State.CLOSED}),
    first_deadline="petition.accept",
    transitions=(
        Transition(
            "accept",
            _("受理"),
            (State.RECEIVED,),
            State.ACCEPTED,
            sets=("accepted",),
            deadline="petition.answer",
        ),
        Transition(
            "not_accept",
            _("不予受理"),
            (State.RECEIVED,),
            State.NOT_ACCEPTED,
            needs=("reason",),
            sets=("done", "closed"),
        ),
        Transition("handle", _("开始办理"), (State.ACCEPTED,), State.IN_HANDLING),
        Transition(
            "extend",
            _("延期办理"),
            (State.ACCEPTED, State.IN_HANDLING),
            "",
            needs=("reason",),
            deadline="petition.extend",
            by="leader",
            once=True,
        ),
        Transition(
            "reply",
            _("书面答复"),
            (State.ACCEPTED, State.IN_HANDLING),
            State.REPLIED,
            needs=("result",),
            sets=("done",),
        ),
        Transition(
            "request_review",
            _("申请复查"),
            (State.REPLIED,),
            State.REVIEW,
            needs=("reason",),
            clears=("done",),
            deadline="petition.review",
        ),
        Transition(
            "review_reply",
            _("复查答复"),
            (State.REVIEW,),
            State.REPLIED,
            needs=("result",),
            sets=("done",),
        ),
        Transition("close", _("办结"), (State.REPLIED,), State.CLOSED, sets=("closed",)),
    ),
)
PROPOSAL = Flow(  # docs/matters.md §3: answer 3 months (6 if complex), feedback, re-handle 1 month
    initial=State.ASSIGNED,
    states=(
        State.ASSIGNED,
        State.RETURNED,
        State.IN_HANDLING,
        State.REPLIED,
        State.REHANDLING,
        State.CLOSED,
    ),
    terminal=frozenset({State.RETURNED, State.CLOSED}),
    first_deadline="proposal.reply",
    transitions=(
        Transition(
            "accept", _("签收办理"), (State.ASSIGNED,), State.IN_HANDLING, sets=("accepted",)
        ),
        Transition(
            "return",
            _("退回(非本单位职责)"),
            (State.ASSIGNED,),
            State.RETURNED,
            needs=("reason",),
            sets=("closed",),
        ),
        Transition(
            "extend",
            _("延期答复(复杂事项)"),
            (State.ASSIGNED, State.IN_HANDLING),
            "",
            needs=("reason",),
            deadline="proposal.extend",
            by="leader",
            once=True,
        ),
        Transition(
            "reply",
            _("答复"),
            (State.ASSIGNED, State.IN_HANDLING, State.REHANDLING),
            State.REPLIED,
            needs=("result", "reply_category"),
            sets=("done",),
        ),
        Transition(
            "feedback",
            _("登记代表委员反馈"),
            (State.REPLIED,),
            State.CLOSED,
            needs=("feedback",),
            sets=("closed",),
        ),
        # "dissatisfied" sends the matter back (the service routes feedback by its value)
        Transition(
            "rehandle",
            _("不满意,重新办理"),
            (State.REPLIED,),
            State.REHANDLING,
            needs=("feedback",),
            clears=("done",),
            deadline="proposal.rehandle",
        ),
    ),
)
TASK = Flow(
    initial=State.ASSIGNED,
    states=(State.ASSIGNED, State.IN_PROGRESS, State.COMPLETED),
    terminal=frozenset({State.COMPLETED}),
    first_deadline="task.complete",
    transitions=(
        Transition("start", _("开始推进"), (State.ASSIGNED,), State.IN_PROGRESS),
        Transition(
            "complete",
            _("完成"),
            (State.ASSIGNED, State.IN_PROGRESS),
            State.COMPLETED,
            needs=("result",),
            sets=("done", "closed"),
        ),
    ),
)

_RECTIFICATION_FLOWS = {
    "petition": PETITION_LIKE,
    "supervised": PETITION_LIKE,
    "feedback": PROBLEM,
    "transfer": PROBLEM,
    "assigned": PROBLEM,
    "listed": LISTED,
}


def flow_for(kind: str, category: str) -> Flow:
    if kind == Kind.RECTIFICATION:
        return _RECTIFICATION_FLOWS[category]
    return {Kind.PETITION: PETITION, Kind.PROPOSAL: PROPOSAL, Kind.TASK: TASK}[kind]


def categories_for(kind: str) -> dict:
    return {
        Kind.RECTIFICATION: RECTIFICATION_CATEGORIES,
        Kind.PETITION: PETITION_CATEGORIES,
        Kind.PROPOSAL: PROPOSAL_CATEGORIES,
    }.get(kind, {})


def states_for(kind: str) -> list[str]:
    if kind == Kind.RECTIFICATION:
        seen: list[str] = []
        for flow in _RECTIFICATION_FLOWS.values():
            seen.extend(s for s in flow.states if s not in seen)
        return seen
    return list(flow_for(kind, "").states)


ALL_ACTIONS = {
    step.action: step.label
    for kind in Kind
    for flow in (
        [*_RECTIFICATION_FLOWS.values()] if kind == Kind.RECTIFICATION else [flow_for(kind, "")]
    )
    for step in flow.transitions
}
