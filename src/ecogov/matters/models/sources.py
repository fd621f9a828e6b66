"""Where matters come from: a batch (a tour, a hotline year, an NPC session, a campaign).

A campaign plan's structure (aspects → measures) and its assessment rules hang off its source.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.matters.workflow import Kind


class SourceLevel(models.TextChoices):
    CENTRAL = "central", _("中央")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    NATIONAL_OFFICE = "national_office", _("国家部委")


class Source(models.Model):
    code = models.SlugField(
        _("代码"),
        max_length=32,
        unique=True,
        help_text=_("统计口径代码,如 central2017;年度总结的数字以它命名"),
        error_messages={"unique": _("该批次代码已存在。")},
    )
    name = models.CharField(
        _("名称"), max_length=128, unique=True, error_messages={"unique": _("同名批次已存在。")}
    )
    kind = models.CharField(_("事项类型"), max_length=16, choices=Kind.choices)
    level = models.CharField(
        _("级别"), max_length=16, choices=SourceLevel.choices, default=SourceLevel.CITY
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    started_on = models.DateField(
        _("开始日期"), null=True, blank=True, help_text=_("督察进驻、会议开幕或方案印发日期")
    )
    feedback_on = models.DateField(_("反馈日期"), null=True, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    description = models.TextField(_("说明"), blank=True)
    task_categories = models.JSONField(
        _("任务类别"), default=list, blank=True, help_text=_("攻坚战方案的任务类别(如“蓝天保卫战”)")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("交办来源(批次)")
        verbose_name_plural = _("交办来源(批次)")
        ordering = ["-year", "name"]

    def __str__(self):
        return self.name


class Aspect(models.Model):
    """One of a campaign plan's aspects (方面), e.g. the 8 aspects of the 2020 summer offensive."""

    source = models.ForeignKey(
        Source, verbose_name=_("方案"), on_delete=models.PROTECT, related_name="aspects"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("名称"), max_length=128)

    class Meta:
        verbose_name = _("方案方面")
        verbose_name_plural = _("方案方面")
        ordering = ["source", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "number"], name="matters_aspect_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Measure(models.Model):
    """A concrete measure (具体措施) under an aspect."""

    aspect = models.ForeignKey(
        Aspect, verbose_name=_("方面"), on_delete=models.PROTECT, related_name="measures"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("措施"), max_length=256)

    class Meta:
        verbose_name = _("具体措施")
        verbose_name_plural = _("具体措施")
        ordering = ["aspect", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["aspect", "number"], name="matters_measure_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.aspect.number}.{self.number} {self.text}"


class AssessmentScheme(models.Model):
    """A campaign's scoring rules (考核细则) for its responsible units; all numbers editable.

    score = base + on_time × on-time points + late × late points
            − overdue open × overdue penalty − missed progress reports × missed-report penalty,
    never below `floor`.
    """

    source = models.OneToOneField(
        Source, verbose_name=_("方案"), on_delete=models.PROTECT, related_name="assessment"
    )
    base = models.DecimalField(_("基础分"), max_digits=6, decimal_places=2, default=Decimal("100"))
    on_time_points = models.DecimalField(
        _("按时完成每项加分"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    late_points = models.DecimalField(
        _("逾期完成每项扣分"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(0)],
    )
    overdue_penalty = models.DecimalField(
        _("逾期未完成每项扣分"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("3"),
        validators=[MinValueValidator(0)],
    )
    missed_report_penalty = models.DecimalField(
        _("调度未报送每次扣分"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(0)],
    )
    floor = models.DecimalField(_("最低分"), max_digits=6, decimal_places=2, default=Decimal("0"))
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("考核细则")
        verbose_name_plural = _("考核细则")

    def __str__(self):
        return f"{self.source} 考核细则"
