"""Screens for inspection records: record, evidence, Excel export, open a case in one step."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from ecogov.core.admin.base import EventInline, ScopedModelAdmin
from ecogov.core.admin.entities import AttachmentInline
from ecogov.core.exports import export_response
from ecogov.core.models import Attachment, RegulatedEntity
from ecogov.core.roles import Role
from ecogov.inspections import ledger, services
from ecogov.inspections.models import (
    DrawCheck,
    DrawStatus,
    InspectionEvent,
    InspectionRecord,
    Outcome,
)

from .common import ServiceErrorsMixin, certified_users, form_page, run_service


class RecordEventInline(EventInline):
    model = InspectionEvent
    fields = ["occurred_at", "type", "actor", "from_state", "to_state", "reason", "payload"]


class RecordForm(forms.ModelForm):
    class Meta:
        model = InspectionRecord
        fields = [
            "date",
            "entity",
            "type",
            "draw_check",
            "inspectors",
            "substitution_reason",
            "findings",
            "outcome",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "inspectors" in self.fields:
            self.fields["inspectors"].queryset = certified_users()
            self.fields["inspectors"].label_from_instance = lambda u: (
                getattr(getattr(u, "staff", None), "full_name", "") or u.username
            )
        if "outcome" in self.fields and self.instance.outcome != Outcome.CASE_OPENED:
            self.fields["outcome"].choices = [
                c for c in Outcome.choices if c[0] != Outcome.CASE_OPENED
            ]
        if "draw_check" in self.fields and user is not None:
            self.fields["draw_check"].queryset = (
                DrawCheck.objects.visible_to(user)
                .filter(draw__status=DrawStatus.ACTIVE, inspection__isnull=True)
                .select_related("draw__plan", "entity")
            )
        if "entity" in self.fields and user is not None:
            self.fields["entity"].queryset = RegulatedEntity.objects.visible_to(user)


class OpenCaseForm(forms.Form):
    facts = forms.CharField(label=_("违法事实"), widget=forms.Textarea(attrs={"rows": 4}))
    title = forms.CharField(label=_("案由"), required=False, max_length=200)
    opened_on = forms.DateField(label=_("立案日期"), required=False, help_text=_("留空为今天。"))
    approved_by = forms.ModelChoiceField(
        label=_("批准立案的局负责人"),
        required=False,
        queryset=User.objects.filter(groups__name=Role.LEADER),
    )


@admin.register(InspectionRecord)
class InspectionRecordAdmin(ServiceErrorsMixin, ScopedModelAdmin):
    form = RecordForm
    list_display = ["number", "date", "entity", "division", "type", "outcome", "case_number"]
    list_filter = ["type", "outcome", "division"]
    search_fields = ["number", "entity__name", "entity__credit_code", "case_number"]
    list_select_related = ["entity", "division"]
    date_hierarchy = "date"
    autocomplete_fields = ["entity"]
    inlines = [AttachmentInline, RecordEventInline]
    actions = ["export_xlsx"]
    actions_detail = ["open_case"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)

        class Form(base):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return Form

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        locked = ["number", "date", "entity", "type", "draw_check", "case_number"]
        if obj.outcome == Outcome.CASE_OPENED:
            locked.append("outcome")
        return locked

    def get_fields(self, request, obj=None):
        fields = list(RecordForm.Meta.fields)
        return (["number", *fields, "case_number"]) if obj is not None else fields

    def save_model(self, request, obj, form, change):
        pass  # the service saves the record with its inspectors in save_related

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        if change:
            record = services.inspection_update(
                actor=request.user,
                record=InspectionRecord.objects.get(pk=form.instance.pk),
                data={k: data[k] for k in form.changed_data if k in services.EDITABLE_FIELDS},
                inspectors=list(data["inspectors"]) if "inspectors" in form.changed_data else None,
            )
        else:
            record = services.inspection_record(
                actor=request.user,
                inspectors=list(data["inspectors"]),
                data={k: data.get(k) for k in services.RECORD_FIELDS if k in data},
            )
        self.adopt(form.instance, record)
        for formset in formsets:  # the change message reads these; the services write the rows
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.model is Attachment:
                self._attachments(request, record, formset)

    def _attachments(self, request, record, formset):
        for inline in formset.forms:
            if inline.instance.pk is None and inline.cleaned_data.get("file"):
                services.inspection_attach(
                    actor=request.user,
                    record=record,
                    uploaded_file=inline.cleaned_data["file"],
                    description=inline.cleaned_data.get("description", ""),
                )

    @action(description=_("导出所选为 Excel"))
    def export_xlsx(self, request, queryset):
        return export_response(request, queryset, ledger.export_inspections, "inspections")

    @action(description=_("一键立案"), url_path="open-case", permissions=["edit_record"])
    def open_case(self, request, object_id):
        record = get_object_or_404(self.get_queryset(request), pk=object_id)
        form = OpenCaseForm(request.POST or None)
        opened = []
        if (
            request.method == "POST"
            and form.is_valid()
            and run_service(
                request,
                lambda: opened.append(
                    services.inspection_open_case(
                        actor=request.user, record=record, **form.cleaned_data
                    )
                ),
                InspectionRecord,
            )
        ):
            messages.success(request, _("已立案:%s") % opened[0].number)
            return HttpResponseRedirect(
                reverse("admin:inspections_inspectionrecord_change", args=[record.pk])
            )
        return form_page(
            self,
            request,
            title=_("由检查记录 %s 立案") % record.number,
            form=form,
            info=_("排污单位:%(e)s\n检查日期:%(d)s\n检查情况:%(f)s")
            % {"e": record.entity, "d": record.date, "f": record.findings},
        )
