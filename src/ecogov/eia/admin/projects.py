"""Screens of the EIA ledger: the project list and form, and the “办理” page for each step."""

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
from ecogov.core.admin.imports import LedgerImportMixin
from ecogov.core.calendar import current_calendar
from ecogov.core.exports import export_response
from ecogov.core.scoping import can_edit

from .. import ledger, services
from ..deadlines import due_steps
from ..models import (
    OPEN_STATES,
    ApprovalLevel,
    Decision,
    EiaEvent,
    EiaNotice,
    EiaPause,
    EiaProject,
    NoticeKind,
    PauseKind,
    ProjectState,
    ZoningScreening,
)
from ..screening import check_location
from ..steps import PROJECT_STEPS


class PauseInline(ReadOnlyInline):
    model = EiaPause
    fields = readonly_fields = ["kind", "started_on", "ended_on", "reason", "notice_number"]


class NoticeInline(ReadOnlyInline):
    model = EiaNotice
    fields = readonly_fields = ["kind", "start_on", "end_on", "where"]


class ScreeningInline(ReadOnlyInline):
    model = ZoningScreening
    fields = readonly_fields = [
        "screened_at",
        "refuse",
        "review",
        "summary",
        "reviewed_by",
        "review_reason",
    ]


class ProjectEventInline(EventInline):
    model = EiaEvent


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("办理事项"), choices=PROJECT_STEPS.choices())
    day = forms.DateField(
        label=_("日期"), required=False, help_text=_("受理、暂停、公示开始、决定等日期")
    )
    end_day = forms.DateField(label=_("公示结束日期"), required=False)
    pause_kind = forms.ChoiceField(label=_("暂停事由"), choices=PauseKind.choices, required=False)
    notice_kind = forms.ChoiceField(label=_("公示类型"), choices=NoticeKind.choices, required=False)
    decision = forms.ChoiceField(
        label=_("审批结论"),
        required=False,
        choices=[
            (Decision.APPROVED, Decision.APPROVED.label),
            (Decision.REFUSED, Decision.REFUSED.label),
            (ProjectState.DEFERRED, ProjectState.DEFERRED.label),
        ],
        help_text=_("暂缓审批不同于不予批准:项目仍在办理中,理由必填"),
    )
    number = forms.CharField(label=_("文号"), required=False)
    reasons = forms.CharField(
        label=_("理由或说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    where = forms.CharField(label=_("发布渠道"), required=False)


def error_lines(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for messages_ in exc.message_dict.values() for m in messages_]
    return list(exc.messages)


# The project facts the "一律不批" rules ask about (eia/zoning/example_rules.json), as a person
# answers them; a fact not answered stays unknown (docs/zoning.md).
FACT_LABELS = {
    "total_emission_ok": _("符合污染物排放总量控制要求"),
    "industry_policy_ok": _("符合国家和地方产业政策"),
    "planning_eia_ok": _("符合规划环评及其审查意见"),
    "offset_secured": _("已落实区域污染物削减替代"),
}
FACT_ANSWERS = [("", _("未知")), ("yes", _("是")), ("no", _("否"))]


class ProjectForm(forms.ModelForm):
    """The project's site as longitude/latitude and its facts as 是/否/未知 (not raw JSON); the
    service's location checks run in the form, so that they show next to the field."""

    longitude = forms.DecimalField(
        label=_("经度"),
        required=False,
        max_digits=10,
        decimal_places=6,
        help_text=_("WGS-84,如 109.998"),
    )
    latitude = forms.DecimalField(
        label=_("纬度"),
        required=False,
        max_digits=9,
        decimal_places=6,
        help_text=_("WGS-84,如 27.55"),
    )

    provincial_decided_on = forms.DateField(
        label=_("省级批复日期"), required=False, help_text=_("审批层级为省级审批时填写")
    )
    provincial_number = forms.CharField(
        label=_("省级批复文号"), required=False, help_text=_("审批层级为省级审批时填写")
    )

    class Meta:
        model = EiaProject
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "reference" in self.fields:  # left empty, the service numbers the application
            self.fields["reference"].required = False
        location = self.instance.location or {}
        if location.get("type") == "Point":
            self.fields["longitude"].initial, self.fields["latitude"].initial = location[
                "coordinates"
            ][:2]
        facts = self.instance.facts or {}
        for name in FACT_LABELS:
            if f"fact_{name}" in self.fields:
                self.fields[f"fact_{name}"].initial = {True: "yes", False: "no"}.get(
                    facts.get(name), ""
                )

    def clean(self):
        data = super().clean()
        lon, lat = data.get("longitude"), data.get("latitude")
        if (lon is None) != (lat is None):
            self.add_error("latitude" if lat is None else "longitude", _("经度和纬度须同时填写。"))
        elif lon is not None:
            data["location"] = {"type": "Point", "coordinates": [float(lon), float(lat)]}
        elif (self.instance.location or {}).get("type") not in (None, "Point"):
            data["location"] = self.instance.location  # a range (导入或接口录入) is kept
        else:
            data["location"] = None
        facts = dict(self.instance.facts or {})
        for name in FACT_LABELS:
            answer = data.get(f"fact_{name}", "")
            if answer:
                facts[name] = answer == "yes"
            else:
                facts.pop(name, None)
        data["facts"] = facts
        if self.instance.pk is None and not data.get("location"):
            self.add_error("longitude", _("请填写项目位置(经纬度)。"))
        elif data.get("location") and data.get("division"):
            probe = EiaProject(
                **{
                    k: data.get(k)
                    for k in (
                        "reference",
                        "name",
                        "division",
                        "location",
                        "industry_code",
                        "catalogue_item",
                    )
                }
            )
            for problem in check_location(probe):
                self.add_error("longitude", problem)
        return data

    @staticmethod
    def _fact_fields():
        return {
            f"fact_{name}": forms.ChoiceField(label=label, choices=FACT_ANSWERS, required=False)
            for name, label in FACT_LABELS.items()
        }

    def derived_changes(self) -> dict:
        """location and facts as the form's coordinates and answers make them, where changed."""
        return {
            name: self.cleaned_data[name]
            for name in ("location", "facts")
            if name in self.cleaned_data and self.cleaned_data[name] != getattr(self.instance, name)
        }


# declared, so that the admin may list them in its fieldsets
ProjectForm.declared_fields.update(ProjectForm._fact_fields())
ProjectForm.base_fields.update(ProjectForm.declared_fields)


@admin.register(EiaProject)
class EiaProjectAdmin(LedgerImportMixin, ScopedModelAdmin):
    form = ProjectForm
    list_display = [
        "reference",
        "name",
        "division",
        "level",
        "document_type",
        "procedure",
        "state",
        "decided_on",
    ]
    list_filter = ["state", "decision", "level", "procedure", "document_type", "division"]
    date_hierarchy = "decided_on"
    search_fields = ["reference", "name", "builder__name", "decision_number"]
    # the builder is not a column: joining it made PostgreSQL hash the whole entity table for
    # a county's page (docs/indexes.md); a search by its name still joins it
    list_select_related = ["division"]
    autocomplete_fields = ["builder"]
    inlines = [PauseInline, NoticeInline, ScreeningInline, ProjectEventInline]
    actions = ["export_xlsx"]
    actions_detail = ["handle_step"]
    import_title = _("导入环评审批台账")
    import_hint = _(
        "每行一个项目,按受理编号匹配已有项目;任何一处错误都会使整个文件不被导入,重复导入同一文件不会产生变化。"
    )
    import_unit = _("个")
    readonly_fields = [
        "state",
        "decision",
        "decision_number",
        "decision_reasons",
        "receipt_number",
        "accepted_on",
        "proposed_on",
        "decided_on",
        "decision_published_on",
        "revoked_on",
        "deferred_on",
        "deferral_reasons",
        "due_display",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "name",
                    "builder",
                    "division",
                    "industry_code",
                    "catalogue_item",
                ]
            },
        ),
        (_("审批"), {"fields": ["document_type", "level", "procedure", "state", "due_display"]}),
        (_("位置与投资"), {"fields": ["location", "total_investment", "env_investment"]}),
        (_("审查事实"), {"fields": ["facts"]}),
        (
            _("办理日期"),
            {
                "fields": [
                    "submitted_on",
                    "accepted_on",
                    "proposed_on",
                    "decided_on",
                    "decision_published_on",
                    "revoked_on",
                ]
            },
        ),
        (
            _("决定"),
            {"fields": ["decision", "decision_number", "decision_reasons", "receipt_number"]},
        ),
        (_("暂缓审批"), {"fields": ["deferred_on", "deferral_reasons"]}),
    ]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # records written by the services

    def has_change_permission(self, request, obj=None):
        # a decided project is revoked or applied for again, never edited: no save button
        if obj is not None and obj.state not in OPEN_STATES:
            return False
        return super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and (
            obj.state not in OPEN_STATES or not self.has_change_permission(request, obj)
        ):
            return fieldsets  # read-only: the stored location and facts, as labelled tables
        if obj is not None and (obj.location or {}).get("type") not in (None, "Point"):
            site = ["location"]  # a range drawn elsewhere is shown, not retyped
        else:
            site = ["longitude", "latitude"]
        shown = {"location": site, "facts": [f"fact_{n}" for n in FACT_LABELS]}
        if obj is None:  # a provincial approval is recorded with its decision
            shown["level"] = ["level", "provincial_decided_on", "provincial_number"]
        return [
            (
                title,
                {**options, "fields": [x for f in options["fields"] for x in shown.get(f, [f])]},
            )
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:  # after submission, only the open application's facts change
            fields += [f for f in ("reference", "division", "submitted_on") if f not in fields]
            if obj.state not in OPEN_STATES:
                fields += [f for f in services.EDITABLE_FIELDS if f not in fields]
            elif (obj.location or {}).get("type") not in (
                None,
                "Point",
            ) and "location" not in fields:
                fields.append("location")  # a range: shown, changed by import or API
        return fields

    @admin.display(description=_("期限"))
    def due_display(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        steps = due_steps(obj, current_calendar(), allow_provisional=True)
        parts = []
        for s in steps:
            if s.paused:
                parts.append(f"{s.label}:{_('审查期限暂停中')}")
            else:
                text = f"{s.label}:{s.due:%Y-%m-%d}"
                if s.other is not None:
                    text += _("(另一读法 %(d)s)") % {"d": f"{s.other.due:%Y-%m-%d}"}
                if s.deadline.provisional:
                    text += _("(暂定)")
                parts.append(text)
        return ";".join(parts) or "-"

    def save_model(self, request, obj, form, change):
        if change:
            data = {
                n: form.cleaned_data[n] for n in form.changed_data if n in services.EDITABLE_FIELDS
            }
            data.update(form.derived_changes())
            if not data:
                return  # saved unchanged: nothing to record
            services.project_update(
                actor=request.user, project=EiaProject.objects.get(pk=obj.pk), data=data
            )
            return
        data = {n: form.cleaned_data[n] for n in services.PROJECT_FIELDS if n in form.cleaned_data}
        if data.get("level") == ApprovalLevel.PROVINCE:
            project = services.project_record_provincial(
                actor=request.user,
                data=data,
                decided_on=form.cleaned_data.get("provincial_decided_on"),
                decision_number=form.cleaned_data.get("provincial_number", ""),
            )
        else:
            project = services.project_submit(actor=request.user, data=data)
        self.adopt(obj, project)

    def save_related(self, request, form, formsets, change):
        pass  # the inlines are read-only records written by the services

    @action(description=_("办理"), url_path="step", permissions=["edit_record"])
    def handle_step(self, request, object_id):
        project = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not can_edit(request.user, project):
            raise PermissionDenied
        form = StepForm(request.POST or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            try:
                PROJECT_STEPS.dispatch(request.user, project, form.cleaned_data)
            except ValidationError as exc:
                errors = error_lines(exc)
            except PermissionDenied as exc:
                errors = [str(exc)]
            else:
                messages.success(request, _("已办理。"))
                return HttpResponseRedirect(
                    reverse("admin:eia_eiaproject_change", args=[project.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("办理:%s") % project,
            "form": form,
            "errors": errors,
            "info": _("期限:%s") % self.due_display(project),
        }
        return TemplateResponse(request, "core/form_page.html", context)

    @action(description=_("导出所选为 Excel"))
    def export_xlsx(self, request, queryset):
        return export_response(request, queryset, ledger.export_projects, "eia-projects")

    def import_columns(self):
        return ledger.PROJECT_COLUMNS

    def import_run(self, request, upload):
        return ledger.import_projects(actor=request.user, source=upload, source_name=upload.name)
