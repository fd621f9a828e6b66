"""Screens of cleanup campaigns, reconsideration and litigation cases, bills and contract
reviews."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from ecogov.core.admin.base import ReadOnlyInline
from ecogov.core.downloads import TO_THE_MINUTE, xlsx_response
from ecogov.core.fields import personal_search
from ecogov.core.masking import MASKERS
from ecogov.core.scoping import can_edit
from ecogov.legal import ledger, services
from ecogov.legal.models import (
    ApplicantKind,
    Bill,
    BillMilestone,
    CampaignState,
    CleanupCampaign,
    CleanupItem,
    ContractReview,
    DisputeCase,
    DisputeKind,
    DisputeState,
)

from .base import LedgerAdmin, LegalEventInline, StepAdmin
from .forms import BILL_STEPS, CLEANUP_STEPS, CONTRACT_STEPS, DISPUTE_STEPS


def _initial_division(request, initial):
    profile = getattr(request.user, "staff", None)
    if profile is not None and profile.division_id:
        initial.setdefault("division", profile.division_id)
    return initial


# --- cleanup ------------------------------------------------------------------------------------
class CleanupItemInline(ReadOnlyInline):
    model = CleanupItem
    fields = ["document", "measure", "verdict", "reason", "decided_on", "applied"]
    readonly_fields = fields
    verbose_name_plural = _("清理目录")


@admin.register(CleanupCampaign)
class CleanupCampaignAdmin(StepAdmin):
    list_display = ["title", "kind", "started_on", "due_on", "state", "item_count", "finished_on"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "basis"]
    fields = ["title", "kind", "basis", "division", "started_on", "due_on"]
    display_fields = [
        "title",
        "kind",
        "basis",
        "division",
        "state",
        "started_on",
        "due_on",
        "criteria_text",
        "finished_on",
        "catalogue_submitted_on",
        "submitted_to",
    ]
    inlines = [CleanupItemInline, LegalEventInline]
    steps = CLEANUP_STEPS

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_total=Count("items"))

    @admin.display(description=_("条目数"), ordering="item_total")
    def item_count(self, obj):
        return obj.item_total  # counted by get_queryset, for the list and the change page

    @admin.display(description=_("选取条件"))
    def criteria_text(self, obj):
        c = obj.criteria or {}
        parts = []
        if c.get("in_force_on"):
            parts.append(f"{c['in_force_on']}现行有效")
        if c.get("issued_from") or c.get("issued_to"):
            parts.append(f"印发于{c.get('issued_from') or '…'}至{c.get('issued_to') or '…'}")
        if c.get("themes"):
            from ecogov.legal.models import Theme

            parts.append(
                "主题:"
                + "、".join(Theme.objects.filter(pk__in=c["themes"]).values_list("name", flat=True))
            )
        if c.get("affects_market"):
            parts.append("涉及经营者经济活动")
        return ";".join(parts) or "—"

    def allowed_steps(self, obj):
        if obj.state != CampaignState.OPEN:
            return []
        return ["select", "verdict", "finish"] if obj.items.exists() else ["select"]

    def get_changeform_initial_data(self, request):
        initial = _initial_division(request, super().get_changeform_initial_data(request))
        initial.setdefault("started_on", timezone.localdate())
        return initial

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in self.fields}
        self.adopt(obj, services.campaign_start(actor=request.user, **data))

    def record_links(self, request, obj):
        url = reverse("admin:legal_cleanupcampaign_catalogue", args=[obj.pk])
        return [(_("导出清理目录(Excel)"), url, "download")]

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/catalogue/",
                self.admin_site.admin_view(self.catalogue_view),
                name="legal_cleanupcampaign_catalogue",
            )
        ]
        return own + super().get_urls()

    def catalogue_view(self, request, object_id):
        campaign = get_object_or_404(self.get_queryset(request), pk=object_id)
        return xlsx_response(
            ledger.export_catalogue(actor=request.user, campaign=campaign),
            "cleanup-catalogue",
            stamp=TO_THE_MINUTE,
        )


# --- reconsideration and litigation ------------------------------------------------------------------
class DisputeAddForm(forms.ModelForm):
    act_number = forms.CharField(
        label=_("被诉行为的记录编号"),
        required=False,
        help_text=_(
            "如 示环罚〔2020〕12号(行政处罚)、许可证编号、环评受理编号;关联后可从记录查到本案。"
        ),
    )

    class Meta:
        model = DisputeCase
        fields = [
            "kind",
            "trial_level",
            "reference",
            "forum",
            "division",
            "handling_unit",
            "agent",
            "applicant_kind",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "act_kind",
            "act_description",
            "act_number",
            "claims",
            "received_on",
        ]


DISPUTE_DISPLAY = [
    "kind",
    "trial_level",
    "reference",
    "forum",
    "division",
    "handling_unit",
    "agent",
    "applicant_kind",
    "applicant_display",
    "applicant_id_display",
    "applicant_phone_display",
    "act_kind",
    "act_description",
    "act_link",
    "claims",
    "state",
    "received_on",
    "answer_due",
    "answer_day_kind_label",
    "answer_due_provisional",
    "answered_on",
    "hearing_on",
    "principal_appeared",
    "appearing_person",
    "decided_on",
    "outcome",
    "outcome_note",
]


@admin.register(DisputeCase)
class DisputeCaseAdmin(StepAdmin):
    form = DisputeAddForm
    list_display = [
        "kind",
        "reference",
        "applicant_display",
        "act_description",
        "received_on",
        "answer_due",
        "state",
        "outcome",
    ]
    list_filter = ["kind", "state", "outcome", "act_kind"]
    search_fields = ["reference", "act_description", "forum"]
    display_fields = DISPUTE_DISPLAY

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_queryset(request).filter(pk=object_id).first()
        shown = case is not None and can_edit(request.user, case)  # as history_view decides
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "show_history": shown}
        )

    def history_view(self, request, object_id, extra_context=None):
        # the change history shows every value, the applicant's personal data too: handlers only
        case = self.get_queryset(request).filter(pk=object_id).first()
        if case is not None and not can_edit(request.user, case):
            raise PermissionDenied(_("案件的变更历史含申请人个人信息,仅承办人员可查看。"))
        return super().history_view(request, object_id, extra_context)

    def get_search_results(self, request, queryset, search_term):
        # the applicant is encrypted: whole name or ID number through the blind indexes, on
        # the cases the user handles (ecogov.core.fields)
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found = found | queryset.filter(personal_search(DisputeCase, request.user, search_term))
        return found, duplicates

    inlines = [LegalEventInline]
    actions = ["export_xlsx"]
    steps = DISPUTE_STEPS

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def allowed_steps(self, obj):
        if obj.state == DisputeState.DECIDED:
            return []
        steps = ["answer"] if obj.state == DisputeState.RECEIVED else []
        if obj.kind == DisputeKind.LITIGATION:
            steps.append("hearing")
        return [*steps, "decide"]

    @staticmethod
    def _reveal(obj) -> bool:
        return getattr(obj, "_ecogov_reveal", False)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:  # personal data only for those who handle the case (core.masking)
            obj._ecogov_reveal = can_edit(request.user, obj)
        return obj

    @admin.display(description=_("申请人(原告)"))
    def applicant_display(self, obj):
        # lists are read by more people than the handlers: a person's name masked there
        if obj.applicant_kind == ApplicantKind.INDIVIDUAL and not self._reveal(obj):
            return MASKERS["name"](obj.applicant_name)
        return obj.applicant_name

    @admin.display(description=_("统一社会信用代码或身份证号"))
    def applicant_id_display(self, obj):
        value = obj.applicant_id_number
        return value if self._reveal(obj) else MASKERS["id_number"](value)

    @admin.display(description=_("联系电话"))
    def applicant_phone_display(self, obj):
        value = obj.applicant_phone
        return value if self._reveal(obj) else MASKERS["phone"](value)

    @admin.display(description=_("期限计算"))
    def answer_day_kind_label(self, obj):
        return {"working": "工作日", "calendar": "自然日"}.get(obj.answer_day_kind, "—")

    @admin.display(description=_("关联记录"))
    def act_link(self, obj):
        return str(obj.act_record) if obj.act_content_type_id else "—"

    def get_changeform_initial_data(self, request):
        initial = _initial_division(request, super().get_changeform_initial_data(request))
        profile = getattr(request.user, "staff", None)
        if profile is not None:
            initial.setdefault("handling_unit", profile.organisation_id)
        return initial

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in services.disputes.FIELDS if k in form.cleaned_data}
        act = services.resolve_act(
            actor=request.user,
            act_kind=data["act_kind"],
            number=form.cleaned_data.get("act_number", ""),
        )
        self.adopt(obj, services.dispute_register(actor=request.user, data=data, act_record=act))

    @action(description=_("导出所选为 Excel"))
    def export_xlsx(self, request, queryset):
        return xlsx_response(
            ledger.export_disputes(actor=request.user, queryset=queryset),
            "reconsideration-litigation",
            stamp=TO_THE_MINUTE,
        )


# --- legislation ------------------------------------------------------------------------------------
class MilestoneInline(ReadOnlyInline):
    model = BillMilestone
    fields = ["kind", "on", "body", "note"]
    readonly_fields = fields
    verbose_name_plural = _("立法环节")


@admin.register(Bill)
class BillAdmin(StepAdmin, LedgerAdmin):
    editable_in_place = True
    list_display = ["title", "kind", "drafting_unit", "passed_on", "approved_on"]
    list_filter = ["kind"]
    search_fields = ["title"]
    fields = ["title", "kind", "drafting_unit", "division", "summary"]
    inlines = [MilestoneInline, LegalEventInline]
    steps = BILL_STEPS

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("表决通过"))
    def passed_on(self, obj):
        milestone = obj.milestone("passed")
        return milestone.on if milestone else "—"

    @admin.display(description=_("批准"))
    def approved_on(self, obj):
        milestone = obj.milestone("approved")
        return milestone.on if milestone else "—"


# --- contracts sent for review -----------------------------------------------------------------------
@admin.register(ContractReview)
class ContractReviewAdmin(StepAdmin):
    list_display = [
        "title",
        "counterparty",
        "amount_wan",
        "submitting_unit",
        "submitted_on",
        "due_on",
        "reviewed_on",
        "passed",
    ]
    list_filter = ["passed", "submitting_unit"]
    search_fields = ["title", "counterparty"]
    fields = ["title", "counterparty", "amount_wan", "submitting_unit", "division", "submitted_on"]
    display_fields = [
        "title",
        "counterparty",
        "amount_wan",
        "submitting_unit",
        "division",
        "submitted_on",
        "due_on",
        "due_provisional",
        "reviewer",
        "reviewed_on",
        "passed",
        "opinion",
    ]
    inlines = [LegalEventInline]
    steps = CONTRACT_STEPS

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def allowed_steps(self, obj):
        return ["review"] if obj.reviewed_on is None else []

    def get_changeform_initial_data(self, request):
        initial = _initial_division(request, super().get_changeform_initial_data(request))
        profile = getattr(request.user, "staff", None)
        if profile is not None:
            initial.setdefault("submitting_unit", profile.organisation_id)
        initial.setdefault("submitted_on", timezone.localdate())
        return initial

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in self.fields}
        self.adopt(obj, services.contract_review_submit(actor=request.user, data=data))
