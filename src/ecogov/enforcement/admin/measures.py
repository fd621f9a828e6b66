"""Execution, coercive measures and changed decisions on the case page (read-only inlines,
shown only when the case has such records) and two lists with their deadlines: the
court-application windows and the measures in force (docs/enforcement.md §9–§11)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ecogov.core.admin.base import ReadOnly, ReadOnlyInline, ScopedModelAdmin
from ecogov.core.display import due_date
from ecogov.enforcement.models import (
    CoerciveMeasure,
    CompulsoryExecution,
    DailyPenalty,
    DecisionChange,
    PaymentPlan,
)


class PaymentPlanInline(ReadOnlyInline):
    model = PaymentPlan
    fields = [
        "kind",
        "applied_on",
        "approved",
        "decided_on",
        "approver",
        "schedule_text",
        "opinion",
    ]
    verbose_name_plural = _("延期(分期)缴纳")

    @admin.display(description=_("缴纳期限与金额"))
    def schedule_text(self, obj):
        return ";".join(f"{r['due_on']} {r['amount']}元" for r in obj.schedule) or "—"


class CompulsoryInline(ReadOnlyInline):
    model = CompulsoryExecution
    fields = [
        "demand_served_on",
        "demand_surcharge",
        "surcharge_derivation",
        "window_opens",
        "window_closes",
        "applied_on",
        "ruling",
        "outcome",
    ]
    verbose_name_plural = _("催告与申请强制执行")


class MeasureInline(ReadOnlyInline):
    model = CoerciveMeasure
    fields = [
        "kind",
        "started_on",
        "subject",
        "emergency",
        "approved_by",
        "approved_on",
        "extension",
        "testing_days",
        "ends_on",
        "ends_provisional",
        "released_on",
    ]
    verbose_name_plural = _("查封扣押与限产停产")


class DailyPenaltyInline(ReadOnlyInline):
    model = DailyPenalty
    fields = [
        "order_served_on",
        "reinspection_due",
        "reinspected_on",
        "continuing",
        "days",
        "amount",
        "derivation",
    ]
    verbose_name_plural = _("按日连续处罚")


class DecisionChangeInline(ReadOnlyInline):
    model = DecisionChange
    fields = ["kind", "by", "ruling_on", "ruling_reference", "fine_after", "reason"]
    verbose_name_plural = _("处罚决定的撤销、变更、确认违法")


CASE_INLINES = [
    PaymentPlanInline,
    CompulsoryInline,
    MeasureInline,
    DailyPenaltyInline,
    DecisionChangeInline,
]


def present(inline, obj) -> bool:
    """Show one of these inlines only when the case has such records."""
    if inline.model not in {i.model for i in CASE_INLINES} or obj is None:
        return True
    return inline.model.objects.filter(case=obj).exists()


class _ReadOnly(ReadOnly, ScopedModelAdmin):
    pass


@admin.register(CompulsoryExecution)
class CompulsoryExecutionAdmin(_ReadOnly):
    """Each a step of its case (催告, 申请法院强制执行 …); here the windows at a glance."""

    list_display = [
        "case",
        "demand_served_on",
        "window_opens",
        "window_closes_display",
        "applied_on",
        "ruling",
        "outcome",
    ]
    list_filter = ["ruling", "outcome"]
    search_fields = ["case__number", "court_reference"]
    list_select_related = ["case"]

    @admin.display(description=_("申请强制执行截止日"), ordering="window_closes")
    def window_closes_display(self, obj):
        return due_date(obj.window_closes, obj.window_provisional)


@admin.register(CoerciveMeasure)
class CoerciveMeasureAdmin(_ReadOnly):
    list_display = [
        "case",
        "kind",
        "started_on",
        "emergency",
        "approved_on",
        "ends_display",
        "extension",
        "released_on",
    ]
    list_filter = ["kind", "emergency"]
    search_fields = ["case__number", "subject"]
    list_select_related = ["case"]

    @admin.display(description=_("期限届满日"), ordering="ends_on")
    def ends_display(self, obj):
        return due_date(obj.ends_on, obj.ends_provisional)
