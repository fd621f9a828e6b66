"""Legal counsel (常年法律顾问): contracts with law firms, the opinions they give, and the
contracts the bureau signs that wait for the legal section's review (合同合法性审查)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec

WAN = {
    "max_digits": 12,
    "decimal_places": 4,
    "validators": [MinValueValidator(Decimal(0), _("金额不能为负数。"))],
}


class CounselContract(models.Model):
    firm = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("律师事务所"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("合同名称"), max_length=200)
    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField(_("签订日期"))
    term_start = models.DateField(_("服务期自"))
    term_end = models.DateField(_("服务期至"))
    fee_wan = models.DecimalField(_("服务费(万元)"), **WAN)
    lawyers = models.TextField(_("顾问律师"), help_text=_("每行一名:姓名 执业证号。"))
    scope_of_service = models.TextField(_("服务范围"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("法律顾问合同")
        verbose_name_plural = _("法律顾问合同")
        ordering = ["-term_start", "-pk"]

    def __str__(self):
        return f"{self.firm}({self.term_start:%Y-%m-%d}至{self.term_end:%Y-%m-%d})"

    def clean(self):
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("服务期截止日期不能早于开始日期。")})

    def lawyer_list(self) -> list[str]:
        return [line.strip() for line in self.lawyers.splitlines() if line.strip()]


class MatterKind(models.TextChoices):
    CONTRACT_REVIEW = "contract_review", _("合同审查")
    CASE_CONSULTATION = "case_consultation", _("案件咨询")
    LITIGATION = "litigation", _("诉讼、复议代理")
    DOCUMENT_REVIEW = "document_review", _("规范性文件审查")
    DECISION = "decision", _("重大决策论证")
    OTHER = "other", _("其他")


class CounselOpinion(models.Model):
    contract = models.ForeignKey(
        CounselContract,
        verbose_name=_("法律顾问合同"),
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    matter_kind = models.CharField(_("事项类别"), max_length=24, choices=MatterKind.choices)
    subject = models.CharField(_("事项"), max_length=200)
    given_on = models.DateField(_("出具日期"), db_index=True)
    lawyer = models.CharField(_("出具律师"), max_length=64, blank=True)
    summary = models.TextField(_("意见摘要"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="contract__division")

    class Meta:
        verbose_name = _("法律顾问意见")
        verbose_name_plural = _("法律顾问意见")
        ordering = ["-given_on", "-pk"]

    def __str__(self):
        return f"{self.get_matter_kind_display()}:{self.subject}"


class ContractReview(models.Model):
    """A contract of the bureau sent to the legal section for review before it is signed."""

    title = models.CharField(_("合同名称"), max_length=200)
    counterparty = models.CharField(_("合同相对方"), max_length=128)
    amount_wan = models.DecimalField(_("合同金额(万元)"), null=True, blank=True, **WAN)
    submitting_unit = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("送审科室(单位)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("送审日期"))
    due_on = models.DateField(_("审查期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_on = models.DateField(_("审查日期"), null=True, blank=True, db_index=True)
    passed = models.BooleanField(_("审查通过"), null=True, blank=True)
    opinion = models.TextField(_("审查意见"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("合同合法性审查")
        verbose_name_plural = _("合同合法性审查")
        ordering = ["-submitted_on", "-pk"]

    def __str__(self):
        return f"《{self.title}》"
