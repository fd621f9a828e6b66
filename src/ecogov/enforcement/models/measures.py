"""Execution to the end, the coercive measures of environmental law and later changes of a
decision (docs/enforcement.md §9–§11). Written only by the services; each act is also an
event of the case's hash-chained record, so these rows are what the screens read and the
events what proves them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecogov.core.scoping import ScopedQuerySet, ScopeSpec

from .cases import MONEY, PenaltyCase


class PlanKind(models.TextChoices):
    DEFERRAL = "deferral", _("延期缴纳")
    INSTALMENT = "instalment", _("分期缴纳")


class PaymentPlan(models.Model):
    """An application to pay later or in instalments and the bureau's answer (行政处罚法第六十六条)."""

    case = models.ForeignKey(
        PenaltyCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="payment_plans"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=PlanKind.choices)
    applied_on = models.DateField(_("申请日期"))
    application_reason = models.TextField(_("申请理由"))
    approved = models.BooleanField(_("批准"), default=False)
    decided_on = models.DateField(_("审批日期"))
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opinion = models.TextField(_("审批意见"), blank=True)
    schedule = models.JSONField(_("缴纳期限与金额"), default=list, blank=True)
    last_due_on = models.DateField(_("最后缴纳期限"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="case__division")

    class Meta:
        verbose_name = _("延期(分期)缴纳罚款")
        verbose_name_plural = _("延期(分期)缴纳罚款")
        ordering = ["case", "decided_on", "pk"]

    def __str__(self):
        return f"{self.case.number} {self.get_kind_display()}"


class Ruling(models.TextChoices):
    GRANTED = "granted", _("准予执行")
    REFUSED = "refused", _("不准予执行")


class ExecutionOutcome(models.TextChoices):
    PAID = "paid", _("执行完毕")
    PARTIAL = "partial", _("部分执行")
    UNENFORCEABLE = "unenforceable", _("终结本次执行(无可供执行财产)")
    TERMINATED = "terminated", _("终结执行")


class CompulsoryExecution(models.Model):
    """The demand (催告) and the application to the court (申请人民法院强制执行)."""

    case = models.OneToOneField(
        PenaltyCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="compulsory"
    )
    demand_served_on = models.DateField(_("催告书送达日期"))
    demand_principal = models.DecimalField(_("催告未缴罚没款(元)"), **MONEY)
    demand_surcharge = models.DecimalField(_("催告加处罚款(元)"), **MONEY)
    surcharge_derivation = models.TextField(_("加处罚款计算"), blank=True)
    window_opens = models.DateField(_("可申请强制执行起始日"))
    window_closes = models.DateField(_("申请强制执行截止日"), db_index=True)
    window_provisional = models.BooleanField(_("期限暂定"), default=False)
    window_derivation = models.TextField(_("申请期间计算"), blank=True)
    applied_on = models.DateField(_("申请强制执行日期"), null=True, blank=True)
    court = models.CharField(_("受理法院"), max_length=128, blank=True)
    court_reference = models.CharField(_("法院案号"), max_length=64, blank=True)
    ruling = models.CharField(_("法院裁定"), max_length=16, choices=Ruling.choices, blank=True)
    ruling_on = models.DateField(_("裁定日期"), null=True, blank=True)
    outcome = models.CharField(
        _("执行结果"), max_length=16, choices=ExecutionOutcome.choices, blank=True
    )
    outcome_on = models.DateField(_("执行结果日期"), null=True, blank=True)
    recovered = models.DecimalField(_("执行到位金额(元)"), null=True, blank=True, **MONEY)
    outcome_note = models.TextField(_("执行情况说明"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="case__division")

    class Meta:
        verbose_name = _("催告与申请强制执行")
        verbose_name_plural = _("催告与申请强制执行")
        ordering = ["window_closes", "pk"]

    def __str__(self):
        return f"{self.case.number} 申请强制执行"


class MeasureKind(models.TextChoices):
    SEIZURE = "seizure", _("查封、扣押")
    RESTRICT = "restrict", _("限制生产")
    SUSPEND = "suspend", _("停产整治")


class CoerciveMeasure(models.Model):
    """查封扣押 (行政强制法第二十五条; 环保部令29号) or 限产停产 (环保部令30号)."""

    case = models.ForeignKey(
        PenaltyCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="measures"
    )
    kind = models.CharField(_("措施"), max_length=16, choices=MeasureKind.choices)
    started_on = models.DateField(_("实施日期"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,  # an emergency seizure until its approval is obtained
        blank=True,
    )
    # 行政强制法第十九条: taken on the spot, reported to the head and approved within 24 hours
    emergency = models.BooleanField(_("情况紧急当场实施"), default=False)
    approval_due = models.DateField(_("补办批准期限"), null=True, blank=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    subject = models.TextField(_("对象(设施、设备、物品或生产范围)"))
    days = models.PositiveSmallIntegerField(_("期限(日)"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("期限(月)"), null=True, blank=True)
    extended_on = models.DateField(_("延长日期"), null=True, blank=True)
    extension = models.PositiveSmallIntegerField(_("延长(日或月)"), default=0)
    testing_days = models.PositiveSmallIntegerField(_("检测等不计入期间(日)"), default=0)
    ends_on = models.DateField(_("期限届满日"), db_index=True)
    ends_provisional = models.BooleanField(_("期限暂定"), default=False)
    released_on = models.DateField(_("解除日期"), null=True, blank=True)
    release_note = models.TextField(_("解除情况"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="case__division")

    class Meta:
        verbose_name = _("查封扣押与限产停产")
        verbose_name_plural = _("查封扣押与限产停产")
        ordering = ["case", "started_on", "pk"]

    def __str__(self):
        return f"{self.case.number} {self.get_kind_display()}({self.started_on})"

    @property
    def active(self) -> bool:
        return self.released_on is None

    @property
    def awaiting_approval(self) -> bool:
        return self.emergency and self.approved_on is None and self.released_on is None


class DailyPenalty(models.Model):
    """按日连续处罚 (环境保护法第五十九条; 环保部令28号): the correction order after a fine,
    the covert re-inspection within 30 days of its service, the days and the amount."""

    case = models.ForeignKey(
        PenaltyCase,
        verbose_name=_("原处罚案件"),
        on_delete=models.PROTECT,
        related_name="daily_penalties",
    )
    order_reference = models.CharField(_("责令改正决定书文号"), max_length=64, blank=True)
    order_served_on = models.DateField(_("责令改正决定书送达日期"))
    reinspection_due = models.DateField(_("复查期限"), db_index=True)
    reinspection_provisional = models.BooleanField(_("期限暂定"), default=False)
    reinspected_on = models.DateField(_("复查日期"), null=True, blank=True)
    covert = models.BooleanField(_("暗查"), default=True)
    continuing = models.BooleanField(_("违法行为仍在继续"), null=True, blank=True)
    daily_amount = models.DecimalField(_("按日处罚数额(元,即原处罚数额)"), **MONEY)
    days = models.PositiveIntegerField(_("计罚日数"), null=True, blank=True)
    amount = models.DecimalField(_("按日连续处罚金额(元)"), null=True, blank=True, **MONEY)
    derivation = models.TextField(_("计算过程"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="case__division")

    class Meta:
        verbose_name = _("按日连续处罚")
        verbose_name_plural = _("按日连续处罚")
        ordering = ["case", "order_served_on", "pk"]

    def __str__(self):
        return f"{self.case.number} 按日连续处罚({self.order_served_on})"


class ChangeKind(models.TextChoices):
    REVOKED = "revoked", _("撤销")
    CHANGED = "changed", _("变更")
    CONFIRMED_ILLEGAL = "confirmed_illegal", _("确认违法")


class ChangeBy(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议决定")
    LAWSUIT = "lawsuit", _("人民法院判决")
    SELF_CORRECTION = "self_correction", _("本机关自行纠正")


class DecisionChange(models.Model):
    """A penalty decision revoked, changed or confirmed illegal afterwards (行政处罚法第四十八条:
    the published decision is withdrawn within 3 days with the reason made public)."""

    case = models.ForeignKey(
        PenaltyCase,
        verbose_name=_("案件"),
        on_delete=models.PROTECT,
        related_name="decision_changes",
    )
    kind = models.CharField(_("结果"), max_length=24, choices=ChangeKind.choices)
    by = models.CharField(_("依据"), max_length=24, choices=ChangeBy.choices)
    ruling_on = models.DateField(_("决定(判决)日期"))
    ruling_reference = models.CharField(_("复议决定书或判决书文号"), max_length=64, blank=True)
    dispute_id = models.PositiveBigIntegerField(
        _("关联复议应诉案件"),
        null=True,
        blank=True,
        help_text=_("法规科“行政复议与应诉案件”中的记录。"),
    )
    fine_before = models.DecimalField(_("原罚款(元)"), null=True, blank=True, **MONEY)
    fine_after = models.DecimalField(_("变更后罚款(元)"), null=True, blank=True, **MONEY)
    reason = models.TextField(_("理由"))
    withdrawal_due = models.DateField(_("撤回公开期限"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="case__division")

    class Meta:
        verbose_name = _("处罚决定的撤销与变更")
        verbose_name_plural = _("处罚决定的撤销与变更")
        ordering = ["case", "ruling_on", "pk"]

    def __str__(self):
        return f"{self.case.number} {self.get_kind_display()}({self.get_by_display()})"
