"""Permit and registration steps by name (core.steps), shared by the admin's 办理 page (one
form for every step) and the API's step endpoints."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecogov.core.steps import Step, Steps

from . import services


def _report(actor, permit, data):
    if not data.get("year") or not data.get("period"):
        raise ValidationError({"period": _("请填写报告年度和报告期。")})
    return services.execution_report_submit(
        actor=actor,
        permit=permit,
        year=data["year"],
        period=data["period"],
        submitted_on=data.get("day"),
        note=data.get("reason", ""),
    )


PERMIT_STEPS = Steps(
    Step(
        "renewal_apply",
        gettext_lazy("登记延续申请"),
        lambda a, p, d: services.permit_renewal_apply(actor=a, permit=p, applied_on=d.get("day")),
    ),
    Step(
        "renew",
        gettext_lazy("准予延续"),
        lambda a, p, d: services.permit_renew(actor=a, permit=p, renewed_on=d.get("day")),
    ),
    Step(
        "rectification_close",
        gettext_lazy("整改完成"),
        lambda a, p, d: services.permit_rectification_close(
            actor=a, permit=p, closed_on=d.get("day"), note=d.get("reason", "")
        ),
    ),
    Step("report", gettext_lazy("登记执行报告"), _report),
    Step(
        "revoke",
        gettext_lazy("撤销"),
        lambda a, p, d: services.permit_revoke(
            actor=a, permit=p, revoked_on=d.get("day"), reason=d.get("reason", "")
        ),
    ),
    Step(
        "cancel",
        gettext_lazy("注销"),
        lambda a, p, d: services.permit_cancel(
            actor=a, permit=p, cancelled_on=d.get("day"), reason=d.get("reason", "")
        ),
    ),
)

REGISTRATION_STEPS = Steps(
    Step(
        "cancel",
        gettext_lazy("注销"),
        lambda a, r, d: services.registration_cancel(
            actor=a, registration=r, cancelled_on=d.get("day"), reason=d.get("reason", "")
        ),
    ),
)
