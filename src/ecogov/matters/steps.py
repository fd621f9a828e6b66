"""The matters' workflow steps as core.steps tables, one per flow and state: the doors' way in.

The state machine stays in workflow.py (each flow's transitions: the states a step leaves,
the state it reaches, its inputs, who may take it); the admin's 办理 page and the API's
transition endpoint look a step up by name in the table of the matter's flow and state and run
it, as every area does (core.steps):

    steps = matter_steps(matter)
    steps.choices()                                  # what the page offers now
    steps.run(data.pop("action"), actor, matter, data)

Every step runs the one service, matter_transition, with its action: the service checks the
scope, the state, the inputs and who may take it, and keeps the deadlines and the events.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ecogov.core.steps import Step, Steps
from ecogov.matters import services

if TYPE_CHECKING:
    from ecogov.matters.models import Matter
    from ecogov.matters.workflow import Flow

# what a step's input may carry to the service (the admin's StepForm, the API's body)
INPUTS = ("on", "result", "evidence", "reason", "reply_category", "feedback")


def _take(action: str) -> Callable[[Any, Matter, dict], Matter]:
    def run(actor: Any, matter: Matter, data: dict) -> Matter:
        inputs = {name: data[name] for name in INPUTS if name in data}
        return services.matter_transition(actor=actor, matter=matter, action=action, **inputs)

    return run


class FlowSteps(Steps):
    """A flow's steps. A name the table does not list (not this flow's, or not from this state)
    is passed to the service as well, so that the refusal stays the service's own: on the field
    `action`, in the kind's words, and only after its scope check (a viewer is told he may not
    act, not that the step is unknown). For the same reason the doors run without `check`: the
    service's scope check is the one whose words the page and the API show."""

    def step(self, name: str) -> Step:
        step = self.get(name)
        return step if step is not None else Step(name, name, _take(name))


_TABLES: dict[tuple[int, str | None], FlowSteps] = {}  # the flows are constants: built once


def flow_steps(flow: Flow, state: str | None = None) -> FlowSteps:
    """The flow's steps, or only those its `state` allows, in the table's order."""
    key = (id(flow), state)
    table = _TABLES.get(key)
    if table is None:
        transitions = flow.transitions if state is None else flow.available(state)
        table = FlowSteps(*(Step(t.action, t.label, _take(t.action)) for t in transitions))
        _TABLES[key] = table
    return table


def matter_steps(matter: Matter) -> FlowSteps:
    """The steps the matter's state allows now: what its doors offer and run."""
    return flow_steps(matter.flow, matter.state)
