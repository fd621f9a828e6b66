"""The legal area's typed events: one append-only table for all its records (each event
points at its record generically and carries the record's division for the scope)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecogov.core.models.base import EventBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec


class LegalEvent(EventBase):
    class Type(models.TextChoices):
        DRAFTED = "drafted", _("登记起草")
        UPDATED = "updated", _("修改")
        CONSULTATION_STARTED = "consultation_started", _("公开征求意见")
        CONSULTATION_CLOSED = "consultation_closed", _("结束征求意见")
        CONSULTATION_WAIVED = "consultation_waived", _("记录征求意见例外")
        REVIEW_SUBMITTED = "review_submitted", _("提交审查")
        REVIEW_RECORDED = "review_recorded", _("记录审查结论")
        REVIEW_RESOLVED = "review_resolved", _("审查问题整改")
        DELIBERATED = "deliberated", _("集体审议")
        REGISTERED = "registered", _("统一登记编号")
        ISSUED = "issued", _("统一印发")
        PUBLISHED = "published", _("公开发布")
        FILED = "filed", _("报送备案")
        EVALUATED = "evaluated", _("评估")
        ENDED = "ended", _("修改、废止或失效")
        ABANDONED = "abandoned", _("终止制定")
        CREATED = "created", _("登记")
        CLEANUP_SELECTED = "cleanup_selected", _("选取清理对象")
        VERDICT_RECORDED = "verdict_recorded", _("记录清理结论")
        CLEANUP_FINISHED = "cleanup_finished", _("完成清理")
        MILESTONE_RECORDED = "milestone_recorded", _("记录立法环节")
        ANSWERED = "answered", _("提交答复(答辩)")
        HEARING_RECORDED = "hearing_recorded", _("记录开庭及出庭")
        DECIDED = "decided", _("记录审结结果")

    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("记录类型"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("记录"))
    record = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("记录"), max_length=255)
    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta(EventBase.Meta):
        verbose_name = _("法制工作记录")
        verbose_name_plural = _("法制工作记录")
        indexes = [models.Index(fields=["content_type", "object_id", "occurred_at"])]

    def __str__(self):
        return f"{self.label} {self.get_type_display()}"
