"""Honours awarded to the bureau, its units or staff; demonstration creations (示范创建)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec

from .common import Level, division_field


class RecipientKind(models.TextChoices):
    BUREAU = "bureau", _("本局(集体)")
    UNIT = "unit", _("科室、分局或直属单位(集体)")
    STAFF = "staff", _("工作人员(个人)")


class Honour(models.Model):
    division = division_field()
    title = models.CharField(_("荣誉称号"), max_length=200)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    awarding_body = models.CharField(_("授予机关"), max_length=128)
    awarded_on = models.DateField(_("授予日期"))
    recipient_kind = models.CharField(_("获得者类别"), max_length=16, choices=RecipientKind.choices)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("获得荣誉的单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    staff = models.ForeignKey(
        "core.StaffProfile",
        verbose_name=_("获得荣誉的个人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.CharField(_("表彰文件"), max_length=128, blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("荣誉表彰")
        verbose_name_plural = _("荣誉表彰")
        ordering = ["-awarded_on", "-pk"]

    def __str__(self):
        return self.title

    @property
    def recipient(self) -> str:
        if self.recipient_kind == RecipientKind.STAFF and self.staff_id:
            return self.staff.full_name
        return str(self.organisation or "")


class CreationKind(models.TextChoices):
    CITY = "city", _("生态文明建设示范市")
    COUNTY = "county", _("生态文明建设示范县(市、区)")
    TOWN = "town", _("生态文明建设示范乡镇")
    VILLAGE = "village", _("生态文明建设示范村")
    SCHOOL = "school", _("绿色学校")
    COMMUNITY = "community", _("绿色社区")
    OTHER = "other", _("其他示范创建")


class CreationLevel(models.TextChoices):
    """Who names a demonstration creation: the ministry, the province, the city."""

    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")


class CreationState(models.TextChoices):
    RUNNING = "running", _("创建中")
    AWARDED = "awarded", _("已命名")
    WITHDRAWN = "withdrawn", _("已撤销命名")


class Creation(models.Model):
    """A demonstration creation the bureau runs: the county (town, school …) and its title."""

    division = models.ForeignKey(
        "core.Division", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("创建类别"), max_length=16, choices=CreationKind.choices)
    name = models.CharField(
        _("创建对象"), max_length=128, help_text=_("如北山县、某某镇、某某小学")
    )
    level = models.CharField(_("级别"), max_length=16, choices=CreationLevel.choices)
    batch = models.CharField(_("批次"), max_length=32, blank=True, help_text=_("如第二批"))
    awarding_body = models.CharField(_("命名机关"), max_length=128, blank=True)
    started_on = models.DateField(_("启动创建日期"), null=True, blank=True)
    awarded_on = models.DateField(_("命名日期"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=CreationState.choices, default=CreationState.RUNNING
    )
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("示范创建")
        verbose_name_plural = _("示范创建")
        ordering = ["-awarded_on", "name"]

    def __str__(self):
        return f"{self.name} {self.get_level_display()}{self.get_kind_display()}"
