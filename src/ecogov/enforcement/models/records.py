"""The case's full-process record (hash-chained events), payments and disclosures."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecogov.core.models.base import EventBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec

from .cases import MONEY, PenaltyCase


class CaseEvent(EventBase):
    """One step of the case. `occurred_at` is when the act took place (the date on the
    document, noon if entered later); `recorded_at` is when it was written down.

    `hash` = HMAC-SHA256(chain key, prev_hash + canonical JSON of the event), seq 1, 2, … per
    case: the chain that `ecogov case verify` recomputes (ecogov.enforcement.chain).
    """

    class Type(models.TextChoices):
        LEAD_REGISTERED = "lead_registered", _("登记线索")
        OPENED = "opened", _("立案")
        NOT_OPENED = "not_opened", _("不予立案")
        INVESTIGATION_STARTED = "investigation_started", _("开始调查取证")
        OFFICERS_SET = "officers_set", _("指定执法人员")
        NOTIFIED = "notified", _("处罚事先告知")
        STATEMENT_RECEIVED = "statement_received", _("陈述申辩")
        WAIVER_RECORDED = "waiver_recorded", _("放弃陈述申辩和听证")
        HEARING_REQUESTED = "hearing_requested", _("申请听证")
        HEARING_REQUEST_LATE = "hearing_request_late", _("逾期申请听证")
        HEARING_SCHEDULED = "hearing_scheduled", _("安排听证")
        HEARING_HELD = "hearing_held", _("举行听证")
        REVIEW_SUBMITTED = "review_submitted", _("提交法制审核")
        REVIEW_EXTENDED = "review_extended", _("延长法制审核")
        LEGAL_REVIEWED = "legal_reviewed", _("法制审核")
        DISCUSSED = "discussed", _("集体讨论")
        DEADLINE_EXTENDED = "deadline_extended", _("延长办案期限")
        DEADLINE_RECOMPUTED = "deadline_recomputed", _("节假日安排录入后重算期限")
        DECIDED = "decided", _("作出处罚决定")
        NO_PENALTY = "no_penalty", _("决定不予处罚")
        TRANSFERRED = "transferred", _("移送")
        WITHDRAWN = "withdrawn", _("撤销立案")
        SERVED = "served", _("送达")
        DISCLOSED = "disclosed", _("公开")
        EXECUTION_STARTED = "execution_started", _("开始执行")
        PAYMENT_RECEIVED = "payment_received", _("缴款")
        CLOSED = "closed", _("结案")
        PAYMENT_PLAN = "payment_plan", _("延期(分期)缴纳审批")
        DEMAND_SERVED = "demand_served", _("催告")
        COURT_APPLIED = "court_applied", _("申请法院强制执行")
        COURT_RULED = "court_ruled", _("法院裁定")
        EXECUTION_OUTCOME = "execution_outcome", _("强制执行结果")
        MEASURE_TAKEN = "measure_taken", _("查封扣押或限产停产")
        MEASURE_APPROVAL = "measure_approval", _("补办查封扣押批准")
        MEASURE_EXTENDED = "measure_extended", _("延长查封扣押或限产停产")
        MEASURE_TESTING = "measure_testing", _("检测等期间")
        MEASURE_RELEASED = "measure_released", _("解除查封扣押或限产停产")
        CORRECTION_ORDERED = "correction_ordered", _("责令改正(按日连续处罚)")
        REINSPECTED = "reinspected", _("复查(按日连续处罚)")
        REFERRED = "referred", _("移送拘留或司法机关")
        DECISION_CHANGED = "decision_changed", _("处罚决定撤销、变更或确认违法")
        DISCLOSURE_WITHDRAWN = "disclosure_withdrawn", _("撤回公开")
        UPDATED = "updated", _("修改")
        AMENDED = "amended", _("更正")
        ATTACHMENT_ADDED = "attachment_added", _("添加材料")

    record = models.ForeignKey(PenaltyCase, on_delete=models.PROTECT, related_name="events")
    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)
    seq = models.PositiveIntegerField(_("序号"))
    # set before hashing (not auto_now_add, which would overwrite it on save)
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="record__division")

    class Meta(EventBase.Meta):
        verbose_name = _("办案记录")
        verbose_name_plural = _("办案记录")
        ordering = ["record", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["record", "seq"], name="enforcement_event_record_seq")
        ]

    def __str__(self):
        return f"{self.record.number or self.record_id} #{self.seq} {self.get_type_display()}"


class Payment(models.Model):
    """Money received on a decision (罚没款缴纳)."""

    case = models.ForeignKey(
        PenaltyCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField(_("缴款日期"), db_index=True)
    amount = models.DecimalField(_("金额(元)"), **MONEY)
    receipt_number = models.CharField(_("票据号"), max_length=64, blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="case__division")

    class Meta:
        verbose_name = _("罚没款缴纳")
        verbose_name_plural = _("罚没款缴纳")
        ordering = ["paid_on", "pk"]

    def __str__(self):
        return f"{self.case.number} {self.amount}元"


class CaseDisclosure(models.Model):
    """The public notice of a penalty decision (行政执法公示), personal data masked.

    Created with its due date when the decision is made; the portal shows published ones.
    """

    case = models.OneToOneField(
        PenaltyCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="disclosure"
    )
    due_on = models.DateField(_("应公开日期"), db_index=True)
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    published_on = models.DateField(_("公开日期"), null=True, blank=True, db_index=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    content = models.TextField(_("公开内容(已脱敏)"), blank=True)
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤回理由"), blank=True)
    withdrawal_notice = models.TextField(
        _("撤回说明(公开)"),
        blank=True,
        help_text=_("处罚决定被撤销、变更或确认违法后撤回公开时向社会公开的说明。"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="case__division")

    class Meta:
        verbose_name = _("处罚决定公开")
        verbose_name_plural = _("处罚决定公开")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title or str(self.case)

    @property
    def on_time(self) -> bool | None:
        if self.published_on is None:
            return None
        return self.published_on <= self.due_on
