"""Random-inspection plans, their quotas per entity category, seeds, conflict declarations."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models import EntityCategory
from ecogov.core.models.base import EventBase, HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec


class Plan(models.Model):
    """A 双随机 plan: who may be drawn (division scope, quota per category) and how.

    The draw freezes these settings into its canonical document; once a plan has been
    drawn it is locked (a changed plan is a new plan), so what was drawn stays what it says.
    """

    name = models.CharField(_("计划名称"), max_length=128)
    period_label = models.CharField(
        _("抽查期次"), max_length=32, help_text=_("如 2020-Q1;写入抽取输入文件,不作解释。")
    )
    period_start = models.DateField(_("检查期起"))
    period_end = models.DateField(_("检查期止"))
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("检查范围(区划)"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("该区划及其下级区划内的排污单位进入抽取范围。"),
    )
    inspection_date = models.DateField(
        _("执法证核验日"), help_text=_("执法检查人员的执法证须在该日有效;应在检查期内。")
    )
    inspectors_per_check = models.PositiveSmallIntegerField(
        _("每次检查执法人员数"),
        default=2,
        validators=[
            MinValueValidator(2, _("每次检查的执法人员至少应为 2 人(行政处罚法第四十二条)。"))
        ],
    )
    allow_cross_division = models.BooleanField(
        _("允许跨区划抽取执法人员"),
        default=False,
        help_text=_("不勾选时,执法人员只从对象所在区划及其上级区划中抽取。"),
    )
    skip_compliant_this_year = models.BooleanField(
        _("本年度已抽查无问题的一般对象不再抽取"),
        default=True,
        help_text=_(
            "勾选时,本年度双随机抽查结论为“未发现问题”的一般排污单位不进入本次抽取范围;"
            "重点排污单位和特殊监管对象不受此限。(地方通行做法,待法制机构确认。)"
        ),
    )
    notes = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("双随机抽查计划")
        verbose_name_plural = _("双随机抽查计划")
        ordering = ["-period_start", "division__code", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("检查期止(%(end)s)早于检查期起(%(start)s)。") % {
                "end": self.period_end,
                "start": self.period_start,
            }
        elif (
            self.inspection_date
            and self.period_start
            and self.period_end
            and not (self.period_start <= self.inspection_date <= self.period_end)
        ):
            errors["inspection_date"] = _(
                "执法证核验日 %(day)s 不在检查期 %(start)s 至 %(end)s 内。"
            ) % {"day": self.inspection_date, "start": self.period_start, "end": self.period_end}
        if errors:
            raise ValidationError(errors)


class PlanQuota(models.Model):
    """How many entities of one category to draw: a share in percent or a count, not both."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="quotas")
    category = models.CharField(_("监管类别"), max_length=16, choices=EntityCategory.choices)
    share = models.DecimalField(
        _("抽查比例(%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal(0), _("抽查比例 %(show_value)s%% 不能为负数。")),
            MaxValueValidator(Decimal(100), _("抽查比例 %(show_value)s%% 超过 100%%。")),
        ],
        help_text=_("按“至少 x%”向上取整:比例大于 0 时至少抽取 1 家。"),
    )
    count = models.PositiveIntegerField(_("抽查数量(家)"), null=True, blank=True)

    class Meta:
        verbose_name = _("抽查比例")
        verbose_name_plural = _("各类别抽查比例或数量")
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "category"], name="inspections_quota_one_per_category"
            )
        ]

    def __str__(self):
        amount = f"{self.share.normalize():f}%" if self.share is not None else f"{self.count} 家"
        return f"{self.get_category_display()} {amount}"

    def clean(self):
        if (self.share is None) == (self.count is None):
            raise ValidationError(
                {
                    "share": _("“%(cat)s”应填写抽查比例或抽查数量之一,且只填一个。")
                    % {"cat": self.get_category_display()}
                }
            )


class SeedSource(models.TextChoices):
    LEADER = "leader", _("局领导现场输入")
    PUBLIC = "public", _("公开来源(如指数收盘点位、彩票开奖号码)")


class Seed(models.Model):
    """The random seed, announced (published) before the draw that uses it; used once."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("抽查计划"), on_delete=models.PROTECT, related_name="seeds"
    )
    value = models.CharField(_("随机种子"), max_length=128)
    source = models.CharField(_("种子来源"), max_length=16, choices=SeedSource.choices)
    source_note = models.CharField(
        _("来源说明"),
        max_length=256,
        blank=True,
        help_text=_("公开来源须写明出处和日期,如“2020年3月13日上证综指收盘点位”。"),
    )
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公布人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    announced_at = models.DateTimeField(_("公布时间"))

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="plan__division")

    class Meta:
        verbose_name = _("随机种子公告")
        verbose_name_plural = _("随机种子公告")
        ordering = ["-announced_at", "pk"]

    def __str__(self):
        return f"{self.value}({self.announced_at:%Y-%m-%d %H:%M})"


class ConflictDeclaration(models.Model):
    """An inspector's declared conflict with an entity: he is never drawn for it.

    The reason is kept for the bureau only; the draw's published document lists the pair
    by ids, never the reason.
    """

    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("执法人员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entity = models.ForeignKey(
        "core.RegulatedEntity",
        verbose_name=_("排污单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    reason = models.TextField(_("回避理由(不公开)"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    declared_at = models.DateTimeField(_("登记时间"))
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤销理由"), max_length=256, blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("回避申报")
        verbose_name_plural = _("回避申报")
        ordering = ["-declared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspector", "entity"],
                condition=Q(withdrawn_at__isnull=True),
                name="inspections_one_active_conflict",
                violation_error_message=_("该执法人员对该单位已有有效的回避申报。"),
            )
        ]

    def __str__(self):
        return f"{self.inspector} — {self.entity}"


class PlanEvent(EventBase):
    """What happened to a plan: created, seed announced, drawn, redrawn, list published."""

    class Type(models.TextChoices):
        CREATED = "created", _("创建计划")
        UPDATED = "updated", _("修改计划")
        SEED_ANNOUNCED = "seed_announced", _("公布随机种子")
        DRAWN = "drawn", _("抽取")
        REDRAWN = "redrawn", _("重新抽取")
        LIST_PUBLISHED = "list_published", _("公开抽查名单")

    record = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)

    class Meta(EventBase.Meta):
        verbose_name = _("抽查计划事件")
        verbose_name_plural = _("抽查计划事件")
