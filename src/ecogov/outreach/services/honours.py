"""Honours and demonstration creations."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.models import Organisation, OrganisationKind

from .. import events
from ..models import Creation, CreationState, Honour, RecipientKind
from .common import add, create_record, update_record

if TYPE_CHECKING:
    from django.contrib.auth.models import User

HONOUR_FIELDS = [
    "division",
    "title",
    "level",
    "awarding_body",
    "awarded_on",
    "recipient_kind",
    "organisation",
    "staff",
    "document",
]
CREATION_FIELDS = [
    "division",
    "kind",
    "name",
    "level",
    "batch",
    "awarding_body",
    "started_on",
    "awarded_on",
    "state",
    "note",
]


def _recipient(record: Honour, errors: dict, data: dict) -> None:
    if record.recipient_kind == RecipientKind.STAFF:
        if record.staff_id is None:
            add(errors, "staff", _("个人荣誉请选择获得荣誉的工作人员。"))
        record.organisation = record.staff.organisation if record.staff is not None else None
    else:
        record.staff = None
        if record.recipient_kind == RecipientKind.BUREAU and record.organisation_id is None:
            record.organisation = (
                Organisation.objects.filter(kind=OrganisationKind.BUREAU).order_by("pk").first()
            )
        if record.organisation_id is None:
            add(errors, "organisation", _("集体荣誉请选择获得荣誉的单位。"))


@transaction.atomic
def honour_record(*, actor: User, data: dict[str, Any]) -> Honour:
    return create_record(
        actor=actor,
        model=Honour,
        data=data,
        fields=HONOUR_FIELDS,
        check=_recipient,
        effective_on="awarded_on",
    )


@transaction.atomic
def honour_update(*, actor: User, honour: Honour, data: dict[str, Any]) -> Honour:
    return update_record(
        actor=actor,
        record=honour,
        data=data,
        fields=HONOUR_FIELDS,
        check=_recipient,
        effective_on="awarded_on",
    )


def _creation(record: Creation, errors: dict, data: dict) -> None:
    if record.state in (CreationState.AWARDED, CreationState.WITHDRAWN) and not record.awarded_on:
        add(errors, "awarded_on", _("已命名的请填写命名日期。"))
    if record.state == CreationState.RUNNING and record.awarded_on:
        add(errors, "state", _("填写了命名日期的,状态应为“已命名”。"))
    if record.started_on and record.awarded_on and record.awarded_on < record.started_on:
        add(errors, "awarded_on", _("命名日期不能早于启动创建日期。"))


def _awarded(actor: User, from_state: str) -> Callable[[Any], list[str]]:
    def after(record: Any) -> list[str]:
        if record.state == CreationState.AWARDED and from_state != CreationState.AWARDED:
            events.creation_awarded_event(creation=record, actor=actor, from_state=from_state)
        return []

    return after


@transaction.atomic
def creation_record(*, actor: User, data: dict[str, Any]) -> Creation:
    return create_record(
        actor=actor,
        model=Creation,
        data=data,
        fields=CREATION_FIELDS,
        check=_creation,
        effective_on="awarded_on",
        after_save=_awarded(actor, ""),
    )


@transaction.atomic
def creation_update(*, actor: User, creation: Creation, data: dict[str, Any]) -> Creation:
    return update_record(
        actor=actor,
        record=creation,
        data=data,
        fields=CREATION_FIELDS,
        check=_creation,
        effective_on="awarded_on",
        after_save=_awarded(actor, creation.state),
    )
