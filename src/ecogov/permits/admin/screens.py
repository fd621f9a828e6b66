"""Screens of the permit and registration ledgers; every write goes through the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from ecogov.core.admin.base import EventInline, ReadOnlyInline, ScopedModelAdmin
from ecogov.core.admin.imports import LedgerImportMixin
from ecogov.core.downloads import TO_THE_MINUTE, xlsx_response
from ecogov.core.exports import export_response
from ecogov.core.scoping import can_edit

from .. import ledger, services
from ..models import (
    ExecutionReport,
    Permit,
    PermitEvent,
    Registration,
    RegistrationEvent,
    ReportPeriod,
    site_key,
)
from ..services.registrations import duplicate_problem
from ..steps import PERMIT_STEPS, REGISTRATION_STEPS


class PermitEventInline(EventInline):
    model = PermitEvent


class ReportInline(ReadOnlyInline):
    model = ExecutionReport
    fields = readonly_fields = ["year", "period", "submitted_on", "note"]


class RegistrationEventInline(EventInline):
    model = RegistrationEvent
    fields = ["occurred_at", "type", "effective_on", "actor", "reason"]


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("办理事项"), choices=PERMIT_STEPS.choices())
    day = forms.DateField(label=_("日期"))
    year = forms.IntegerField(label=_("报告年度"), required=False)
    period = forms.ChoiceField(
        label=_("报告期"), required=False, choices=[("", "—"), *ReportPeriod.choices]
    )
    reason = forms.CharField(
        label=_("理由或说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CancelForm(forms.Form):
    step = forms.ChoiceField(label=_("办理事项"), choices=REGISTRATION_STEPS.choices())
    day = forms.DateField(label=_("注销日期"))
    reason = forms.CharField(label=_("注销理由"), widget=forms.Textarea(attrs={"rows": 3}))


def _lines(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return list(exc.messages)


def _step_page(model_admin, request, record, form, run, done):
    if not can_edit(request.user, record):
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            run(request.user, record, form.cleaned_data)
        except ValidationError as exc:
            errors = _lines(exc)
        except PermissionDenied as exc:
            errors = [str(exc)]
        else:
            messages.success(request, _("已办理。"))
            return HttpResponseRedirect(done)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("办理:%s") % record,
        "form": form,
        "errors": errors,
    }
    return TemplateResponse(request, "core/form_page.html", context)


class PermitForm(forms.ModelForm):
    """The one-permit-per-site rule shows next to the field (the service checks it again)."""

    class Meta:
        model = Permit
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "permit_number" in self.fields:  # left empty, the service numbers the permit
            self.fields["permit_number"].required = False

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("entity") and data.get("site"):
            holder = Permit.objects.filter(
                entity=data["entity"], site_key=site_key(data["site"]), state="in_force"
            ).first()
            if holder is not None and (
                not data.get("issued_on") or holder.in_force_until >= data["issued_on"]
            ):
                self.add_error(
                    "site",
                    _("该单位在此场所已持有有效的排污许可证(编号 %(n)s),应办理变更、延续或注销。")
                    % {"n": holder.permit_number},
                )
        return data


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("registration_number", "unit_name", "credit_code"):  # from the entity
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not data.get("entity"):
            for name in ("unit_name", "credit_code"):
                if not data.get(name):
                    self.add_error(name, _("未选择排污单位时须填写此项。"))
        if self.instance.pk is None and data.get("address"):
            probe = Registration(
                credit_code=data.get("credit_code")
                or getattr(data.get("entity"), "credit_code", ""),
                address=data["address"],
            )
            errors: dict = {}
            duplicate_problem(probe, errors)
            for message in errors.get("address", []):
                self.add_error("address", message)
        return data


@admin.register(Permit)
class PermitAdmin(LedgerImportMixin, ScopedModelAdmin):
    form = PermitForm
    list_display = [
        "permit_number",
        "entity",
        "division",
        "management_class",
        "issued_on",
        "valid_until",
        "with_rectification",
        "state",
    ]
    list_filter = ["state", "management_class", "with_rectification", "division"]
    date_hierarchy = "issued_on"
    search_fields = ["permit_number", "entity__name", "entity__credit_code", "site"]
    list_select_related = ["entity", "division"]
    autocomplete_fields = ["entity"]
    inlines = [ReportInline, PermitEventInline]
    actions = ["export_xlsx"]
    import_title = _("导入排污许可证台账")
    actions_detail = ["handle_step"]
    fields = [
        "permit_number",
        "entity",
        "division",
        "site",
        "management_class",
        "industry_code",
        "issued_on",
        "valid_until",
        "pollutants",
        "conditions",
        "with_rectification",
        "rectification_items",
        "rectification_deadline",
        "rectification_closed_on",
        "renewal_applied_on",
        "renewal_count",
        "state",
        "ended_on",
        "end_reason",
        "reports_tracked_from",
    ]
    readonly_fields = [
        "valid_until",
        "rectification_closed_on",
        "renewal_applied_on",
        "renewal_count",
        "state",
        "ended_on",
        "end_reason",
        "reports_tracked_from",
    ]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # records written by the services

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:  # after issue, only a change (条例 art. 14) edits these
            fields += [
                f for f in self.fields if f not in services.CHANGE_FIELDS and f not in fields
            ]
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            data = {
                n: form.cleaned_data[n] for n in form.changed_data if n in services.CHANGE_FIELDS
            }
            if data:
                services.permit_change(
                    actor=request.user,
                    permit=Permit.objects.get(pk=obj.pk),
                    data=data,
                    changed_on=timezone.localdate(),
                )
            return
        data = {n: form.cleaned_data[n] for n in services.PERMIT_FIELDS if n in form.cleaned_data}
        permit = services.permit_issue(actor=request.user, data=data)
        self.adopt(obj, permit)

    def save_related(self, request, form, formsets, change):
        pass  # reports and events are written by the services

    @action(description=_("办理"), url_path="step", permissions=["edit_record"])
    def handle_step(self, request, object_id):
        permit = get_object_or_404(self.get_queryset(request), pk=object_id)
        return _step_page(
            self,
            request,
            permit,
            StepForm(request.POST or None),
            PERMIT_STEPS.dispatch,
            reverse("admin:permits_permit_change", args=[permit.pk]),
        )

    @action(description=_("导出所选为 Excel"))
    def export_xlsx(self, request, queryset):
        return export_response(request, queryset, ledger.export_permits, "permits")

    def import_columns(self):
        return ledger.PERMIT_COLUMNS

    def import_run(self, request, upload):
        return ledger.import_permits(actor=request.user, source=upload, source_name=upload.name)


@admin.register(Registration)
class RegistrationAdmin(LedgerImportMixin, ScopedModelAdmin):
    form = RegistrationForm
    list_display = [
        "registration_number",
        "unit_name",
        "division",
        "filed_on",
        "valid_until",
        "state",
    ]
    list_filter = ["state", "division"]
    date_hierarchy = "filed_on"
    search_fields = ["registration_number", "unit_name", "credit_code", "address"]
    list_select_related = ["division"]
    autocomplete_fields = ["entity"]
    inlines = [RegistrationEventInline]
    actions = ["export_xlsx"]
    import_title = _("导入排污登记台账")
    actions_detail = ["handle_step"]
    fields = [
        "registration_number",
        "unit_name",
        "credit_code",
        "entity",
        "division",
        "address",
        "industry_code",
        "filed_on",
        "valid_until",
        "changed_on",
        "state",
        "cancelled_on",
    ]
    readonly_fields = ["valid_until", "changed_on", "state", "cancelled_on"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # records written by the services

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += [
                f
                for f in self.fields
                if f not in services.registrations.CHANGE_FIELDS and f not in fields
            ]
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            data = {
                n: form.cleaned_data[n]
                for n in form.changed_data
                if n in services.registrations.CHANGE_FIELDS
            }
            if data:
                services.registration_change(
                    actor=request.user,
                    registration=Registration.objects.get(pk=obj.pk),
                    data=data,
                    changed_on=timezone.localdate(),
                )
            return
        data = {
            n: form.cleaned_data[n] for n in services.REGISTRATION_FIELDS if n in form.cleaned_data
        }
        registration = services.registration_file(actor=request.user, data=data)
        self.adopt(obj, registration)

    def save_related(self, request, form, formsets, change):
        pass

    @action(description=_("注销"), url_path="step", permissions=["edit_record"])
    def handle_step(self, request, object_id):
        registration = get_object_or_404(self.get_queryset(request), pk=object_id)
        return _step_page(
            self,
            request,
            registration,
            CancelForm(request.POST or None),
            REGISTRATION_STEPS.dispatch,
            reverse("admin:permits_registration_change", args=[registration.pk]),
        )

    @action(description=_("导出所选为 Excel"))
    def export_xlsx(self, request, queryset):
        return xlsx_response(
            ledger.export_registrations(actor=request.user, queryset=queryset),
            "registrations",
            stamp=TO_THE_MINUTE,
        )

    def import_columns(self):
        return ledger.REGISTRATION_COLUMNS

    def import_run(self, request, upload):
        return ledger.import_registrations(
            actor=request.user, source=upload, source_name=upload.name
        )


@admin.register(ExecutionReport)
class ExecutionReportAdmin(ScopedModelAdmin):
    list_display = ["permit", "year", "period", "submitted_on"]
    list_filter = ["year", "period"]
    search_fields = ["permit__permit_number", "permit__entity__name"]
    list_select_related = ["permit", "permit__entity"]
    readonly_fields = ["permit", "year", "period", "submitted_on", "note"]

    def has_add_permission(self, request):
        return False  # recorded from the permit's 办理 page (service execution_report_submit)

    def has_change_permission(self, request, obj=None):
        return False
