"""Outlines of the annual summary and report, as data: sections, sentence templates, checks.

An outline is edited by the legal section in the back office (a copy of a shipped one); the
text a year needs beyond the ledgers (measures, problems, plans) is a `Narrative` per section
and year, kept with its history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase


class OutlineKind(models.TextChoices):
    SUMMARY = "summary", _("法治政府建设工作总结")
    ANNUAL_REPORT = "annual_report", _("法治政府建设年度报告")


class Level(models.IntegerChoices):
    PARAGRAPH = 0, _("不编号的段落")
    ONE = 1, _("一级标题(一、黑体)")
    TWO = 2, _("二级标题((一)楷体)")
    THREE = 3, _("三级标题(1. 仿宋加粗,接正文)")
    FOUR = 4, _("四级标题((1) 仿宋,接正文)")


class Outline(models.Model):
    name = models.CharField(_("提纲名称"), max_length=100, unique=True)
    kind = models.CharField(
        _("文种"), max_length=16, choices=OutlineKind.choices, default=OutlineKind.SUMMARY
    )
    title = models.TextField(
        _("标题"), help_text=_("每行一行标题(按意义分行);可用 {organisation}、{year}。")
    )
    issuer = models.CharField(
        _("发文机关"), max_length=100, blank=True, help_text=_("留空时为本局名称。")
    )
    description = models.TextField(_("说明"), blank=True)
    is_builtin = models.BooleanField(
        _("系统内置"),
        default=False,
        editable=False,
        help_text=_("内置提纲不可修改;复制后编辑副本。"),
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("提纲")
        verbose_name_plural = _("提纲")
        ordering = ["-is_builtin", "name"]

    def __str__(self):
        return self.name


class Section(models.Model):
    outline = models.ForeignKey(
        Outline, verbose_name=_("提纲"), on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField(_("顺序"), default=0)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices, default=Level.ONE)
    heading = models.CharField(
        _("标题"),
        max_length=200,
        blank=True,
        help_text=_("不含序号:序号按层级和顺序自动编排。可用 {year}。"),
    )
    template = models.TextField(
        _("数据语句"),
        blank=True,
        help_text=_("引用数据项写作 {键},如“全市共抽查企业{inspections.enterprise_visits}家次”。"),
    )
    guidance = models.TextField(
        _("撰写提示"), blank=True, help_text=_("给法规科撰写年度叙述的提示(不进入正文)。")
    )
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("章节")
        verbose_name_plural = _("章节")
        ordering = ["outline", "position", "pk"]

    def __str__(self):
        return self.heading or self.template[:20] or str(self.pk)


class Relation(models.Model):
    """A part/whole or rate relation the consistency check verifies before export.

    `whole = a + b (+ …)` (sums) or `rate = a / b` (percentage, rounded like the rate).
    """

    outline = models.ForeignKey(
        Outline, verbose_name=_("提纲"), on_delete=models.CASCADE, related_name="relations"
    )
    expression = models.CharField(
        _("关系式"),
        max_length=400,
        help_text=_(
            "如 eia.approved.total = eia.approved.city_level + eia.approved.county_level;"
            "比率写作 petitions.closure_rate = petitions.closed / petitions.received。"
        ),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("核对关系")
        verbose_name_plural = _("核对关系")
        ordering = ["outline", "pk"]

    def __str__(self):
        return self.expression


class Narrative(models.Model):
    """What the ledgers cannot know, written by the legal section: one text per section and year.

    It may reference figures like a template. When it exists it is the section's text for the
    year; otherwise the outline's data sentences are.
    """

    section = models.ForeignKey(
        Section, verbose_name=_("章节"), on_delete=models.CASCADE, related_name="narratives"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    text = models.TextField(_("叙述"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰写人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("年度叙述")
        verbose_name_plural = _("年度叙述")
        ordering = ["-year", "section__outline", "section__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "year"], name="reports_narrative_one_per_year"
            )
        ]

    def __str__(self):
        return f"{self.year}年 {self.section}"
