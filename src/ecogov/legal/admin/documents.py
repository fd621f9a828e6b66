"""Screens of normative documents, their reviews (with the legal section's work list) and
policy measures."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from ecogov.core.admin.base import ReadOnlyInline
from ecogov.core.downloads import TO_THE_MINUTE, xlsx_response
from ecogov.core.reviews import review_items_for
from ecogov.legal import ledger, services
from ecogov.legal.models import (
    LegalPolicy,
    MeasureState,
    NormativeDocument,
    PolicyMeasure,
    PolicyReview,
    ReviewState,
)
from ecogov.legal.queries import document_in_force_q
from ecogov.legal.workflow import allowed_actions

from .base import LegalEventInline, StepAdmin
from .forms import DOCUMENT_STEPS, MEASURE_STEPS, REVIEW_STEPS


class ValidityFilter(admin.SimpleListFilter):
    title = _("效力")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [("in_force", _("现行有效")), ("not_in_force", _("未生效或已失效"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "in_force":
            return queryset.filter(document_in_force_q(today))
        if self.value() == "not_in_force":
            return queryset.exclude(document_in_force_q(today))
        return queryset


class FilingFilter(admin.SimpleListFilter):
    title = _("备案")
    parameter_name = "filing"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("逾期未备案")),
            ("pending", _("待备案")),
            ("late", _("逾期备案")),
            ("filed", _("已备案")),
        ]

    def queryset(self, request, queryset):
        from django.db.models import F

        today = timezone.localdate()
        pending = queryset.filter(issued_on__isnull=False, filed_on__isnull=True)
        if self.value() == "overdue":
            return pending.filter(filing_due__lt=today)
        if self.value() == "pending":
            return pending
        if self.value() == "late":
            return queryset.filter(filed_on__gt=F("filing_due"))
        if self.value() == "filed":
            return queryset.filter(filed_on__isnull=False)
        return queryset


class ReviewInline(ReadOnlyInline):
    model = PolicyReview
    fields = [
        "kind",
        "state",
        "submitted_on",
        "due_on",
        "reviewer",
        "reviewed_on",
        "outcome",
        "issues_found",
        "resolved",
    ]
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = _("审查记录")


DOCUMENT_DISPLAY = [
    "number",
    "title",
    "state",
    "summary",
    "drafting_unit",
    "division",
    "is_trial",
    "affects_public",
    "affects_market",
    "theme_names",
    "drafted_on",
    "consultation_started_on",
    "consultation_ended_on",
    "consultation_channel",
    "consultation_opinions",
    "consultation_adopted",
    "consultation_exception",
    "deliberated_on",
    "deliberation_meeting",
    "deliberation_conclusion",
    "registered_on",
    "issued_on",
    "effective_from",
    "valid_until",
    "published_on",
    "publication_channel",
    "filing_due",
    "filing_due_provisional",
    "filed_on",
    "filing_authority",
    "filing_reference",
    "evaluated_on",
    "evaluation_conclusion",
    "to_amend",
    "ended_on",
    "ending_reason",
    "replaced_by",
]


@admin.register(NormativeDocument)
class NormativeDocumentAdmin(StepAdmin):
    list_display = [
        "number",
        "title",
        "drafting_unit",
        "state",
        "issued_on",
        "valid_until",
        "filing_due",
        "filed_on",
    ]
    list_filter = [ValidityFilter, FilingFilter, "state", "affects_market", "themes", "number_year"]
    search_fields = ["number", "title"]
    list_select_related = ["drafting_unit"]
    inlines = [ReviewInline, LegalEventInline]
    actions = ["export_register"]
    fields = [
        "title",
        "summary",
        "drafting_unit",
        "division",
        "drafted_on",
        "is_trial",
        "affects_public",
        "affects_market",
        "themes",
    ]
    display_fields = DOCUMENT_DISPLAY
    steps = DOCUMENT_STEPS

    def allowed_steps(self, obj):
        return [a for a in allowed_actions(obj.state) if a in self.steps]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("主题"))
    def theme_names(self, obj):
        return "、".join(t.name for t in obj.themes.all()) or "—"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        profile = getattr(request.user, "staff", None)
        if profile is not None:
            initial.setdefault("division", profile.division_id)
            initial.setdefault("drafting_unit", profile.organisation_id)
        initial.setdefault("drafted_on", timezone.localdate())
        return initial

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in self.fields if k in form.cleaned_data}
        document = services.document_draft(actor=request.user, **data)
        self.adopt(obj, document)

    def save_related(self, request, form, formsets, change):
        pass  # the themes were set by the service

    @action(description=_("导出登记目录(Excel)"))
    def export_register(self, request, queryset):
        return xlsx_response(
            ledger.export_register(actor=request.user, queryset=queryset),
            "normative-documents",
            stamp=TO_THE_MINUTE,
        )


REVIEW_DISPLAY = [
    "kind",
    "subject_link",
    "state",
    "submitted_on",
    "submitted_by",
    "due_on",
    "due_provisional",
    "reviewer",
    "reviewed_on",
    "outcome",
    "opinion",
    "issues_found",
    "resolved",
    "resolution",
    "resolved_on",
    "exception_ground",
]


@admin.register(PolicyReview)
class PolicyReviewAdmin(StepAdmin):
    list_display = [
        "kind",
        "subject_link",
        "state",
        "submitted_on",
        "due_on",
        "reviewed_on",
        "outcome",
    ]
    list_filter = ["kind", "state", "outcome"]
    search_fields = ["document__title", "document__number", "measure__title"]
    list_select_related = ["kind", "document", "measure"]
    display_fields = REVIEW_DISPLAY
    inlines = [LegalEventInline]
    steps = REVIEW_STEPS

    @admin.display(description=_("审查对象"))
    def subject_link(self, obj):
        return str(obj.subject)

    def has_add_permission(self, request):
        return False  # a review is submitted from its document or measure

    def allowed_steps(self, obj):
        if obj.state == ReviewState.PENDING:
            return ["record"]
        if obj.state == ReviewState.DONE and obj.open_issues:
            return ["resolve"]
        return []

    def get_urls(self):
        own = [
            path("queue/", self.admin_site.admin_view(self.queue_view), name="legal_review_queue")
        ]
        return own + super().get_urls()

    def queue_view(self, request):
        """法制审核工作台: every review waiting for the legal section, from every area."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        items = review_items_for(request.user)
        soon = LegalPolicy.current().due_soon_days
        rows = [
            {
                "item": i,
                "overdue": bool(i.due and i.due < today),
                "soon": bool(i.due and 0 <= (i.due - today).days <= soon),
            }
            for i in items
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("法制审核工作台"),
            "rows": rows,
            "today": today,
        }
        return TemplateResponse(request, "legal/review_queue.html", context)


class MeasureReviewInline(ReviewInline):
    fk_name = "measure"


@admin.register(PolicyMeasure)
class PolicyMeasureAdmin(StepAdmin):
    """A measure's particulars are edited in place while it is drafted; issuing, repealing and
    its reviews are steps."""

    editable_in_place = True
    list_display = ["title", "reference", "drafting_unit", "state", "affects_market", "issued_on"]
    list_filter = ["state", "affects_market", "themes"]
    search_fields = ["title", "reference"]
    fields = [
        "title",
        "reference",
        "kind",
        "drafting_unit",
        "division",
        "affects_market",
        "themes",
        "drafted_on",
    ]
    readonly_fields_after_issue = [
        "drafting_unit",
        "division",
        "affects_market",
        "themes",
        "drafted_on",
    ]
    inlines = [MeasureReviewInline, LegalEventInline]
    steps = MEASURE_STEPS

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def allowed_steps(self, obj):
        return {
            MeasureState.DRAFTING: ["submit_review", "issue", "abandon"],
            MeasureState.ISSUED: ["repeal"],
        }.get(obj.state, [])

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.state != MeasureState.DRAFTING:
            return self.readonly_fields_after_issue
        return []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        profile = getattr(request.user, "staff", None)
        if profile is not None:
            initial.setdefault("division", profile.division_id)
            initial.setdefault("drafting_unit", profile.organisation_id)
        initial.setdefault("drafted_on", timezone.localdate())
        return initial

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.measures.FIELDS if k in form.cleaned_data}
        themes = form.cleaned_data.get("themes")
        if change:
            services.measure_update(
                actor=request.user,
                measure=PolicyMeasure.objects.get(pk=obj.pk),
                data=data,
                themes=themes,
            )
        else:
            self.adopt(
                obj, services.measure_create(actor=request.user, data=data, themes=themes or ())
            )

    def save_related(self, request, form, formsets, change):
        pass  # themes by the service; reviews and events are the services' records
