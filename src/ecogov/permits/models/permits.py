"""Discharge permits (排污许可证), their execution reports and events."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import EventBase, HistoryIPBase
from ecogov.core.models.entities import validate_industry_code
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec

ONE_DAY = dt.timedelta(days=1)


def site_key(site: str) -> str:
    """The site as compared for the one-permit-per-site rule: width-folded, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", site or ""))


def in_force_until(valid_until: dt.date | None, ended_on: dt.date | None) -> dt.date | None:
    """The last day in force: validity end, or the day before revocation/cancellation."""
    if ended_on is not None and valid_until is not None:
        return min(valid_until, ended_on - ONE_DAY)
    return valid_until


class ManagementClass(models.TextChoices):
    KEY = "key", _("重点管理")
    SIMPLIFIED = "simplified", _("简化管理")


class PermitState(models.TextChoices):
    IN_FORCE = "in_force", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已撤销")
    CANCELLED = "cancelled", _("已注销")


def validate_pollutants(value) -> None:
    """[{"pollutant": "二氧化硫", "outlet": "DA001", "limit": "35", "unit": "mg/m³",
    "annual_tonnes": "12.5"}, …]: limits as decimal strings, either may be omitted."""
    from decimal import Decimal, InvalidOperation

    if not isinstance(value, list):
        raise ValidationError(_("许可排放污染物应为列表。"))
    for n, item in enumerate(value, start=1):
        if not isinstance(item, dict) or not str(item.get("pollutant", "")).strip():
            raise ValidationError(_("第 %(n)d 项许可排放污染物缺少污染物名称。") % {"n": n})
        for key in ("limit", "annual_tonnes"):
            if item.get(key) not in (None, ""):
                try:
                    if Decimal(str(item[key])) < 0:
                        raise InvalidOperation
                except InvalidOperation:
                    raise ValidationError(
                        _("第 %(n)d 项(%(p)s)的限值“%(v)s”不是非负数。")
                        % {"n": n, "p": item["pollutant"], "v": item[key]}
                    ) from None


class Permit(models.Model):
    permit_number = models.CharField(
        _("许可证编号"),
        max_length=32,
        unique=True,
        error_messages={"unique": _("许可证编号已存在。")},
    )
    entity = models.ForeignKey(
        "core.RegulatedEntity",
        verbose_name=_("排污单位"),
        on_delete=models.PROTECT,
        related_name="permits",
    )
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("生产经营场所所在区划"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    site = models.CharField(_("生产经营场所地址"), max_length=200)
    site_key = models.CharField(max_length=200, editable=False, db_index=True)
    management_class = models.CharField(
        _("管理类别"), max_length=16, choices=ManagementClass.choices
    )
    industry_code = models.CharField(
        _("行业代码"), max_length=5, blank=True, validators=[validate_industry_code]
    )
    issued_on = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"))
    in_force_until = models.DateField(_("实际有效至"), editable=False)
    pollutants = models.JSONField(
        _("许可排放污染物及限值"), default=list, blank=True, validators=[validate_pollutants]
    )
    conditions = models.TextField(_("许可条件"), blank=True)
    with_rectification = models.BooleanField(_("附整改通知书"), default=False)
    rectification_items = models.JSONField(_("整改事项"), default=list, blank=True)
    rectification_deadline = models.DateField(_("整改期限"), null=True, blank=True)
    rectification_closed_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    renewal_applied_on = models.DateField(_("延续申请日期"), null=True, blank=True)
    renewal_count = models.PositiveSmallIntegerField(_("已延续次数"), default=0)
    ended_on = models.DateField(_("撤销或注销日期"), null=True, blank=True)
    end_reason = models.TextField(_("撤销或注销理由"), blank=True)
    reports_tracked_from = models.DateField(
        _("执行报告跟踪起始日"),
        help_text=_("此前到期的执行报告在全国排污许可证管理信息平台上核对,不在本系统催报"),
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=PermitState.choices, default=PermitState.IN_FORCE
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("排污许可证")
        verbose_name_plural = _("排污许可证")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "site_key"],
                condition=Q(state="in_force"),
                name="permits_one_in_force_per_site",
                violation_error_message=_("该单位在同一生产经营场所已持有有效的排污许可证。"),
            )
        ]
        # The year's figures read only these columns: index-only scans (docs/permits.md).
        # `id` is for PostgreSQL, whose index-only scan needs every column the query reads
        # (SQLite keeps the rowid in every index anyway).
        indexes = [
            models.Index(
                fields=[
                    "issued_on",
                    "in_force_until",
                    "with_rectification",
                    "management_class",
                    "division",
                    "id",
                ],
                name="permits_year_figures",
            )
        ]

    def __str__(self):
        return f"{self.permit_number} {self.entity}"

    def save(self, *args, **kwargs):
        self.site_key = site_key(self.site)
        self.in_force_until = in_force_until(self.valid_until, self.ended_on)
        super().save(*args, **kwargs)

    def in_force_on(self, day: dt.date) -> bool:
        limit = in_force_until(self.valid_until, self.ended_on)
        return self.issued_on <= day <= limit

    def clean(self):
        errors: dict[str, list] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        if self.issued_on and self.valid_until and self.valid_until < self.issued_on:
            add(
                "valid_until",
                _("有效期至(%(v)s)早于发证日期(%(i)s)。")
                % {"v": self.valid_until, "i": self.issued_on},
            )
        for field, label in (
            ("ended_on", _("撤销或注销日期")),
            ("rectification_closed_on", _("整改完成日期")),
            ("rectification_deadline", _("整改期限")),
            ("renewal_applied_on", _("延续申请日期")),
        ):
            value = getattr(self, field)
            if value and self.issued_on and value < self.issued_on:
                add(
                    field,
                    _("%(label)s(%(v)s)早于发证日期(%(i)s)。")
                    % {"label": label, "v": value, "i": self.issued_on},
                )
        if self.with_rectification:
            if not [i for i in self.rectification_items or [] if str(i).strip()]:
                add("rectification_items", _("附整改通知书的许可证须列明整改事项。"))
            if not self.rectification_deadline:
                add("rectification_deadline", _("附整改通知书的许可证须填写整改期限。"))
        elif (
            self.rectification_items or self.rectification_deadline or self.rectification_closed_on
        ):
            add("with_rectification", _("未附整改通知书的许可证不填写整改事项、期限和完成日期。"))
        if self.state in (PermitState.REVOKED, PermitState.CANCELLED) and not self.ended_on:
            add("ended_on", _("已撤销或注销的许可证须填写撤销或注销日期。"))
        if errors:
            raise ValidationError(errors)


class ReportPeriod(models.TextChoices):
    ANNUAL = "annual", _("年度")
    Q1 = "q1", _("第一季度")
    Q2 = "q2", _("第二季度")
    Q3 = "q3", _("第三季度")
    Q4 = "q4", _("第四季度")


class ExecutionReport(models.Model):
    """An execution report (执行报告) submitted for one period of a permit."""

    permit = models.ForeignKey(
        Permit, verbose_name=_("许可证"), on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    period = models.CharField(_("报告期"), max_length=8, choices=ReportPeriod.choices)
    submitted_on = models.DateField(_("提交日期"))
    note = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="permit__division")

    class Meta:
        verbose_name = _("执行报告")
        verbose_name_plural = _("执行报告")
        ordering = ["-year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["permit", "year", "period"], name="permits_one_report_per_period"
            )
        ]

    def __str__(self):
        return f"{self.permit.permit_number} {self.year}{self.get_period_display()}"


class PermitEvent(EventBase):
    class Type(models.TextChoices):
        ISSUED = "issued", _("核发")
        IMPORTED = "imported", _("台账导入")
        CHANGED = "changed", _("变更")
        RENEWAL_APPLIED = "renewal_applied", _("申请延续")
        RENEWED = "renewed", _("延续")
        RECTIFIED = "rectified", _("整改完成")
        EXPIRED = "expired", _("到期失效")
        REVOKED = "revoked", _("撤销")
        CANCELLED = "cancelled", _("注销")
        REPORT_SUBMITTED = "report_submitted", _("提交执行报告")

    record = models.ForeignKey(Permit, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)
    effective_on = models.DateField(_("业务日期"), null=True, blank=True, db_index=True)

    class Meta(EventBase.Meta):
        verbose_name = _("许可证办理记录")
        verbose_name_plural = _("许可证办理记录")
