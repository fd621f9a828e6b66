"""Screens for plans (with their quotas and "draw now"), seeds and conflict declarations."""

from django import forms
from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.decorators import action

from ecogov.core.admin.base import EventInline, ScopedModelAdmin
from ecogov.core.models import RegulatedEntity
from ecogov.core.scoping import can_edit
from ecogov.inspections import services
from ecogov.inspections.jobs import draw_start
from ecogov.inspections.models import (
    ConflictDeclaration,
    Draw,
    Plan,
    PlanEvent,
    PlanQuota,
    Seed,
)

from .common import (
    ServiceErrorsMixin,
    certified_users,
    form_page,
    redirect_back,
    run_service,
)


class QuotaInline(TabularInline):
    model = PlanQuota
    extra = 0
    min_num = 1
    validate_min = True
    fields = ["category", "share", "count"]

    def get_extra(self, request, obj=None, **kwargs):
        return 3 if obj is None else 0

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.draws.exists()

    has_add_permission = has_delete_permission = has_change_permission


class PlanEventInline(EventInline):
    model = PlanEvent
    fields = ["occurred_at", "type", "actor", "reason", "payload"]


@admin.register(Plan)
class PlanAdmin(ServiceErrorsMixin, ScopedModelAdmin):
    list_display = [
        "name",
        "period_label",
        "division",
        "period_start",
        "period_end",
        "inspectors_per_check",
        "allow_cross_division",
        "draw_status",
    ]
    list_filter = ["division", "allow_cross_division"]
    search_fields = ["name", "period_label"]
    list_select_related = ["division"]
    date_hierarchy = "period_start"
    inlines = [QuotaInline, PlanEventInline]
    actions = ["draw_now"]
    actions_detail = ["draw_now_detail"]
    fields = [
        "name",
        "period_label",
        "period_start",
        "period_end",
        "division",
        "inspection_date",
        "inspectors_per_check",
        "allow_cross_division",
        "skip_compliant_this_year",
        "notes",
    ]

    def get_queryset(self, request):
        # the list's "抽取" column reads the active draw's number with the rows (one query)
        active = (
            Draw.objects.filter(plan=OuterRef("pk"), status="active")
            .order_by(*Draw._meta.ordering)
            .values("number")[:1]
        )
        return super().get_queryset(request).annotate(active_draw_number=Subquery(active))

    @admin.display(description=_("抽取"))
    def draw_status(self, obj):
        if hasattr(obj, "active_draw_number"):
            number = obj.active_draw_number
        else:
            active = obj.draws.filter(status="active").first()
            number = None if active is None else active.number
        return _("未抽取") if number is None else _("已抽取(第%d次)") % number

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None and obj.draws.exists() else []

    def save_model(self, request, obj, form, change):
        pass  # saved with its quotas in save_related, through the service

    def save_related(self, request, form, formsets, change):
        quotas = [
            f.cleaned_data
            for fs in formsets
            if fs.model is PlanQuota
            for f in fs.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        quotas = [{k: q.get(k) for k in ("category", "share", "count")} for q in quotas]
        data = {n: form.cleaned_data[n] for n in services.PLAN_FIELDS if n in form.cleaned_data}
        if change:
            plan = services.plan_update(
                actor=request.user,
                plan=Plan.objects.get(pk=form.instance.pk),
                data={n: data[n] for n in form.changed_data if n in data},
                quotas=quotas,
            )
        else:
            plan = services.plan_create(actor=request.user, data=data, quotas=quotas)
        self.adopt(form.instance, plan)
        for formset in formsets:  # the change message reads these; the service wrote the rows
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def _draw(self, request, plan):
        """A background job (docs/jobs.md; inspections/jobs.py); None if refused at once."""
        if not can_edit(request.user, plan):
            messages.error(request, _("无权对“%s”抽取:超出您的数据范围或您只有查看权限。") % plan)
            return None
        return draw_start(actor=request.user, plan=plan)

    @action(description=_("立即抽取(使用已公布的随机种子)"))
    def draw_now(self, request, queryset):
        started = [job for job in (self._draw(request, plan) for plan in queryset) if job]
        if len(started) == 1:
            return HttpResponseRedirect(reverse("admin:core_job_change", args=[started[0].pk]))
        if started:
            messages.success(
                request, _("已提交 %d 个抽取任务,在“后台任务”中查看进度和结果。") % len(started)
            )
            return HttpResponseRedirect(reverse("admin:core_job_changelist"))
        return None

    @action(description=_("立即抽取"), url_path="draw-now", permissions=["draw"])
    def draw_now_detail(self, request, object_id):
        plan = get_object_or_404(self.get_queryset(request), pk=object_id)
        job = self._draw(request, plan)
        if job is None:
            return redirect_back(request, reverse("admin:inspections_plan_change", args=[plan.pk]))
        return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))

    def has_draw_permission(self, request, object_id=None):
        return request.user.has_perm("inspections.add_draw")


class SeedForm(forms.ModelForm):
    class Meta:
        model = Seed
        fields = ["plan", "value", "source", "source_note"]


@admin.register(Seed)
class SeedAdmin(ServiceErrorsMixin, ScopedModelAdmin):
    form = SeedForm
    list_display = ["plan", "value", "source", "source_note", "announced_by", "announced_at"]
    list_filter = ["source"]
    search_fields = ["value", "plan__name"]
    list_select_related = ["plan", "announced_by"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "plan":
            kwargs["queryset"] = (
                Plan.objects.editable_by(request.user).filter(draws__isnull=True).distinct()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        seed = services.seed_announce(
            actor=request.user,
            plan=form.cleaned_data["plan"],
            value=form.cleaned_data["value"],
            source=form.cleaned_data["source"],
            source_note=form.cleaned_data.get("source_note", ""),
        )
        self.adopt(obj, seed)
        obj.announced_at = seed.announced_at


class ConflictForm(forms.ModelForm):
    class Meta:
        model = ConflictDeclaration
        fields = ["inspector", "entity", "reason"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=256)


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ServiceErrorsMixin, ScopedModelAdmin):
    form = ConflictForm
    list_display = ["inspector", "entity", "division", "declared_at", "withdrawn_at"]
    list_filter = ["division"]
    search_fields = ["entity__name", "inspector__staff__full_name"]
    list_select_related = ["inspector", "entity", "division"]
    autocomplete_fields = ["entity"]
    actions_detail = ["withdraw"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "inspector":
            kwargs["queryset"] = certified_users()
        elif db_field.name == "entity":
            kwargs["queryset"] = RegulatedEntity.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ["inspector", "entity", "reason"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        declaration = services.conflict_declare(
            actor=request.user,
            **{k: form.cleaned_data[k] for k in ("inspector", "entity", "reason")},
        )
        self.adopt(obj, declaration)

    @action(description=_("撤销申报"), url_path="withdraw", permissions=["edit_record"])
    def withdraw(self, request, object_id):
        declaration = get_object_or_404(self.get_queryset(request), pk=object_id)
        form = WithdrawForm(request.POST or None)
        if (
            request.method == "POST"
            and form.is_valid()
            and run_service(
                request,
                lambda: services.conflict_withdraw(
                    actor=request.user,
                    declaration=declaration,
                    reason=form.cleaned_data["reason"],
                    now=timezone.now(),
                ),
                ConflictDeclaration,
            )
        ):
            messages.success(request, _("回避申报已撤销。"))
            return HttpResponseRedirect(
                reverse("admin:inspections_conflictdeclaration_change", args=[declaration.pk])
            )
        if not can_edit(request.user, declaration):
            messages.error(request, _("无权撤销该回避申报。"))
        return form_page(self, request, title=_("撤销回避申报:%s") % declaration, form=form)
