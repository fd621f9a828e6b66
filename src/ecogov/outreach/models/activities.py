"""Public events (宣传活动) with the materials handed out, and trainings for regulated entities."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec

from .common import Law, division_field


class ActivityKind(models.TextChoices):
    CONSTITUTION_DAY = "constitution_day", _("12·4国家宪法日宣传")
    ENVIRONMENT_DAY = "environment_day", _("6·5世界环境日宣传")
    PRESS_CONFERENCE = "press_conference", _("新闻发布会(通气会)")
    OPEN_DAY = "open_day", _("环保设施公众开放日")
    LECTURE = "lecture", _("环保大讲堂")
    OTHER = "other", _("其他宣传活动")


class MaterialKind(models.TextChoices):
    BOOKLET = "booklet", _("宣传手册")
    LEAFLET = "leaflet", _("宣传单(折页)")
    POSTER = "poster", _("海报(展板)")
    GIFT = "gift", _("宣传品")
    OTHER = "other", _("其他资料")


class Activity(models.Model):
    division = division_field()
    kind = models.CharField(_("活动类型"), max_length=32, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称(主题)"), max_length=200)
    held_on = models.DateField(_("举办日期"))
    place = models.CharField(_("地点"), max_length=128)
    audience = models.CharField(
        _("对象"), max_length=128, help_text=_("如过往群众、企业负责人、媒体记者")
    )
    audience_count = models.PositiveIntegerField(_("参与人数"), null=True, blank=True)
    organiser = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("承办科室(单位)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    duty_items = models.ManyToManyField(
        "outreach.DutyItem",
        verbose_name=_("落实的普法责任清单事项"),
        blank=True,
        related_name="activities",
    )
    summary = models.TextField(_("活动情况"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("宣传活动")
        verbose_name_plural = _("宣传活动")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class ActivityMaterial(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("宣传活动"), on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.CharField(_("资料类别"), max_length=16, choices=MaterialKind.choices)
    title = models.CharField(_("资料名称"), max_length=128)
    quantity = models.PositiveIntegerField(_("发放数量(份)"), validators=[MinValueValidator(1)])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="activity__division")

    class Meta:
        verbose_name = _("发放资料")
        verbose_name_plural = _("发放资料")
        ordering = ["activity", "pk"]

    def __str__(self):
        return f"{self.title} {self.quantity}份"


class Training(models.Model):
    """One training batch (批次) on a law, for regulated entities, governments or departments."""

    division = division_field()
    topic = models.CharField(_("培训主题"), max_length=200)
    law = models.CharField(_("涉及法律法规"), max_length=32, choices=Law.choices)
    law_other = models.CharField(
        _("法律法规名称"), max_length=128, blank=True, help_text=_("“涉及法律法规”选“其他”时填写。")
    )
    held_on = models.DateField(_("培训日期"))
    place = models.CharField(_("地点"), max_length=128, blank=True)
    organiser = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("承办科室(单位)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience_units = models.TextField(
        _("参训单位"), help_text=_("如各县市区政府及其生态环境、工信、应急管理部门,相关企业负责人")
    )
    attendee_count = models.PositiveIntegerField(
        _("参训人数"),
        null=True,
        blank=True,
        help_text=_("录入了参训人员名单时按名单人数自动计算。"),
    )
    duty_items = models.ManyToManyField(
        "outreach.DutyItem",
        verbose_name=_("落实的普法责任清单事项"),
        blank=True,
        related_name="trainings",
    )
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("普法培训")
        verbose_name_plural = _("普法培训")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on} {self.topic}"

    @property
    def law_label(self) -> str:
        return self.law_other if self.law == Law.OTHER else str(Law(self.law).label)


class TrainingAttendee(models.Model):
    training = models.ForeignKey(
        Training, verbose_name=_("培训"), on_delete=models.CASCADE, related_name="attendees"
    )
    name = models.CharField(_("姓名"), max_length=32)
    unit = models.CharField(_("单位"), max_length=128)
    position = models.CharField(_("职务"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("参训人员")
        verbose_name_plural = _("参训人员")
        ordering = ["training", "pk"]

    def __str__(self):
        return f"{self.name}({self.unit})"
