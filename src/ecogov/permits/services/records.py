"""Recording ledger rows as they stand (the Excel import's writers): permits and registrations.

The same field rules as the workflow services, plus consistency of the state with the dates;
rows are recorded with an `imported` event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.scoping import can_create_in, can_edit

from .. import events
from ..models import (
    Permit,
    PermitState,
    Registration,
    RegistrationState,
    in_force_until,
    site_key,
)
from .common import add, ensure_issuer, full_clean_into, raise_if
from .permits import PERMIT_FIELDS, rectification_problems
from .registrations import REGISTRATION_FIELDS, duplicate_problem

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PERMIT_RECORD_FIELDS = PERMIT_FIELDS + [
    "valid_until",
    "rectification_closed_on",
    "renewal_applied_on",
    "renewal_count",
    "state",
    "ended_on",
    "end_reason",
    "reports_tracked_from",
]
REGISTRATION_RECORD_FIELDS = REGISTRATION_FIELDS + [
    "valid_until",
    "changed_on",
    "state",
    "cancelled_on",
]


def prepare_permit(data: dict[str, Any], permit: Permit | None = None) -> Permit:
    permit = permit or Permit()
    for field in PERMIT_RECORD_FIELDS:
        if field in data:
            setattr(permit, field, data[field])
    if permit.reports_tracked_from is None:
        # reports due before the permit entered EcoGov are checked on the national platform
        permit.reports_tracked_from = max(
            permit.issued_on or timezone.localdate(), timezone.localdate()
        )
    return permit


def check_permit(actor: User, permit: Permit, *, existing: bool) -> None:
    if existing and not can_edit(actor, permit):
        raise PermissionDenied(_("无权办理该许可证:超出您的数据范围或您只有查看权限。"))
    ensure_issuer(actor, permit.division)
    errors: dict = {}
    today, last = timezone.localdate(), in_force_until(permit.valid_until, permit.ended_on)
    if permit.state == PermitState.IN_FORCE:
        if permit.ended_on:
            add(errors, "ended_on", _("有效的许可证不能填写撤销或注销日期。"))
        elif last and last < today:
            add(errors, "state", _("有效期已于 %(d)s 届满,状态应为“已过期”。") % {"d": last})
        else:
            holder = (
                Permit.objects.filter(
                    entity=permit.entity, site_key=site_key(permit.site), state=PermitState.IN_FORCE
                )
                .exclude(pk=permit.pk)
                .first()
            )
            if holder is not None:
                add(
                    errors,
                    "site",
                    _("该单位在同一生产经营场所已持有有效的排污许可证(编号 %(n)s)。")
                    % {"n": holder.permit_number},
                )
    if permit.state == PermitState.EXPIRED and last and last >= today:
        add(errors, "state", _("许可证仍在有效期内(至 %(d)s),状态不能是“已过期”。") % {"d": last})
    rectification_problems(permit, errors)
    raise_if(full_clean_into(permit, errors, validate_constraints=False))


@transaction.atomic
def permit_record(
    *, actor: User, data: dict[str, Any], source: str = "", permit: Permit | None = None
) -> Permit:
    existing = permit is not None
    if permit is not None:
        permit = Permit.objects.select_for_update().get(pk=permit.pk)
    permit = prepare_permit(data, permit)
    check_permit(actor, permit, existing=existing)
    permit.save()
    events.permit_imported_event(permit=permit, actor=actor, source=source, created=not existing)
    return permit


def prepare_registration(
    data: dict[str, Any], registration: Registration | None = None
) -> Registration:
    registration = registration or Registration()
    for field in REGISTRATION_RECORD_FIELDS:
        if field in data:
            setattr(registration, field, data[field])
    return registration


def check_registration(actor: User, registration: Registration, *, existing: bool) -> None:
    allowed = (can_edit(actor, registration) if existing else True) and can_create_in(
        actor, registration.division
    )
    if not allowed:
        raise PermissionDenied(
            _("无权在“%(division)s”办理排污登记:超出您的数据范围或您只有查看权限。")
            % {"division": registration.division}
        )
    errors: dict = {}
    if registration.state == RegistrationState.CANCELLED and not registration.cancelled_on:
        add(errors, "cancelled_on", _("已注销的登记须填写注销日期。"))
    if registration.state == RegistrationState.FILED:
        if registration.cancelled_on:
            add(errors, "cancelled_on", _("有效的登记不能填写注销日期。"))
        duplicate_problem(registration, errors)
    if (
        registration.valid_until
        and registration.filed_on
        and registration.valid_until < registration.filed_on
    ):
        add(
            errors,
            "valid_until",
            _("有效期至(%(v)s)早于登记日期(%(f)s)。")
            % {"v": registration.valid_until, "f": registration.filed_on},
        )
    raise_if(full_clean_into(registration, errors, validate_constraints=False))


@transaction.atomic
def registration_record(
    *, actor: User, data: dict[str, Any], source: str = "", registration: Registration | None = None
) -> Registration:
    existing = registration is not None
    if registration is not None:
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration = prepare_registration(data, registration)
    check_registration(actor, registration, existing=existing)
    registration.save()
    events.registration_imported_event(
        registration=registration, actor=actor, source=source, created=not existing
    )
    return registration
