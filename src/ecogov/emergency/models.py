"""Emergency management (应急管理): drills, sudden environmental incidents (突发环境事件) with
their initial-report deadlines, and the contingency plans enterprises file with the bureau."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import GenericEventBase, HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec


def _division():
    return models.ForeignKey(
        "core.Division", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )


class Drill(models.Model):
    division = _division()
    held_on = models.DateField(_("演练日期"))
    title = models.CharField(_("演练名称"), max_length=200)
    organiser = models.ForeignKey(
        "core.Organisation", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    guided_by_bureau = models.BooleanField(_("本局指导"), default=True)
    host_entity = models.ForeignKey(
        "core.RegulatedEntity",
        verbose_name=_("承办企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("在排污单位名录中的企业;不在名录中的填写“演练地点”。"),
    )
    place = models.CharField(_("演练地点"), max_length=200, blank=True)
    scenario = models.CharField(
        _("演练情景"), max_length=300, help_text=_("如汛期突发环境事件(危险化学品泄漏进入河流)")
    )
    participating_units = models.TextField(_("参演单位"))
    participants = models.PositiveIntegerField(_("参演人数"), validators=[MinValueValidator(1)])
    lessons = models.TextField(_("演练评估与发现的问题"), blank=True)
    follow_up = models.TextField(_("整改措施"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class IncidentGrade(models.TextChoices):
    """突发环境事件分级 (国家突发环境事件应急预案)."""

    GENERAL = "general", _("一般(Ⅳ级)")
    LARGER = "larger", _("较大(Ⅲ级)")
    MAJOR = "major", _("重大(Ⅱ级)")
    ESPECIALLY_MAJOR = "especially_major", _("特别重大(Ⅰ级)")


class IncidentState(models.TextChoices):
    RESPONDING = "responding", _("处置中")
    CLOSED = "closed", _("处置结束")


class Incident(models.Model):
    division = _division()
    title = models.CharField(_("事件名称"), max_length=200)
    place = models.CharField(_("发生地点"), max_length=200)
    entity = models.ForeignKey(
        "core.RegulatedEntity",
        verbose_name=_("涉事单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("发生时间"))
    learned_at = models.DateTimeField(
        _("发现或得知时间"), help_text=_("初报时限从本局发现或得知事件信息时起算。")
    )
    grade = models.CharField(_("初步认定等级"), max_length=20, choices=IncidentGrade.choices)
    reported_as_major = models.BooleanField(
        _("按重大事件程序报告"),
        default=False,
        help_text=_(
            "一时无法判明等级、涉及饮用水水源地、敏感区域、重金属、跨界影响或群体性事件等情形(部令第17号第四条)。"
        ),
    )
    report_due_at = models.DateTimeField(_("初报时限"), null=True, editable=False)
    initial_report_at = models.DateTimeField(_("初报时间"), null=True, blank=True)
    reported_to = models.CharField(
        _("报告对象"), max_length=200, blank=True, help_text=_("如本级人民政府、省生态环境厅")
    )
    response = models.TextField(_("应急响应与处置情况"), blank=True)
    closed_on = models.DateField(_("处置结束日期"), null=True, blank=True)
    closure_summary = models.TextField(_("处理结果报告"), blank=True)
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=IncidentState.choices,
        default=IncidentState.RESPONDING,
        editable=False,
    )
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("突发环境事件")
        verbose_name_plural = _("突发环境事件")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def reported_late(self) -> bool:
        return bool(
            self.initial_report_at
            and self.report_due_at
            and self.initial_report_at > self.report_due_at
        )


class RiskLevel(models.TextChoices):
    GENERAL = "general", _("一般环境风险")
    LARGER = "larger", _("较大环境风险")
    MAJOR = "major", _("重大环境风险")


class PlanState(models.TextChoices):
    FILED = "filed", _("备案有效")
    SUPERSEDED = "superseded", _("已被新备案替代")
    WITHDRAWN = "withdrawn", _("已撤销备案")


class ContingencyPlan(models.Model):
    """An enterprise's contingency plan for sudden environmental incidents, filed (备案) with
    the bureau; reviewed (回顾性评估) at least every three years: the expiry reminded on."""

    entity = models.ForeignKey(
        "core.RegulatedEntity", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    division = models.ForeignKey(
        "core.Division",
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    title = models.CharField(_("预案名称"), max_length=200)
    filing_number = models.CharField(
        _("备案编号"),
        max_length=40,
        unique=True,
        error_messages={"unique": _("该备案编号已存在。")},
    )
    risk_level = models.CharField(_("环境风险等级"), max_length=16, choices=RiskLevel.choices)
    issued_on = models.DateField(_("企业签署发布日期"))
    filed_on = models.DateField(_("备案日期"))
    reviewed_on = models.DateField(_("最近回顾性评估(修订)日期"), null=True, blank=True)
    expires_on = models.DateField(_("评估到期日"), null=True, editable=False)
    filed_late = models.BooleanField(_("逾期备案"), default=False, editable=False)
    state = models.CharField(
        _("状态"), max_length=16, choices=PlanState.choices, default=PlanState.FILED, editable=False
    )
    ended_on = models.DateField(_("失效日期"), null=True, blank=True, editable=False)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("被哪一备案替代"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("企业环境应急预案备案")
        verbose_name_plural = _("企业环境应急预案备案")
        ordering = ["expires_on", "pk"]

    def __str__(self):
        return f"{self.filing_number} {self.title}"


class EmergencyEvent(GenericEventBase):
    """One typed event of any emergency record (one table for the area; `record` is generic)."""

    class Type(models.TextChoices):
        RECORDED = "recorded", _("录入")
        CHANGED = "changed", _("修改")
        IMPORTED = "imported", _("台账导入")
        REPORTED = "reported", _("初报")
        CLOSED = "closed", _("处置结束")
        FILED = "filed", _("备案")
        REVIEWED = "reviewed", _("回顾性评估")
        SUPERSEDED = "superseded", _("被新备案替代")
        WITHDRAWN = "withdrawn", _("撤销备案")

    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)

    class Meta(GenericEventBase.Meta):
        verbose_name = _("应急管理办理记录")
        verbose_name_plural = _("应急管理办理记录")
        indexes = [models.Index(fields=["record_type", "record_id"], name="emergency_event_record")]
