"""One permit or registration step by name (shared by the admin's 办理 page and the API)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import Permit, Registration

PERMIT_STEPS = [
    ("renewal_apply", gettext_lazy("登记延续申请")),
    ("renew", gettext_lazy("准予延续")),
    ("rectification_close", gettext_lazy("整改完成")),
    ("report", gettext_lazy("登记执行报告")),
    ("revoke", gettext_lazy("撤销")),
    ("cancel", gettext_lazy("注销")),
]


def run_permit_step(actor, permit: Permit, data: dict):
    step, day, reason = data["step"], data.get("day"), data.get("reason", "")
    if step == "renewal_apply":
        return services.permit_renewal_apply(actor=actor, permit=permit, applied_on=day)
    if step == "renew":
        return services.permit_renew(actor=actor, permit=permit, renewed_on=day)
    if step == "rectification_close":
        return services.permit_rectification_close(
            actor=actor, permit=permit, closed_on=day, note=reason
        )
    if step == "report":
        if not data.get("year") or not data.get("period"):
            raise ValidationError({"period": _("请填写报告年度和报告期。")})
        return services.execution_report_submit(
            actor=actor,
            permit=permit,
            year=data["year"],
            period=data["period"],
            submitted_on=day,
            note=reason,
        )
    if step == "revoke":
        return services.permit_revoke(actor=actor, permit=permit, revoked_on=day, reason=reason)
    if step == "cancel":
        return services.permit_cancel(actor=actor, permit=permit, cancelled_on=day, reason=reason)
    raise ValidationError({"step": _("未知的办理事项。")})


def run_registration_step(actor, registration: Registration, data: dict):
    if data["step"] == "cancel":
        return services.registration_cancel(
            actor=actor,
            registration=registration,
            cancelled_on=data.get("day"),
            reason=data.get("reason", ""),
        )
    raise ValidationError({"step": _("未知的办理事项。")})
