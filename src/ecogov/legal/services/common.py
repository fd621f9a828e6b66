"""What every legal service does: lock the row, check who acts and when, write, record.
Messages are in Chinese and name the field that is wrong."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.models import Division
from ecogov.core.roles import Role, has_role
from ecogov.core.scoping import can_create_in, can_edit, scope_for
from ecogov.core.services import required_text  # noqa: F401  (the area's services import it here)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise

_M = TypeVar("_M", bound=Model)


def today() -> dt.date:
    return timezone.localdate()


def person(user: User | None) -> str:
    if user is None:
        return ""
    return getattr(getattr(user, "staff", None), "full_name", "") or user.get_username()


def lock(model: type[_M], pk: Any) -> _M:
    """The row, locked until the transaction ends (concurrent steps wait), with its division
    (the scope check reads it)."""
    queryset = model._default_manager.select_for_update(of=("self",))
    if any(f.name == "division" for f in model._meta.fields):
        queryset = queryset.select_related("division")
    return queryset.get(pk=pk)


def ensure_can_create(actor: User, division: Division | None) -> None:
    if division is None:
        raise ValidationError({"division": _("请填写行政区划。")})
    if not can_create_in(actor, division):
        raise PermissionDenied(
            _("无权在“%(division)s”登记:超出您的数据范围或您只有查看权限。")
            % {"division": division.name}
        )


def ensure_editor(actor: User, record: Any) -> None:
    """The actor handles the record: his territory (and a writer role), or assigned to him."""
    scope = scope_for(actor)
    division = getattr(record, "division", None)
    fast = not scope.read_only and division is not None and scope.covers_division(division)
    if not fast and not can_edit(actor, record):
        raise PermissionDenied(
            _("无权办理“%(record)s”:超出您的数据范围或您只有查看权限。") % {"record": record}
        )


def ensure_role(actor: User, role: str, act: str) -> None:
    if not has_role(actor, role):
        raise PermissionDenied(
            _("%(act)s须由%(role)s办理,%(who)s不具有该角色。")
            % {"act": act, "role": Role(role).label, "who": person(actor)}
        )


def check_date(
    on: dt.date | None,
    *,
    field: str,
    label: StrOrPromise,
    after: dt.date | None = None,
    after_label: StrOrPromise = "",
) -> dt.date:
    """An act's date: not in the future, not before the previous step (if given)."""
    on = on or today()
    if on > today():
        raise ValidationError(
            {
                field: _("%(label)s日期%(on)s晚于今天,不能预先登记。")
                % {"label": label, "on": on.isoformat()}
            }
        )
    if after is not None and on < after:
        raise ValidationError(
            {
                field: _("%(label)s日期%(on)s早于%(prev_label)s日期%(prev)s。")
                % {
                    "label": label,
                    "on": on.isoformat(),
                    "prev": after.isoformat(),
                    "prev_label": after_label or _("上一步骤"),
                }
            }
        )
    return on


def validated(instance: _M, *, exclude: list | None = None) -> _M:
    """full_clean with the model's Chinese messages (a ValidationError names the fields)."""
    instance.full_clean(exclude=exclude)
    return instance
