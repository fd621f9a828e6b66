"""One workflow step by name (the admin's 办理 page and the API's step endpoints share it)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import services
from .models import EiaProject


def run_step(actor, project: EiaProject, data: dict):
    step, day = data["step"], data.get("day")
    if step == "accept":
        return services.project_accept(actor=actor, project=project, accepted_on=day)
    if step == "notice":
        return services.notice_publish(
            actor=actor,
            project=project,
            kind=data["notice_kind"],
            start_on=day,
            end_on=data.get("end_day"),
            where=data.get("where", ""),
        )
    if step == "pause_start":
        return services.pause_start(
            actor=actor,
            project=project,
            kind=data["pause_kind"],
            started_on=day,
            reason=data.get("reasons", ""),
            notice_number=data.get("number", ""),
        )
    if step == "pause_end":
        return services.pause_end(actor=actor, project=project, ended_on=day)
    if step == "screen":
        return services.project_screen(actor=actor, project=project)
    if step == "decide":
        return services.project_decide(
            actor=actor,
            project=project,
            decision=data["decision"],
            decided_on=day,
            decision_number=data.get("number", ""),
            reasons=data.get("reasons", ""),
        )
    if step == "return":
        return services.project_return(
            actor=actor, project=project, returned_on=day, reasons=data.get("reasons", "")
        )
    if step == "revoke":
        return services.project_revoke(
            actor=actor, project=project, revoked_on=day, reasons=data.get("reasons", "")
        )
    raise ValidationError({"step": _("未知的办理事项。")})
