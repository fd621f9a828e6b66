from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.decorators import action

from ecogov.core import ledger, services, uploads
from ecogov.core.exports import export_response
from ecogov.core.masking import masked
from ecogov.core.models import Attachment, EntityEvent, RegulatedEntity
from ecogov.core.scoping import can_edit

from .base import EventInline, ScopedModelAdmin
from .imports import LedgerImportMixin


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["file", "description"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and not self.instance.pk:
            try:
                uploads.check_upload(upload, purpose="attachment")
            except forms.ValidationError as exc:
                raise forms.ValidationError(exc.message_dict["file"]) from exc
        return upload


class AttachmentInline(GenericTabularInline, TabularInline):
    model = Attachment
    form = AttachmentForm
    ct_fk_field = "object_id"
    extra = 0
    fields = ["file", "description", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = ["size", "sha256", "uploaded_by", "uploaded_at"]
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return obj is None or can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return obj is not None and can_edit(request.user, obj)


class EntityEventInline(EventInline):
    model = EntityEvent
    fields = ["occurred_at", "type", "actor", "from_state", "to_state", "reason"]


@admin.register(RegulatedEntity)
class RegulatedEntityAdmin(LedgerImportMixin, ScopedModelAdmin):
    list_display = [
        "name",
        "credit_code",
        "division",
        "category",
        "is_key_discharger",
        "status",
        "phone_display",
    ]
    list_filter = ["category", "is_key_discharger", "status", "division"]
    search_fields = ["name", "credit_code", "address"]
    list_select_related = ["division"]
    inlines = [AttachmentInline, EntityEventInline]
    actions = ["export_xlsx"]
    import_title = _("导入排污单位台账")
    import_hint = _(
        "每行一家单位,首行为表头。任何一处错误都会使整个文件不被导入;"
        "按统一社会信用代码匹配已有单位,重复导入同一文件不会产生变化。"
    )
    import_unit = _("家")
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "credit_code",
                    "division",
                    "address",
                    "industry_code",
                    "category",
                    "status",
                ]
            },
        ),
        (_("位置"), {"fields": ["longitude", "latitude"]}),
        (_("标识"), {"fields": ["is_key_discharger", "is_special_supervision"]}),
        (_("联系人"), {"fields": ["legal_representative", "contact_phone"]}),
    ]

    @admin.display(description=_("联系电话"))
    def phone_display(self, obj):
        return masked(obj, "contact_phone", "phone", reveal=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not can_edit(request.user, obj):
            return fieldsets[:-1]  # personal data only for those who handle the entity
        return fieldsets

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.ENTITY_FIELDS
        }
        if change:
            current = RegulatedEntity.objects.get(pk=obj.pk)
            services.entity_update(actor=request.user, entity=current, data=data)
        else:
            entity = services.entity_create(
                actor=request.user,
                data={
                    n: form.cleaned_data[n]
                    for n in services.ENTITY_FIELDS
                    if n in form.cleaned_data
                },
            )
            self.adopt(obj, entity)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Attachment:
            return super().save_formset(request, form, formset, change)
        entity = form.instance
        # the admin's change message reads these; attachments are logged as entity events
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if inline_form.instance.pk is None and inline_form.cleaned_data.get("file"):
                services.attachment_add(
                    actor=request.user,
                    record=entity,
                    uploaded_file=inline_form.cleaned_data["file"],
                    description=inline_form.cleaned_data.get("description", ""),
                )
            elif inline_form.instance.pk and inline_form.has_changed():
                inline_form.instance.description = inline_form.cleaned_data.get("description", "")
                inline_form.instance.save(update_fields=["description"])

    @action(description=_("导出所选为 Excel"))
    def export_xlsx(self, request, queryset):
        return export_response(request, queryset, ledger.export_entities, "entities")

    def import_columns(self):
        return ledger.ENTITY_COLUMNS

    def import_run(self, request, upload):
        return ledger.import_entities(actor=request.user, source=upload, source_name=upload.name)
