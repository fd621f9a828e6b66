"""The penalty case record. Written only by ecogov.enforcement.services; no rules here."""

import copy

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.fields import BlindIndexField, EncryptedCharField, PersonalDataModel
from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec
from ecogov.enforcement.workflow import TERMINAL, CaseState

from .config import PartyKind

MONEY = {"max_digits": 14, "decimal_places": 2}


class CaseSource(models.TextChoices):
    RANDOM_INSPECTION = "random_inspection", _("双随机抽查")
    SPECIAL_INSPECTION = "special_inspection", _("专项执法检查")
    COMPLAINT = "complaint", _("信访举报")
    MONITORING = "monitoring", _("自动监控或监测")
    TRANSFER = "transfer", _("部门移送")
    ASSIGNED = "assigned", _("上级交办")
    OTHER = "other", _("其他")


class ServiceMethod(models.TextChoices):
    DIRECT = "direct", _("直接送达")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达(当事人同意)")
    PUBLIC_NOTICE = "public_notice", _("公告送达")


class PenaltyCase(PersonalDataModel):
    # --- identity and party --------------------------------------------------------------
    number = models.CharField(
        _("案件编号"),
        max_length=48,
        unique=True,
        null=True,
        blank=True,
        help_text=_("立案时按“前缀〔年度〕序号号”编定,如 示环罚〔2020〕12号。"),
    )
    number_prefix = models.CharField(_("文号前缀"), max_length=16, blank=True)
    number_year = models.PositiveSmallIntegerField(_("文号年度"), null=True, blank=True)
    number_seq = models.PositiveIntegerField(_("文号序号"), null=True, blank=True)
    title = models.CharField(_("案由"), max_length=200)
    source = models.CharField(_("案件来源"), max_length=32, choices=CaseSource.choices)
    inspection_ref = models.CharField(
        _("来源检查记录"),
        max_length=64,
        blank=True,
        help_text=_("由检查记录一键立案时填写检查记录编号。"),
    )
    entity = models.ForeignKey(
        "core.RegulatedEntity",
        verbose_name=_("排污单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalty_cases",
    )
    party_kind = models.CharField(
        _("当事人类别"), max_length=16, choices=PartyKind.choices, default=PartyKind.ORGANISATION
    )
    # the party: encrypted at rest (a natural person's, or a representative's, personal data);
    # found by the blind indexes (ecogov.core.fields, docs/security.md 个人信息加密存储)
    party_name = EncryptedCharField(_("当事人"), max_length=128)
    party_id_number = EncryptedCharField(_("统一社会信用代码或身份证号"), max_length=32, blank=True)
    party_representative = EncryptedCharField(_("法定代表人"), max_length=32, blank=True)
    party_phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True)
    party_address = EncryptedCharField(_("地址"), max_length=256, blank=True)
    party_name_bidx = BlindIndexField(source="party_name", kind="name", db_index=True)
    party_id_number_bidx = BlindIndexField(
        source="party_id_number", kind="id_number", db_index=True
    )
    party_phone_bidx = BlindIndexField(source="party_phone", kind="phone", db_index=True)
    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("承办机构"), on_delete=models.PROTECT, related_name="+"
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("执法人员"),
        blank=True,
        related_name="penalty_cases",
    )
    facts = models.TextField(_("违法事实"))
    violation_ended_on = models.DateField(_("违法行为终了日"), null=True, blank=True)
    is_complex = models.BooleanField(_("案情复杂或情节严重"), default=False)
    major_public_interest = models.BooleanField(_("涉及重大公共利益"), default=False)

    # --- state and the current step's deadline -------------------------------------------
    state = models.CharField(
        _("状态"), max_length=24, choices=CaseState.choices, default=CaseState.LEAD, db_index=True
    )
    last_step_on = models.DateField(_("上一步骤日期"), null=True, blank=True)
    step_due = models.DateField(_("当前步骤期限"), null=True, blank=True, db_index=True)
    step_due_provisional = models.BooleanField(_("期限暂定"), default=False)
    step_label = models.CharField(_("当前步骤"), max_length=64, blank=True)
    step_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("当前步骤经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空表示由本案执法人员办理。"),
    )

    # --- dates of the steps ---------------------------------------------------------------
    found_on = models.DateField(_("发现线索日期"))
    opened_on = models.DateField(_("立案日期"), null=True, blank=True)
    investigation_started_on = models.DateField(_("开始调查日期"), null=True, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    statement_due = models.DateField(_("陈述申辩截止"), null=True, blank=True)
    hearing_request_due = models.DateField(_("听证申请截止"), null=True, blank=True)
    party_waived = models.BooleanField(_("当事人放弃陈述申辩和听证"), default=False)
    hearing_requested_on = models.DateField(_("申请听证日期"), null=True, blank=True)
    hearing_notice_on = models.DateField(_("听证通知日期"), null=True, blank=True)
    hearing_on = models.DateField(_("听证日期(安排)"), null=True, blank=True)
    hearing_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("听证主持人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hearing_held_on = models.DateField(_("听证举行日期"), null=True, blank=True)
    review_submitted_on = models.DateField(_("提交法制审核日期"), null=True, blank=True)
    review_due = models.DateField(_("法制审核期限"), null=True, blank=True)
    review_extended = models.BooleanField(_("法制审核已延长"), default=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("法制审核人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_on = models.DateField(_("法制审核日期"), null=True, blank=True)
    review_passed = models.BooleanField(_("法制审核通过"), default=False)
    review_opinion = models.TextField(_("法制审核意见"), blank=True)
    discussed_on = models.DateField(_("集体讨论日期"), null=True, blank=True)
    discussion_conclusion = models.TextField(_("集体讨论结论"), blank=True)
    extensions = models.PositiveSmallIntegerField(_("办案期限已延长次数"), default=0)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    public_impact = models.BooleanField(_("具有一定社会影响(须公开)"), default=True)
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    service_method = models.CharField(
        _("送达方式"), max_length=16, blank=True, choices=ServiceMethod.choices
    )
    execution_started_on = models.DateField(_("开始执行日期"), null=True, blank=True)
    payment_due = models.DateField(_("缴款期限"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    ending_reason = models.TextField(_("办结说明"), blank=True)

    # --- the penalty: as notified, then as decided ----------------------------------------
    legal_basis = models.ForeignKey(
        "enforcement.LegalBasis",
        verbose_name=_("处罚依据"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notified_kinds = models.JSONField(_("拟处罚种类"), default=list, blank=True)
    notified_fine = models.DecimalField(_("拟罚款(元)"), null=True, blank=True, **MONEY)
    notified_confiscation = models.DecimalField(_("拟没收(元)"), null=True, blank=True, **MONEY)
    hearing_offered = models.BooleanField(_("告知听证权利"), default=False)
    review_required = models.BooleanField(_("须法制审核"), default=False)
    collective_required = models.BooleanField(_("须集体讨论"), default=False)
    penalty_kinds = models.JSONField(_("处罚种类"), default=list, blank=True)
    fine = models.DecimalField(_("罚款(元)"), null=True, blank=True, **MONEY)
    confiscation = models.DecimalField(_("没收金额(元)"), null=True, blank=True, **MONEY)
    decision_text = models.TextField(_("处罚决定内容"), blank=True)
    paid = models.DecimalField(_("已缴(元)"), default=0, **MONEY)

    # --- the full-process record's chain head (see ecogov.enforcement.chain) ---------------
    chain_length = models.PositiveIntegerField(_("记录条数"), default=0, editable=False)
    chain_hash = models.CharField(_("记录链哈希"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords(
        bases=[HistoryIPBase],
        excluded_fields=["chain_length", "chain_hash"],
        no_db_index=["party_name_bidx", "party_id_number_bidx", "party_phone_bidx"],
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")
    # personal data (ecogov.core.masking): masked for those who do not handle the case
    personal_fields = {
        "party_id_number": "id_number",
        "party_phone": "phone",
        "party_representative": "name",
        "party_address": "address",
    }

    class Meta:
        verbose_name = _("行政处罚案件")
        verbose_name_plural = _("行政处罚案件")
        ordering = ["-found_on", "-pk"]
        indexes = [
            models.Index(fields=["division", "state"]),
            models.Index(fields=["state", "step_due"]),
        ]

    def __str__(self):
        return f"{self.number or _('(未立案)')} {self.party_name}"

    def remember_loaded(self) -> None:
        """Keep the values as read, so that a step's save writes only what it changed."""
        self._loaded = copy.deepcopy(
            {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}
        )

    def changed_fields(self) -> list[str] | None:
        loaded = getattr(self, "_loaded", None)
        if loaded is None:
            return None
        return [
            f.name
            for f in self._meta.concrete_fields
            if not f.primary_key and getattr(self, f.attname) != loaded[f.attname]
        ]

    @property
    def allowed_step_names(self) -> list[str]:
        from ecogov.enforcement.workflow import allowed_actions

        return allowed_actions(self.state)

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL

    def officer_names(self) -> str:
        return "、".join(
            getattr(getattr(u, "staff", None), "full_name", u.username) for u in self.officers.all()
        )
