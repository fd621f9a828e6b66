"""Screens of EIA after approval: 区域限批, 环评重新审核, 竣工环保验收, 验收抽查. Records are written
by the services (add pages and 办理 pages); once written they are read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from ecogov.core.admin.base import EventInline, ReadOnlyInline, ScopedModelAdmin
from ecogov.core.calendar import current_calendar
from ecogov.core.scoping import can_edit
from ecogov.core.steps import Step, Steps

from .. import services
from ..deadlines import rereview_deadline, suspension_site_check_due
from ..models import (
    EiaAcceptance,
    EiaReReview,
    EiaSpotCheck,
    RegionalSuspension,
    ReReviewOutcome,
    SuspensionEvent,
)
from ..services.common import is_city_level
from .projects import error_lines


class _ServiceWritten(ScopedModelAdmin):
    """Added through a service; read-only once written (its steps on the 办理 page)."""

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        pass

    def _step_page(self, request, record, form, run, title, info=""):
        if not can_edit(request.user, record):
            raise PermissionDenied
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            try:
                run(form.cleaned_data)
            except ValidationError as exc:
                errors = error_lines(exc)
            except PermissionDenied as exc:
                errors = [str(exc)]
            else:
                messages.success(request, _("已办理。"))
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "errors": errors,
            "info": info,
        }
        return TemplateResponse(request, "core/form_page.html", context)


class SuspensionEventInline(EventInline):
    model = SuspensionEvent
    fields = ["occurred_at", "type", "effective_on", "actor", "reason"]


SUSPENSION_STEPS = Steps(  # core.steps: one form (SuspensionStepForm) for the three
    Step(
        "extend",
        _("延长限批(一次,不超过6个月)"),
        lambda a, s, d: services.suspension_extend(
            actor=a, suspension=s, until=d["day"], number=d["number"]
        ),
    ),
    Step(
        "lift",
        _("解除限批"),
        lambda a, s, d: services.suspension_lift(
            actor=a, suspension=s, lifted_on=d["day"], number=d["number"]
        ),
    ),
    Step(
        "site_check",
        _("登记期满现场核查"),
        lambda a, s, d: services.suspension_site_check(
            actor=a, suspension=s, checked_on=d["day"], note=d["note"]
        ),
    ),
)


class SuspensionStepForm(forms.Form):
    step = forms.ChoiceField(label=_("办理事项"), choices=SUSPENSION_STEPS.choices())
    day = forms.DateField(label=_("日期"), required=False, help_text=_("延长至、解除或核查的日期"))
    number = forms.CharField(label=_("决定文号"), required=False)
    note = forms.CharField(
        label=_("核查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(RegionalSuspension)
class RegionalSuspensionAdmin(_ServiceWritten):
    list_display = ["division", "document_number", "authority", "starts_on", "last_day_display"]
    list_filter = ["division"]
    search_fields = ["document_number", "authority", "reason"]
    list_select_related = ["division"]
    date_hierarchy = "starts_on"
    inlines = [SuspensionEventInline]
    actions_detail = ["handle_step"]
    fields = [
        "division",
        "authority",
        "document_number",
        "reason",
        "starts_on",
        "ends_on",
        "extended_until",
        "extension_number",
        "lifted_on",
        "lift_number",
        "site_checked_on",
        "site_check_note",
        "site_check_due_display",
    ]
    readonly_fields = [
        "extended_until",
        "extension_number",
        "lifted_on",
        "lift_number",
        "site_checked_on",
        "site_check_note",
        "site_check_due_display",
    ]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.fields if obj is not None else services.SUSPENSION_FIELDS

    # recorded and handled by the city bureau (a sub-bureau sees its county's)
    def has_add_permission(self, request):
        return super().has_add_permission(request) and is_city_level(request.user)

    def has_edit_record_permission(self, request, object_id=None) -> bool:
        return is_city_level(request.user) and super().has_edit_record_permission(
            request, object_id
        )

    @admin.display(description=_("限批至"))
    def last_day_display(self, obj):
        return obj.last_day

    @admin.display(description=_("现场核查期限"))
    def site_check_due_display(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        due = suspension_site_check_due(obj, current_calendar(), allow_provisional=True)
        return f"{due.due:%Y-%m-%d}" + (str(_("(暂定)")) if due.provisional else "")

    def save_model(self, request, obj, form, change):
        data = {n: form.cleaned_data[n] for n in services.SUSPENSION_FIELDS}
        self.adopt(obj, services.suspension_record(actor=request.user, data=data))

    @action(description=_("办理"), url_path="step", permissions=["edit_record"])
    def handle_step(self, request, object_id):
        suspension = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_edit_record_permission(request, object_id):
            raise PermissionDenied

        return self._step_page(
            request,
            suspension,
            SuspensionStepForm(request.POST or None),
            lambda d: SUSPENSION_STEPS.run(d["step"], request.user, suspension, d),
            _("办理:%s") % suspension,
            _("限批至 %(day)s;现场核查期限 %(due)s")
            % {"day": suspension.last_day, "due": self.site_check_due_display(suspension)},
        )


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("审核结论"),
        choices=[c for c in ReReviewOutcome.choices if c[0] != ReReviewOutcome.PENDING],
    )
    day = forms.DateField(label=_("答复日期"), required=False)
    number = forms.CharField(label=_("答复文号"), required=False)
    reasons = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(EiaReReview)
class EiaReReviewAdmin(_ServiceWritten):
    list_display = ["project", "received_on", "construction_starts_on", "outcome", "due_display"]
    list_filter = ["outcome"]
    search_fields = ["project__reference", "project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    actions_detail = ["handle_step"]
    fields = [
        "project",
        "received_on",
        "construction_starts_on",
        "due_display",
        "outcome",
        "answered_on",
        "answer_number",
        "reasons",
    ]
    readonly_fields = ["due_display", "outcome", "answered_on", "answer_number", "reasons"]

    def get_fields(self, request, obj=None):
        return (
            self.fields if obj is not None else ["project", "received_on", "construction_starts_on"]
        )

    def takes_steps(self, obj) -> bool:
        return obj.outcome == ReReviewOutcome.PENDING

    def edit_target(self, obj):
        return obj.project

    @admin.display(description=_("答复期限"))
    def due_display(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        due = rereview_deadline(obj, current_calendar(), allow_provisional=True)
        text = _("%(alert)s(按自然日 %(cal)s,按工作日 %(work)s)") % {
            "alert": f"{due.alert_on.due:%Y-%m-%d}",
            "cal": f"{due.calendar.due:%Y-%m-%d}",
            "work": f"{due.working.due:%Y-%m-%d}",
        }
        return text + (str(_("(暂定)")) if due.working.provisional else "")

    def save_model(self, request, obj, form, change):
        d = form.cleaned_data
        rereview = services.rereview_request(
            actor=request.user,
            project=d["project"],
            received_on=d["received_on"],
            construction_starts_on=d["construction_starts_on"],
        )
        self.adopt(obj, rereview)

    @action(description=_("答复"), url_path="step", permissions=["edit_record"])
    def handle_step(self, request, object_id):
        rereview = get_object_or_404(self.get_queryset(request), pk=object_id)

        def run(d):
            services.rereview_answer(
                actor=request.user,
                rereview=rereview,
                outcome=d["outcome"],
                answered_on=d["day"],
                number=d["number"],
                reasons=d["reasons"],
            )

        return self._step_page(
            request,
            rereview,
            AnswerForm(request.POST or None),
            run,
            _("答复重新审核:%s") % rereview.project,
            _("答复期限:%s") % self.due_display(rereview),
        )


class SpotCheckInline(ReadOnlyInline):
    model = EiaSpotCheck
    fields = readonly_fields = ["checked_on", "result", "findings", "follow_up"]


@admin.register(EiaAcceptance)
class EiaAcceptanceAdmin(_ServiceWritten):
    list_display = ["project", "phase", "completed_on", "concluded_on", "passed", "published_from"]
    list_filter = ["passed"]
    search_fields = ["project__reference", "project__name", "phase"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    date_hierarchy = "concluded_on"
    inlines = [SpotCheckInline]
    fields = ["project", *services.ACCEPTANCE_FIELDS]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = {
            n: form.cleaned_data[n] for n in services.ACCEPTANCE_FIELDS if n in form.cleaned_data
        }
        acceptance = services.acceptance_record(
            actor=request.user, project=form.cleaned_data["project"], data=data
        )
        self.adopt(obj, acceptance)


@admin.register(EiaSpotCheck)
class EiaSpotCheckAdmin(_ServiceWritten):
    list_display = ["acceptance", "checked_on", "result"]
    list_filter = ["result"]
    search_fields = ["acceptance__project__reference", "acceptance__project__name", "findings"]
    list_select_related = ["acceptance__project"]
    autocomplete_fields = ["acceptance"]
    date_hierarchy = "checked_on"
    fields = ["acceptance", "checked_on", "result", "findings", "follow_up"]

    def save_model(self, request, obj, form, change):
        d = form.cleaned_data
        check = services.spot_check_record(
            actor=request.user,
            acceptance=d["acceptance"],
            checked_on=d["checked_on"],
            result=d["result"],
            findings=d.get("findings", ""),
            follow_up=d.get("follow_up", ""),
        )
        self.adopt(obj, check)
