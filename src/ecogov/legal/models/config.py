"""What the bureau configures: periods and defaults (one row), review kinds, themes, and the
counter behind the one numbering sequence of normative documents.

docs/legal.md §3 marks most of these numbers [M]/[U] (local rules): none is written in
business code; the legal section edits them here and every change is kept in the history.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase


class DayKind(models.TextChoices):
    """How a period counts its days (the values of ecogov.core.workdays.DayType)."""

    CALENDAR = "calendar", _("自然日")
    WORKING = "working", _("工作日")


def _days(label, default, help_text=""):
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        help_text=help_text,
        validators=[MinValueValidator(1, _("天数至少为1。"))],
    )


class LegalPolicy(models.Model):
    """Periods and defaults of the legal work (one row, pk=1)."""

    number_prefix = models.CharField(
        _("规范性文件文号前缀"),
        max_length=16,
        default="环规",
        help_text=_("机关简称加“规”字,如“示环规”,文号形如 示环规〔2020〕1号。"),
    )
    consultation_days = _days(
        _("公开征求意见不少于(自然日)"),
        30,
        _("国办发〔2018〕37号:一般不少于30日 [M]。少于该天数须记录例外理由。"),
    )
    review_days = _days(
        _("合法性审核等审查期限(工作日)"),
        15,
        _("国办发〔2018〕115号:一般不少于5个、最长不超过15个工作日 [M]。"),
    )
    contract_review_days = _days(_("合同合法性审查期限(工作日)"), 5, _("本局规定 [U]。"))
    filing_days = _days(
        _("报送备案期限(自然日)"), 30, _("自印发之日起;各地规定15日或30日 [U]。期末遇休息日顺延。")
    )
    filing_authority = models.CharField(_("备案机关"), max_length=64, default="市司法局")
    validity_years = _days(_("有效期(年)"), 5, _("未写明有效期的,自施行之日起5年 [U]。"))
    trial_validity_years = _days(_("暂行、试行文件有效期(年)"), 2, _("[U]"))
    evaluation_days = _days(
        _("有效期届满前评估提醒(自然日)"), 180, _("届满前约6个月评估是否继续施行 [U]。")
    )
    reconsideration_answer_days = _days(
        _("行政复议答复期限"),
        10,
        _(
            "行政复议法(2023)第四十八条:收到申请书副本或笔录复印件之日起十日内提出书面答复;"
            "第八十八条:该法所称“十日”指工作日 [M]。"
        ),
    )
    reconsideration_day_kind = models.CharField(
        _("行政复议答复期限计算"), max_length=16, choices=DayKind.choices, default=DayKind.WORKING
    )
    litigation_defence_days = _days(
        _("行政应诉答辩期限"),
        15,
        _(
            "行政诉讼法第六十七条:收到起诉状副本之日起十五日内提交证据、依据并提出答辩状;"
            "按自然日计,期末遇法定休假日顺延 [M]。"
        ),
    )
    litigation_day_kind = models.CharField(
        _("行政应诉答辩期限计算"), max_length=16, choices=DayKind.choices, default=DayKind.CALENDAR
    )
    due_soon_days = _days(
        _("临期提醒(自然日)"), 5, _("距期限不足该天数的事项列入工作台“即将到期”。")
    )
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("法制工作参数")
        verbose_name_plural = _("法制工作参数")

    def __str__(self):
        return str(_("法制工作参数"))

    @classmethod
    def current(cls) -> "LegalPolicy":
        return cls.objects.get_or_create(pk=1)[0]


class OutcomeSet(models.TextChoices):
    LEGALITY = "legality", _("通过/修改后通过/不通过")
    COMPETITION = "competition", _("符合审查标准/适用例外规定/不得出台")


class ReviewOutcome(models.TextChoices):
    PASSED = "passed", _("通过")
    PASSED_WITH_CHANGES = "passed_with_changes", _("修改后通过")
    FAILED = "failed", _("不通过(退回)")
    COMPLIANT = "compliant", _("符合审查标准")
    EXCEPTION = "exception", _("适用例外规定")
    NOT_TO_ISSUE = "not_to_issue", _("不得出台")


OUTCOMES = {
    OutcomeSet.LEGALITY: [
        ReviewOutcome.PASSED,
        ReviewOutcome.PASSED_WITH_CHANGES,
        ReviewOutcome.FAILED,
    ],
    OutcomeSet.COMPETITION: [
        ReviewOutcome.COMPLIANT,
        ReviewOutcome.EXCEPTION,
        ReviewOutcome.NOT_TO_ISSUE,
    ],
}
PASSING = frozenset(
    {
        ReviewOutcome.PASSED,
        ReviewOutcome.PASSED_WITH_CHANGES,
        ReviewOutcome.COMPLIANT,
        ReviewOutcome.EXCEPTION,
    }
)


class Requirement(models.TextChoices):
    ALWAYS = "always", _("每份规范性文件必须审查")
    MARKET = "market", _("涉及经营者经济活动的文件和政策措施必须审查")
    OPTIONAL = "optional", _("按需审查")


class ReviewKind(models.Model):
    """A statutory review a document or measure may need. The legality review and the fair-
    competition review come with every installation (codes `legality`, `fair_competition`);
    a bureau adds its own kinds here (e.g. 社会稳定风险评估, 廉洁性审查)."""

    LEGALITY = "legality"
    FAIR_COMPETITION = "fair_competition"

    code = models.SlugField(
        _("代码"),
        max_length=32,
        unique=True,
        error_messages={"unique": _("该代码已存在。")},
        help_text=_("英文字母、数字、下划线,如 stability_risk。"),
    )
    name = models.CharField(_("名称"), max_length=64)
    basis = models.CharField(_("依据"), max_length=256, blank=True)
    outcome_set = models.CharField(
        _("审查结论类型"), max_length=16, choices=OutcomeSet.choices, default=OutcomeSet.LEGALITY
    )
    requirement = models.CharField(
        _("适用范围"), max_length=16, choices=Requirement.choices, default=Requirement.OPTIONAL
    )
    legal_section_only = models.BooleanField(
        _("须由法制审核人员审查"),
        default=False,
        help_text=_("勾选后只有法制审核人员可以记录审查结论(如合法性审核)。"),
    )
    is_active = models.BooleanField(_("在用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=10)
    history = HistoricalRecords(bases=[HistoryIPBase])

    class Meta:
        verbose_name = _("审查种类")
        verbose_name_plural = _("审查种类")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    def outcomes(self) -> list[ReviewOutcome]:
        return OUTCOMES[OutcomeSet(self.outcome_set)]


class Theme(models.Model):
    """A subject a document touches (e.g. 野生动物保护, 市场主体): what special cleanups select by."""

    code = models.SlugField(
        _("代码"), max_length=32, unique=True, error_messages={"unique": _("该代码已存在。")}
    )
    name = models.CharField(
        _("名称"), max_length=64, unique=True, error_messages={"unique": _("该名称已存在。")}
    )
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("文件主题")
        verbose_name_plural = _("文件主题")
        ordering = ["code"]

    def __str__(self):
        return self.name


class DocumentNumberCounter(models.Model):
    """The last sequence given per (prefix, year): the one numbering sequence (统一编号)."""

    prefix = models.CharField(_("文号前缀"), max_length=16)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("规范性文件编号计数")
        verbose_name_plural = _("规范性文件编号计数")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="legal_counter_prefix_year")
        ]

    def __str__(self):
        return f"{self.prefix}〔{self.year}〕{self.last}号"
