"""After approval (docs/eia.md “批后”): regional approval suspensions (区域限批), re-reviews of
approvals whose construction starts more than 5 years later (重新审核), the builder's completion
acceptance (竣工环境保护验收) and the bureau's spot checks of it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import EventBase, HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec


class RegionalSuspension(models.Model):
    """区域限批 of a division (限批办法): while in force, no new approval in it or below it.

    In force from `starts_on` through `extended_until` (once extended) or `ends_on`, unless lifted
    earlier: then through the day before `lifted_on`.
    """

    division = models.ForeignKey(
        "core.Division", verbose_name=_("限批区域"), on_delete=models.PROTECT, related_name="+"
    )
    authority = models.CharField(_("决定机关"), max_length=100)
    document_number = models.CharField(_("决定文号"), max_length=64)
    reason = models.TextField(_("限批原因"))
    starts_on = models.DateField(_("限批开始日期"))
    ends_on = models.DateField(_("限批期满日期"))
    extended_until = models.DateField(_("延长至"), null=True, blank=True)
    extension_number = models.CharField(_("延长决定文号"), max_length=64, blank=True)
    lifted_on = models.DateField(_("解除日期"), null=True, blank=True)
    lift_number = models.CharField(_("解除决定文号"), max_length=64, blank=True)
    site_checked_on = models.DateField(_("现场核查日期"), null=True, blank=True)
    site_check_note = models.TextField(_("核查情况"), blank=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("区域限批")
        verbose_name_plural = _("区域限批")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return f"{self.division} {self.document_number}"

    @property
    def last_day(self):
        """The last day in force."""
        import datetime as dt

        end = self.extended_until or self.ends_on
        if self.lifted_on is not None:
            end = min(end, self.lifted_on - dt.timedelta(days=1))
        return end

    def in_force_on(self, day) -> bool:
        return self.starts_on <= day <= self.last_day


class SuspensionEvent(EventBase):
    class Type(models.TextChoices):
        RECORDED = "recorded", _("登记限批")
        EXTENDED = "extended", _("延长限批")
        LIFTED = "lifted", _("解除限批")
        SITE_CHECKED = "site_checked", _("期满现场核查")

    record = models.ForeignKey(RegionalSuspension, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("事件"), max_length=32, choices=Type.choices)
    effective_on = models.DateField(_("业务日期"), null=True, blank=True)

    class Meta(EventBase.Meta):
        verbose_name = _("限批办理记录")
        verbose_name_plural = _("限批办理记录")


class ReReviewOutcome(models.TextChoices):
    PENDING = "pending", _("审核中")
    AGREED = "agreed", _("同意")
    NOT_AGREED = "not_agreed", _("不同意(须重新报批)")
    DEEMED = "deemed", _("逾期未答复视为同意")


class EiaReReview(models.Model):
    """重新审核 (EIA law art. 24; 条例 art. 12): construction starts more than 5 years after the
    approval; the original approver answers within 10 日, silence counting as consent."""

    project = models.ForeignKey(
        "eia.EiaProject",
        verbose_name=_("建设项目"),
        on_delete=models.PROTECT,
        related_name="rereviews",
    )
    received_on = models.DateField(_("收到申请日期"))
    construction_starts_on = models.DateField(_("拟开工日期"))
    outcome = models.CharField(
        _("审核结论"), max_length=16, choices=ReReviewOutcome.choices, default="pending"
    )
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answer_number = models.CharField(_("答复文号"), max_length=64, blank=True)
    reasons = models.TextField(_("理由"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="project__division")

    class Meta:
        verbose_name = _("环评重新审核")
        verbose_name_plural = _("环评重新审核")
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return f"{self.project.reference} {self.get_outcome_display()}"


class EiaAcceptance(models.Model):
    """竣工环境保护验收: run by the builder itself and published (条例 arts. 17, 19); recorded."""

    project = models.ForeignKey(
        "eia.EiaProject",
        verbose_name=_("建设项目"),
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    phase = models.CharField(
        _("验收范围"), max_length=100, blank=True, help_text=_("分期验收时填写")
    )
    completed_on = models.DateField(_("竣工日期"))
    concluded_on = models.DateField(_("验收意见日期"))
    passed = models.BooleanField(_("验收合格"), default=True)
    published_from = models.DateField(_("公示开始日期"))
    published_until = models.DateField(_("公示结束日期"))
    where = models.CharField(_("公开渠道"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="project__division")

    class Meta:
        verbose_name = _("竣工环保验收")
        verbose_name_plural = _("竣工环保验收")
        ordering = ["-concluded_on", "-pk"]

    def __str__(self):
        return f"{self.project.name} {self.phase or ''}验收({self.concluded_on})"


class SpotCheckResult(models.TextChoices):
    COMPLIANT = "compliant", _("未发现问题")
    PROBLEMS = "problems", _("发现问题")


class EiaSpotCheck(models.Model):
    """The bureau's post-approval spot check (事中事后监管抽查) of a completion acceptance."""

    acceptance = models.ForeignKey(
        EiaAcceptance,
        verbose_name=_("竣工环保验收"),
        on_delete=models.PROTECT,
        related_name="spot_checks",
    )
    checked_on = models.DateField(_("抽查日期"))
    result = models.CharField(_("抽查结果"), max_length=16, choices=SpotCheckResult.choices)
    findings = models.TextField(_("发现的问题"), blank=True)
    follow_up = models.TextField(_("处理措施"), blank=True)
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="acceptance__project__division")

    class Meta:
        verbose_name = _("验收抽查")
        verbose_name_plural = _("验收抽查")
        ordering = ["-checked_on", "-pk"]

    def __str__(self):
        return f"{self.acceptance.project.name} 抽查({self.checked_on})"
