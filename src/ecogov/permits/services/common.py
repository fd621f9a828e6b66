"""Checks shared by the permits services: who may issue, dates, error collection."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ecogov.core.dates import add_years
from ecogov.core.field_errors import (  # noqa: F401  (the area's services take them from here)
    add,
    full_clean_into,
    not_before,
    not_in_future,
    raise_if,
    required,
)
from ecogov.core.models import Division, DivisionLevel
from ecogov.core.scoping import can_create_in, can_edit, scope_for

from ..policy import policy

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from ecogov.permits.models import Permit

ONE_DAY = dt.timedelta(days=1)


def is_city_level(actor: User) -> bool:
    scope = scope_for(actor)
    if scope.everything:
        return True
    division = getattr(getattr(actor, "staff", None), "division", None)
    return bool(division and division.level in (DivisionLevel.CITY, DivisionLevel.PROVINCE))


def ensure_issuer(actor: User, division: Division) -> None:
    """Permits are issued by the bureau of a districted city or above (条例 art. 3) [S]."""
    if not can_create_in(actor, division):
        raise PermissionDenied(
            _("无权在“%(division)s”办理:超出您的数据范围或您只有查看权限。")
            % {"division": division}
        )
    if not is_city_level(actor):
        raise PermissionDenied(
            _(
                "排污许可证由设区的市级生态环境主管部门核发(《排污许可管理条例》第三条),分局可以查看,不能办理。"
            )
        )


def ensure_permit_editable(actor: User, permit: Permit) -> None:
    if not can_edit(actor, permit):
        raise PermissionDenied(_("无权办理该许可证:超出您的数据范围或您只有查看权限。"))
    ensure_issuer(actor, permit.division)


def permit_validity_end(issued_on: dt.date) -> dt.date:
    return add_years(issued_on, policy("validity_years")) - ONE_DAY


def registration_validity_end(filed_on: dt.date) -> dt.date:
    return add_years(filed_on, policy("registration_validity_years")) - ONE_DAY
