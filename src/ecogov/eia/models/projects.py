"""Construction-project EIA applications (环评审批台账): the project, its pauses, notices, events."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import EventBase, HistoryIPBase
from ecogov.core.models.entities import validate_industry_code
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec


class DocumentType(models.TextChoices):
    REPORT = "report", _("报告书")
    FORM = "form", _("报告表")
    REGISTRATION = "registration", _("登记表")


class ApprovalLevel(models.TextChoices):
    CITY = "city", _("市级审批")
    COUNTY = "county", _("县级审批")
    PROVINCE = "province", _("省级审批")  # recorded for projects in the city, counted apart


class Procedure(models.TextChoices):
    REVIEW = "review", _("评审制")
    COMMITMENT = "commitment", _("告知承诺制")
    EXEMPT = "exempt", _("豁免")
    FILING = "filing", _("登记表备案")


class ProjectState(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("审查中")
    PROPOSED = "proposed", _("拟审批公示")
    DEFERRED = "deferred", _("暂缓审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")
    RETURNED = "returned", _("退回")
    FILED = "filed", _("已备案")
    EXEMPTED = "exempted", _("豁免")
    REVOKED = "revoked", _("已撤销批复")


# A deferred application (暂缓审批) is still open: it is decided later, or returned.
OPEN_STATES = (
    ProjectState.SUBMITTED,
    ProjectState.ACCEPTED,
    ProjectState.PROPOSED,
    ProjectState.DEFERRED,
)


class Decision(models.TextChoices):
    APPROVED = "approved", _("批准")
    REFUSED = "refused", _("不予批准")
    RETURNED = "returned", _("退回")


ZERO = Decimal("0")


class EiaProject(models.Model):
    """One EIA application (or registration-form filing, or exemption) of a construction project.

    `decision` and `decided_on` keep what was decided even if the approval is later revoked
    (the state moves on); the annual figures count them. Money in 万元.
    """

    reference = models.CharField(
        _("受理编号"),
        max_length=32,
        unique=True,
        error_messages={"unique": _("受理编号已存在。")},
    )
    name = models.CharField(_("项目名称"), max_length=200)
    builder = models.ForeignKey(
        "core.RegulatedEntity",
        verbose_name=_("建设单位"),
        on_delete=models.PROTECT,
        related_name="eia_projects",
    )
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("项目所在区划"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry_code = models.CharField(
        _("国民经济行业代码"), max_length=5, blank=True, validators=[validate_industry_code]
    )
    catalogue_item = models.CharField(_("分类管理名录条目"), max_length=64, blank=True)
    document_type = models.CharField(
        _("环评文件类型"), max_length=16, blank=True, choices=DocumentType.choices
    )
    level = models.CharField(_("审批层级"), max_length=8, choices=ApprovalLevel.choices)
    procedure = models.CharField(_("审批方式"), max_length=16, choices=Procedure.choices)
    location = models.JSONField(
        _("项目位置(GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("点或范围,WGS-84 经纬度,GeoJSON 几何对象"),
    )
    total_investment = models.DecimalField(
        _("总投资(万元)"),
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO, _("总投资不能为负数。"))],
    )
    env_investment = models.DecimalField(
        _("环保投资(万元)"),
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO, _("环保投资不能为负数。"))],
    )
    facts = models.JSONField(
        _("审查事实"),
        default=dict,
        blank=True,
        help_text=_('“一律不批”规则所需的项目事实,如 {"total_emission_ok": true};未填写即未知'),
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=ProjectState.choices, default=ProjectState.SUBMITTED
    )
    decision = models.CharField(_("审批结论"), max_length=16, blank=True, choices=Decision.choices)
    decision_number = models.CharField(_("批复文号"), max_length=64, blank=True)
    decision_reasons = models.TextField(_("决定理由"), blank=True)
    receipt_number = models.CharField(_("备案回执号"), max_length=64, blank=True)
    submitted_on = models.DateField(_("申请日期"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    proposed_on = models.DateField(_("拟审批公示日期"), null=True, blank=True)
    decided_on = models.DateField(
        _("决定日期"),
        null=True,
        blank=True,
        help_text=_("批准、不予批准、退回、备案或豁免认定的日期"),
    )
    decision_published_on = models.DateField(_("决定公开日期"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    deferred_on = models.DateField(
        _("暂缓审批日期"), null=True, blank=True, help_text=_("最近一次暂缓审批决定的日期")
    )
    deferral_reasons = models.TextField(_("暂缓理由"), blank=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("建设项目环评")
        verbose_name_plural = _("建设项目环评")
        ordering = ["-submitted_on", "-pk"]
        indexes = [
            models.Index(fields=["decided_on", "decision"]),
            models.Index(fields=["state"]),
        ]

    def __str__(self):
        return f"{self.reference} {self.name}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def clean(self):
        errors: dict[str, list] = {}
        if (
            self.env_investment is not None
            and self.total_investment is not None
            and self.env_investment > self.total_investment
        ):
            errors.setdefault("env_investment", []).append(
                _("环保投资(%(env)s 万元)不能大于总投资(%(total)s 万元)。")
                % {"env": self.env_investment, "total": self.total_investment}
            )
        self._check_kind(errors)
        self._check_dates(errors)
        if not isinstance(self.facts, dict) or any(
            not isinstance(v, bool) for v in (self.facts or {}).values()
        ):
            errors.setdefault("facts", []).append(_("审查事实须为“事实名: 是/否”的对象。"))
        if errors:
            raise ValidationError(errors)

    def _check_kind(self, errors) -> None:
        doc, procedure = self.document_type, self.procedure
        if procedure == Procedure.EXEMPT and doc:
            errors.setdefault("document_type", []).append(
                _("豁免项目不编制环评文件,文件类型应留空。")
            )
        elif procedure == Procedure.FILING and doc != DocumentType.REGISTRATION:
            errors.setdefault("document_type", []).append(_("登记表备案的文件类型应为登记表。"))
        elif procedure in (Procedure.REVIEW, Procedure.COMMITMENT) and doc not in (
            DocumentType.REPORT,
            DocumentType.FORM,
        ):
            errors.setdefault("document_type", []).append(
                _("评审制和告知承诺制审批的文件类型应为报告书或报告表。")
            )

    def _check_dates(self, errors) -> None:
        """Each step on or after the one before it (a decision dated before acceptance is refused)."""
        steps = [
            ("submitted_on", _("申请日期")),
            ("accepted_on", _("受理日期")),
            ("proposed_on", _("拟审批公示日期")),
            ("decided_on", _("决定日期")),
            ("decision_published_on", _("决定公开日期")),
            ("revoked_on", _("撤销日期")),
        ]
        previous = None
        for field, label in steps:
            value = getattr(self, field)
            if value is None:
                continue
            if previous is not None and value < previous[1]:
                errors.setdefault(field, []).append(
                    _("%(label)s(%(value)s)早于%(before)s(%(prev)s)。")
                    % {"label": label, "value": value, "before": previous[2], "prev": previous[1]}
                )
            previous = (field, value, label)


class PauseKind(models.TextChoices):
    TECHNICAL_EVALUATION = "technical_evaluation", _("技术评估")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    HEARING = "hearing", _("听证")
    SUPPLEMENT = "supplement", _("补正材料")


class EiaPause(models.Model):
    """Time the decision clock stands still (行政许可法 art. 45): from `started_on` through
    `ended_on`, both days excluded; an open pause (no end yet) stops the clock."""

    project = models.ForeignKey(EiaProject, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("暂停事由"), max_length=24, choices=PauseKind.choices)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    reason = models.TextField(_("说明"), blank=True)
    notice_number = models.CharField(
        _("告知书文号"), max_length=64, blank=True, help_text=_("书面告知申请人的文书")
    )
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="project__division")

    class Meta:
        verbose_name = _("审查期限暂停")
        verbose_name_plural = _("审查期限暂停")
        ordering = ["started_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_on}—{self.ended_on or '…'}"

    def clean(self):
        if self.ended_on and self.ended_on < self.started_on:
            raise ValidationError(
                {
                    "ended_on": _("结束日期(%(end)s)早于开始日期(%(start)s)。")
                    % {"end": self.ended_on, "start": self.started_on}
                }
            )


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("受理公示")
    PROPOSED = "proposed", _("拟审批公示")
    DECISION = "decision", _("审批决定公告")


class EiaNotice(models.Model):
    """A public notice of the bureau about the project; runs from `start_on` through `end_on`."""

    project = models.ForeignKey(EiaProject, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("公示类型"), max_length=16, choices=NoticeKind.choices)
    start_on = models.DateField(_("公示开始"))
    end_on = models.DateField(_("公示结束"), null=True, blank=True)
    where = models.CharField(_("发布渠道"), max_length=200, blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="project__division")

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["start_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="eia_notice_once_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start_on}—{self.end_on or ''}"


class EiaEvent(EventBase):
    class Type(models.TextChoices):
        SUBMITTED = "submitted", _("申请登记")
        IMPORTED = "imported", _("台账导入")
        UPDATED = "updated", _("修改")
        ACCEPTED = "accepted", _("受理")
        NOTICE_PUBLISHED = "notice_published", _("发布公示")
        PAUSED = "paused", _("期限暂停")
        RESUMED = "resumed", _("期限恢复")
        SCREENED = "screened", _("三线一单筛查")
        REFUSAL_CONFIRMED = "refusal_confirmed", _("确认不予批准建议")
        REFUSAL_OVERRIDDEN = "refusal_overridden", _("否定不予批准建议")
        DECIDED = "decided", _("作出决定")
        FILED = "filed", _("登记表备案")
        EXEMPTED = "exempted", _("认定豁免")
        REVOKED = "revoked", _("撤销批复")
        DEFERRED = "deferred", _("暂缓审批")
        PROVINCIAL_RECORDED = "provincial_recorded", _("登记省级审批")
        REREVIEW_REQUESTED = "rereview_requested", _("申请重新审核")
        REREVIEW_ANSWERED = "rereview_answered", _("重新审核答复")
        ACCEPTANCE_RECORDED = "acceptance_recorded", _("登记竣工环保验收")
        SPOT_CHECKED = "spot_checked", _("验收抽查")

    record = models.ForeignKey(EiaProject, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)
    effective_on = models.DateField(
        _("业务日期"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("该步骤在业务上发生的日期(如决定日期)"),
    )

    class Meta(EventBase.Meta):
        verbose_name = _("环评办理记录")
        verbose_name_plural = _("环评办理记录")
