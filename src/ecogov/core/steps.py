"""Workflow steps by name, one way for every area: a declarative table.

An area lists its steps once, each with its name, its label (Chinese, shown on the 办理 page
and in the API's description), the form that parses its input (the admin's page and the
API's body), the service it calls and who may take it; the doors look a step up by name and
run it:

    CASE_STEPS = Steps(
        Step("open", _("立案"), lambda actor, case, data: s.case_open_lead(...), form=DateForm),
        ...
    )
    CASE_STEPS.run("open", actor, case, form.cleaned_data)

`permission` says what the door checks before it runs the step: "edit" (the actor may edit
the record, core.scoping.can_edit) or "view" (the actor sees the record; the service checks
the rest, e.g. that an approval is a leader's). The service checks everything again: the
table only saves the door the question.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ecogov.core.scoping import can_edit, can_view

EDIT, VIEW = "edit", "view"


@dataclass(frozen=True)
class Step:
    name: str
    label: Any  # a lazy translation
    run: Callable[[Any, Any, dict], Any]  # (actor, record, cleaned data) -> the service's result
    form: type | None = None  # the form (admin page, API body); None: the door's own form
    permission: str = EDIT

    def permits(self, user, record) -> bool:
        return (can_edit if self.permission == EDIT else can_view)(user, record)


class Steps(Mapping[str, Step]):
    """An area's steps by name, in the order they are offered."""

    def __init__(self, *steps: Step) -> None:
        self._steps: dict[str, Step] = {}
        for step in steps:
            if step.name in self._steps:
                raise ValueError(f"step {step.name} listed twice")
            self._steps[step.name] = step

    def __getitem__(self, name: str) -> Step:
        return self._steps[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._steps)

    def __len__(self) -> int:
        return len(self._steps)

    def __add__(self, other: Steps) -> Steps:
        return Steps(*self.values(), *other.values())

    def choices(self) -> list[tuple[str, Any]]:
        return [(step.name, step.label) for step in self.values()]

    def labels(self) -> dict[str, Any]:
        return {step.name: step.label for step in self.values()}

    def step(self, name: str) -> Step:
        """The step, or a ValidationError naming the field `step` for an unknown name."""
        step = self._steps.get(name)
        if step is None:
            raise ValidationError({"step": _("未知的办理事项。")})
        return step

    def dispatch(self, actor, record, data: dict):
        """Run the step `data["step"]` names, with the rest of `data` as its input (a door
        whose one form serves every step)."""
        return self.run(data["step"], actor, record, data)

    def run(self, name: str, actor, record, data: dict, *, check: bool = False):
        """Run the step; with `check` the door's permission first (PermissionDenied)."""
        step = self.step(name)
        if check and not step.permits(actor, record):
            raise PermissionDenied(_("无权办理:超出您的数据范围或您只有查看权限。"))
        return step.run(actor, record, data)
