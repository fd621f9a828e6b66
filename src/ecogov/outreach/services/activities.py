"""Public events with the materials handed out, and trainings with their rosters."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import ActivityMaterial, DutyItem, Law, Training, TrainingAttendee
from ..models.activities import Activity
from .common import add, check_visible, create_record, sync_children, update_record

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from .common import Check

ACTIVITY_FIELDS = [
    "division",
    "kind",
    "title",
    "held_on",
    "place",
    "audience",
    "audience_count",
    "organiser",
    "duty_items",
    "summary",
]
MATERIAL_FIELDS = ["kind", "title", "quantity"]
TRAINING_FIELDS = [
    "division",
    "topic",
    "law",
    "law_other",
    "held_on",
    "place",
    "organiser",
    "audience_units",
    "attendee_count",
    "duty_items",
    "note",
]
ATTENDEE_FIELDS = ["name", "unit", "position"]


def _duty_items(actor: User) -> Check:
    def check(record: Activity, errors: dict, data: dict) -> None:
        if "duty_items" in data:
            check_visible(errors, "duty_items", actor, DutyItem, data["duty_items"])

    return check


def _materials(materials: list[dict] | None) -> Callable[[Any], list[str]]:
    def save(record: Activity) -> list[str]:
        changed = sync_children(
            parent=record,
            model=ActivityMaterial,
            fk="activity",
            rows=materials,
            fields=MATERIAL_FIELDS,
            label=_("发放资料"),
            errors_field="materials",
        )
        return ["materials"] if changed else []

    return save


@transaction.atomic
def activity_record(
    *, actor: User, data: dict[str, Any], materials: list[dict] | None = None
) -> Activity:
    return create_record(
        actor=actor,
        model=Activity,
        data=data,
        fields=ACTIVITY_FIELDS,
        m2m=("duty_items",),
        check=_duty_items(actor),
        effective_on="held_on",
        after_save=_materials(materials),
    )


@transaction.atomic
def activity_update(
    *, actor: User, activity: Activity, data: dict[str, Any], materials: list[dict] | None = None
) -> Activity:
    return update_record(
        actor=actor,
        record=activity,
        data=data,
        fields=ACTIVITY_FIELDS,
        m2m=("duty_items",),
        check=_duty_items(actor),
        effective_on="held_on",
        after_save=_materials(materials),
    )


def _training_check(actor: User, roster: list[dict] | None) -> Check:
    duty = _duty_items(actor)

    def check(record: Training, errors: dict, data: dict) -> None:
        duty(record, errors, data)
        if record.law == Law.OTHER and not (record.law_other or "").strip():
            add(errors, "law_other", _("“涉及法律法规”选“其他”时请填写法律法规名称。"))
        if record.law != Law.OTHER:
            record.law_other = ""
        has_roster = bool(roster) or (
            roster is None and record.pk is not None and record.attendees.exists()
        )
        if roster:
            record.attendee_count = len(roster)  # the roster is the count
        elif not has_roster and not record.attendee_count:
            add(errors, "attendee_count", _("请填写参训人数,或录入参训人员名单。"))

    return check


def _roster(roster: list[dict] | None) -> Callable[[Any], list[str]]:
    def save(record: Training) -> list[str]:
        changed = sync_children(
            parent=record,
            model=TrainingAttendee,
            fk="training",
            rows=roster,
            fields=ATTENDEE_FIELDS,
            label=_("参训人员"),
            errors_field="attendees",
        )
        count = record.attendees.count()
        if count and record.attendee_count != count:
            Training.objects.filter(pk=record.pk).update(attendee_count=count)
            record.attendee_count = count
        return ["attendees"] if changed else []

    return save


@transaction.atomic
def training_record(
    *, actor: User, data: dict[str, Any], roster: list[dict] | None = None
) -> Training:
    return create_record(
        actor=actor,
        model=Training,
        data=data,
        fields=TRAINING_FIELDS,
        m2m=("duty_items",),
        check=_training_check(actor, roster),
        effective_on="held_on",
        after_save=_roster(roster),
    )


@transaction.atomic
def training_update(
    *, actor: User, training: Training, data: dict[str, Any], roster: list[dict] | None = None
) -> Training:
    return update_record(
        actor=actor,
        record=training,
        data=data,
        fields=TRAINING_FIELDS,
        m2m=("duty_items",),
        check=_training_check(actor, roster),
        effective_on="held_on",
        after_save=_roster(roster),
    )
