"""Statutory reviews of a document or policy measure: the legality review (合法性审核), the
fair-competition review (公平竞争审查) and any kind the bureau adds (ReviewKind)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ecogov.core.models.base import HistoryIPBase
from ecogov.core.scoping import ScopedQuerySet, ScopeSpec

from .config import PASSING, ReviewOutcome


class ReviewState(models.TextChoices):
    PENDING = "pending", _("审查中")
    DONE = "done", _("已审查")
    WITHDRAWN = "withdrawn", _("已撤回(终止制定)")


class PolicyReview(models.Model):
    kind = models.ForeignKey(
        "legal.ReviewKind",
        verbose_name=_("审查种类"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    document = models.ForeignKey(
        "legal.NormativeDocument",
        verbose_name=_("规范性文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    measure = models.ForeignKey(
        "legal.PolicyMeasure",
        verbose_name=_("政策措施"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    division = models.ForeignKey(
        "core.Division", verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=ReviewState.choices,
        default=ReviewState.PENDING,
        db_index=True,
    )
    submitted_on = models.DateField(_("提交日期"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("审查期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("期限暂定"), default=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_on = models.DateField(_("审查日期"), null=True, blank=True, db_index=True)
    outcome = models.CharField(
        _("审查结论"), max_length=24, choices=ReviewOutcome.choices, blank=True
    )
    opinion = models.TextField(_("审查意见"), blank=True)
    issues_found = models.TextField(_("发现的问题"), blank=True)
    resolved = models.BooleanField(_("问题已整改"), default=False)
    resolution = models.TextField(_("整改情况"), blank=True)
    resolved_on = models.DateField(_("整改日期"), null=True, blank=True)
    exception_ground = models.TextField(
        _("适用例外的依据"),
        blank=True,
        help_text=_("公平竞争审查适用例外规定的,写明属于哪一种例外情形及理由。"),
    )
    history = HistoricalRecords(bases=[HistoryIPBase])

    objects = ScopedQuerySet.as_manager()
    scope = ScopeSpec(division="division")

    class Meta:
        verbose_name = _("审查记录")
        verbose_name_plural = _("审查记录")
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(document__isnull=False, measure__isnull=True)
                    | Q(document__isnull=True, measure__isnull=False)
                ),
                name="legal_review_one_subject",
            )
        ]

    def __str__(self):
        return f"{self.kind}:{self.subject}"

    @property
    def subject(self):
        return self.document if self.document_id else self.measure

    @property
    def passing(self) -> bool:
        return self.state == ReviewState.DONE and self.outcome in PASSING

    @property
    def open_issues(self) -> bool:
        return bool(self.issues_found.strip()) and not self.resolved
