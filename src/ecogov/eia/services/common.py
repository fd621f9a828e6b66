"""Checks shared by the EIA services: scope, approving level, dates, error collection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ecogov.core.field_errors import (  # noqa: F401  (the area's services take them from here)
    add,
    not_before,
    not_in_future,
    raise_if,
    required,
)
from ecogov.core.models import DivisionLevel
from ecogov.core.roles import Role, has_role
from ecogov.core.scoping import can_create_in, can_edit, scope_for

from ..models import ApprovalLevel, EiaProject

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def is_city_level(actor: User) -> bool:
    """Whether the actor works for the city bureau itself (not a county sub-bureau)."""
    scope = scope_for(actor)
    if scope.everything:
        return True
    profile = getattr(actor, "staff", None)
    division = getattr(profile, "division", None)
    return bool(division and division.level in (DivisionLevel.CITY, DivisionLevel.PROVINCE))


def ensure_can_create(actor: User, project: EiaProject) -> None:
    if not can_create_in(actor, project.division):
        raise PermissionDenied(
            _("无权在“%(division)s”登记建设项目:超出您的数据范围或您只有查看权限。")
            % {"division": project.division}
        )
    ensure_level(actor, project)


def ensure_can_edit(actor: User, project: EiaProject) -> None:
    if not can_edit(actor, project):
        raise PermissionDenied(_("无权办理该项目:超出您的数据范围或您只有查看权限。"))
    ensure_level(actor, project)


def ensure_level(actor: User, project: EiaProject) -> None:
    """By the bureau's delegation, a city-level approval is handled by the city bureau only; a
    provincial approval is recorded by the city bureau too."""
    if project.level == ApprovalLevel.CITY and not is_city_level(actor):
        raise PermissionDenied(_("该项目由市级审批,须由市局办理;分局可以查看,不能办理。"))
    if project.level == ApprovalLevel.PROVINCE and not is_city_level(actor):
        raise PermissionDenied(_("省级审批项目由市局登记;分局可以查看,不能办理。"))


def ensure_in_scope(actor: User, project: EiaProject) -> None:
    """Supervision after approval (acceptances, spot checks): whoever may edit records of the
    project's division, whatever level approved it."""
    if not can_edit(actor, project):
        raise PermissionDenied(_("无权办理该项目:超出您的数据范围或您只有查看权限。"))


def ensure_reviewer(actor: User) -> None:
    """Overriding a “一律不批” proposal, or changing the rules, is for a leader or the legal section."""
    if not (scope_for(actor).everything or has_role(actor, Role.LEADER, Role.LEGAL_REVIEWER)):
        raise PermissionDenied(
            _("只有局领导或法制审核人员可以否定不予批准建议或变更“一律不批”规则。")
        )


def merged(exc: ValidationError, errors: dict) -> dict:
    """Field errors of a full_clean merged with the service's own, so all are reported at once."""
    out = {k: list(v) for k, v in errors.items()}
    source = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, messages in source.items():
        out.setdefault(field, []).extend(messages)
    return out
