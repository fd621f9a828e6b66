"""Discharge registrations (排污登记): the smallest dischargers fill in a form, no permit needed."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import EventBase, HistoryIPBase
from ecogov.core.models.entities import validate_credit_code, validate_industry_code
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec

from .permits import site_key


class RegistrationState(models.TextChoices):
    FILED = "filed", _("有效")
    CANCELLED = "cancelled", _("已注销")


class Registration(models.Model):
    """Filed by the unit on the national platform and recorded here. Small units (car washes,
    canteens) are often not in the entity directory, so the unit is named here; `entity` links
    it when it is."""

    registration_number = models.CharField(
        _("登记编号"), max_length=32, unique=True, error_messages={"unique": _("登记编号已存在。")}
    )
    unit_name = models.CharField(_("单位名称"), max_length=128)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, validators=[validate_credit_code]
    )
    entity = models.ForeignKey(
        "core.RegulatedEntity",
        verbose_name=_("排污单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("生产经营场所地址"), max_length=200)
    site_key = models.CharField(max_length=200, editable=False)
    industry_code = models.CharField(
        _("行业代码"), max_length=5, blank=True, validators=[validate_industry_code]
    )
    filed_on = models.DateField(_("登记日期"))
    valid_until = models.DateField(_("有效期至"))
    changed_on = models.DateField(_("最近变更日期"), null=True, blank=True)
    cancelled_on = models.DateField(_("注销日期"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=RegistrationState.choices, default=RegistrationState.FILED
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("排污登记")
        verbose_name_plural = _("排污登记")
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code", "site_key"],
                condition=Q(state="filed"),
                name="permits_one_registration_per_site",
                violation_error_message=_("该单位在同一生产经营场所已有有效的排污登记。"),
            )
        ]
        indexes = [models.Index(fields=["filed_on", "division", "id"], name="permits_reg_year")]

    def __str__(self):
        return f"{self.registration_number} {self.unit_name}"

    def save(self, *args, **kwargs):
        self.site_key = site_key(self.address)
        self.credit_code = (self.credit_code or "").strip().upper()
        super().save(*args, **kwargs)


class RegistrationEvent(EventBase):
    class Type(models.TextChoices):
        FILED = "filed", _("登记")
        IMPORTED = "imported", _("台账导入")
        CHANGED = "changed", _("变更")
        CANCELLED = "cancelled", _("注销")

    record = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)
    effective_on = models.DateField(_("业务日期"), null=True, blank=True, db_index=True)

    class Meta(EventBase.Meta):
        verbose_name = _("排污登记办理记录")
        verbose_name_plural = _("排污登记办理记录")
