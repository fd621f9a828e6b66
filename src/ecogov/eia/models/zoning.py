"""三线一单 data: control units, refusal-rule sets, and each project's screening with its review.

Geometry is stored as GeoJSON (no GIS database); the pure engine `ecogov.eia.zoning` does the
geometry. Units and rule sets are data the bureau imports; every import is a `ZoningDataset`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import EventBase, HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec


class UnitClassChoice(models.TextChoices):
    PRIORITY_PROTECTION = "priority_protection", _("优先保护")
    KEY_CONTROL = "key_control", _("重点管控")
    GENERAL_CONTROL = "general_control", _("一般管控")


class ZoningDataset(models.Model):
    """One import of control units, or one version of the refusal rules."""

    class Kind(models.TextChoices):
        UNITS = "units", _("环境管控单元")
        RULES = "rules", _("“一律不批”规则")

    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("文件名或说明"), max_length=200, blank=True)
    sha256 = models.CharField(_("文件哈希"), max_length=64, blank=True)
    document = models.JSONField(_("规则文档"), null=True, blank=True)
    is_active = models.BooleanField(_("现行"), default=True)
    unit_count = models.PositiveIntegerField(_("单元数"), default=0)
    repairs = models.JSONField(_("几何修复说明"), default=list, blank=True)
    note = models.TextField(_("备注"), blank=True)
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("三线一单数据版本")
        verbose_name_plural = _("三线一单数据版本")
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} {self.name}"


class ControlUnit(models.Model):
    """An environmental control unit (环境管控单元) with its access list (准入清单)."""

    code = models.CharField(_("单元编码"), max_length=32, unique=True)
    name = models.CharField(_("单元名称"), max_length=128)
    unit_class = models.CharField(_("管控类别"), max_length=24, choices=UnitClassChoice.choices)
    division = models.ForeignKey(
        "core.Division", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )
    flags = models.JSONField(_("标识"), default=list, blank=True)
    access = models.JSONField(_("准入清单"), default=list, blank=True)
    geometry = models.JSONField(_("范围(GeoJSON)"))
    repaired = models.BooleanField(_("几何已修复"), default=False)
    is_active = models.BooleanField(_("现行"), default=True)
    dataset = models.ForeignKey(
        ZoningDataset, verbose_name=_("导入批次"), on_delete=models.PROTECT, related_name="units"
    )
    history = HistoricalRecords(bases=[HistoryIPBase], excluded_fields=["geometry"])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("环境管控单元")
        verbose_name_plural = _("环境管控单元")
        ordering = ["code"]
        indexes = [models.Index(fields=["is_active", "division"])]

    def __str__(self):
        return f"{self.code} {self.name}"


class ScreeningReview(models.TextChoices):
    NOT_NEEDED = "not_needed", _("无需复核")
    PENDING = "pending", _("待复核")
    CONFIRMED = "confirmed", _("已确认不予批准")
    OVERRIDDEN = "overridden", _("已否定建议(附理由)")


class ZoningScreening(models.Model):
    """The result of screening a project against the units and rules in force at the time.

    Stored as data (texts included) so that the reviewer's decision stays explained even after
    the units or rules change. `inputs` fingerprints what was screened; a project whose location,
    industry or facts changed since needs a new screening.
    """

    project = models.ForeignKey(
        "eia.EiaProject",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="screenings",
    )
    screened_at = models.DateTimeField(_("筛查时间"), auto_now_add=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("筛查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    units_dataset = models.ForeignKey(
        ZoningDataset,
        verbose_name=_("管控单元版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rule_set = models.ForeignKey(
        ZoningDataset,
        verbose_name=_("规则版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inputs = models.CharField(_("筛查输入指纹"), max_length=64)
    contacts = models.JSONField(_("涉及单元"), default=list)
    access_matches = models.JSONField(_("准入清单命中"), default=list)
    hits = models.JSONField(_("违反规则"), default=list)
    undetermined = models.JSONField(_("无法判定的规则"), default=list)
    notes = models.JSONField(_("说明"), default=list)
    refuse = models.BooleanField(_("建议不予批准"), default=False)
    summary = models.TextField(_("筛查结论"))
    review = models.CharField(_("复核"), max_length=16, choices=ScreeningReview.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    review_reason = models.TextField(_("复核意见"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="project__division")

    class Meta:
        verbose_name = _("三线一单筛查")
        verbose_name_plural = _("三线一单筛查")
        ordering = ["-screened_at", "-pk"]

    def __str__(self):
        return f"{self.project.reference} {self.screened_at:%Y-%m-%d %H:%M}"


class ZoningEvent(EventBase):
    class Type(models.TextChoices):
        UNITS_IMPORTED = "units_imported", _("导入管控单元")
        RULES_ACTIVATED = "rules_activated", _("启用规则")

    record = models.ForeignKey(ZoningDataset, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)

    class Meta(EventBase.Meta):
        verbose_name = _("三线一单数据事件")
        verbose_name_plural = _("三线一单数据事件")
