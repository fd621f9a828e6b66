"""The admin bases every screen uses: one place for what every screen must get right.

`ModelAdmin` (plain screens), `HistoryModelAdmin` (with simple-history's record history) and
`ScopedModelAdmin` (ledgers: list, detail, edit and export read one scope). Areas import these,
never unfold's or simple-history's bases directly (a test checks every registered screen).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import ModelAdmin as DjangoModelAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper
from unfold.admin import ModelAdmin as UnfoldModelAdmin
from unfold.admin import TabularInline

from ecogov.core import references
from ecogov.core.display import code_column, readable
from ecogov.core.models import Division
from ecogov.core.scoping import can_edit, can_view, scope_for
from ecogov.core.versions import versioned_form


class AdminBase:
    """Mixed in first into every back-office screen of the project."""

    # a filtered list says "N 条结果" without counting the whole table a second time: one COUNT
    # per page, not two (issue 10; docs/benchmarks.md, back-office pages)
    show_full_result_count = False
    # 50 rows a page, not Django's 100: a ledger row renders ~7 KB of the theme's HTML, and
    # 100 of them kept the big lists above 150 ms (issue 10; docs/benchmarks.md)
    list_per_page = 50

    def construct_change_message(self, request, form, formsets, add=False):
        # Screens whose inlines are records written by the services never save those formsets
        # (save_related is the service's); Django's message builder reads `new_objects`, which
        # only a saved formset has (issue 10: every such change page crashed on save).
        saved = [formset for formset in formsets if hasattr(formset, "new_objects")]
        return super().construct_change_message(request, form, saved, add)

    def history_view(self, request, object_id, extra_context=None):
        # A model without simple-history (payments, disclosures, draws, …) gets Django's own
        # history page instead of a crash.
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            return DjangoModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return _LabelledHistory(self.model, historical_record)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A service may refuse a save that the form found valid (a rule of the procedure). The
        # view runs in a transaction, so nothing was written; the form is shown again with the
        # user's input and the refusal, instead of a server error.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refusal:
            if request.method != "POST" or getattr(request, "_ecogov_refusal", None):
                raise
            request._ecogov_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    # the version the change form was opened on travels in a hidden field inside the form
    # (unfold includes this template right after the CSRF token)
    change_form_before_template = "core/_record_version.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = _keeps_current_references(super().get_form(request, obj, change, **kwargs))
        refusal = getattr(request, "_ecogov_refusal", None)
        form = form if refusal is None else _refused(form, refusal)
        if obj is not None and obj.pk is not None and self.has_change_permission(request, obj):
            # optimistic locking: a save of a record someone else changed since the form was
            # opened is refused with what changed (core.versions; docs/security.md)
            shown = [*form.base_fields, *self.get_readonly_fields(request, obj)]
            form = versioned_form(form, obj, shown)
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # a scoped record is offered, and accepted, only if the user sees it (autocomplete and
        # raw id included): no form tells whether another county's record exists
        # (ecogov.core.references; docs/security.md, “引用的范围”)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return references.narrow(field, request.user)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return references.narrow(field, request.user)

    def edit_target(self, obj):
        """The record whose editing rights govern this screen's detail actions (办理, 复核 …)."""
        return obj

    def takes_steps(self, obj) -> bool:
        """Whether the record's state still accepts the detail actions (an ended filing: no)."""
        return True

    def has_edit_record_permission(self, request, object_id=None) -> bool:
        """For `@action(permissions=["edit_record"])`: the detail actions that change a record are
        shown only to those who may change it (a viewer is not offered a form he cannot save)."""
        if scope_for(request.user).read_only:
            return False
        if object_id is None:
            return True
        obj = self.get_object(request, str(object_id))
        if obj is None or not self.takes_steps(obj):
            return False
        target = self.edit_target(obj)
        if hasattr(type(target).objects, "editable_by"):
            return can_edit(request.user, target)
        return True

    @staticmethod
    def adopt(obj, saved) -> None:
        """The admin's unsaved `obj` becomes the record a service saved (so it redirects to it)."""
        obj.pk, obj._state.adding = saved.pk, False


def _keeps_current_references(form_class):
    """The form, whose narrowed choices still hold the record's current references (a record
    assigned across counties keeps the entity it names when edited)."""
    if not issubclass(form_class, forms.BaseModelForm):
        return form_class

    class KeepsReferences(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.instance.pk is not None:
                references.keep_current(self)

    KeepsReferences.__name__ = form_class.__name__
    return KeepsReferences


def _refused(form_class, refusal: ValidationError):
    """The form class, failing validation with the service's refusal on the fields it names."""

    class RefusedForm(form_class):
        def clean(self):
            data = super().clean()
            if hasattr(refusal, "error_dict"):
                pairs = [(f, m) for f, messages in refusal.message_dict.items() for m in messages]
            else:
                pairs = [(None, m) for m in refusal.messages]
            for field, message in pairs:
                self.add_error(field if field in self.fields else None, message)
            return data

    RefusedForm.__name__ = form_class.__name__
    return RefusedForm


class ModelAdmin(AdminBase, UnfoldModelAdmin):
    pass


class HistoryModelAdmin(AdminBase, SimpleHistoryAdmin, UnfoldModelAdmin):
    pass


class ScopedModelAdmin(HistoryModelAdmin):
    """Lists only `visible_to(user)`, edits only `editable_by(user)`; never deletes ledger rows."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed:
            return False
        if obj is None:
            return not scope_for(request.user).read_only
        return can_edit(request.user, obj)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not scope_for(request.user).read_only

    def has_delete_permission(self, request, obj=None):
        return False  # ledger rows change state; they are never deleted

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        division = getattr(self.model, "scope", None) and self.model.scope.division
        if (
            obj is not None
            and division == "division"
            and "division" not in fields
            and not scope_for(request.user).covers_division(obj.division)
        ):
            # a handler outside the record's territory (a department handling an assigned
            # matter) keeps its division as it is: the choices offer only his own territory
            fields.append("division")
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Division:
            scope = scope_for(request.user)
            if not scope.everything:
                kwargs["queryset"] = Division.objects.filter(
                    path__startswith=scope.division_path or "\0"
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnly:
    """Before an admin base: a screen over records that only services or imports write (logs,
    jobs, imported tables): nobody adds, changes or deletes through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, ModelAdmin):
    """Screens over append-only records."""


class ReadOnlyInline(TabularInline):
    """A record's events, reports or parts shown on its page: written by services, never here.

    An event's states show as their labels and its technical payload stays off the page.
    """

    extra = 0
    can_delete = False

    @property
    def per_page(self):
        # a draw has thousands of checks, a case dozens of events: pages, not all; Django's
        # generic formsets (attachments) take no pagination
        from django.contrib.contenttypes.admin import GenericInlineModelAdmin

        return None if isinstance(self, GenericInlineModelAdmin) else 20

    _SHOWN_AS = {"from_state": "from_state_label", "to_state": "to_state_label"}

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [self._SHOWN_AS.get(f, f) for f in fields if f != "payload"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_("原状态"))
    def from_state_label(self, event):
        return event.state_label(event.from_state) or "—"

    @admin.display(description=_("新状态"))
    def to_state_label(self, event):
        return event.state_label(event.to_state) or "—"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    """A record's typed events (办理记录) on its page; a subclass names the event model and,
    for events without states or business dates, its own `fields`."""

    fields = ["occurred_at", "type", "effective_on", "actor", "from_state", "to_state", "reason"]
    verbose_name_plural = _("办理记录")


class _LabelledHistory(HistoricalRecordContextHelper):
    """History pages show labels, not codes ("已立案 → 调查中", not "opened → investigating")."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if field.is_relation:
            if isinstance(value, DeletedObject):  # the package's "Deleted 用户 (pk=None)"
                return (
                    "—"
                    if value.pk is None
                    else _("已删除的%(what)s") % {"what": value.model._meta.verbose_name}
                )
            return "—" if value in (None, "") else value
        return readable(value, field)


class FixedCodeMixin:
    """A record keyed by a code that staff type once (a theme's `air`): editable when the record
    is added, then shown as code (outlines, imports and reviews refer to it)."""

    code_shown = code_column()

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "code_shown"]
        if obj is None:
            return fields
        return ["code_shown" if f == "code" else f for f in fields]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "code_shown"] if obj is not None else fields
