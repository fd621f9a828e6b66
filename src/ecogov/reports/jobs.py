"""The reports area's background job (docs/jobs.md): the year's report as a .docx or .xlsx
(composing it reads every area's figures for the chosen territory) is made in the worker; the
job's result is the file, kept in the default storage and offered on the job's page. The
report page starts it (`document_start`); the other formats stay immediate."""

from __future__ import annotations

import datetime as dt

from django.http import QueryDict
from django.utils.translation import gettext as _

from ecogov.core import jobs
from ecogov.core import services as core_services
from ecogov.core.models import Job, JobKind

from . import outputs
from .models import Outline
from .params import ParamError, default_year, parse

BACKGROUND_FORMATS = ("docx", "xlsx")


def document_start(*, actor, outline: Outline, query: dict, dated: dt.date, fmt: str) -> Job:
    labels = {"docx": _("公文 .docx"), "xlsx": _("数据表 .xlsx")}
    return jobs.job_start(
        actor=actor,
        kind=JobKind.REPORT,
        title=_("生成报告:%(outline)s(%(fmt)s)") % {"outline": outline, "fmt": labels[fmt]},
        target="reports.outline",
        options={"outline": outline.pk, "query": query, "dated": dated.isoformat(), "fmt": fmt},
    )


@jobs.runner(JobKind.REPORT)
def run_document(job: Job) -> None:
    options = job.options
    outline = Outline.objects.get(pk=options["outline"])
    query = QueryDict(mutable=True)
    query.update(options["query"])
    try:
        params = parse(query, job.user, default_year=default_year())
    except ParamError as exc:
        raise jobs.Refused(exc.errors.values()) from None
    jobs.report(_("汇总各项数据"), span=(0, 70))
    draft = outputs.build(
        outline,
        job.user,
        params.year,
        params.until,
        params.division,
        dated=dt.date.fromisoformat(options["dated"]),
    )
    jobs.report(_("生成文件"), span=(70, 95))
    fmt = options["fmt"]
    body = outputs.render_draft(draft, fmt)
    name = outputs.filename(draft.document, fmt)
    core_services.record_export(
        actor=job.user,
        what=f"reports:{draft.document.outline}",
        count=len(draft.document.figures),
        fmt=fmt,
    )
    jobs.record_success(
        {"figures": len(draft.document.figures)},
        summary=_("报告已生成:%(title)s。") % {"title": draft.document.title},
        result_file=jobs.save_result(body, name),
        result_name=name,
    )
