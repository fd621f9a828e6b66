"""REST endpoints of the penalty cases (/api/enforcement/…): scoped like the admin; each step
is parsed by the same form as the admin's button and performed by its service.

    GET  cases/                 list (scoped; ?state=…&division__code=…)
    POST cases/                 立案 (or a lead with "open_now": false)
    GET  cases/{id}/            one case with its record
    POST cases/{id}/steps/{step}/   a step: notify, decide, serve, … (see workflow.ACTIONS)
    GET  cases/{id}/verify/     the full-process record's verification
    GET  cases/{id}/dossier/    the case file as a zip
    GET  cases/export/          the case ledger as .xlsx
    GET  disclosures/?due=1     decisions due to be published
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ecogov.core.api_errors import Invalid, labels_of
from ecogov.core.api_forms import form_serializer, step_request
from ecogov.core.api_input import form_cleaned, form_input
from ecogov.core.api_permissions import EditablePageList, MayEdit
from ecogov.core.api_views import ChoiceLabelField, Versioned, api_export_response, export_schema
from ecogov.core.backdating import add_reason_field, step_entered_by
from ecogov.core.downloads import ZIP, file_response
from ecogov.core.masking import MASKERS
from ecogov.enforcement import dossier, ledger
from ecogov.enforcement.admin.forms import CASE_STEPS, OpenForm, open_from_form
from ecogov.enforcement.chain import verify_case
from ecogov.enforcement.models import (
    CaseDisclosure,
    CaseEvent,
    CoerciveMeasure,
    CompulsoryExecution,
    DailyPenalty,
    DecisionChange,
    PartyKind,
    PaymentPlan,
    PenaltyCase,
)
from ecogov.enforcement.queries import disclosures_due
from ecogov.enforcement.workflow import ACTION_LABELS


class CanViewCases(permissions.BasePermission):
    """Steps are the services' business (roles, scope, rules); the door asks only that the
    user may read cases. Approval steps are taken by people assigned to a case they may not edit."""

    def has_permission(self, request, view):
        user = request.user
        return user.is_authenticated and user.has_perm("enforcement.view_penaltycase")


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseEvent
        fields = [
            "seq",
            "type",
            "occurred_at",
            "recorded_at",
            "actor",
            "from_state",
            "to_state",
            "reason",
            "payload",
            "hash",
        ]


class CaseSerializer(MayEdit, serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="name", read_only=True)
    officers = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    # plain strings, not enum components: other areas have fields named state and source too
    state = serializers.CharField(read_only=True, help_text="workflow.CaseState")
    source = serializers.CharField(read_only=True, help_text="CaseSource")
    state_label = ChoiceLabelField("state")
    allowed_steps = serializers.ListField(
        child=serializers.CharField(), read_only=True, source="allowed_step_names"
    )

    class Meta:
        model = PenaltyCase
        list_serializer_class = EditablePageList
        exclude = ["chain_hash", "party_name_bidx", "party_id_number_bidx", "party_phone_bidx"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.may_edit(instance):
            for field, kind in PenaltyCase.personal_fields.items():
                data[field] = MASKERS[kind](data[field] or "")
            if instance.party_kind == PartyKind.INDIVIDUAL:
                data["party_name"] = MASKERS["name"](data["party_name"])
        return data


class _Plain(serializers.ModelSerializer):
    """A related record as it is stored (execution, measures, changes: read-only)."""

    class Meta:
        exclude = ["case"]


def _plain(model_class):
    return type(
        f"{model_class.__name__}Serializer",
        (_Plain,),
        {"Meta": type("Meta", (_Plain.Meta,), {"model": model_class})},
    )


class CaseDetailSerializer(CaseSerializer):
    events = CaseEventSerializer(many=True, read_only=True)
    payment_plans = _plain(PaymentPlan)(many=True, read_only=True)
    compulsory = _plain(CompulsoryExecution)(read_only=True, allow_null=True)
    measures = _plain(CoerciveMeasure)(many=True, read_only=True)
    daily_penalties = _plain(DailyPenalty)(many=True, read_only=True)
    decision_changes = _plain(DecisionChange)(many=True, read_only=True)
    surcharge_today = serializers.SerializerMethodField()

    def get_surcharge_today(self, case) -> dict:
        """加处罚款 as of today, with its working (docs/enforcement.md §9)."""
        from django.utils import timezone

        from ecogov.enforcement.services import surcharge_on

        late = surcharge_on(case, timezone.localdate())
        return {"days": late.days, "amount": str(late.amount), "derivation": late.derivation}


class DisclosureSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="number", read_only=True)
    on_time = serializers.BooleanField(read_only=True)

    class Meta:
        model = CaseDisclosure
        fields = [
            "id",
            "case",
            "due_on",
            "due_provisional",
            "published_on",
            "on_time",
            "title",
            "content",
            "withdrawn_on",
            "withdrawal_notice",
        ]


_STEP_REQUEST, _STEP_PARAMETERS = step_request("Case", CASE_STEPS, ACTION_LABELS)


class CaseViewSet(
    Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = CaseSerializer
    step_forms = CASE_STEPS  # the name every step viewset uses (legal's, tests/core/test_api_fuzz)
    filterset_fields = ["state", "division__code", "source", "number"]

    def get_queryset(self):
        return (
            PenaltyCase.objects.visible_to(self.request.user)
            .select_related("division", "organisation")
            .prefetch_related("officers")
        )

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    @extend_schema(request=form_serializer(OpenForm, "CaseNew"), responses={201: CaseSerializer})
    def create(self, request):
        form = add_reason_field(OpenForm(*form_input(OpenForm, request), user=request.user))
        data = form_cleaned(form)
        try:
            case = step_entered_by(form, lambda: open_from_form(request.user, None, data))
        except ValidationError as exc:
            raise Invalid.from_django(exc, labels=labels_of(form)) from None
        return Response(CaseSerializer(case, context={"request": request}).data, status=201)

    @extend_schema(
        request=_STEP_REQUEST, parameters=_STEP_PARAMETERS, responses={200: CaseSerializer}
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"steps/(?P<step>[a-z_]+)",
        permission_classes=[CanViewCases],
    )
    def step(self, request, pk=None, step=None):
        case = self.get_object()
        if step not in self.step_forms:
            raise Http404
        form_class, runner = self.step_forms[step].form, self.step_forms[step].run
        form = add_reason_field(form_class(*form_input(form_class, request)))
        data = form_cleaned(form)
        try:
            step_entered_by(form, lambda: runner(request.user, case, data))
        except ValidationError as exc:
            raise Invalid.from_django(exc, labels=labels_of(form)) from None
        case = self.get_queryset().get(pk=case.pk)
        return Response(CaseSerializer(case, context={"request": request}).data)

    @action(detail=True, methods=["get"], permission_classes=[CanViewCases])
    def verify(self, request, pk=None):
        report = verify_case(self.get_object())
        return Response(
            {
                "ok": report.ok,
                "checked": report.checked,
                "files": report.files,
                "broken_seq": report.broken_seq,
                "message": str(report),
            }
        )

    @extend_schema(responses={(200, ZIP): bytes})
    @action(detail=True, methods=["get"], permission_classes=[CanViewCases])
    def dossier(self, request, pk=None):
        case = self.get_object()
        try:
            content = dossier.export_dossier(actor=request.user, case=case)
        except ValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=409)
        return file_response(content, f"case-{case.pk}.zip", ZIP)

    @export_schema
    @action(detail=False, methods=["get"])
    def export(self, request):
        return api_export_response(self, request, ledger.export_cases, "penalty-cases")


class DisclosureViewSet(Versioned, viewsets.ReadOnlyModelViewSet):
    serializer_class = DisclosureSerializer

    def get_queryset(self):
        if self.request.query_params.get("due"):
            return disclosures_due(self.request.user)
        return CaseDisclosure.objects.visible_to(self.request.user).select_related("case")
