"""The case screens: a read-only record with one button per allowed step; each step is a
small form that calls its service. Nothing is edited in place."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from ecogov.core.admin.base import ReadOnlyInline, ScopedModelAdmin
from ecogov.core.backdating import REASON_FIELD, add_reason_field, step_entered_by
from ecogov.core.display import due_date
from ecogov.core.downloads import ZIP, file_response
from ecogov.core.exports import export_response
from ecogov.core.fields import BlindIndexField, personal_search
from ecogov.core.masking import MASKERS
from ecogov.core.models import Attachment
from ecogov.core.scoping import can_edit
from ecogov.core.versions import versioned_form
from ecogov.enforcement import dossier, ledger
from ecogov.enforcement.chain import verify_case
from ecogov.enforcement.models import CaseEvent, PartyKind, Payment, PenaltyCase
from ecogov.enforcement.workflow import ACTION_LABELS, TERMINAL, allowed_actions

from .forms import CASE_STEPS, OpenForm, fit_people, initial_for, open_from_form
from .measures import CASE_INLINES, present
from .step_forms import offered


def source_links(case):
    from django.apps import apps
    from django.urls import NoReverseMatch
    from django.utils.html import format_html_join

    if not case.inspection_ref or not apps.is_installed("ecogov.inspections"):
        return "—"
    record = (
        apps.get_model("inspections", "InspectionRecord")
        .objects.filter(number=case.inspection_ref)
        .select_related("draw_check__draw__plan")
        .first()
    )
    if record is None:
        return case.inspection_ref
    parts = []
    try:
        parts.append(
            (reverse("admin:inspections_inspectionrecord_change", args=[record.pk]), record.number)
        )
        check = record.draw_check
        if check is not None:
            draw = check.draw
            parts.append(
                (
                    reverse("admin:inspections_draw_change", args=[draw.pk]),
                    _("%(plan)s 第%(n)d次抽取") % {"plan": draw.plan, "n": draw.number},
                )
            )
    except NoReverseMatch:
        return case.inspection_ref
    return format_html_join(" ← ", '<a class="text-primary-600" href="{}">{}</a>', parts)


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = [
        "seq",
        "occurred_at",
        "type",
        "actor",
        "from_state",
        "to_state",
        "reason",
        "late_entry",
        "hash",
    ]
    readonly_fields = fields
    verbose_name_plural = _("全过程记录")

    @admin.display(description=_("补录"))
    def late_entry(self, event):
        """A step dated beyond the late-entry window: its reason and when it was entered."""
        reason = (event.payload or {}).get(REASON_FIELD)
        if not reason:
            return "—"
        return _("%(reason)s(录入于 %(at)s)") % {
            "reason": reason,
            "at": timezone.localtime(event.recorded_at).strftime("%Y-%m-%d %H:%M"),
        }


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["paid_on", "amount", "receipt_number"]
    readonly_fields = fields


class CaseAttachmentInline(GenericTabularInline, ReadOnlyInline):
    model = Attachment
    ct_fk_field = "object_id"
    fields = ["download_link", "description", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    verbose_name_plural = _("案卷材料")

    @admin.display(description=_("文件名"))
    def download_link(self, attachment):
        return format_html('<a href="{}">{}</a>', attachment.file.url, attachment.original_name)


class DueFilter(admin.SimpleListFilter):
    title = _("期限")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", _("已超期")), ("soon", _("即将到期"))]

    def queryset(self, request, queryset):
        from ecogov.enforcement.models import EnforcementPolicy

        today = timezone.localdate()
        running = queryset.exclude(state__in=TERMINAL).filter(step_due__isnull=False)
        if self.value() == "overdue":
            return running.filter(step_due__lt=today)
        if self.value() == "soon":
            soon = today + dt.timedelta(days=EnforcementPolicy.current().due_soon_days)
            return running.filter(step_due__gte=today, step_due__lte=soon)
        return queryset


class StatusFilter(admin.SimpleListFilter):
    title = _("办理情况")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("running", _("在办")), ("ended", _("已办结"))]

    def queryset(self, request, queryset):
        if self.value() == "running":
            return queryset.exclude(state__in=TERMINAL)
        if self.value() == "ended":
            return queryset.filter(state__in=TERMINAL)
        return queryset


@admin.register(PenaltyCase)
class PenaltyCaseAdmin(ScopedModelAdmin):
    list_display = [
        "number",
        "party_display",
        "title",
        "division",
        "state",
        "step_label",
        "step_due_display",
        "fine",
    ]
    list_filter = [StatusFilter, DueFilter, "state", "source", "division", "organisation"]
    # the party's name, ID and phone are encrypted: found whole through their blind indexes
    # (get_search_results); an organisation also by part of its registered name
    search_fields = ["number", "title", "inspection_ref", "entity__name"]
    list_select_related = ["division", "organisation"]
    inlines = [CaseAttachmentInline, PaymentInline, *CASE_INLINES, CaseEventInline]
    actions = ["export_xlsx"]
    change_form_template = "enforcement/case_change_form.html"
    exclude = ["officers"]

    @admin.display(description=_("当事人"))
    def party_display(self, obj):
        if obj.party_kind == PartyKind.INDIVIDUAL:
            return MASKERS["name"](obj.party_name)  # lists are read by more people than handlers
        return obj.party_name

    def get_search_results(self, request, queryset, search_term):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            found = found | queryset.filter(personal_search(PenaltyCase, request.user, term))
        return found, duplicates

    @admin.display(description=_("当前步骤期限"), ordering="step_due")
    def step_due_display(self, obj):
        return due_date(obj.step_due, obj.step_due_provisional)

    @admin.display(description=_("执法人员"))
    def officer_names(self, obj):
        return obj.officer_names()

    @admin.display(description=_("来源检查与抽取"))
    def source_story(self, obj):
        """From the case back to the inspection that found it and the random draw that chose
        the entity (the full story from draw to closed case; docs/enforcement.md §12)."""
        return source_links(obj)

    def get_inline_instances(self, request, obj=None):
        return [i for i in super().get_inline_instances(request, obj) if present(i, obj)]

    def has_change_permission(self, request, obj=None):
        return False  # every change is a step (a button), never an edit in place

    def get_readonly_fields(self, request, obj=None):
        fields = [f.name for f in self.model._meta.fields if not isinstance(f, BlindIndexField)] + [
            "officer_names",
            "source_story",
        ]
        if obj is not None and not can_edit(request.user, obj):
            # personal data only for those who handle the case (ecogov.core.masking)
            fields = [f for f in fields if f not in PenaltyCase.personal_fields]
            if obj.party_kind == PartyKind.INDIVIDUAL:
                fields = ["party_display" if f == "party_name" else f for f in fields]
        return fields

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/step/<str:step>/",
                self.admin_site.admin_view(self.step_view),
                name="enforcement_penaltycase_step",
            ),
            path(
                "<path:object_id>/dossier/",
                self.admin_site.admin_view(self.dossier_view),
                name="enforcement_penaltycase_dossier",
            ),
            path(
                "<path:object_id>/verify/",
                self.admin_site.admin_view(self.verify_view),
                name="enforcement_penaltycase_verify",
            ),
        ]
        return own + super().get_urls()

    def _case(self, request, object_id) -> PenaltyCase:
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self._case(request, object_id)
        # only those who may handle the case are offered its steps (a viewer sees none)
        handler = can_edit(request.user, case)
        steps = (
            [*offered(request.user, case, allowed_actions(case.state)), "attach"] if handler else []
        )
        extra = {
            "case_steps": [(a, ACTION_LABELS.get(a, _("添加材料"))) for a in steps],
            "case": case,
            "show_history": handler,  # as history_view decides
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def history_view(self, request, object_id, extra_context=None):
        # the change history shows every value, the party's personal data too: handlers only
        case = self.get_queryset(request).filter(pk=object_id).first()
        if case is not None and not can_edit(request.user, case):
            raise PermissionDenied(_("案件的变更历史含当事人个人信息,仅承办人员可查看。"))
        return super().history_view(request, object_id, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        """立案 (or register a lead): the open form, calling the service."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = add_reason_field(OpenForm(request.POST or None, user=request.user))
        if request.method == "POST" and form.is_valid():
            case = self._run(
                request,
                form,
                lambda: step_entered_by(
                    form, lambda: open_from_form(request.user, None, form.cleaned_data)
                ),
            )
            if case is not None:
                messages.success(request, _("已登记:%s") % case)
                return HttpResponseRedirect(
                    reverse("admin:enforcement_penaltycase_change", args=[case.pk])
                )
        return self._render(request, form, _("立案登记"), None)

    def step_view(self, request, object_id, step):
        case = self._case(request, object_id)
        if step not in CASE_STEPS:
            raise Http404
        form_class, runner = CASE_STEPS[step].form, CASE_STEPS[step].run
        # the page carries the version of the case it was opened on: a step posted after someone
        # else changed the case is refused with what changed (core.versions; docs/security.md)
        form_class = versioned_form(form_class, case, [*form_class.base_fields, "state"])
        form = form_class(
            request.POST or None, request.FILES or None, initial=initial_for(case, step, form_class)
        )
        fit_people(form, request.user, case)
        add_reason_field(form)
        result = None
        if request.method == "POST":
            with transaction.atomic():  # the version check locks the row until the step is done
                if form.is_valid():
                    result = self._run(
                        request,
                        form,
                        lambda: step_entered_by(
                            form, lambda: runner(request.user, case, form.cleaned_data)
                        ),
                    )
            if result is not None:
                messages.success(request, _("已办理:%s") % ACTION_LABELS.get(step, _("添加材料")))
                return HttpResponseRedirect(
                    reverse("admin:enforcement_penaltycase_change", args=[case.pk])
                )
        return self._render(request, form, ACTION_LABELS.get(step, _("添加材料")), case)

    def _run(self, request, form, call):
        try:
            return call()
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(
                        field if field in form.fields else None, [f"{e}" for e in errors]
                    )
            else:
                form.add_error(None, exc.messages)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        return None

    def _render(self, request, form, title, case):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "case": case,
        }
        return TemplateResponse(request, "enforcement/step_form.html", context)

    def dossier_view(self, request, object_id):
        case = self._case(request, object_id)
        try:
            content = dossier.export_dossier(actor=request.user, case=case)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(
                reverse("admin:enforcement_penaltycase_change", args=[case.pk])
            )
        return file_response(content, f"case-{case.pk}.zip", ZIP)

    def verify_view(self, request, object_id):
        case = self._case(request, object_id)
        report = verify_case(case)
        (messages.success if report.ok else messages.error)(request, str(report))
        return HttpResponseRedirect(reverse("admin:enforcement_penaltycase_change", args=[case.pk]))

    @action(description=_("导出所选为 Excel"))
    def export_xlsx(self, request, queryset):
        return export_response(request, queryset, ledger.export_cases, "penalty-cases")
