"""/api/jobs/<id>/: a background job as another system follows it (docs/api.md, "后台任务").

A ledger import sent with `Prefer: respond-async` (RFC 7240) is answered 202 with the job
(`core.api_views.import_action`), and so is a ledger export asked that way or larger than
ECOGOV_EXPORT_JOB_ROWS (`core.api_views.api_export_response`); the caller then asks this endpoint
for its state, progress, counts and every problem until `finished` is true, and downloads a
job's file (an export's .xlsx, a report) from `/api/jobs/<id>/file/` (`file_url`). A person
sees his own jobs; the system administrator all of them; anyone else gets a 404.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ecogov.core import jobs, queries
from ecogov.core.downloads import DOCX, XLSX
from ecogov.core.models import Job


class JobProgressSerializer(serializers.Serializer):
    stage = serializers.CharField(label=_("阶段"))
    done = serializers.IntegerField(label=_("已完成"), allow_null=True)
    total = serializers.IntegerField(label=_("总数"), allow_null=True)
    percent = serializers.IntegerField(label=_("百分比"), allow_null=True)
    seconds_left = serializers.IntegerField(label=_("预计剩余秒数"), allow_null=True)


class JobSerializer(serializers.Serializer):
    id = serializers.UUIDField(label=_("编号"))
    kind = serializers.CharField(label=_("类别"))
    title = serializers.CharField(label=_("任务"))
    state = serializers.ChoiceField(label=_("状态"), choices=Job._meta.get_field("state").choices)
    state_label = serializers.CharField(label=_("状态说明"))
    finished = serializers.BooleanField(label=_("已结束"))
    progress = JobProgressSerializer(label=_("进度"), allow_null=True)
    counts = serializers.DictField(label=_("结果"))
    errors = serializers.ListField(child=serializers.CharField(), label=_("错误"))
    summary = serializers.CharField(label=_("结果说明"))
    url = serializers.CharField(label=_("本任务的地址"))
    page_url = serializers.CharField(label=_("任务页面"))
    file_url = serializers.CharField(
        label=_("结果文件"),
        allow_null=True,
        help_text=_("任务已完成且生成了文件(如导出的 .xlsx)时为其下载地址,否则为 null"),
    )


def job_data(request, job: Job) -> dict:
    now = jobs.progress(job)
    job.refresh_from_db()
    running = not now.finished and now.stage
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "finished": job.finished,
        "progress": {
            "stage": now.stage,
            "done": now.done,
            "total": now.total,
            "percent": now.percent,
            "seconds_left": now.seconds_left,
        }
        if running
        else None,
        "counts": job.counts,
        "errors": job.errors,
        "summary": job.summary,
        "url": request.build_absolute_uri(reverse("api-job", args=[job.pk])),
        "page_url": request.build_absolute_uri(reverse("admin:core_job_change", args=[job.pk])),
        "file_url": request.build_absolute_uri(reverse("api-job-file", args=[job.pk]))
        if jobs.has_result_file(job)
        else None,
    }


class JobView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: JobSerializer}, operation_id="jobs_retrieve", tags=["jobs"])
    def get(self, request, pk):
        """A background job: state, progress while it runs, counts or every problem when it
        has ended (`finished`)."""
        return Response(
            JobSerializer(
                job_data(request, get_object_or_404(queries.jobs_visible_to(request.user), pk=pk))
            ).data
        )


class JobFileView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={(200, XLSX): bytes, (200, DOCX): bytes},
        operation_id="jobs_file_retrieve",
        tags=["jobs"],
    )
    def get(self, request, pk):
        """The file a job made (an export's .xlsx, a report), once it has succeeded: a
        download; 404 before, for a job without a file, or for someone else's job."""
        job = get_object_or_404(queries.jobs_visible_to(request.user), pk=pk)
        return jobs.result_file_response(job)
