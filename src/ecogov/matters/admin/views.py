"""Back-office pages beyond the lists: handling a matter, a unit's overdue list, the score table."""

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecogov.core.backdating import add_reason_field, step_entered_by
from ecogov.core.models import Organisation
from ecogov.core.scoping import can_edit, scope_for
from ecogov.matters import assessment, queries, services
from ecogov.matters.models import Matter, MatterUnit, ProgressCall, Source
from ecogov.matters.services.common import actor_organisation
from ecogov.matters.steps import matter_steps
from ecogov.matters.workflow import Feedback, Kind, ReplyCategory, State


class StepForm(forms.Form):
    action = forms.ChoiceField(label=_("办理步骤"))
    on = forms.DateField(
        label=_("办理日期"), required=False, help_text=_("文书落款或实际办理的日期,默认今天")
    )
    result = forms.CharField(label=_("办理结果 / 答复内容"), required=False, widget=forms.Textarea)
    evidence = forms.CharField(label=_("销号依据(验收材料)"), required=False, widget=forms.Textarea)
    reason = forms.CharField(label=_("理由"), required=False)
    reply_category = forms.ChoiceField(
        label=_("答复类别"), required=False, choices=[("", "—"), *ReplyCategory.choices]
    )
    feedback = forms.ChoiceField(
        label=_("反馈"), required=False, choices=[("", "—"), *Feedback.choices]
    )


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea)
    percent = forms.IntegerField(label=_("完成进度(%)"), required=False, min_value=0, max_value=100)
    call = forms.ModelChoiceField(ProgressCall.objects.none(), label=_("调度"), required=False)


def handle_view(model_admin, request, object_id):
    matter = model_admin.get_queryset(request).filter(pk=object_id).first()
    if matter is None:
        raise Http404(_("事项不存在或不在您的数据范围内。"))
    steps = matter_steps(matter)  # the steps its state allows (core.steps, matters.steps)
    step_form = StepForm(request.POST if "step" in request.POST else None, prefix="step")
    step_form.fields["action"].choices = steps.choices()
    add_reason_field(step_form)
    progress_form = ProgressForm(
        request.POST if "progress" in request.POST else None, prefix="progress"
    )
    organisation = actor_organisation(request.user)
    progress_form.fields["call"].queryset = ProgressCall.objects.filter(
        closed_at__isnull=True, items__matter=matter, items__organisation=organisation
    ).distinct()
    errors = []
    if request.method == "POST":
        try:
            if "step" in request.POST and step_form.is_valid():
                data = step_form.cleaned_data
                step_entered_by(
                    step_form, lambda: steps.run(data["action"], request.user, matter, data)
                )
                messages.success(request, _("已办理。"))
                return HttpResponseRedirect(request.path)
            if "progress" in request.POST and progress_form.is_valid():
                services.matter_report_progress(
                    actor=request.user, matter=matter, **progress_form.cleaned_data
                )
                messages.success(request, _("进展已报送。"))
                return HttpResponseRedirect(request.path)
        except ValidationError as exc:
            errors = exc.messages  # at the top, and beside the step's own field if it names one
            for field, messages_ in getattr(exc, "error_dict", {}).items():
                if "step" in request.POST and field in step_form.fields:
                    step_form.add_error(field, messages_)
        except PermissionDenied as exc:
            errors = [str(exc)]
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "matter": matter,
        "title": _("办理:%s") % matter,
        "steps": steps,
        "step_form": step_form,
        "progress_form": progress_form,
        "errors": errors,
        "can_edit": can_edit(request.user, matter),
        "is_unit": matter.units.filter(organisation=organisation, is_active=True).exists(),
        "change_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[matter.pk]),
    }
    return TemplateResponse(request, "matters/handle.html", context)


@staff_member_required
def overdue_view(request):
    """A unit's overdue matters (its own by default; a territory user may pick any unit)."""
    if not request.user.has_perm("matters.view_matter"):
        raise PermissionDenied
    scope, today = scope_for(request.user), timezone.localdate()
    unit = actor_organisation(request.user)
    if request.GET.get("unit") and scope.division_path:
        unit = get_object_or_404(Organisation, pk=request.GET["unit"])
    if request.GET.get("unit") or not scope.division_path:
        rows = (
            queries.unit_overdue(request.user, unit, today=today) if unit else Matter.objects.none()
        )
        heading = _("%s的逾期事项") % unit if unit else _("逾期事项")
    else:
        rows = (
            queries.overdue(Matter.objects.visible_to(request.user), today)
            .select_related("division", "source")
            .order_by("due_on", "pk")
        )
        heading = _("数据范围内的逾期事项")
    # the scope is evaluated once: the ordered ids, then the page's rows by id
    page = Paginator(list(rows.values_list("pk", flat=True)), 100).get_page(request.GET.get("page"))
    by_id = (
        Matter.objects.select_related("division", "source")
        .prefetch_related("units__organisation")
        .in_bulk(list(page.object_list))
    )
    page.object_list = [by_id[pk] for pk in page.object_list if pk in by_id]
    states, kinds = dict(State.choices), dict(Kind.choices)  # labels once, not per row
    for matter in page:
        matter.state_label, matter.kind_label = states[matter.state], kinds[matter.kind]
        matter.days_overdue = (today - matter.due_on).days
        matter.url = reverse(queries.ADMIN_URL[matter.kind], args=[matter.pk])
        matter.lead = next(
            (u.organisation for u in matter.units.all() if u.is_active and u.role == "lead"), ""
        )
    context = {
        **_site(request),
        "title": heading,
        "page": page,
        "today": today,
        "units": (
            Organisation.objects.filter(
                Exists(MatterUnit.objects.filter(organisation=OuterRef("pk"), is_active=True))
            ).order_by("kind", "name")
            if scope.division_path
            else []
        ),
    }
    return TemplateResponse(request, "matters/overdue.html", context)


@staff_member_required
def assessment_view(request):
    if not request.user.has_perm("matters.view_source"):
        raise PermissionDenied
    campaigns = Source.objects.filter(kind=Kind.TASK).order_by("-year", "name")
    chosen = (
        campaigns.filter(pk=request.GET.get("source")).first()
        if request.GET.get("source")
        else campaigns.first()
    )
    scores = assessment.unit_scores(request.user, chosen) if chosen else []
    context = {
        **_site(request),
        "title": _("攻坚战考核得分"),
        "campaigns": campaigns,
        "chosen": chosen,
        "scores": scores,
    }
    return TemplateResponse(request, "matters/assessment.html", context)


def _site(request):
    from django.contrib import admin

    return admin.site.each_context(request)
