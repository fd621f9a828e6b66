"""Regional approval suspension (区域限批, 限批办法 arts. 7, 11, 13, 16; docs/eia.md “区域限批”).

Decided by the ministry or the province and recorded by the city bureau: 3 to 12 months, extended
once by at most 6 months, lifted early, a site check within a month of expiry. While a suspension
of a division (or of a division above it) is in force, `project_decide` refuses any approval of a
project there, with the suspension's reason.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.dates import add_months
from ecogov.core.models import Division
from ecogov.core.scoping import can_create_in, can_edit

from .. import events
from ..models import RegionalSuspension
from ..policy import policy
from .common import add, is_city_level, merged, not_before, not_in_future, raise_if, required

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ONE_DAY = dt.timedelta(days=1)
SUSPENSION_FIELDS = ["division", "authority", "document_number", "reason", "starts_on", "ends_on"]


def suspensions_covering(division: Division, day: dt.date) -> list[RegionalSuspension]:
    """The suspensions in force on `day` for `division` or any division above it."""
    codes = [c for c in (division.path or "").split("/") if c]
    candidates = RegionalSuspension.objects.filter(
        division__code__in=codes, starts_on__lte=day
    ).select_related("division")
    return [s for s in candidates if s.in_force_on(day)]


def suspension_refusal(division: Division, day: dt.date) -> str | None:
    """The reason an approval in `division` on `day` is refused, or None."""
    found = suspensions_covering(division, day)
    if not found:
        return None
    s = found[0]
    return _(
        "%(division)s处于区域限批期(%(authority)s %(number)s,%(start)s至%(end)s),"
        "限批原因:%(reason)s。限批期间不得批准该区域的建设项目环评,可暂缓审批。"
    ) % {
        "division": s.division.name,
        "authority": s.authority,
        "number": s.document_number,
        "start": s.starts_on,
        "end": s.last_day,
        "reason": s.reason,
    }


def _ensure_city(actor: User, division: Division | None) -> None:
    if division is not None and not can_create_in(actor, division):
        raise PermissionDenied(_("无权登记该区域的限批:超出您的数据范围或您只有查看权限。"))
    if not is_city_level(actor):
        raise PermissionDenied(_("区域限批由市局登记;分局可以查看,不能办理。"))


def _ensure_editable(actor: User, suspension: RegionalSuspension) -> RegionalSuspension:
    if not can_edit(actor, suspension):
        raise PermissionDenied(_("无权办理该限批:超出您的数据范围或您只有查看权限。"))
    _ensure_city(actor, None)
    return RegionalSuspension.objects.select_for_update().get(pk=suspension.pk)


@transaction.atomic
def suspension_record(*, actor: User, data: dict[str, Any]) -> RegionalSuspension:
    errors: dict = {}
    labels = {
        "division": _("限批区域"),
        "authority": _("决定机关"),
        "document_number": _("决定文号"),
        "reason": _("限批原因"),
        "starts_on": _("限批开始日期"),
        "ends_on": _("限批期满日期"),
    }
    for field, label in labels.items():
        required(errors, field, label, data.get(field))
    raise_if(errors)
    _ensure_city(actor, data["division"])
    suspension = RegionalSuspension(**{k: data[k] for k in SUSPENSION_FIELDS if k in data})
    start, end = suspension.starts_on, suspension.ends_on
    shortest, longest = policy("suspension_months")
    low, high = add_months(start, shortest) - ONE_DAY, add_months(start, longest) - ONE_DAY
    if not low <= end <= high:
        add(
            errors,
            "ends_on",
            _("限批期限应为%(a)d至%(b)d个月:期满日期应在%(low)s至%(high)s之间。")
            % {"a": shortest, "b": longest, "low": low, "high": high},
        )
    overlapping = [
        s
        for s in RegionalSuspension.objects.filter(division=suspension.division)
        if s.starts_on <= end and start <= s.last_day
    ]
    if overlapping:
        add(
            errors,
            "starts_on",
            _("该区域已有期间重叠的限批(%(number)s),请延长或先解除原限批。")
            % {"number": overlapping[0].document_number},
        )
    try:
        suspension.full_clean()
    except ValidationError as exc:
        errors = merged(exc, errors)
    raise_if(errors)
    suspension.save()
    events.suspension_event(suspension=suspension, actor=actor, type="recorded", effective_on=start)
    return suspension


@transaction.atomic
def suspension_extend(
    *, actor: User, suspension: RegionalSuspension, until: dt.date, number: str
) -> RegionalSuspension:
    suspension = _ensure_editable(actor, suspension)
    errors: dict = {}
    required(errors, "extended_until", _("延长至"), until)
    required(errors, "extension_number", _("延长决定文号"), number)
    if suspension.extended_until is not None:
        add(errors, "extended_until", _("限批只能延长一次。"))
    if suspension.lifted_on is not None:
        add(errors, "extended_until", _("限批已解除,不能延长。"))
    if until is not None:
        # the extension runs from the day after the expiry, like the first period
        limit = (
            add_months(suspension.ends_on + ONE_DAY, policy("suspension_extension_months"))
            - ONE_DAY
        )
        if not suspension.ends_on < until <= limit:
            add(
                errors,
                "extended_until",
                _("延长期不超过%(m)d个月:延长至的日期应晚于%(end)s、不晚于%(limit)s。")
                % {
                    "m": policy("suspension_extension_months"),
                    "end": suspension.ends_on,
                    "limit": limit,
                },
            )
    raise_if(errors)
    suspension.extended_until, suspension.extension_number = until, number
    suspension.save()
    events.suspension_event(suspension=suspension, actor=actor, type="extended", effective_on=until)
    return suspension


@transaction.atomic
def suspension_lift(
    *, actor: User, suspension: RegionalSuspension, lifted_on: dt.date, number: str
) -> RegionalSuspension:
    """Lifted before its end (解除限批): approvals are possible again from `lifted_on`."""
    suspension = _ensure_editable(actor, suspension)
    errors: dict = {}
    required(errors, "lifted_on", _("解除日期"), lifted_on)
    required(errors, "lift_number", _("解除决定文号"), number)
    if suspension.lifted_on is not None:
        add(errors, "lifted_on", _("限批已于%(day)s解除。") % {"day": suspension.lifted_on})
    not_before(
        errors, "lifted_on", _("解除日期"), lifted_on, _("限批开始日期"), suspension.starts_on
    )
    if lifted_on is not None and lifted_on > suspension.last_day:
        add(
            errors,
            "lifted_on",
            _("限批已于%(day)s期满,无需解除。") % {"day": suspension.last_day},
        )
    not_in_future(errors, "lifted_on", _("解除日期"), lifted_on)
    raise_if(errors)
    suspension.lifted_on, suspension.lift_number = lifted_on, number
    suspension.save()
    events.suspension_event(
        suspension=suspension, actor=actor, type="lifted", effective_on=lifted_on
    )
    return suspension


@transaction.atomic
def suspension_site_check(
    *, actor: User, suspension: RegionalSuspension, checked_on: dt.date, note: str
) -> RegionalSuspension:
    """The site check of the suspended region (within a month of expiry; 限批办法 art. 13)."""
    suspension = _ensure_editable(actor, suspension)
    errors: dict = {}
    required(errors, "site_checked_on", _("现场核查日期"), checked_on)
    required(errors, "site_check_note", _("核查情况"), note)
    not_before(
        errors,
        "site_checked_on",
        _("现场核查日期"),
        checked_on,
        _("限批开始日期"),
        suspension.starts_on,
    )
    not_in_future(errors, "site_checked_on", _("现场核查日期"), checked_on)
    raise_if(errors)
    suspension.site_checked_on, suspension.site_check_note = checked_on, note
    suspension.save()
    events.suspension_event(
        suspension=suspension,
        actor=actor,
        type="site_checked",
        effective_on=checked_on,
        reason=note,
    )
    return suspension
