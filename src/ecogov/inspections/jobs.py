"""The inspections area's background jobs (docs/jobs.md): a draw (or a redraw) writes tens of
thousands of rows at city scale and its verification recomputes the whole draw, so both run
in the worker. The screens start them (`draw_start`, `redraw_start`, `verify_start`) and send
the person to the job's page, which links to the draw when it ends."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ecogov.core import jobs
from ecogov.core.models import Job, JobKind
from ecogov.inspections import services
from ecogov.inspections.models import Draw, Plan, Seed


def draw_start(*, actor, plan: Plan) -> Job:
    return jobs.job_start(
        actor=actor,
        kind=JobKind.DRAW,
        title=_("抽取:%s") % plan.name,
        target="inspections.plan",
        options={"plan": plan.pk, "result_label": _("查看抽取结果")},
        result_url="",
    )


def redraw_start(*, actor, draw: Draw, reason: str, seed: Seed | None) -> Job:
    return jobs.job_start(
        actor=actor,
        kind=JobKind.DRAW,
        title=_("重新抽取:%s") % draw,
        target="inspections.draw",
        options={
            "plan": draw.plan_id,
            "redo": draw.pk,
            "reason": reason,
            "seed": seed.pk if seed else None,
            "result_label": _("查看抽取结果"),
        },
    )


def verify_start(*, actor, draw: Draw) -> Job:
    return jobs.job_start(
        actor=actor,
        kind=JobKind.DRAW_VERIFY,
        title=_("复核:%s") % draw,
        target="inspections.draw",
        options={"draw": draw.pk, "result_label": _("返回抽取记录")},
        result_url=reverse("admin:inspections_draw_change", args=[draw.pk]),
    )


@jobs.runner(JobKind.DRAW)
def run_draw(job: Job) -> None:
    options = job.options
    with transaction.atomic():  # the draw's rows and the job's outcome, or neither
        if options.get("redo"):
            made = services.draw_redo(
                actor=job.user,
                draw=Draw.objects.get(pk=options["redo"]),
                reason=options.get("reason", ""),
                seed=Seed.objects.get(pk=options["seed"]) if options.get("seed") else None,
            )
        else:
            made = services.draw_make(actor=job.user, plan=Plan.objects.get(pk=options["plan"]))
        drawn = sum(t["drawn"] for t in made.tallies)
        jobs.record_success(
            {"draw": made.pk, "drawn": drawn},
            summary=_("“%(plan)s”已抽取(第%(n)d次):抽中 %(drawn)d 家。")
            % {"plan": made.plan.name, "n": made.number, "drawn": drawn},
            result_url=reverse("admin:inspections_draw_change", args=[made.pk]),
        )


@jobs.runner(JobKind.DRAW_VERIFY)
def run_verify(job: Job) -> None:
    draw = Draw.objects.select_related("plan", "seed").get(pk=job.options["draw"])
    found = services.draw_verify(draw)
    jobs.record_success({"ok": found.ok}, summary=found.message)
