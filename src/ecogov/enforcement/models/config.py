"""The bureau's configuration of penalty procedure: periods, thresholds, statutory fine ranges.

docs/procedures.md: every number is editable (the legal section signs each rule off), so
none of them is written in business code: periods live in `EnforcementPolicy` (one row),
hearing / legal-review / collective-discussion thresholds in `PenaltyRule` (per jurisdiction,
party kind and effective date), fine ranges in `LegalBasis`.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase


class PartyKind(models.TextChoices):
    ORGANISATION = "organisation", _("法人或其他组织")
    INDIVIDUAL = "individual", _("自然人")


class PenaltyKind(models.TextChoices):
    """Kinds of administrative penalty (APL art. 9), as the bureau records them."""

    WARNING = "warning", _("警告、通报批评")
    FINE = "fine", _("罚款")
    CONFISCATION = "confiscation", _("没收违法所得、没收非法财物")
    LICENCE_SUSPENSION = "licence_suspension", _("暂扣许可证件、降低资质等级")
    LICENCE_REVOCATION = "licence_revocation", _("吊销许可证件")
    RESTRICT_PRODUCTION = "restrict_production", _("限制生产")
    STOP_PRODUCTION = "stop_production", _("责令停产整治")
    CLOSURE = "closure", _("责令停业、关闭")
    DAILY_PENALTY = "daily_penalty", _("按日连续处罚")
    DETENTION_TRANSFER = "detention_transfer", _("移送公安机关行政拘留")


def _non_negative():
    return [MinValueValidator(0, _("天数不能为负数。"))]


class EnforcementPolicy(models.Model):
    """Periods of the penalty procedure (docs/enforcement.md §3, §6). One row (pk=1)."""

    number_prefix = models.CharField(
        _("文号前缀"),
        max_length=16,
        default="环罚",
        help_text=_("机关简称加类别字,如“示环罚”,文号形如 示环罚〔2020〕12号。"),
    )
    open_days = models.PositiveSmallIntegerField(
        _("立案期限(日)"),
        default=15,
        validators=_non_negative(),
        help_text=_(
            "发现线索后十五日内立案;规章只写“日”,按自然日计并同时显示工作日日期,以较早者预警。"
        ),
    )
    statement_days = models.PositiveSmallIntegerField(
        _("陈述申辩期限(工作日)"), default=3, help_text=_("全国无统一规定,默认3个工作日 [U]。")
    )
    hearing_request_days = models.PositiveSmallIntegerField(
        _("听证申请期限(工作日)"), default=5, help_text=_("行政处罚法第六十四条:告知后五日内。")
    )
    hearing_notice_days = models.PositiveSmallIntegerField(
        _("听证通知提前(工作日)"), default=7, help_text=_("举行听证七日前通知当事人。")
    )
    review_days = models.PositiveSmallIntegerField(_("法制审核期限(工作日)"), default=5)
    review_extension_days = models.PositiveSmallIntegerField(_("法制审核延长(工作日)"), default=3)
    decision_days = models.PositiveSmallIntegerField(
        _("作出决定期限(自然日)"), default=90, help_text=_("自立案之日起九十日;听证期间不计入。")
    )
    decision_extension_days = models.PositiveSmallIntegerField(
        _("决定期限每次延长(自然日)"), default=30
    )
    decision_extensions_max = models.PositiveSmallIntegerField(_("决定期限最多延长次数"), default=2)
    service_days = models.PositiveSmallIntegerField(_("送达期限(工作日)"), default=7)
    public_notice_service_days = models.PositiveSmallIntegerField(
        _("公告送达视为送达(自然日)"), default=30
    )
    disclosure_days = models.PositiveSmallIntegerField(
        _("处罚决定公开期限(工作日)"), default=7, help_text=_("作出决定后七个工作日内公开 [M]。")
    )
    payment_days = models.PositiveSmallIntegerField(_("缴纳罚款期限(自然日)"), default=15)
    # --- execution and coercive measures (docs/enforcement.md §9–§10) ---------------------
    demand_wait_days = models.PositiveSmallIntegerField(
        _("催告后申请强制执行等待(工作日)"),
        default=10,
        help_text=_("行政强制法第五十四条:催告书送达十日后(十日以内的期间按工作日计)。"),
    )
    reconsideration_days = models.PositiveSmallIntegerField(
        _("申请行政复议期限(自然日)"), default=60, help_text=_("行政复议法第二十条。")
    )
    lawsuit_months = models.PositiveSmallIntegerField(
        _("提起行政诉讼期限(月)"), default=6, help_text=_("行政诉讼法第四十六条。")
    )
    court_application_months = models.PositiveSmallIntegerField(
        _("申请法院强制执行期限(月)"),
        default=3,
        help_text=_("行政强制法第五十三条:复议、诉讼期限届满之日起三个月内。"),
    )
    seizure_days = models.PositiveSmallIntegerField(
        _("查封扣押期限(自然日)"), default=30, help_text=_("行政强制法第二十五条。")
    )
    seizure_extension_days = models.PositiveSmallIntegerField(
        _("查封扣押延长(自然日,一次)"), default=30
    )
    restriction_months = models.PositiveSmallIntegerField(
        _("限制生产期限(月)"), default=3, help_text=_("环保部令30号:一般不超过三个月。")
    )
    restriction_extension_months = models.PositiveSmallIntegerField(
        _("限制生产延长(月,一次)"), default=3
    )
    reinspection_days = models.PositiveSmallIntegerField(
        _("按日连续处罚复查期限(自然日)"),
        default=30,
        help_text=_("环保部令28号:责令改正决定书送达之日起三十日内暗查复查。"),
    )
    withdrawal_days = models.PositiveSmallIntegerField(
        _("撤回公开期限(工作日)"),
        default=3,
        help_text=_("行政处罚法第四十八条:决定被撤销、变更或确认违法的,三日内撤回并说明理由。"),
    )
    limitation_years = models.PositiveSmallIntegerField(
        _("追责时效(年)"), default=2, help_text=_("违法行为二年内未被发现的,不再给予行政处罚。")
    )
    retention_years = models.PositiveSmallIntegerField(_("案卷保管期限(年)"), default=30)
    due_soon_days = models.PositiveSmallIntegerField(
        _("临期提醒(自然日)"), default=5, help_text=_("距期限不足该天数的步骤列入“即将到期”。")
    )
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("行政处罚程序参数")
        verbose_name_plural = _("行政处罚程序参数")

    def __str__(self):
        return str(_("行政处罚程序参数"))

    @classmethod
    def current(cls) -> "EnforcementPolicy":
        return cls.objects.get_or_create(pk=1)[0]


class PenaltyRule(models.Model):
    """Thresholds for a hearing, a legal review and a collective discussion.

    Per jurisdiction (empty: the whole deployment; a county's row wins over the city's),
    party kind and effective date, as docs/enforcement.md §5 (hearings) asks.
    """

    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("适用区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空表示全辖区适用。"),
    )
    party_kind = models.CharField(_("当事人类别"), max_length=16, choices=PartyKind.choices)
    effective_from = models.DateField(_("施行日期"))
    hearing_fine_from = models.DecimalField(
        _("听证:罚没金额达到(元)"),
        max_digits=14,
        decimal_places=2,
        help_text=_("“较大数额”:单位二十万元 [S2],个人五千元 [M];地方可另定。"),
    )
    review_fine_from = models.DecimalField(
        _("法制审核:罚没金额达到(元)"), max_digits=14, decimal_places=2
    )
    collective_fine_from = models.DecimalField(
        _("集体讨论:罚没金额达到(元)"), max_digits=14, decimal_places=2
    )
    hearing_kinds = models.JSONField(_("应告知听证的处罚种类"), default=list, blank=True)
    review_kinds = models.JSONField(_("须法制审核的处罚种类"), default=list, blank=True)
    collective_kinds = models.JSONField(_("须集体讨论的处罚种类"), default=list, blank=True)
    source = models.CharField(_("依据"), max_length=256, blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("听证与审核标准")
        verbose_name_plural = _("听证与审核标准")
        ordering = ["party_kind", "-effective_from"]

    def __str__(self):
        where = self.division.name if self.division_id else _("全辖区")
        return f"{where} {self.get_party_kind_display()} {self.effective_from:%Y-%m-%d}"

    def clean(self):
        known = set(PenaltyKind.values)
        for name in ("hearing_kinds", "review_kinds", "collective_kinds"):
            unknown = set(getattr(self, name) or []) - known
            if unknown:
                raise ValidationError({name: _("未知的处罚种类:%s") % "、".join(sorted(unknown))})


class LegalBasis(models.Model):
    """A penalty provision and its statutory fine range (the legal section keeps these)."""

    code = models.CharField(
        _("简称"), max_length=32, unique=True, error_messages={"unique": _("该简称已存在。")}
    )
    title = models.CharField(
        _("处罚依据"), max_length=256, help_text=_("如《中华人民共和国大气污染防治法》第九十九条")
    )
    violation = models.CharField(_("违法行为"), max_length=256)
    fine_min = models.DecimalField(
        _("罚款下限(元)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    fine_max = models.DecimalField(
        _("罚款上限(元)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("留空表示法律未设上限。"),
    )
    is_active = models.BooleanField(_("在用"), default=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("处罚依据与罚款幅度")
        verbose_name_plural = _("处罚依据与罚款幅度")
        ordering = ["code"]

    def __str__(self):
        return f"{self.title}({self.violation})"

    def clean(self):
        if self.fine_max is not None and self.fine_max < self.fine_min:
            raise ValidationError({"fine_max": _("罚款上限不能低于下限。")})

    def range_label(self) -> str:
        low = f"{self.fine_min:,.0f}"
        return f"{low}元以上" + (f"{self.fine_max:,.0f}元以下" if self.fine_max is not None else "")


class CaseNumberCounter(models.Model):
    """The last sequence given per (prefix, year); locked row by row when a case is opened."""

    prefix = models.CharField(_("文号前缀"), max_length=16)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("案件编号计数")
        verbose_name_plural = _("案件编号计数")
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year"], name="enforcement_counter_prefix_year"
            )
        ]

    def __str__(self):
        return f"{self.prefix}〔{self.year}〕{self.last}号"
