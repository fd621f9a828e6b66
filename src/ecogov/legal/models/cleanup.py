"""Cleanup campaigns (规范性文件清理): the documents and measures selected, a verdict on each."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec


class CleanupKind(models.TextChoices):
    FULL = "full", _("全面清理")
    SPECIAL = "special", _("专项清理")


class CampaignState(models.TextChoices):
    OPEN = "open", _("清理中")
    FINISHED = "finished", _("已完成")


class Verdict(models.TextChoices):
    KEEP = "keep", _("继续有效")
    AMEND = "amend", _("需要修改")
    REPEAL = "repeal", _("废止")
    LAPSE = "lapse", _("宣布失效")


class CleanupCampaign(models.Model):
    title = models.CharField(_("清理名称"), max_length=200)
    kind = models.CharField(_("清理类型"), max_length=16, choices=CleanupKind.choices)
    basis = models.CharField(
        _("清理依据"), max_length=256, blank=True, help_text=_("如上级通知的文号、名称。")
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=CampaignState.choices, default=CampaignState.OPEN
    )
    started_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    criteria = models.JSONField(_("选取条件"), default=dict, blank=True)
    finished_on = models.DateField(_("完成日期"), null=True, blank=True)
    catalogue_submitted_on = models.DateField(_("报送清理目录日期"), null=True, blank=True)
    submitted_to = models.CharField(_("报送机关"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("清理工作")
        verbose_name_plural = _("清理工作")
        ordering = ["-started_on", "-pk"]

    def __str__(self):
        return self.title


class CleanupItem(models.Model):
    campaign = models.ForeignKey(
        CleanupCampaign, verbose_name=_("清理工作"), on_delete=models.PROTECT, related_name="items"
    )
    document = models.ForeignKey(
        "legal.NormativeDocument",
        verbose_name=_("规范性文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cleanup_items",
    )
    measure = models.ForeignKey(
        "legal.PolicyMeasure",
        verbose_name=_("政策措施"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cleanup_items",
    )
    verdict = models.CharField(_("清理结论"), max_length=16, choices=Verdict.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    decided_on = models.DateField(_("结论日期"), null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    applied = models.BooleanField(
        _("结论已执行"), default=False, help_text=_("清理完成时,废止、宣布失效的结论已执行到文件。")
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="campaign__division")

    class Meta:
        verbose_name = _("清理目录条目")
        verbose_name_plural = _("清理目录条目")
        ordering = ["campaign", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(document__isnull=False, measure__isnull=True)
                    | Q(document__isnull=True, measure__isnull=False)
                ),
                name="legal_cleanup_one_subject",
            ),
            models.UniqueConstraint(
                fields=["campaign", "document"],
                name="legal_cleanup_doc",
                condition=Q(document__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["campaign", "measure"],
                name="legal_cleanup_measure",
                condition=Q(measure__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.campaign}:{self.subject}"

    @property
    def subject(self):
        return self.document if self.document_id else self.measure
