"""Every state change of a discharge permit: issue, change, renewal, rectification, end, reports.

`<entity>_<action>(*, actor, …)`, atomic, raising ValidationError (every problem at once, each
naming its field; nothing written) or PermissionDenied.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.dates import add_months
from ecogov.core.scoping import can_edit

from .. import events
from ..models import (
    ExecutionReport,
    Permit,
    PermitState,
    Registration,
    RegistrationState,
    ReportPeriod,
    site_key,
)
from ..policy import policy
from ..schedule import nominal_due, period_bounds, renewal_application_due
from .common import (
    ONE_DAY,
    add,
    ensure_issuer,
    ensure_permit_editable,
    full_clean_into,
    not_before,
    not_in_future,
    permit_validity_end,
    raise_if,
    required,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from ecogov.core.models import RegulatedEntity

PERMIT_FIELDS = [
    "permit_number",
    "entity",
    "division",
    "site",
    "management_class",
    "industry_code",
    "issued_on",
    "pollutants",
    "conditions",
    "with_rectification",
    "rectification_items",
    "rectification_deadline",
]
# A change of name, address or representative lives on the entity; a new site, outlet or more
# pollutants needs a new application (条例 art. 15), so a change touches only these.
CHANGE_FIELDS = ["management_class", "industry_code", "pollutants", "conditions"]


def new_permit_number(entity: RegulatedEntity) -> str:
    """统一社会信用代码 + 3-digit sequence + P (the national platform's pattern [M])."""
    taken = Permit.objects.filter(permit_number__startswith=entity.credit_code).count()
    return f"{entity.credit_code}{taken + 1:03d}P"


def rectification_problems(permit: Permit, errors: dict) -> None:
    if permit.with_rectification and permit.rectification_deadline and permit.issued_on:
        latest = add_months(permit.issued_on, policy("rectification_max_months"))
        if permit.rectification_deadline > latest:
            add(
                errors,
                "rectification_deadline",
                _("整改期限(%(d)s)超过发证后 %(m)d 个月(%(l)s)。")
                % {
                    "d": permit.rectification_deadline,
                    "m": policy("rectification_max_months"),
                    "l": latest,
                },
            )


def _same_site_holder(permit: Permit, errors: dict, actor: User) -> None:
    """One permit in force per entity and site: an expired one is closed first, a live one refuses."""
    holder = (
        Permit.objects.select_for_update()
        .filter(entity=permit.entity, site_key=site_key(permit.site), state=PermitState.IN_FORCE)
        .exclude(pk=permit.pk)
        .first()
    )
    if holder is None:
        return
    if permit.issued_on and holder.in_force_until < permit.issued_on:
        holder.state = PermitState.EXPIRED
        holder.save()
        events.permit_expired_event(permit=holder, actor=actor)
        return
    add(
        errors,
        "site",
        _(
            "%(entity)s在“%(site)s”已持有有效的排污许可证(编号 %(number)s,有效期至 "
            "%(until)s):应办理变更、延续或注销,不能重复核发。"
        )
        % {
            "entity": permit.entity.name,
            "site": holder.site,
            "number": holder.permit_number,
            "until": holder.valid_until,
        },
    )


@transaction.atomic
def permit_issue(*, actor: User, data: dict[str, Any]) -> Permit:
    errors: dict = {}
    for field, label in (
        ("entity", _("排污单位")),
        ("site", _("生产经营场所地址")),
        ("management_class", _("管理类别")),
        ("issued_on", _("发证日期")),
    ):
        required(errors, field, label, data.get(field))
    raise_if(errors)
    permit = Permit(**{k: v for k, v in data.items() if k in PERMIT_FIELDS})
    if permit.division_id is None:
        permit.division = permit.entity.division
    ensure_issuer(actor, permit.division)
    permit.valid_until = permit_validity_end(permit.issued_on)
    permit.reports_tracked_from = permit.issued_on
    permit.state = PermitState.IN_FORCE
    permit.permit_number = permit.permit_number or new_permit_number(permit.entity)
    not_in_future(errors, "issued_on", _("发证日期"), permit.issued_on)
    rectification_problems(permit, errors)
    _same_site_holder(permit, errors, actor)
    errors = full_clean_into(permit, errors, validate_constraints=False)
    raise_if(errors)
    permit.save()
    events.permit_issued_event(permit=permit, actor=actor)
    _close_registrations(permit, actor)
    return permit


def _close_registrations(permit: Permit, actor: User) -> None:
    """A unit moved up to permit management no longer keeps its registration for that site."""
    from . import registrations

    for registration in Registration.objects.filter(
        credit_code=permit.entity.credit_code,
        site_key=site_key(permit.site),
        state=RegistrationState.FILED,
    ):
        registrations.cancel(
            registration,
            actor,
            permit.issued_on,
            _("已核发排污许可证 %(n)s,纳入许可管理") % {"n": permit.permit_number},
        )


def _locked(permit: Permit) -> Permit:
    return Permit.objects.select_for_update().select_related("entity", "division").get(pk=permit.pk)


def _ensure_in_force(permit: Permit, on: dt.date | None, action: str) -> None:
    if permit.state != PermitState.IN_FORCE or (on is not None and on > permit.in_force_until):
        raise ValidationError(
            {
                "state": _("许可证 %(n)s 已失效(%(state)s,有效期至 %(until)s),不能%(action)s。")
                % {
                    "n": permit.permit_number,
                    "state": permit.get_state_display(),
                    "until": permit.in_force_until,
                    "action": action,
                }
            }
        )


@transaction.atomic
def permit_change(
    *, actor: User, permit: Permit, data: dict[str, Any], changed_on: dt.date, reason: str = ""
) -> Permit:
    ensure_permit_editable(actor, permit)
    permit = _locked(permit)
    _ensure_in_force(permit, changed_on, _("变更"))
    unknown = set(data) - set(CHANGE_FIELDS)
    errors: dict = {}
    for name in sorted(unknown):
        add(
            errors,
            name,
            _("该项不能通过变更修改:新增场所、排放口或污染物须重新申请(条例第十五条)。"),
        )
    required(errors, "changed_on", _("变更日期"), changed_on)
    not_before(errors, "changed_on", _("变更日期"), changed_on, _("发证日期"), permit.issued_on)
    not_in_future(errors, "changed_on", _("变更日期"), changed_on)
    raise_if(errors)
    changed = [k for k, v in data.items() if getattr(permit, k) != v]
    for name in changed:
        setattr(permit, name, data[name])
    raise_if(full_clean_into(permit, {}, validate_constraints=False))
    if changed:
        permit.save()
        events.permit_changed_event(
            permit=permit, actor=actor, changed_on=changed_on, changed=changed, reason=reason
        )
    return permit


@transaction.atomic
def permit_renewal_apply(*, actor: User, permit: Permit, applied_on: dt.date) -> Permit:
    """The unit applies for renewal; after the lead date it is late (recorded, not refused)."""
    ensure_permit_editable(actor, permit)
    permit = _locked(permit)
    _ensure_in_force(permit, applied_on, _("申请延续(已到期的须重新申请)"))
    errors: dict = {}
    required(errors, "renewal_applied_on", _("延续申请日期"), applied_on)
    not_in_future(errors, "renewal_applied_on", _("延续申请日期"), applied_on)
    if permit.renewal_applied_on:
        add(
            errors,
            "renewal_applied_on",
            _("已于 %(d)s 申请延续,尚未办结。") % {"d": permit.renewal_applied_on},
        )
    permit.renewal_applied_on = applied_on
    raise_if(full_clean_into(permit, errors, validate_constraints=False))
    permit.save()
    events.permit_renewal_applied_event(
        permit=permit, actor=actor, late=applied_on > renewal_application_due(permit)
    )
    return permit


@transaction.atomic
def permit_renew(*, actor: User, permit: Permit, renewed_on: dt.date) -> Permit:
    """Renewal granted: the validity runs on for another period from the old expiry."""
    ensure_permit_editable(actor, permit)
    permit = _locked(permit)
    errors: dict = {}
    if not permit.renewal_applied_on:
        add(errors, "renewal_applied_on", _("尚未登记延续申请。"))
    required(errors, "renewed_on", _("延续决定日期"), renewed_on)
    not_before(
        errors,
        "renewed_on",
        _("延续决定日期"),
        renewed_on,
        _("延续申请日期"),
        permit.renewal_applied_on,
    )
    not_in_future(errors, "renewed_on", _("延续决定日期"), renewed_on)
    raise_if(errors)
    _ensure_in_force(permit, renewed_on, _("延续(已到期的须重新申请)"))
    previous = permit.valid_until
    permit.valid_until = permit_validity_end(previous + ONE_DAY)
    permit.renewal_applied_on, permit.renewal_count = None, permit.renewal_count + 1
    permit.save()
    events.permit_renewed_event(
        permit=permit, actor=actor, renewed_on=renewed_on, previous_until=previous
    )
    return permit


@transaction.atomic
def permit_rectification_close(
    *, actor: User, permit: Permit, closed_on: dt.date, note: str = ""
) -> Permit:
    ensure_permit_editable(actor, permit)
    permit = _locked(permit)
    errors: dict = {}
    if not permit.with_rectification:
        add(errors, "with_rectification", _("该许可证未附整改通知书。"))
    elif permit.rectification_closed_on:
        add(
            errors,
            "rectification_closed_on",
            _("整改已于 %(d)s 完成。") % {"d": permit.rectification_closed_on},
        )
    required(errors, "rectification_closed_on", _("整改完成日期"), closed_on)
    not_in_future(errors, "rectification_closed_on", _("整改完成日期"), closed_on)
    raise_if(errors)
    permit.rectification_closed_on = closed_on
    raise_if(full_clean_into(permit, {}, validate_constraints=False))
    # Permit.clean() just required a deadline on a permit with a rectification notice
    assert permit.rectification_deadline is not None
    permit.save()
    events.permit_rectified_event(
        permit=permit, actor=actor, note=note, late=closed_on > permit.rectification_deadline
    )
    return permit


def _end(actor: User, permit: Permit, state: str, ended_on: dt.date, reason: str) -> Permit:
    ensure_permit_editable(actor, permit)
    permit = _locked(permit)
    errors: dict = {}
    required(errors, "ended_on", _("日期"), ended_on)
    required(errors, "end_reason", _("理由"), reason)
    not_in_future(errors, "ended_on", _("日期"), ended_on)
    raise_if(errors)
    _ensure_in_force(permit, ended_on - ONE_DAY, _("撤销或注销"))
    before = permit.state
    permit.state, permit.ended_on, permit.end_reason = state, ended_on, reason
    raise_if(full_clean_into(permit, {}, validate_constraints=False))
    permit.save()
    events.permit_ended_event(permit=permit, actor=actor, from_state=before)
    return permit


@transaction.atomic
def permit_revoke(*, actor: User, permit: Permit, revoked_on: dt.date, reason: str) -> Permit:
    return _end(actor, permit, PermitState.REVOKED, revoked_on, reason)


@transaction.atomic
def permit_cancel(*, actor: User, permit: Permit, cancelled_on: dt.date, reason: str) -> Permit:
    return _end(actor, permit, PermitState.CANCELLED, cancelled_on, reason)


@transaction.atomic
def permits_mark_expired(*, actor: User | None = None, today: dt.date | None = None) -> int:
    """Close the permits whose validity has run out (a daily job: `ecogov permits_expire`)."""
    today = today or timezone.localdate()
    count = 0
    for permit in Permit.objects.select_for_update().filter(
        state=PermitState.IN_FORCE, in_force_until__lt=today
    ):
        permit.state = PermitState.EXPIRED
        permit.save()
        events.permit_expired_event(permit=permit, actor=actor)
        count += 1
    return count


@transaction.atomic
def execution_report_submit(
    *, actor: User, permit: Permit, year: int, period: str, submitted_on: dt.date, note: str = ""
) -> ExecutionReport:
    """Record a report the unit submitted (annual or quarterly, as its class requires)."""
    if not can_edit(actor, permit):  # sub-bureaus record reports of their county's permits
        raise PermissionDenied(_("无权办理该许可证:超出您的数据范围或您只有查看权限。"))
    permit = _locked(permit)
    errors: dict = {}
    wanted = policy("reports").get(permit.management_class, [])
    if period not in ReportPeriod.values:
        add(errors, "period", _("未知的报告期“%(p)s”。") % {"p": period})
    elif period not in wanted:
        add(
            errors,
            "period",
            _("%(cls)s的许可证不需要提交%(p)s执行报告。")
            % {"cls": permit.get_management_class_display(), "p": ReportPeriod(period).label},
        )
    else:
        start, end = period_bounds(year, period)
        if end < permit.issued_on or start > permit.in_force_until:
            add(errors, "year", _("许可证在该报告期内不在有效期内。"))
        not_before(errors, "submitted_on", _("提交日期"), submitted_on, _("报告期开始日"), start)
    required(errors, "submitted_on", _("提交日期"), submitted_on)
    not_in_future(errors, "submitted_on", _("提交日期"), submitted_on)
    if ExecutionReport.objects.filter(permit=permit, year=year, period=period).exists():
        add(errors, "period", _("该报告期的执行报告已登记。"))
    raise_if(errors)
    report = ExecutionReport.objects.create(
        permit=permit, year=year, period=period, submitted_on=submitted_on, note=note
    )
    events.report_submitted_event(
        permit=permit, actor=actor, report=report, late=submitted_on > nominal_due(year, period)
    )
    return report
