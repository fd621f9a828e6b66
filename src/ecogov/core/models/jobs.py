"""Background jobs as people see them (docs/jobs.md): what was started, by whom, how it ended.

The task queue (django-tasks) runs the work; a Job is the bureau's record of it: its stage and
counts while it runs (kept in the "jobs" cache, see ecogov.core.jobs.progress), its outcome when
it ends. An import's Job is marked succeeded inside the import's own transaction, so the
database holds the rows and "succeeded" together or neither.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    LEDGER_IMPORT = "ledger_import", _("台账导入")
    AIR_IMPORT = "air_import", _("空气质量数据导入")
    DRAW = "draw", _("随机抽取")
    DRAW_VERIFY = "draw_verify", _("抽取复核")
    REPORT = "report", _("报告生成")
    EXPORT = "export", _("台账导出")
    # the schedule's work (ecogov.core.schedule; settings.ECOGOV_SCHEDULE)
    REMIND = "remind", _("催办邮件")
    AUDIT_VERIFY = "audit_verify", _("审计日志校验")


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    REFUSED = "refused", _("有错误,未写入数据")  # a refused import, draw, export or report
    INTERRUPTED = "interrupted", _("已中断(未写入数据)")
    FAILED = "failed", _("出错")


FINISHED = (JobState.SUCCEEDED, JobState.REFUSED, JobState.INTERRUPTED, JobState.FAILED)


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类别"), max_length=32, choices=JobKind.choices)
    title = models.CharField(_("任务"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("发起人"),
        null=True,  # none: the schedule started it
        blank=True,
    )
    # what the job works on: for an import the screen's model ("permits.permit") and its options
    target = models.CharField(_("对象"), max_length=100, blank=True)
    options = models.JSONField(_("参数"), default=dict, blank=True)
    source = models.CharField(_("文件"), max_length=300, blank=True)  # in the default storage
    source_name = models.CharField(_("文件名"), max_length=255, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)
    counts = models.JSONField(_("结果"), default=dict, blank=True)
    errors = models.JSONField(_("错误"), default=list, blank=True)  # every problem, as read
    task_id = models.CharField(_("队列编号"), max_length=64, blank=True)
    result_url = models.CharField(_("结果链接"), max_length=300, blank=True)
    # what a finished job produced besides its counts: a sentence, and a file to download (kept
    # in the default storage under jobs/<id>/, offered on the job's page)
    summary = models.CharField(_("结果说明"), max_length=500, blank=True)
    result_file = models.CharField(_("结果文件"), max_length=300, blank=True)
    result_name = models.CharField(_("结果文件名"), max_length=255, blank=True)
    # a scheduled job's period ("2026-12-06"): one job of a kind per period, however many
    # scheduler processes run (the unique constraint below); "" for the jobs people start
    period = models.CharField(_("周期"), max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period"],
                condition=~models.Q(period=""),
                name="core_job_once_per_period",
            )
        ]

    def __str__(self):
        return f"{self.title}({self.get_state_display()})"

    @property
    def scheduled(self) -> bool:
        return bool(self.period)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED
