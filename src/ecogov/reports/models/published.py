"""A published report: frozen text, figures and the records behind each, hashed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecogov.core.models import Division
from ecogov.core.models.base import EventBase

from .outlines import Outline, OutlineKind


class PublishedReport(models.Model):
    outline = models.ForeignKey(
        Outline, verbose_name=_("提纲"), on_delete=models.PROTECT, related_name="publications"
    )
    kind = models.CharField(_("文种"), max_length=16, choices=OutlineKind.choices)
    title = models.CharField(_("标题"), max_length=300)
    year = models.PositiveSmallIntegerField(_("年度"))
    until = models.DateField(_("统计截止日"), null=True, blank=True)
    division = models.ForeignKey(
        Division,
        verbose_name=_("行政区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scope_key = models.CharField(max_length=64, editable=False)  # year|until|division code
    version = models.PositiveIntegerField(_("版本"))
    dated = models.DateField(_("成文日期"))
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.JSONField(_("正文(冻结)"))
    figures = models.JSONField(_("数据及其记录(冻结)"))
    content_sha256 = models.CharField(_("正文与数据 SHA-256"), max_length=64)
    docx = models.BinaryField(_("公文 .docx"))
    docx_sha256 = models.CharField(_(".docx SHA-256"), max_length=64)
    submitted_on = models.DateField(_("报送政府日期"), null=True, blank=True)
    disclosed_on = models.DateField(_("向社会公开日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("已发布报告")
        verbose_name_plural = _("已发布报告")
        ordering = ["-year", "-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["outline", "scope_key", "version"], name="reports_published_version"
            )
        ]

    def __str__(self):
        return _("%(title)s(第%(v)d版)") % {
            "title": self.title.replace("\n", ""),
            "v": self.version,
        }


class ReportEvent(EventBase):
    class Type(models.TextChoices):
        OUTLINE_COPIED = "outline_copied", _("复制提纲")
        OUTLINE_EDITED = "outline_edited", _("修改提纲")
        NARRATIVE_SAVED = "narrative_saved", _("撰写年度叙述")
        PUBLISHED = "published", _("发布报告")
        SUBMITTED = "submitted", _("报送政府")
        DISCLOSED = "disclosed", _("向社会公开")

    record = models.ForeignKey(
        Outline, verbose_name=_("提纲"), on_delete=models.CASCADE, related_name="events"
    )
    report = models.ForeignKey(
        PublishedReport,
        verbose_name=_("报告"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)

    class Meta(EventBase.Meta):
        verbose_name = _("总结与报告办理记录")
        verbose_name_plural = _("总结与报告办理记录")
