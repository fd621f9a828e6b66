"""Administrative reconsideration and litigation where the bureau is the respondent
(行政复议被申请人 / 行政诉讼被告): the case, its deadline to answer, its outcome, and the
principal leader's appearance in court (负责人出庭应诉)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.fields import BlindIndexField, EncryptedCharField, PersonalDataModel
from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec


class DisputeKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")


class Instance(models.TextChoices):
    FIRST = "first", _("一审")
    SECOND = "second", _("二审")
    RETRIAL = "retrial", _("再审")


class ApplicantKind(models.TextChoices):
    # worded as 行政复议法 and 行政诉讼法 name the parties (公民、法人或者其他组织)
    ORGANISATION = "organisation", _("法人或者其他组织")
    INDIVIDUAL = "individual", _("公民")


class ActKind(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    PERMIT = "permit", _("行政许可(排污许可)")
    EIA = "eia", _("环评审批")
    COMPULSION = "compulsion", _("行政强制")
    INFORMATION = "information", _("政府信息公开")
    INACTION = "inaction", _("不履行法定职责")
    OTHER = "other", _("其他")


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("维持(驳回)")
    REVOKED = "revoked", _("撤销")
    CHANGED = "changed", _("变更")
    CONFIRMED_ILLEGAL = "confirmed_illegal", _("确认违法")
    WITHDRAWN = "withdrawn", _("申请人(原告)撤回")
    MEDIATED = "mediated", _("调解、和解结案")


# The outcomes that correct the bureau's act: counted by the correction and loss rates.
CORRECTED = frozenset({Outcome.REVOKED, Outcome.CHANGED, Outcome.CONFIRMED_ILLEGAL})


class DisputeState(models.TextChoices):
    RECEIVED = "received", _("待答复(答辩)")
    ANSWERED = "answered", _("已答复(答辩)")
    DECIDED = "decided", _("已审结")


class DisputeCase(PersonalDataModel):
    kind = models.CharField(_("类别"), max_length=16, choices=DisputeKind.choices)
    trial_level = models.CharField(
        _("审级"), max_length=8, choices=Instance.choices, blank=True, help_text=_("行政诉讼填写。")
    )
    reference = models.CharField(
        _("案号"), max_length=64, blank=True, help_text=_("复议机关或人民法院的案号。")
    )
    forum = models.CharField(_("复议机关或人民法院"), max_length=128)
    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    handling_unit = models.ForeignKey(
        "core.Organisation", verbose_name=_("承办科室"), on_delete=models.PROTECT, related_name="+"
    )
    agent = models.CharField(_("委托代理人"), max_length=128, blank=True)
    # --- the applicant or plaintiff (personal data masked, core.masking) --------------------
    applicant_kind = models.CharField(
        _("申请人(原告)类别"),
        max_length=16,
        choices=ApplicantKind.choices,
        default=ApplicantKind.ORGANISATION,
    )
    # encrypted at rest, found by the blind indexes (docs/security.md 个人信息加密存储)
    applicant_name = EncryptedCharField(_("申请人(原告)"), max_length=128)
    applicant_id_number = EncryptedCharField(
        _("统一社会信用代码或身份证号"), max_length=32, blank=True
    )
    applicant_phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True)
    applicant_name_bidx = BlindIndexField(source="applicant_name", kind="name", db_index=True)
    applicant_id_number_bidx = BlindIndexField(
        source="applicant_id_number", kind="id_number", db_index=True
    )
    # --- the contested act: a generic link to the record where there is one -----------------
    act_kind = models.CharField(_("被诉(申请复议)行为类别"), max_length=16, choices=ActKind.choices)
    act_description = models.CharField(
        _("被诉(申请复议)行为"), max_length=256, help_text=_("如 示环罚〔2020〕12号行政处罚决定。")
    )
    act_content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("关联记录类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    act_object_id = models.PositiveBigIntegerField(_("关联记录"), null=True, blank=True)
    act_record = GenericForeignKey("act_content_type", "act_object_id")
    claims = models.TextField(_("请求事项"), blank=True)
    # --- the deadline to answer ---------------------------------------------------------------
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=DisputeState.choices,
        default=DisputeState.RECEIVED,
        db_index=True,
    )
    received_on = models.DateField(_("收到申请书(起诉状)副本日期"), db_index=True)
    answer_due = models.DateField(_("答复(答辩)期限"), null=True, blank=True, db_index=True)
    answer_due_provisional = models.BooleanField(_("期限暂定"), default=False)
    answer_day_kind = models.CharField(_("期限计算"), max_length=16, blank=True)
    answered_on = models.DateField(_("提交答复(答辩)日期"), null=True, blank=True)
    # --- hearing and appearance --------------------------------------------------------------
    hearing_on = models.DateField(_("开庭(听证)日期"), null=True, blank=True, db_index=True)
    principal_appeared = models.BooleanField(_("负责人出庭应诉"), null=True, blank=True)
    appearing_person = models.CharField(_("出庭负责人及职务"), max_length=64, blank=True)
    # --- outcome -----------------------------------------------------------------------------
    decided_on = models.DateField(_("审结日期"), null=True, blank=True, db_index=True)
    outcome = models.CharField(_("结果"), max_length=24, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords(
        bases=[HistoryIPBase], no_db_index=["applicant_name_bidx", "applicant_id_number_bidx"]
    )

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")
    personal_fields = {"applicant_id_number": "id_number", "applicant_phone": "phone"}

    class Meta:
        verbose_name = _("行政复议与应诉案件")
        verbose_name_plural = _("行政复议与应诉案件")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["act_content_type", "act_object_id"])]

    def __str__(self):
        ref = self.reference or self.get_kind_display()
        return f"{ref}({self.act_description})"

    @property
    def answered_late(self) -> bool | None:
        if self.answered_on is None or self.answer_due is None:
            return None
        return self.answered_on > self.answer_due

    @property
    def corrected(self) -> bool:
        return self.outcome in CORRECTED
