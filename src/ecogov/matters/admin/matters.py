"""One back-office screen per kind; every change goes through the services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from ecogov.core.admin.base import EventInline, ReadOnlyInline, ScopedModelAdmin
from ecogov.core.admin.entities import AttachmentInline
from ecogov.core.admin.imports import LedgerImportMixin
from ecogov.core.exports import export_response
from ecogov.core.fields import personal_search
from ecogov.core.masking import masked
from ecogov.core.models import Organisation
from ecogov.core.scoping import can_edit
from ecogov.matters import ledger, services
from ecogov.matters.models import (
    CampaignTask,
    Matter,
    MatterEvent,
    MatterUnit,
    Petition,
    ProgressReport,
    Proposal,
    Rectification,
    Source,
)
from ecogov.matters.services.matters import UPDATABLE
from ecogov.matters.services.validation import field_errors
from ecogov.matters.workflow import Kind, categories_for

from .filters import CategoryFilter


class MatterForm(forms.ModelForm):
    lead = forms.ModelChoiceField(Organisation.objects.filter(is_active=True), label=_("主办单位"))
    co_units = forms.ModelMultipleChoiceField(
        Organisation.objects.filter(is_active=True), label=_("会办单位"), required=False
    )

    kind = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            units = list(self.instance.units.filter(is_active=True))
            lead = next((u.organisation for u in units if u.role == "lead"), None)
            self.fields["lead"].initial = lead
            self.fields["co_units"].initial = [u.organisation for u in units if u.role == "co"]

    def clean(self):
        """The service's own checks, before anything is saved, so errors show on the form."""
        data = super().clean()
        if self.instance.pk or not data.get("source"):
            return data
        data["reference"] = (data.get("reference") or "").strip()
        errors = field_errors(self.kind, data.get("category", ""), data["source"], data)
        if Matter.objects.filter(kind=self.kind, reference=data["reference"]).exists():
            errors["reference"] = _("编号“%s”已登记,请勿重复录入。") % data["reference"]
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)
        return data


class UnitInline(ReadOnlyInline):
    model = MatterUnit
    fields = ["organisation", "role", "share", "due_on", "assigned_on", "is_active"]
    readonly_fields = fields
    verbose_name_plural = _("责任单位与计分份额")


class MatterEventInline(EventInline):
    model = MatterEvent
    fields = ["occurred_at", "type", "actor", "from_state", "to_state", "reason", "recorded_at"]


class ReportInline(ReadOnlyInline):
    model = ProgressReport
    fields = ["reported_at", "organisation", "call", "percent", "text", "reported_by"]
    readonly_fields = fields
    verbose_name_plural = _("进展报送")


class MatterKindAdmin(LedgerImportMixin, ScopedModelAdmin):
    kind: str = ""
    form = MatterForm
    list_display = [
        "reference",
        "title",
        "division",
        "lead_unit",
        "state",
        "due_display",
        "done_on",
        "closed_on",
    ]
    list_filter = ["state", "source", CategoryFilter, "is_open", "division"]
    search_fields = ["reference", "title"]
    list_select_related = ["division", "source"]
    inlines = [UnitInline, ReportInline, AttachmentInline, MatterEventInline]
    actions = ["export_xlsx"]
    actions_detail = ["handle"]
    import_hint = _(
        "每行一件事项,首行为表头。任何一处错误都会使整个文件不被导入;按编号匹配已有事项,"
        "重复导入同一文件不会产生变化;办理状态只能向前推进。"
    )
    import_unit = _("件")
    kind_fields: list[str] = []
    step_fields = [
        "state",
        "due_on",
        "due_other_on",
        "due_rule",
        "due_provisional",
        "extended",
        "accepted_on",
        "done_on",
        "done_late",
        "closed_on",
        "result",
        "evidence",
    ]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_edit_record_permission(self, request, object_id=None) -> bool:
        """办理 is for those who edit the matter and for its responsible units (a co-handling
        department reports progress without editing the record)."""
        if super().has_edit_record_permission(request, object_id):
            return True
        if object_id is None:
            return False
        from ecogov.matters.services.common import actor_organisation

        matter = self.get_object(request, str(object_id))
        organisation = actor_organisation(request.user)
        return bool(
            matter
            and organisation
            and matter.units.filter(organisation=organisation, is_active=True).exists()
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.kind = self.kind
        return form

    def get_fieldsets(self, request, obj=None):
        main = ["source", "category", "reference", "title", "content", "division", "received_on"]
        if obj is None:
            main.append("due_on")
        fieldsets = [(None, {"fields": main}), (_("责任单位"), {"fields": ["lead", "co_units"]})]
        if self.kind_fields:
            fieldsets.append((_("事项信息"), {"fields": self.visible_kind_fields(request, obj)}))
        if obj is not None:
            fieldsets.append((_("办理情况(请用“办理”按钮推进)"), {"fields": self.step_fields}))
            shown_as = {"category": "category_label", "due_rule": "due_rule_label"}
            fieldsets = [
                (title, {**options, "fields": [shown_as.get(f, f) for f in options["fields"]]})
                for title, options in fieldsets
            ]
        return fieldsets

    def visible_kind_fields(self, request, obj):
        return self.kind_fields

    @display(description=_("类别"))
    def category_label(self, obj):
        return categories_for(self.kind).get(obj.category, obj.category) or "—"

    @display(description=_("时限依据"))
    def due_rule_label(self, obj):
        from ecogov.matters.deadlines import RULES

        rule = RULES.get(obj.due_rule)
        return rule.basis.rsplit(" [", 1)[0] if rule else (obj.due_rule or "—")

    @display(description=_("主办单位"))
    def lead(self, obj):  # shown read-only; an editor gets the form's field of the same name
        return next(
            (
                str(u.organisation)
                for u in obj.units.filter(is_active=True, role="lead").select_related(
                    "organisation"
                )
            ),
            "—",
        )

    @display(description=_("会办单位"))
    def co_units(self, obj):
        return (
            "、".join(
                str(u.organisation)
                for u in obj.units.filter(is_active=True, role="co").select_related("organisation")
            )
            or "—"
        )

    def get_readonly_fields(self, request, obj=None):
        fixed = ["source", "category", "reference", "received_on"] if obj else []
        fixed += ["category_label", "due_rule_label"] if obj else []
        inherited = [f for f in super().get_readonly_fields(request, obj) if f not in fixed]
        return [
            *fixed,
            *(self.step_fields if obj else []),
            *[f for f in inherited if f not in self.step_fields],
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "category" and categories_for(self.kind):
            return forms.ChoiceField(
                label=_("类别"), choices=[(k, str(v)) for k, v in categories_for(self.kind).items()]
            )
        if db_field.name == "source":
            kwargs["queryset"] = Source.objects.filter(kind=self.kind)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @display(description=_("主办单位"))
    def lead_unit(self, obj):
        unit = next((u for u in obj.units.all() if u.role == "lead" and u.is_active), None)
        return unit.organisation.name if unit else ""

    @display(description=_("办理时限"))
    def due_display(self, obj):
        if obj.due_on is None:
            return ""
        mark = _("(暂定)") if obj.due_provisional else ""
        if obj.is_overdue(timezone.localdate()):
            return format_html(
                '<span class="text-red-600">{}{} {}</span>', obj.due_on, mark, _("逾期")
            )
        return f"{obj.due_on}{mark}"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("units__organisation")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                current = type(obj).objects.get(pk=obj.pk)
                fields = {n: data[n] for n in form.changed_data if n in UPDATABLE}
                services.matter_update(actor=request.user, matter=current, data=fields)
                if {"lead", "co_units"} & set(form.changed_data):
                    services.matter_set_units(
                        actor=request.user,
                        matter=current,
                        lead=data["lead"],
                        co_units=data["co_units"],
                    )
            else:
                names = [
                    "reference",
                    "title",
                    "content",
                    "division",
                    "received_on",
                    "due_on",
                    *self.kind_fields,
                ]
                matter = services.matter_create(
                    actor=request.user,
                    source=data["source"],
                    category=data["category"],
                    data={n: data.get(n) for n in names if n in data},
                    lead=data["lead"],
                    co_units=data["co_units"],
                )
                self.adopt(obj, matter)
        except ValidationError as exc:
            raise PermissionDenied(" ".join(exc.messages)) from exc

    def save_formset(self, request, form, formset, change):
        from ecogov.core.models import Attachment

        if formset.model is not Attachment:
            return
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if inline_form.instance.pk is None and inline_form.cleaned_data.get("file"):
                services.matter_attachment_add(
                    actor=request.user,
                    matter=form.instance,
                    uploaded_file=inline_form.cleaned_data["file"],
                    description=inline_form.cleaned_data.get("description", ""),
                )

    @action(description=_("办理 / 报送进展"), url_path="handle", permissions=["edit_record"])
    def handle(self, request, object_id):
        from .views import handle_view

        return handle_view(self, request, object_id)

    @action(description=_("导出所选为 Excel 台账"))
    def export_xlsx(self, request, queryset):
        return export_response(request, queryset, ledger.export_matters, self.kind, kind=self.kind)

    @property
    def import_title(self):
        return _("导入%s台账") % self.model._meta.verbose_name

    def import_columns(self):
        return ledger.COLUMNS[self.kind]

    def import_sheet_title(self) -> str:
        return ledger.TITLES[self.kind]

    def import_run(self, request, upload):
        return ledger.import_matters(
            actor=request.user, kind=self.kind, source=upload, source_name=upload.name
        )


@admin.register(Rectification)
class RectificationAdmin(MatterKindAdmin):
    kind = Kind.RECTIFICATION


@admin.register(Petition)
class PetitionAdmin(MatterKindAdmin):
    kind = Kind.PETITION
    kind_fields = [
        "channel",
        "complainant_name",
        "complainant_phone",
        "complainant_id_number",
        "subject_entity",
        "subject_name",
    ]
    list_display = [
        *MatterKindAdmin.list_display[:2],
        "channel",
        "complainant_display",
        *MatterKindAdmin.list_display[2:],
    ]
    list_filter = ["state", "channel", "is_open", "division"]
    step_fields = [*MatterKindAdmin.step_fields, "feedback", "duplicate_of"]
    raw_id_fields = ["subject_entity"]

    def get_search_results(self, request, queryset, search_term):
        # the petitioner is encrypted: found by whole name, ID or phone (blind indexes), on the
        # petitions the user handles
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found = found | queryset.filter(personal_search(Matter, request.user, search_term))
        return found, duplicates

    @display(description=_("信访人"))
    def complainant_display(self, obj):
        return masked(obj, "complainant_name", "name", reveal=False)

    def visible_kind_fields(self, request, obj):
        if obj is not None and not can_edit(request.user, obj):
            return ["channel", "subject_entity", "subject_name"]  # personal data for handlers only
        return self.kind_fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        matter = self.get_queryset(request).filter(pk=object_id).first()
        shown = matter is not None and can_edit(request.user, matter)  # as history_view decides
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "show_history": shown}
        )

    def history_view(self, request, object_id, extra_context=None):
        # the change history shows every value, the complainant's too: handlers only
        matter = self.get_queryset(request).filter(pk=object_id).first()
        if matter is not None and not can_edit(request.user, matter):
            raise PermissionDenied(_("信访件的变更历史含信访人个人信息,仅承办人员可查看。"))
        return super().history_view(request, object_id, extra_context)


@admin.register(Proposal)
class ProposalAdmin(MatterKindAdmin):
    kind = Kind.PROPOSAL
    kind_fields = ["deputy"]
    step_fields = [*MatterKindAdmin.step_fields, "reply_category", "feedback"]


@admin.register(CampaignTask)
class CampaignTaskAdmin(MatterKindAdmin):
    kind = Kind.TASK
    kind_fields = ["measure"]
    list_filter = ["state", "source", CategoryFilter, "is_open"]
