"""The air-quality area's background job (docs/jobs.md): an hourly-data import started on the
upload page (`services.import_start`) runs here, in the worker. Every file of the job is
imported in one transaction with the Job's outcome: all of them or none."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ecogov.core import jobs
from ecogov.core.models import Job, JobKind

from . import services
from .ingest import InputError


@jobs.runner(JobKind.AIR_IMPORT)
def run_import(job: Job) -> None:
    batches = []
    with transaction.atomic():
        for path, name in jobs.job_files(job):
            with (
                default_storage.open(path, "rb") as source,
                tempfile.NamedTemporaryFile(suffix=Path(name).suffix.lower()) as tmp,
            ):
                shutil.copyfileobj(source, tmp)
                tmp.flush()
                try:
                    batches.append(
                        services.import_file(
                            actor=job.user,
                            path=tmp.name,
                            name=Path(name).name,
                            source=job.options.get("source", "admin"),
                            replace=bool(job.options.get("replace")),
                        )
                    )
                except InputError as exc:
                    raise jobs.Refused([str(exc)]) from None
        counts = {
            "added": sum(b.values_added for b in batches),
            "unchanged": sum(b.values_unchanged for b in batches),
            "replaced": sum(b.values_replaced for b in batches),
            "rejected": sum(b.values_rejected for b in batches),
            "problems": sum(b.problems_total for b in batches),
            "batches": [b.pk for b in batches],
        }
        summary = _(
            "导入完成:新增 %(a)d 个数值,相同 %(u)d 个,覆盖 %(r)d 个,未导入 %(x)d 个;"
            "问题 %(p)d 处,详见批次记录。"
        ) % {
            "a": counts["added"],
            "u": counts["unchanged"],
            "r": counts["replaced"],
            "x": counts["rejected"],
            "p": counts["problems"],
        }
        url = (
            reverse("admin:airquality_importbatch_change", args=[batches[0].pk])
            if len(batches) == 1
            else reverse("admin:airquality_importbatch_changelist")
        )
        jobs.record_success(counts, summary=summary, result_url=url)
