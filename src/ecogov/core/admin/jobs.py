"""后台任务: the jobs a person started (an import, a draw, an export …), each with its progress page
(docs/jobs.md). Everyone who may import sees their own jobs; the system administrator sees all,
to tell whether the worker runs. A job whose result is a file offers it here (`download_view`)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from ecogov.core import jobs, queries, schedule
from ecogov.core.admin.base import ReadOnlyAdmin
from ecogov.core.models import Job, JobState

# django-tasks-db's own screen of the raw queue (English, unscoped, every task's arguments):
# people read their jobs on 后台任务; the queue is the worker's business.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "source_name", "state", "created_at", "finished_at", "starter"]
    list_filter = ["state", "kind"]
    list_display_links = ["title"]

    @admin.display(description=_("发起人"), ordering="user")
    def starter(self, job: Job) -> str:
        return str(job.user) if job.user_id else _("定时任务")

    def get_queryset(self, request):
        return queries.jobs_visible_to(request.user)

    def get_urls(self):
        own = [
            path(
                "<uuid:job_id>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="core_job_progress",
            ),
            path(
                "<uuid:job_id>/retry/",
                self.admin_site.admin_view(self.retry_view),
                name="core_job_retry",
            ),
            path(
                "<uuid:job_id>/download/",
                self.admin_site.admin_view(self.download_view),
                name="core_job_download",
            ),
        ]
        return own + super().get_urls()

    def _job(self, request, job_id) -> Job:
        # a person always sees the job they started, whatever their role's screens: a viewer's
        # draw verification (复核) is a job too
        own = Job.objects.select_related("user").filter(pk=job_id, user=request.user).first()
        if own is not None:
            return own
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=job_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The job's page: its progress while it runs (refreshed by core/js/job.js), then its
        outcome — the counts and the way back to the list, or every problem of the file."""
        job = self._job(request, object_id)
        now = jobs.progress(job)
        job.refresh_from_db()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": job.title,
            "job": job,
            "progress": now,
            "progress_url": reverse("admin:core_job_progress", args=[job.pk]),
            "worker_command": jobs.worker_command(),
            "outcome": schedule.describe(job) if job.scheduled else "",
            "download_url": reverse("admin:core_job_download", args=[job.pk])
            if jobs.has_result_file(job)
            else "",
            "retry_url": reverse("admin:core_job_retry", args=[job.pk])
            if job.state in (JobState.INTERRUPTED, JobState.FAILED)
            and job.user_id == request.user.pk
            else "",
        }
        return TemplateResponse(request, "core/job.html", context)

    def progress_view(self, request, job_id):
        return JsonResponse(jobs.progress(self._job(request, job_id)).as_json())

    def download_view(self, request, job_id):
        """The file the job made (a report, an export): a download, never shown inline."""
        return jobs.result_file_response(self._job(request, job_id))

    def retry_view(self, request, job_id):
        job = self._job(request, job_id)
        if request.method == "POST":
            try:
                jobs.job_retry(actor=request.user, job=job)
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已重新提交,等待后台任务进程处理。"))
        return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))
