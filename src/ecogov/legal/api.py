"""REST endpoints of the legal area (/api/legal/…): scoped like the admin; each step is parsed
by the same form as the admin's button and performed by its service.

    GET  documents/                     the register (scoped; ?state=…&number_year=…)
    POST documents/                     登记起草 (a draft enters the register)
    POST documents/{id}/steps/{step}/   a step: submit_review, register, issue, file, … (workflow.ACTIONS)
    GET  documents/export/              the register as .xlsx
    GET  reviews/ · POST reviews/{id}/steps/record|resolve/
    GET  measures/ · POST measures/ · POST measures/{id}/steps/submit_review|issue|repeal|abandon/
    GET  cleanups/ · POST cleanups/ · POST cleanups/{id}/steps/select|verdict|finish/
    GET  cleanups/{id}/catalogue/       the cleanup catalogue as .xlsx
    GET  disputes/ · POST disputes/ · POST disputes/{id}/steps/answer|hearing|decide/
    GET  bills/ · counsel-opinions/ · study-sessions/ · group-meetings/
    GET  review-queue/                  the legal section's work list (every area)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from ecogov.core.api_errors import Invalid, labels_of
from ecogov.core.api_input import form_cleaned, form_input
from ecogov.core.api_permissions import EditablePageList, MayEdit
from ecogov.core.api_views import Versioned, division_field
from ecogov.core.backdating import add_reason_field, step_entered_by
from ecogov.core.downloads import XLSX, xlsx_response
from ecogov.core.masking import MASKERS
from ecogov.core.models import Division, Organisation
from ecogov.core.reviews import review_items_for
from ecogov.legal import ledger, services
from ecogov.legal.admin.forms import (
    CLEANUP_STEPS,
    DISPUTE_STEPS,
    DOCUMENT_STEPS,
    MEASURE_STEPS,
    REVIEW_STEPS,
)
from ecogov.legal.models import (
    ApplicantKind,
    Bill,
    BillMilestone,
    CleanupCampaign,
    CleanupItem,
    CounselContract,
    CounselOpinion,
    DisputeCase,
    GroupMeeting,
    GroupMember,
    LeaderDuty,
    LeadingGroup,
    NormativeDocument,
    PolicyMeasure,
    PolicyReview,
    StudySession,
    Theme,
)
from ecogov.legal.workflow import allowed_actions

DIVISION = {
    "does_not_exist": "行政区划代码“{value}”不存在。",
    "invalid": "行政区划代码格式不正确。",
}


class CanChange(permissions.BasePermission):
    """A step changes the record: the role's change permission; the service checks the rest."""

    def has_permission(self, request, view):
        opts = view.get_queryset().model._meta
        return request.user.is_authenticated and request.user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        )


class StepsMixin:
    """POST {id}/steps/{step}/: the step's form parses, its service acts, the record returns."""

    step_forms: dict = {}

    @extend_schema(request=dict, responses={200: dict, 400: dict})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"steps/(?P<step>[a-z_]+)",
        permission_classes=[CanChange],
    )
    def step(self, request, pk=None, step=None):
        record = self.get_object()
        if step not in self.step_forms:
            raise Http404
        form_class, runner = self.step_forms[step]
        data, files = form_input(form_class, request)
        form = add_reason_field(form_class(data, files, record=record, user=request.user))
        cleaned = form_cleaned(form)
        try:
            step_entered_by(form, lambda: runner(request.user, record, cleaned))
        except ValidationError as exc:
            raise Invalid.from_django(exc, labels=labels_of(form)) from None
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(record).data)


# --- serializers ------------------------------------------------------------------------------
class PolicyReviewSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_label = serializers.CharField(source="kind.name", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    subject = serializers.CharField(read_only=True)

    class Meta:
        model = PolicyReview
        fields = [
            "id",
            "kind",
            "kind_label",
            "document",
            "measure",
            "subject",
            "state",
            "submitted_on",
            "due_on",
            "due_provisional",
            "reviewed_on",
            "outcome",
            "outcome_label",
            "opinion",
            "issues_found",
            "resolved",
            "resolution",
            "exception_ground",
        ]


class NormativeDocumentSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(
        slug_field="code", queryset=Division.objects.all(), required=False, error_messages=DIVISION
    )
    drafting_unit = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    themes = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Theme.objects.filter(is_active=True)
    )
    state = serializers.CharField(read_only=True, help_text="workflow.DocState")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    allowed_steps = serializers.SerializerMethodField()
    reviews = PolicyReviewSerializer(many=True, read_only=True)

    class Meta:
        model = NormativeDocument
        exclude = ["issued_by"]
        read_only_fields = [
            f.name
            for f in NormativeDocument._meta.fields
            if f.name
            not in (
                "title",
                "summary",
                "drafting_unit",
                "division",
                "drafted_on",
                "is_trial",
                "affects_public",
                "affects_market",
            )
        ]

    def get_allowed_steps(self, obj) -> list[str]:
        return allowed_actions(obj.state)


class PolicyMeasureSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(
        slug_field="code", queryset=Division.objects.all(), required=False, error_messages=DIVISION
    )
    themes = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Theme.objects.filter(is_active=True)
    )
    reviews = PolicyReviewSerializer(many=True, read_only=True)

    class Meta:
        model = PolicyMeasure
        fields = "__all__"
        read_only_fields = ["state", "issued_on", "ended_on", "ending_reason", "created_at"]


class CleanupCampaignSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(
        slug_field="code", queryset=Division.objects.all(), required=False, error_messages=DIVISION
    )
    items = serializers.SerializerMethodField()

    class Meta:
        model = CleanupCampaign
        fields = [
            "id",
            "title",
            "kind",
            "basis",
            "division",
            "state",
            "started_on",
            "due_on",
            "criteria",
            "finished_on",
            "catalogue_submitted_on",
            "submitted_to",
            "items",
        ]
        read_only_fields = [
            "state",
            "criteria",
            "finished_on",
            "catalogue_submitted_on",
            "submitted_to",
        ]

    def get_items(self, obj) -> list[dict]:
        return [
            {
                "id": i.pk,
                "document": i.document_id,
                "measure": i.measure_id,
                "subject": str(i.subject),
                "verdict": i.verdict,
                "reason": i.reason,
                "decided_on": i.decided_on,
            }
            for i in obj.items.all()  # the viewset fetches them with their subjects
        ]


class DisputeCaseSerializer(MayEdit, serializers.ModelSerializer):
    division = serializers.SlugRelatedField(
        slug_field="code", queryset=Division.objects.all(), required=False, error_messages=DIVISION
    )
    act_number = serializers.CharField(write_only=True, required=False, allow_blank=True)
    act_record = serializers.SerializerMethodField()

    class Meta:
        model = DisputeCase
        list_serializer_class = EditablePageList
        exclude = [
            "act_content_type",
            "act_object_id",
            "applicant_name_bidx",
            "applicant_id_number_bidx",
        ]
        read_only_fields = [
            "state",
            "answer_due",
            "answer_due_provisional",
            "answer_day_kind",
            "answered_on",
            "hearing_on",
            "principal_appeared",
            "appearing_person",
            "decided_on",
            "outcome",
            "outcome_note",
        ]

    def get_act_record(self, obj) -> str:
        return str(obj.act_record) if obj.act_content_type_id else ""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.may_edit(instance):
            for field, kind in DisputeCase.personal_fields.items():
                data[field] = MASKERS[kind](data[field] or "")
            if instance.applicant_kind == ApplicantKind.INDIVIDUAL:
                data["applicant_name"] = MASKERS["name"](data["applicant_name"])
        return data


class BillMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillMilestone
        fields = ["kind", "on", "body", "note"]


class BillSerializer(serializers.ModelSerializer):
    milestones = BillMilestoneSerializer(many=True, read_only=True)
    division = division_field()

    class Meta:
        model = Bill
        fields = ["id", "title", "kind", "summary", "drafting_unit", "division", "milestones"]


def _plain(model_class, field_names):
    meta = type("Meta", (), {"model": model_class, "fields": field_names})
    # named by app: other areas have models of the same name (outreach.StudySession), and the
    # API schema needs one component name per serializer
    return type(
        f"Legal{model_class.__name__}Serializer",
        (serializers.ModelSerializer,),
        {"Meta": meta, "__module__": __name__},
    )


# --- viewsets ----------------------------------------------------------------------------------
class _Scoped:
    model = None
    # what each row's serializer reads of other tables, fetched for the whole page at once
    # (a list asks a bounded number of queries: tests/core/test_api_query_counts.py)
    select: tuple = ()  # as core.api_views.ServiceViewSet names them
    prefetch: tuple = ()

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        return queryset.select_related(*self.select).prefetch_related(*self.prefetch)


def _reviews():
    return Prefetch("reviews", PolicyReview.objects.select_related("kind", "document", "measure"))


class DocumentViewSet(
    Versioned,
    StepsMixin,
    _Scoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    model = NormativeDocument
    serializer_class = NormativeDocumentSerializer
    select = ("division",)
    prefetch = ("themes", _reviews())
    filterset_fields = ["state", "number", "number_year", "affects_market"]
    step_forms = DOCUMENT_STEPS

    def perform_create(self, serializer):
        serializer.instance = services.document_draft(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(responses={(200, XLSX): bytes})
    @action(detail=False, methods=["get"])
    def export(self, request):
        content = ledger.export_register(
            actor=request.user, queryset=self.filter_queryset(self.get_queryset())
        )
        return xlsx_response(content, "normative-documents")


class ReviewViewSet(Versioned, StepsMixin, _Scoped, viewsets.ReadOnlyModelViewSet):
    model = PolicyReview
    serializer_class = PolicyReviewSerializer
    select = ("kind", "document", "measure")
    filterset_fields = ["state", "kind__code", "outcome"]
    step_forms = REVIEW_STEPS


class MeasureViewSet(
    Versioned,
    StepsMixin,
    _Scoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    model = PolicyMeasure
    serializer_class = PolicyMeasureSerializer
    select = ("division",)
    prefetch = ("themes", _reviews())
    filterset_fields = ["state", "affects_market"]
    step_forms = MEASURE_STEPS

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        themes = data.pop("themes", [])
        serializer.instance = services.measure_create(
            actor=self.request.user, data=data, themes=themes
        )


class CampaignViewSet(
    Versioned,
    StepsMixin,
    _Scoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    model = CleanupCampaign
    serializer_class = CleanupCampaignSerializer
    select = ("division",)
    prefetch = (Prefetch("items", CleanupItem.objects.select_related("document", "measure")),)
    filterset_fields = ["state", "kind"]
    step_forms = CLEANUP_STEPS

    def perform_create(self, serializer):
        serializer.instance = services.campaign_start(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(responses={(200, XLSX): bytes})
    @action(detail=True, methods=["get"])
    def catalogue(self, request, pk=None):
        content = ledger.export_catalogue(actor=request.user, campaign=self.get_object())
        return xlsx_response(content, f"cleanup-{pk}")


class DisputeViewSet(
    Versioned,
    StepsMixin,
    _Scoped,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    model = DisputeCase
    serializer_class = DisputeCaseSerializer
    select = ("division",)
    prefetch = ("act_record",)
    filterset_fields = ["kind", "state", "outcome"]
    step_forms = DISPUTE_STEPS

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        number = data.pop("act_number", "")
        act = services.resolve_act(
            actor=self.request.user, act_kind=data["act_kind"], number=number
        )
        serializer.instance = services.dispute_register(
            actor=self.request.user, data=data, act_record=act
        )


class _LedgerWrites(mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """Create and update a plain ledger row through `ledger_save`, the back office's one
    write path for these (scope, the row's own rules, the event)."""

    def perform_create(self, serializer):
        row = self.model(**serializer.validated_data)
        serializer.instance = services.ledger_save(actor=self.request.user, instance=row)

    def perform_update(self, serializer):
        row = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(row, name, value)
        serializer.instance = services.ledger_save(actor=self.request.user, instance=row)


class BillViewSet(Versioned, _LedgerWrites, _Scoped, viewsets.ReadOnlyModelViewSet):
    model = Bill
    serializer_class = BillSerializer
    select = ("division", "drafting_unit")
    prefetch = ("milestones",)


class OpinionViewSet(Versioned, _LedgerWrites, _Scoped, viewsets.ReadOnlyModelViewSet):
    model = CounselOpinion
    serializer_class = _plain(
        CounselOpinion,
        ["id", "contract", "matter_kind", "subject", "given_on", "lawyer", "summary"],
    )
    filterset_fields = ["matter_kind"]


class StudyViewSet(Versioned, _LedgerWrites, _Scoped, viewsets.ReadOnlyModelViewSet):
    model = StudySession
    serializer_class = _plain(
        StudySession,
        [
            "id",
            "division",
            "held_on",
            "kind",
            "topic",
            "lecturer",
            "attendee_count",
            "leaders_attended",
        ],
    )


class MeetingViewSet(Versioned, _LedgerWrites, _Scoped, viewsets.ReadOnlyModelViewSet):
    model = GroupMeeting
    serializer_class = _plain(
        GroupMeeting, ["id", "group", "held_on", "title", "topics", "decisions"]
    )


def _ledger(model_class, field_names, *, select=(), filters=()):
    """A plain ledger's viewset: list, read, create and update through `ledger_save`."""
    return type(
        f"{model_class.__name__}ViewSet",
        (Versioned, _LedgerWrites, _Scoped, viewsets.ReadOnlyModelViewSet),
        {
            "model": model_class,
            "serializer_class": _plain(model_class, ["id", *field_names]),
            "select": tuple(select),
            "filterset_fields": list(filters),
            "__doc__": str(model_class._meta.verbose_name),
        },
    )


CounselContractViewSet = _ledger(
    CounselContract,
    [
        "firm",
        "title",
        "division",
        "signed_on",
        "term_start",
        "term_end",
        "fee_wan",
        "lawyers",
        "scope_of_service",
    ],
    select=("division",),
)
LeadingGroupViewSet = _ledger(
    LeadingGroup,
    ["name", "division", "established_on", "founding_document", "office", "dissolved_on"],
    select=("division",),
)
GroupMemberViewSet = _ledger(
    GroupMember,
    ["group", "name", "position", "role", "joined_on", "left_on", "note"],
    select=("group",),
    filters=("group",),
)
LeaderDutyViewSet = _ledger(
    LeaderDuty,
    ["division", "year", "leader_name", "kind", "duty", "due_on", "done_on", "note"],
    select=("division",),
    filters=("year", "kind"),
)


class ReviewQueueView(APIView):
    """The legal section's work list: every waiting review the user may see, every area."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "ReviewQueueItem",
            {
                "area": serializers.CharField(label=_("领域")),
                "kind": serializers.CharField(label=_("审查种类")),
                "label": serializers.CharField(label=_("事项")),
                "due": serializers.DateField(label=_("期限"), allow_null=True),
                "provisional": serializers.BooleanField(label=_("期限暂定")),
                "submitted_on": serializers.DateField(label=_("送审日期"), allow_null=True),
                "url": serializers.CharField(label=_("办理页面")),
            },
            many=True,
        )
    )
    def get(self, request):
        if not request.user.has_perm("legal.view_policyreview"):
            return Response({"detail": "您没有查看审查事项的权限。"}, status=403)
        return Response(
            [
                {
                    "area": i.area,
                    "kind": i.kind,
                    "label": i.label,
                    "due": i.due,
                    "provisional": i.provisional,
                    "submitted_on": i.submitted_on,
                    "url": i.url,
                }
                for i in review_items_for(request.user)
            ]
        )
