"""The legal screens' two shapes: a record whose every change is a step (a button opening a
small form that calls its service), and a plain ledger saved through `ledger_save`."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from ecogov.core.admin.base import ReadOnlyInline, ScopedModelAdmin
from ecogov.core.backdating import add_reason_field, step_entered_by
from ecogov.core.models import Organisation, OrganisationKind
from ecogov.core.scoping import can_edit
from ecogov.core.steps import Steps
from ecogov.legal.models import LegalEvent
from ecogov.legal.services import ledger_save

BUREAU_KINDS = [
    OrganisationKind.BUREAU,
    OrganisationKind.SECTION,
    OrganisationKind.ATTACHED_UNIT,
    OrganisationKind.SUB_BUREAU,
]


def _state_labels() -> dict[str, dict[str, str]]:
    """Each record type's state (or verdict, or milestone) codes with their Chinese labels."""
    from ecogov.legal.models import (
        CampaignState,
        DisputeState,
        MeasureState,
        MilestoneKind,
        ReviewState,
        Verdict,
    )
    from ecogov.legal.workflow import DocState

    def labels(*enums):
        return {str(v): str(label) for enum in enums for v, label in enum.choices}

    return {
        "normativedocument": labels(DocState),
        "policymeasure": labels(MeasureState),
        "policyreview": labels(ReviewState),
        "disputecase": labels(DisputeState),
        "cleanupcampaign": labels(CampaignState, Verdict),
        "bill": labels(MilestoneKind),
    }


class LegalEventInline(GenericTabularInline, ReadOnlyInline):
    model = LegalEvent
    ct_field, ct_fk_field = "content_type", "object_id"
    fields = ["occurred_at", "type", "actor", "from_label", "to_label", "reason"]
    readonly_fields = fields
    verbose_name_plural = _("办理记录")
    ordering = ["occurred_at", "pk"]

    @staticmethod
    def _label(obj, code: str) -> str:
        if not code:
            return "—"
        return _state_labels().get(obj.content_type.model, {}).get(code, code)

    @admin.display(description=_("原状态"))
    def from_label(self, obj):
        return self._label(obj, obj.from_state)

    @admin.display(description=_("新状态"))
    def to_label(self, obj):
        return self._label(obj, obj.to_state)


class ScopedChoicesMixin:
    """Foreign-key choices within the user's scope; the bureau's own units for drafting."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related is Organisation and db_field.name in (
            "drafting_unit",
            "handling_unit",
            "submitting_unit",
        ):
            kwargs["queryset"] = Organisation.objects.filter(kind__in=BUREAU_KINDS, is_active=True)
        elif related is Organisation and db_field.name == "firm":
            kwargs["queryset"] = Organisation.objects.filter(kind=OrganisationKind.OUTSIDE_BODY)
        elif hasattr(related.objects, "visible_to"):
            kwargs["queryset"] = related.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LedgerAdmin(ScopedChoicesMixin, ScopedModelAdmin):
    """A plain ledger: the form edits the row, `ledger_save` checks and writes it."""

    def save_model(self, request, obj, form, change):
        ledger_save(actor=request.user, instance=obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        profile = getattr(request.user, "staff", None)
        if (
            profile is not None
            and profile.division_id
            and "division" in {f.name for f in self.model._meta.fields}
        ):
            initial.setdefault("division", profile.division_id)
        return initial


class StepAdmin(ScopedChoicesMixin, ScopedModelAdmin):
    """A record changed only by steps: `steps`, the area's table of them (core.steps) where
    runner(actor, record, cleaned_data) calls the service. The change page is read-only with a
    button per step the record allows (`allowed_steps`) for those who may act on it."""

    change_form_template = "legal/record_change_form.html"
    steps: Steps = Steps()
    display_fields: list[str] = []
    editable_in_place = False

    def allowed_steps(self, obj) -> list[str]:
        return list(self.steps)

    def can_act(self, request, obj) -> bool:
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}") and can_edit(
            request.user, obj
        )

    def has_change_permission(self, request, obj=None):
        if not self.editable_in_place:
            return False  # every change is a step
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None or self.editable_in_place:
            return super().get_readonly_fields(request, obj)
        return self.display_fields

    def get_fields(self, request, obj=None):
        if obj is not None and not self.editable_in_place:
            return self.display_fields
        return super().get_fields(request, obj)

    def get_urls(self):
        opts = self.model._meta
        own = [
            path(
                "<path:object_id>/step/<str:step>/",
                self.admin_site.admin_view(self.step_view),
                name=f"{opts.app_label}_{opts.model_name}_step",
            )
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        steps = []
        if obj is not None and self.can_act(request, obj):
            steps = [(name, self.steps[name].label) for name in self.allowed_steps(obj)]
        opts = self.model._meta
        extra = {
            "record_steps": steps,
            "record": obj,
            "step_url": f"admin:{opts.app_label}_{opts.model_name}_step",
            "record_links": self.record_links(request, obj) if obj is not None else [],
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def record_links(self, request, obj) -> list[tuple[str, str, str]]:
        """Extra buttons (title, url, icon) on the record's page, e.g. an export."""
        return []

    def step_view(self, request, object_id, step):
        obj = get_object_or_404(self.get_queryset(request), pk=unquote(object_id))
        if step not in self.steps:
            raise Http404
        if not self.can_act(request, obj):
            raise PermissionDenied
        label, form_class, runner = (
            self.steps[step].label,
            self.steps[step].form,
            self.steps[step].run,
        )
        form = form_class(
            request.POST or None, request.FILES or None, record=obj, user=request.user
        )
        add_reason_field(form)
        if request.method == "POST" and form.is_valid():
            step = lambda: runner(request.user, obj, form.cleaned_data)  # noqa: E731
            if self._run(form, lambda: step_entered_by(form, step)):
                messages.success(request, _("已办理:%s") % label)
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": label,
            "form": form,
            "record": obj,
        }
        return TemplateResponse(request, "legal/step_form.html", context)

    @staticmethod
    def _run(form, call) -> bool:
        try:
            call()
            return True
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, list(errors))
            else:
                form.add_error(None, exc.messages)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        return False
