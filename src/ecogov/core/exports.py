"""Large ledger exports as background jobs (docs/jobs.md, "导出").

An admin screen's "导出所选为 Excel" hands its queryset to `export_response`: up to
`ECOGOV_EXPORT_JOB_ROWS` rows (default 5,000) the workbook is made in the request and sent at
once, as before; above it a job of kind EXPORT makes it in the worker and keeps it in the
default storage, and the person is sent to the job's page, which offers the file when it ends.

The job carries the export function's dotted path and the queryset's query, pickled as Django
allows ("Pickling QuerySets": the query attribute, same Django version), so the worker reads
exactly the selection (filters, search, scoping) the screen had; the export function scopes the
rows to the job's starter again, as in the request.
"""

from __future__ import annotations

import base64
import pickle

from django.apps import apps
from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ecogov.core import jobs
from ecogov.core.downloads import TO_THE_MINUTE, stamped, xlsx_response
from ecogov.core.models import Job, JobKind


def export_response(request, queryset, export, name: str, *, title: str = "", **options):
    """The .xlsx of `export(actor=, queryset=, **options)` at once, or (more rows than the
    threshold) the page of the job that makes it."""
    if queryset.count() <= settings.ECOGOV_EXPORT_JOB_ROWS:
        content = export(actor=request.user, queryset=queryset, **options)
        return xlsx_response(content, name, stamp=TO_THE_MINUTE)
    job = jobs.job_start(
        actor=request.user,
        kind=JobKind.EXPORT,
        title=title or _("导出 %s") % queryset.model._meta.verbose_name,
        target=queryset.model._meta.label_lower,
        options={
            "export": f"{export.__module__}.{export.__qualname__}",
            "query": base64.b64encode(pickle.dumps(queryset.query)).decode(),
            "options": options,
            "name": name,
        },
    )
    return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))


@jobs.runner(JobKind.EXPORT)
def run_export(job: Job) -> None:
    model = apps.get_model(job.target)
    queryset = model._default_manager.all()
    queryset.query = pickle.loads(base64.b64decode(job.options["query"]))  # noqa: S301 (ours)
    total = queryset.count()
    jobs.report(_("读取并生成文件"), 0, total, span=(0, 90))
    export = import_string(job.options["export"])
    content = export(actor=job.user, queryset=queryset, **job.options.get("options", {}))
    jobs.report(_("保存文件"), total, total, span=(90, 100))
    name = f"{stamped(job.options['name'], TO_THE_MINUTE)}.xlsx"
    jobs.record_success(
        {"rows": total},
        summary=_("导出完成:共 %(n)d 条记录。") % {"n": total},
        result_file=jobs.save_result(content, name),
        result_name=name,
    )
