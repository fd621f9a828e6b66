"""The one way to dispatch a workflow step (core.steps): a table looked up by name."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.core.models import RegulatedEntity
from ecogov.core.steps import VIEW, Step, Steps


def _table(calls):
    return Steps(
        Step("a", "甲", lambda actor, record, data: calls.append(("a", actor, record, data)) or 1),
        Step(
            "b", "乙", lambda actor, record, data: calls.append(("b", data)) or 2, permission=VIEW
        ),
    )


def test_a_step_runs_its_service_with_the_actor_record_and_input():
    calls = []
    steps = _table(calls)
    assert steps.run("b", "actor", "record", {"x": 1}) == 2
    assert steps.dispatch("actor", "record", {"step": "a", "y": 2}) == 1
    assert calls == [("b", {"x": 1}), ("a", "actor", "record", {"step": "a", "y": 2})]
    assert steps.choices() == [("a", "甲"), ("b", "乙")] and list(steps) == ["a", "b"]


def test_an_unknown_step_is_refused_on_the_step_field_in_chinese():
    with pytest.raises(ValidationError) as refused:
        _table([]).run("nope", None, None, {})
    assert refused.value.message_dict == {"step": ["未知的办理事项。"]}


def test_a_step_is_listed_once():
    with pytest.raises(ValueError):
        Steps(Step("a", "甲", print), Step("a", "乙", print))
    both = _table([]) + Steps(Step("c", "丙", print))
    assert list(both) == ["a", "b", "c"]


def test_the_door_checks_the_steps_permission_when_asked(world):
    entity = RegulatedEntity.objects.filter(division__name="南湖县").first()
    beishan, viewer = world.user("beishan_staff"), world.user("viewer")
    steps = _table([])
    assert not steps["a"].permits(beishan, entity)  # another county's record
    assert not steps["a"].permits(viewer, entity) and steps["b"].permits(viewer, entity)
    with pytest.raises(PermissionDenied):
        steps.run("a", viewer, entity, {}, check=True)
    assert steps.run("b", viewer, entity, {}, check=True) == 2
