"""Screens for disclosures, payments and the configuration the legal section keeps."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ecogov.core.admin.base import HistoryModelAdmin, ScopedModelAdmin
from ecogov.enforcement.models import (
    CaseDisclosure,
    EnforcementPolicy,
    LegalBasis,
    Payment,
    PenaltyRule,
)


class PublishedFilter(admin.SimpleListFilter):
    title = _("公开情况")
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("no", _("待公开")), ("yes", _("已公开"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(published_on__isnull=True, withdrawn_on__isnull=True)
        if self.value() == "yes":
            return queryset.filter(published_on__isnull=False)
        return queryset


@admin.register(CaseDisclosure)
class CaseDisclosureAdmin(ScopedModelAdmin):
    """What is due to be published (公开 is a step of the case: the case's “公开处罚决定”)."""

    list_display = ["case", "due_on", "due_provisional", "published_on", "on_time_display"]
    list_filter = [PublishedFilter]
    search_fields = ["case__number", "title"]
    readonly_fields = [
        "case",
        "due_on",
        "due_provisional",
        "published_on",
        "title",
        "content",
        "withdrawn_on",
        "withdrawal_reason",
    ]

    @admin.display(description=_("按期"), boolean=True)
    def on_time_display(self, obj):
        return obj.on_time

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ScopedModelAdmin):
    """Payments are registered as a step of their case (“登记缴款”), not here."""

    list_display = ["case", "paid_on", "amount", "receipt_number"]
    date_hierarchy = "paid_on"
    search_fields = ["case__number", "receipt_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LegalBasis)
class LegalBasisAdmin(HistoryModelAdmin):
    list_display = ["code", "title", "violation", "fine_min", "fine_max", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "title", "violation"]

    def has_delete_permission(self, request, obj=None):
        return False  # decided cases point at it; retire it with “在用” instead


@admin.register(PenaltyRule)
class PenaltyRuleAdmin(HistoryModelAdmin):
    list_display = ["__str__", "hearing_fine_from", "review_fine_from", "collective_fine_from"]
    list_filter = ["party_kind"]

    def has_delete_permission(self, request, obj=None):
        return False  # supersede a rule with a newer effective date; keep the old one


@admin.register(EnforcementPolicy)
class EnforcementPolicyAdmin(HistoryModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
