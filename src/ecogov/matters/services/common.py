"""Checks shared by the matters services: who may act, and the units and shares of a matter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.models import Division, Organisation, OrganisationKind
from ecogov.core.roles import Role, roles_of
from ecogov.core.scoping import can_create_in, can_edit
from ecogov.matters.models import Matter, UnitRole

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ONE = Decimal("1")
ZERO = Decimal("0")


def require_edit(actor: User, matter: Matter) -> None:
    if not can_edit(actor, matter):
        raise PermissionDenied(
            _("无权办理该事项:它不在您的数据范围内,或您的单位只是会办、知悉单位。")
        )


def require_create_in(actor: User, division: Division | None) -> None:
    if division is None:
        raise ValidationError({"division": _("请填写行政区划。")})
    if not can_create_in(actor, division):
        raise PermissionDenied(
            _("无权在“%(division)s”登记交办事项:超出您的数据范围。") % {"division": division}
        )


def actor_organisation(actor: User) -> Organisation | None:
    profile = getattr(actor, "staff", None)
    return profile.organisation if profile is not None else None


def is_bureau_member(actor: User) -> bool:
    """The bureau itself, its sections, sub-bureaus and attached units (not other departments)."""
    if getattr(actor, "is_superuser", False):
        return True
    organisation = actor_organisation(actor)
    if organisation is None:
        return False
    if organisation.kind == OrganisationKind.BUREAU:
        return True
    parent = organisation.parent
    return parent is not None and parent.kind == OrganisationKind.BUREAU


def is_leader(actor: User) -> bool:
    return getattr(actor, "is_superuser", False) or Role.LEADER in roles_of(actor)


def check_act_date(on: dt.date | None, *, not_before: dt.date, field: str = "on") -> dt.date:
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError({field: _("办理日期 %(on)s 晚于今天,不能预先登记。") % {"on": on}})
    if on < not_before:
        raise ValidationError(
            {field: _("办理日期 %(on)s 早于交办日期 %(start)s。") % {"on": on, "start": not_before}}
        )
    return on


@dataclass(frozen=True)
class UnitPlan:
    organisation: Organisation
    role: str
    share: Decimal


def plan_units(
    lead: Organisation | None,
    co_units: Iterable[Organisation] = (),
    shares: Mapping[Any, Any] | None = None,
) -> list[UnitPlan]:
    """Lead and co-handling units with their shares; by default the lead takes the whole credit.

    `shares` maps an organisation (or its pk) to a fraction; when given, the shares of all
    units must add up to 1 (a jointly closed matter: 0.5 + 0.5).
    """
    if lead is None:
        raise ValidationError({"lead": _("请填写主办单位。")})
    co_units = list(co_units or [])
    if any(o.pk == lead.pk for o in co_units):
        raise ValidationError(
            {"co_units": _("会办单位“%(name)s”同时是主办单位。") % {"name": lead}}
        )
    names = [o.name for o in co_units]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValidationError({"co_units": _("会办单位重复:%s") % "、".join(duplicated)})
    if not shares:
        return [
            UnitPlan(lead, UnitRole.LEAD, ONE),
            *(UnitPlan(o, UnitRole.CO, ZERO) for o in co_units),
        ]
    by_pk = {}
    for key, value in shares.items():
        try:
            share = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValidationError({"shares": _("计分份额“%s”不是数字。") % value}) from exc
        if share < 0 or share > 1:
            raise ValidationError({"shares": _("计分份额 %s 应在0到1之间。") % share})
        by_pk[getattr(key, "pk", key)] = share
    units = [lead, *co_units]
    unknown = set(by_pk) - {o.pk for o in units}
    if unknown:
        raise ValidationError({"shares": _("计分份额给了不是本事项责任单位的机构。")})
    plans = [
        UnitPlan(o, UnitRole.LEAD if i == 0 else UnitRole.CO, by_pk.get(o.pk, ZERO))
        for i, o in enumerate(units)
    ]
    total = sum((p.share for p in plans), ZERO)
    if total != ONE:
        raise ValidationError(
            {"shares": _("各责任单位的计分份额合计应为1,现为 %s。") % total.normalize()}
        )
    return plans


def sync_units(matter: Matter) -> None:
    """Copy the matter's pending flag and due date onto its units (their overdue index)."""
    from ecogov.matters.models import MatterUnit

    MatterUnit.objects.filter(matter=matter).update(
        pending=matter.is_pending, matter_due_on=matter.due_on
    )


def credit_holder(units: Iterable[Any]) -> Organisation | None:
    """The organisation holding the whole credit, or None when it is shared."""
    return next((u.organisation for u in units if Decimal(u.share) == ONE), None)


def unit_snapshot(units: Iterable[Any]) -> list[dict]:
    return [
        {
            "organisation": u.organisation.name,
            "role": str(u.role),
            "share": str(Decimal(u.share).normalize()),
        }
        for u in units
    ]
