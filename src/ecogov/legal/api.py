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
    GET · POST · PUT · PATCH  bills/ · counsel-opinions/ · study-sessions/ · group-meetings/ ·
         counsel-contracts/ · leading-groups/ · group-members/ · leader-duties/   (ledger_save)
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
from ecogov.core.api_forms import steps_documented
from ecogov.core.api_input import form_cleaned, form_input
from ecogov.core.api_views import Versioned, api_export_response, export_schema
from ecogov.core.backdating import add_reason_field, step_entered_by
from ecogov.core.downloads import XLSX, xlsx_response
from ecogov.core.reviews import review_items_for
from ecogov.core.steps import Steps
from ecogov.legal import ledger, services
from ecogov.legal.admin.cases import ContractReviewAdmin
from ecogov.legal.admin.forms import (
    BILL_STEPS,
    CLEANUP_STEPS,
    CONTRACT_STEPS,
    DISPUTE_STEPS,
    DOCUMENT_STEPS,
    MEASURE_STEPS,
    REVIEW_STEPS,
)
from ecogov.legal.admin.ledgers import (
    CounselContractAdmin,
    GroupMemberAdmin,
    LeaderDutyAdmin,
    LeadingGroupAdmin,
)
from ecogov.legal.models import (
    Bill,
    CleanupCampaign,
    CleanupItem,
    ContractReview,
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
)

from .api_serializers import (
    BillSerializer,
    CleanupCampaignSerializer,
    DisputeCaseSerializer,
    NormativeDocumentSerializer,
    PolicyMeasureSerializer,
    PolicyReviewSerializer,
    plain_serializer,
)


class CanChange(permissions.BasePermission):
    """A step changes the record: the role's change permission; the service checks the rest."""

    def has_permission(self, request, view):
        opts = view.get_queryset().model._meta
        return request.user.is_authenticated and request.user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        )


class StepsMixin:
    """POST {id}/steps/{step}/: the step's form parses, its service acts, the record returns."""

    step_forms: Steps = Steps()  # the area's table (core.steps)

    @action(  # documented per viewset: core.api_forms.steps_documented
        detail=True,
        methods=["post"],
        url_path=r"steps/(?P<step>[a-z_]+)",
        permission_classes=[CanChange],
    )
    def step(self, request, pk=None, step=None):
        record = self.get_object()
        if step not in self.step_forms:
            raise Http404
        form_class, runner = self.step_forms[step].form, self.step_forms[step].run
        data, files = form_input(form_class, request)
        form = add_reason_field(form_class(data, files, record=record, user=request.user))
        cleaned = form_cleaned(form)
        try:
            step_entered_by(form, lambda: runner(request.user, record, cleaned))
        except ValidationError as exc:
            raise Invalid.from_django(exc, labels=labels_of(form)) from None
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(record).data)


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


@steps_documented("Document", DOCUMENT_STEPS, NormativeDocumentSerializer)
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

    @export_schema
    @action(detail=False, methods=["get"])
    def export(self, request):
        return api_export_response(self, request, ledger.export_register, "normative-documents")


@steps_documented("Review", REVIEW_STEPS, PolicyReviewSerializer)
class ReviewViewSet(Versioned, StepsMixin, _Scoped, viewsets.ReadOnlyModelViewSet):
    model = PolicyReview
    serializer_class = PolicyReviewSerializer
    select = ("kind", "document", "measure")
    filterset_fields = ["state", "kind__code", "outcome"]
    step_forms = REVIEW_STEPS


@steps_documented("Measure", MEASURE_STEPS, PolicyMeasureSerializer)
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


@steps_documented("Cleanup", CLEANUP_STEPS, CleanupCampaignSerializer)
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


@steps_documented("Dispute", DISPUTE_STEPS, DisputeCaseSerializer)
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


@steps_documented("BillPassage", BILL_STEPS, BillSerializer)
class BillViewSet(Versioned, StepsMixin, _LedgerWrites, _Scoped, viewsets.ReadOnlyModelViewSet):
    model = Bill
    serializer_class = BillSerializer
    step_forms = BILL_STEPS  # a milestone of the bill's passage
    select = ("division", "drafting_unit")
    prefetch = ("milestones",)


class OpinionViewSet(Versioned, _LedgerWrites, _Scoped, viewsets.ReadOnlyModelViewSet):
    model = CounselOpinion
    serializer_class = plain_serializer(
        CounselOpinion,
        ["id", "contract", "matter_kind", "subject", "given_on", "lawyer", "summary"],
    )
    filterset_fields = ["matter_kind"]


class StudyViewSet(Versioned, _LedgerWrites, _Scoped, viewsets.ReadOnlyModelViewSet):
    model = StudySession
    serializer_class = plain_serializer(
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
    serializer_class = plain_serializer(
        GroupMeeting, ["id", "group", "held_on", "title", "topics", "decisions"]
    )


def _ledger(model_class, field_names, *, select=(), filters=()):
    """A plain ledger's viewset: list, read, create and update through `ledger_save`."""
    return type(
        f"{model_class.__name__}ViewSet",
        (Versioned, _LedgerWrites, _Scoped, viewsets.ReadOnlyModelViewSet),
        {
            "model": model_class,
            "serializer_class": plain_serializer(model_class, ["id", *field_names]),
            "select": tuple(select),
            "filterset_fields": list(filters),
            "__doc__": str(model_class._meta.verbose_name),
        },
    )


# the same fields as the back office's screen of each ledger (one list for both doors)
CounselContractViewSet = _ledger(CounselContract, CounselContractAdmin.fields, select=("division",))
LeadingGroupViewSet = _ledger(LeadingGroup, LeadingGroupAdmin.fields, select=("division",))
GroupMemberViewSet = _ledger(
    GroupMember, GroupMemberAdmin.fields, select=("group",), filters=("group",)
)
LeaderDutyViewSet = _ledger(
    LeaderDuty, LeaderDutyAdmin.fields, select=("division",), filters=("year", "kind")
)
# what the sender writes is the screen's form; the review's outcome is read only
_CONTRACT_REVIEW = plain_serializer(
    ContractReview,
    ["id", *ContractReviewAdmin.display_fields],
    read_only=[
        f for f in ContractReviewAdmin.display_fields if f not in ContractReviewAdmin.fields
    ],
)


@steps_documented("ContractReview", CONTRACT_STEPS, _CONTRACT_REVIEW)
class ContractReviewViewSet(
    Versioned, StepsMixin, mixins.CreateModelMixin, _Scoped, viewsets.ReadOnlyModelViewSet
):
    """合同合法性审查: a unit sends a contract (POST), the legal section reviews it
    (steps/review/); the deadline is computed from the day it was sent."""

    model = ContractReview
    serializer_class = _CONTRACT_REVIEW
    select = ("division", "submitting_unit", "reviewer")
    step_forms = CONTRACT_STEPS
    filterset_fields = ["passed"]

    def perform_create(self, serializer):
        serializer.instance = services.contract_review_submit(
            actor=self.request.user, data=dict(serializer.validated_data)
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
