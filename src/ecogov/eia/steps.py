"""The project's workflow steps by name (core.steps), shared by the admin's 办理 page (one form
for every step, `admin.projects.StepForm`) and the API's step endpoints."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ecogov.core.steps import Step, Steps

from . import services


def _notice(actor, project, data):
    return services.notice_publish(
        actor=actor,
        project=project,
        kind=data["notice_kind"],
        start_on=data.get("day"),
        end_on=data.get("end_day"),
        where=data.get("where", ""),
    )


def _pause_start(actor, project, data):
    return services.pause_start(
        actor=actor,
        project=project,
        kind=data["pause_kind"],
        started_on=data.get("day"),
        reason=data.get("reasons", ""),
        notice_number=data.get("number", ""),
    )


def _decide(actor, project, data):
    return services.project_decide(
        actor=actor,
        project=project,
        decision=data["decision"],
        decided_on=data.get("day"),
        decision_number=data.get("number", ""),
        reasons=data.get("reasons", ""),
    )


PROJECT_STEPS = Steps(
    Step(
        "accept",
        _("受理"),
        lambda a, p, d: services.project_accept(actor=a, project=p, accepted_on=d.get("day")),
    ),
    Step("notice", _("发布公示"), _notice),
    Step("pause_start", _("暂停审查期限"), _pause_start),
    Step(
        "pause_end",
        _("恢复审查期限"),
        lambda a, p, d: services.pause_end(actor=a, project=p, ended_on=d.get("day")),
    ),
    Step("screen", _("三线一单筛查"), lambda a, p, d: services.project_screen(actor=a, project=p)),
    Step("decide", _("作出审批决定"), _decide),
    Step(
        "return",
        _("退回申请"),
        lambda a, p, d: services.project_return(
            actor=a, project=p, returned_on=d.get("day"), reasons=d.get("reasons", "")
        ),
    ),
    Step(
        "revoke",
        _("撤销批复"),
        lambda a, p, d: services.project_revoke(
            actor=a, project=p, revoked_on=d.get("day"), reasons=d.get("reasons", "")
        ),
    ),
)
