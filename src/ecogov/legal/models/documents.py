"""Normative documents (行政规范性文件) and other policy measures (政策措施). Written only by
ecogov.legal.services; no rules here beyond field validation."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec
from ecogov.legal.workflow import ENDED, DocState


class NormativeDocument(models.Model):
    # --- identity: the one register, the one numbering sequence --------------------------
    number = models.CharField(
        _("文号"),
        max_length=48,
        unique=True,
        null=True,
        blank=True,
        help_text=_("统一登记时按“前缀〔年度〕序号号”编定,如 示环规〔2020〕1号。"),
    )
    number_prefix = models.CharField(_("文号前缀"), max_length=16, blank=True)
    number_year = models.PositiveSmallIntegerField(_("文号年度"), null=True, blank=True)
    number_seq = models.PositiveIntegerField(_("文号序号"), null=True, blank=True)
    title = models.CharField(_("文件名称"), max_length=200)
    summary = models.TextField(_("主要内容"), blank=True)
    drafting_unit = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("起草科室(单位)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    is_trial = models.BooleanField(
        _("暂行或试行"), default=False, help_text=_("暂行、试行文件的有效期较短(见法制工作参数)。")
    )
    affects_public = models.BooleanField(_("涉及群众切身利益(须公开征求意见)"), default=True)
    affects_market = models.BooleanField(_("涉及经营者经济活动(须公平竞争审查)"), default=False)
    themes = models.ManyToManyField(
        "legal.Theme", verbose_name=_("主题"), blank=True, related_name="documents"
    )
    state = models.CharField(
        _("状态"), max_length=24, choices=DocState.choices, default=DocState.DRAFTING, db_index=True
    )
    drafted_on = models.DateField(_("起草日期"))
    last_step_on = models.DateField(_("上一步骤日期"), null=True, blank=True)

    # --- consultation ----------------------------------------------------------------------
    consultation_started_on = models.DateField(_("征求意见开始日期"), null=True, blank=True)
    consultation_ended_on = models.DateField(_("征求意见结束日期"), null=True, blank=True)
    consultation_channel = models.CharField(_("征求意见途径"), max_length=128, blank=True)
    consultation_opinions = models.PositiveIntegerField(_("收到意见(条)"), null=True, blank=True)
    consultation_adopted = models.TextField(_("意见采纳情况"), blank=True)
    consultation_exception = models.TextField(
        _("征求意见例外理由"),
        blank=True,
        help_text=_("未公开征求意见或征求意见少于规定天数的,须记录理由。"),
    )

    # --- deliberation, the three unifications, publication, filing ------------------------
    deliberated_on = models.DateField(_("集体审议日期"), null=True, blank=True)
    deliberation_meeting = models.CharField(_("审议会议"), max_length=128, blank=True)
    deliberation_conclusion = models.TextField(_("审议结论"), blank=True)
    registered_on = models.DateField(_("统一登记日期"), null=True, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True, db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("印发经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_from = models.DateField(_("施行日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    publication_channel = models.CharField(_("公开途径"), max_length=128, blank=True)
    filing_due = models.DateField(_("备案期限"), null=True, blank=True, db_index=True)
    filing_due_provisional = models.BooleanField(_("备案期限暂定"), default=False)
    filed_on = models.DateField(_("报送备案日期"), null=True, blank=True)
    filing_authority = models.CharField(_("备案机关"), max_length=64, blank=True)
    filing_reference = models.CharField(_("备案登记号"), max_length=64, blank=True)

    # --- life after issuance ----------------------------------------------------------------
    evaluated_on = models.DateField(_("评估日期"), null=True, blank=True)
    evaluation_conclusion = models.TextField(_("评估结论"), blank=True)
    to_amend = models.BooleanField(_("清理结论为须修改"), default=False)
    ended_on = models.DateField(
        _("失效日期"), null=True, blank=True, help_text=_("修改、废止或失效之日;当日起不再有效。")
    )
    ending_reason = models.TextField(_("修改、废止或失效理由"), blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("替代文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    # the last day in force (valid_until, or the day before ended_on), kept by the services
    in_force_until = models.DateField(_("有效至(含)"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("行政规范性文件")
        verbose_name_plural = _("行政规范性文件")
        ordering = ["-number_year", "-number_seq", "-drafted_on", "-pk"]
        indexes = [
            models.Index(fields=["division", "state"]),
            models.Index(
                fields=["published_on", "effective_from", "in_force_until"],
                name="legal_doc_in_force",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.display_title}" if self.number else self.display_title

    @property
    def display_title(self) -> str:
        title = self.title.strip()
        return title if title.startswith("《") else f"《{title}》"

    @property
    def is_ended(self) -> bool:
        return self.state in ENDED

    def in_force_on(self, day: dt.date) -> bool:
        return bool(
            self.published_on
            and self.effective_from
            and self.in_force_until
            and self.published_on <= day
            and self.effective_from <= day <= self.in_force_until
        )

    @property
    def filing_late(self) -> bool | None:
        if self.filed_on is None or self.filing_due is None:
            return None
        return self.filed_on > self.filing_due


class MeasureState(models.TextChoices):
    DRAFTING = "drafting", _("拟出台")
    ISSUED = "issued", _("已出台")
    REPEALED = "repealed", _("已废止")
    ABANDONED = "abandoned", _("不予出台")


class PolicyMeasure(models.Model):
    """A policy measure that is not a normative document (工作方案, 实施意见, 清单 …) but may
    touch market activity: it gets the fair-competition review and is cleaned up too."""

    title = models.CharField(_("名称"), max_length=200)
    reference = models.CharField(_("文号"), max_length=64, blank=True)
    kind = models.CharField(
        _("类型"), max_length=32, blank=True, help_text=_("如 工作方案、实施意见。")
    )
    drafting_unit = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("起草科室(单位)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    affects_market = models.BooleanField(_("涉及经营者经济活动(须公平竞争审查)"), default=True)
    themes = models.ManyToManyField(
        "legal.Theme", verbose_name=_("主题"), blank=True, related_name="measures"
    )
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=MeasureState.choices,
        default=MeasureState.DRAFTING,
        db_index=True,
    )
    drafted_on = models.DateField(_("起草日期"))
    issued_on = models.DateField(_("出台日期"), null=True, blank=True, db_index=True)
    ended_on = models.DateField(_("废止日期"), null=True, blank=True)
    ending_reason = models.TextField(_("废止或不予出台理由"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("政策措施")
        verbose_name_plural = _("政策措施")
        ordering = ["-drafted_on", "-pk"]

    def __str__(self):
        title = self.title if self.title.startswith("《") else f"《{self.title}》"
        return f"{self.reference} {title}".strip()

    def in_force_on(self, day: dt.date) -> bool:
        return bool(
            self.issued_on
            and self.issued_on <= day
            and (self.ended_on is None or day < self.ended_on)
        )
