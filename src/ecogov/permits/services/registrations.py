"""Discharge registrations: file, change (within 20 days of a change, 条例 art. 24), cancel."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.scoping import can_create_in, can_edit

from .. import events
from ..models import Registration, RegistrationState, site_key
from .common import (
    add,
    full_clean_into,
    not_before,
    not_in_future,
    raise_if,
    registration_validity_end,
    required,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

REGISTRATION_FIELDS = [
    "registration_number",
    "unit_name",
    "credit_code",
    "entity",
    "division",
    "address",
    "industry_code",
    "filed_on",
]
CHANGE_FIELDS = ["unit_name", "address", "industry_code"]


def new_registration_number(credit_code: str) -> str:
    taken = Registration.objects.filter(registration_number__startswith=credit_code).count()
    return f"{credit_code}{taken + 1:03d}W"


def duplicate_problem(registration: Registration, errors: dict) -> None:
    holder = (
        Registration.objects.filter(
            credit_code=(registration.credit_code or "").strip().upper(),
            site_key=site_key(registration.address),
            state=RegistrationState.FILED,
        )
        .exclude(pk=registration.pk)
        .first()
    )
    if holder is not None:
        add(
            errors,
            "address",
            _("该单位在“%(site)s”已有有效的排污登记(编号 %(n)s),应办理变更,不能重复登记。")
            % {"site": holder.address, "n": holder.registration_number},
        )


@transaction.atomic
def registration_file(*, actor: User, data: dict[str, Any]) -> Registration:
    registration = Registration(**{k: v for k, v in data.items() if k in REGISTRATION_FIELDS})
    entity = registration.entity if registration.entity_id else None
    if entity is not None:  # a unit in the directory: its name and code by default
        registration.unit_name = registration.unit_name or entity.name
        registration.credit_code = registration.credit_code or entity.credit_code
        if registration.division_id is None:
            registration.division = entity.division
    errors: dict = {}
    for field, label in (
        ("unit_name", _("单位名称")),
        ("credit_code", _("统一社会信用代码")),
        ("division", _("所在区划")),
        ("address", _("生产经营场所地址")),
        ("filed_on", _("登记日期")),
    ):
        required(
            errors,
            field,
            label,
            getattr(registration, field if field != "division" else "division_id"),
        )
    raise_if(errors)
    if not can_create_in(actor, registration.division):
        raise PermissionDenied(
            _("无权在“%(division)s”办理排污登记:超出您的数据范围或您只有查看权限。")
            % {"division": registration.division}
        )
    registration.credit_code = registration.credit_code.strip().upper()
    registration.valid_until = registration_validity_end(registration.filed_on)
    registration.registration_number = registration.registration_number or new_registration_number(
        registration.credit_code
    )
    not_in_future(errors, "filed_on", _("登记日期"), registration.filed_on)
    duplicate_problem(registration, errors)
    raise_if(full_clean_into(registration, errors, validate_constraints=False))
    registration.save()
    events.registration_filed_event(registration=registration, actor=actor)
    return registration


def _editable(actor: User, registration: Registration) -> Registration:
    if not can_edit(actor, registration):
        raise PermissionDenied(_("无权办理该排污登记:超出您的数据范围或您只有查看权限。"))
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.state != RegistrationState.FILED:
        raise ValidationError({"state": _("该排污登记已注销。")})
    return registration


@transaction.atomic
def registration_change(
    *, actor: User, registration: Registration, data: dict[str, Any], changed_on: dt.date
) -> Registration:
    registration = _editable(actor, registration)
    errors: dict = {}
    for name in sorted(set(data) - set(CHANGE_FIELDS)):
        add(errors, name, _("该项不能变更。"))
    required(errors, "changed_on", _("变更日期"), changed_on)
    not_before(
        errors, "changed_on", _("变更日期"), changed_on, _("登记日期"), registration.filed_on
    )
    not_in_future(errors, "changed_on", _("变更日期"), changed_on)
    changed = [k for k, v in data.items() if k in CHANGE_FIELDS and getattr(registration, k) != v]
    for name in changed:
        setattr(registration, name, data[name])
    if "address" in changed:
        duplicate_problem(registration, errors)
    registration.changed_on = changed_on
    raise_if(full_clean_into(registration, errors, validate_constraints=False))
    if changed:
        registration.save()
        events.registration_changed_event(registration=registration, actor=actor, changed=changed)
    return registration


def cancel(
    registration: Registration, actor: User, cancelled_on: dt.date, reason: str
) -> Registration:
    registration.state, registration.cancelled_on = RegistrationState.CANCELLED, cancelled_on
    registration.save()
    events.registration_cancelled_event(registration=registration, actor=actor, reason=reason)
    return registration


@transaction.atomic
def registration_cancel(
    *, actor: User, registration: Registration, cancelled_on: dt.date, reason: str
) -> Registration:
    registration = _editable(actor, registration)
    errors: dict = {}
    required(errors, "cancelled_on", _("注销日期"), cancelled_on)
    required(errors, "reason", _("注销理由"), reason)
    not_before(
        errors, "cancelled_on", _("注销日期"), cancelled_on, _("登记日期"), registration.filed_on
    )
    not_in_future(errors, "cancelled_on", _("注销日期"), cancelled_on)
    raise_if(errors)
    return cancel(registration, actor, cancelled_on, reason)
