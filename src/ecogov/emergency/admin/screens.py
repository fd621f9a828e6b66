"""Screens of drills, incidents and contingency plans; every write goes through the services."""

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

from ecogov.core.admin.imports import LedgerImportMixin
from ecogov.core.admin.service_admin import ServiceAdmin
from ecogov.core.downloads import TO_THE_MINUTE, xlsx_response
from ecogov.core.scoping import can_edit

from .. import events, ledger, services
from ..models import ContingencyPlan, Drill, Incident, PlanState


class _ServiceAdmin(ServiceAdmin):
    """The form validates; the service writes (in save_related, after the form is clean)."""

    events_of = staticmethod(events.events_of)


@admin.register(Drill)
class DrillAdmin(_ServiceAdmin):
    list_display = ["held_on", "title", "organiser", "host_entity", "participants", "division"]
    list_filter = ["division"]
    date_hierarchy = "held_on"
    search_fields = ["title", "scenario", "host_entity__name", "place"]
    list_select_related = ["organiser", "host_entity", "division"]
    autocomplete_fields = ["host_entity"]
    fields = [
        "division",
        "held_on",
        "title",
        "organiser",
        "guided_by_bureau",
        "host_entity",
        "place",
        "scenario",
        "participating_units",
        "participants",
        "lessons",
        "follow_up",
    ]

    def create(self, request, data, children):
        return services.drill_record(actor=request.user, data=data)

    def update(self, request, record, data, children):
        return services.drill_update(actor=request.user, drill=record, data=data)


@admin.register(Incident)
class IncidentAdmin(_ServiceAdmin):
    list_display = [
        "occurred_at",
        "title",
        "grade",
        "report_due_at",
        "initial_report_at",
        "late",
        "state",
        "division",
    ]
    list_filter = ["state", "grade", "division"]
    date_hierarchy = "occurred_at"
    search_fields = ["title", "place", "entity__name"]
    list_select_related = ["division"]
    autocomplete_fields = ["entity"]
    fields = [
        "division",
        "title",
        "place",
        "entity",
        "occurred_at",
        "learned_at",
        "grade",
        "reported_as_major",
        "report_due_at",
        "initial_report_at",
        "reported_to",
        "response",
        "closed_on",
        "closure_summary",
        "state",
    ]
    readonly_fields = ["report_due_at", "state"]

    @admin.display(description=_("逾期初报"), boolean=True)
    def late(self, obj):
        return obj.reported_late

    def create(self, request, data, children):
        return services.incident_record(actor=request.user, data=data)

    def update(self, request, record, data, children):
        return services.incident_update(actor=request.user, incident=record, data=data)


class WithdrawForm(forms.Form):
    ended_on = forms.DateField(label=_("撤销日期"))
    reason = forms.CharField(label=_("撤销理由"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(ContingencyPlan)
class ContingencyPlanAdmin(LedgerImportMixin, _ServiceAdmin):
    list_display = [
        "filing_number",
        "title",
        "entity",
        "risk_level",
        "filed_on",
        "reviewed_on",
        "expires_on",
        "filed_late",
        "state",
    ]
    list_filter = ["state", "risk_level", "filed_late", "division"]
    date_hierarchy = "filed_on"
    search_fields = ["filing_number", "title", "entity__name", "entity__credit_code"]
    list_select_related = ["entity"]
    autocomplete_fields = ["entity"]
    fields = [
        "entity",
        "title",
        "filing_number",
        "risk_level",
        "issued_on",
        "filed_on",
        "reviewed_on",
        "expires_on",
        "filed_late",
        "state",
        "ended_on",
        "superseded_by",
    ]
    readonly_fields = ["expires_on", "filed_late", "state", "ended_on", "superseded_by"]
    actions = ["export_xlsx"]
    actions_detail = ["withdraw"]
    import_label = _("导入应急预案备案台账")
    import_title = _("导入企业环境应急预案备案台账")
    import_hint = _(
        "每行一份备案。任何一处错误都会使整个文件不被导入;按备案编号匹配已有备案,重复导入同一文件不会产生变化。"
    )
    template_file = "plans-template"

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.state != PlanState.FILED:
            return False  # an ended filing is kept as it was
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["entity", "filing_number"] if obj is not None else fields

    def create(self, request, data, children):
        return services.plan_file(actor=request.user, data=data)

    def update(self, request, record, data, children):
        return services.plan_update(actor=request.user, plan=record, data=data)

    def takes_steps(self, obj) -> bool:
        return obj.state == PlanState.FILED  # only a filed plan is withdrawn

    @action(description=_("撤销备案"), url_path="withdraw", permissions=["edit_record"])
    def withdraw(self, request, object_id):
        plan = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not can_edit(request.user, plan):
            raise PermissionDenied
        form = WithdrawForm(request.POST or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                services.plan_withdraw(actor=request.user, plan=plan, **form.cleaned_data)
            except ValidationError as exc:
                errors = [
                    m
                    for ms in getattr(exc, "message_dict", {"": exc.messages}).values()
                    for m in ms
                ]
            else:
                messages.success(request, _("已撤销备案。"))
                return HttpResponseRedirect(
                    reverse("admin:emergency_contingencyplan_change", args=[plan.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("撤销备案:%s") % plan,
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "core/form_page.html", context)

    @action(description=_("导出所选为 Excel"))
    def export_xlsx(self, request, queryset):
        return xlsx_response(
            ledger.export_plans(actor=request.user, queryset=queryset), "plans", stamp=TO_THE_MINUTE
        )

    def import_columns(self):
        return ledger.COLUMNS

    def import_run(self, request, upload):
        return ledger.import_plans(actor=request.user, source=upload, source_name=upload.name)

    def import_template(self):
        return ledger.template()
