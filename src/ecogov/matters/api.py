"""REST endpoints of the matters area (/api/matters/): validate, call a service, serialise."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ecogov.core.api_views import (
    LedgerViewSet,
    Versioned,
    api_export_response,
    export_schema,
    import_action,
)
from ecogov.core.backdating import REASON_FIELD, entered_by_person
from ecogov.core.downloads import XLSX, xlsx_response
from ecogov.matters import assessment, ledger, queries, services
from ecogov.matters.models import Matter, MatterEvent, Source
from ecogov.matters.steps import matter_steps
from ecogov.matters.workflow import Kind

from .api_serializers import (
    CallSerializer,
    EventSerializer,
    MatterCreateSerializer,
    MatterSerializer,
    MatterUpdateSerializer,
    ProgressSerializer,
    SourceSerializer,
    TransitionSerializer,
    UnitsSerializer,
    shares_by_pk,
)


class ViewsMatters(permissions.BasePermission):
    """Handling steps and progress reports: anyone who may see matters; the services decide."""

    def has_permission(self, request, view):
        return bool(
            request.user
            and request.user.is_authenticated
            and request.user.has_perm("matters.view_matter")
        )


def _kind(request) -> str:
    kind = request.query_params.get("kind") or request.data.get("kind", "")
    if kind not in Kind.values:
        raise ApiValidationError({"kind": ["请指定事项类型:%s。" % "、".join(Kind.values)]})
    return kind


class SourceViewSet(LedgerViewSet):
    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    filterset_fields = ["kind", "year", "level"]

    def create_record(self, data):
        return services.source_create(actor=self.request.user, data=data)

    def update_record(self, source, data):
        return services.source_update(actor=self.request.user, source=source, data=data)


class MatterViewSet(
    Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = MatterSerializer
    filterset_fields = ["kind", "category", "state", "is_open", "source__code", "division__code"]

    def get_queryset(self):
        queryset = (
            Matter.objects.visible_to(self.request.user)
            .select_related("source", "division")
            .prefetch_related("units__organisation")
            .order_by("-received_on", "-pk")
        )
        if self.request.query_params.get("overdue") in ("1", "true"):
            queryset = queries.overdue(queryset)
        return queryset

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(request=MatterCreateSerializer, responses=MatterSerializer)
    def create(self, request):
        payload = MatterCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        source, category = data.pop("source"), data.pop("category")
        lead, co_units = data.pop("lead"), data.pop("co_units", [])
        shares = shares_by_pk(data.pop("shares", None))
        matter = services.matter_create(
            actor=request.user,
            source=source,
            category=category,
            data=data,
            lead=lead,
            co_units=co_units,
            shares=shares,
        )
        return Response(self._one(matter), status=201)

    @extend_schema(request=MatterUpdateSerializer, responses=MatterSerializer)
    def partial_update(self, request, pk=None):
        payload = MatterUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        reason = data.pop("reason", "")
        matter = services.matter_update(
            actor=request.user, matter=self.get_object(), data=data, reason=reason
        )
        return Response(self._one(matter))

    def _one(self, matter):
        matter = self.get_queryset().get(pk=matter.pk)
        return MatterSerializer(matter, context=self.get_serializer_context()).data

    @extend_schema(request=TransitionSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ViewsMatters])
    def transition(self, request, pk=None):
        """Take one workflow step (action: start, rectify, write_off, accept, reply, …)."""
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        matter = self.get_object()
        with entered_by_person(data.pop(REASON_FIELD)):
            matter = matter_steps(matter).run(data["action"], request.user, matter, data)
        return Response(self._one(matter))

    @extend_schema(
        request=ProgressSerializer,
        responses={
            201: inline_serializer(
                "ProgressReportFiled",
                {
                    "id": serializers.IntegerField(),
                    "organisation": serializers.CharField(help_text="报送单位"),
                    "reported_at": serializers.DateTimeField(help_text="报送时间"),
                },
            )
        },
    )
    @action(detail=True, methods=["post"], permission_classes=[ViewsMatters])
    def progress(self, request, pk=None):
        payload = ProgressSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        report = services.matter_report_progress(
            actor=request.user, matter=self.get_object(), **payload.validated_data
        )
        return Response(
            {
                "id": report.pk,
                "organisation": report.organisation.name,
                "reported_at": report.reported_at,
            },
            status=201,
        )

    @extend_schema(request=UnitsSerializer, responses=MatterSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ViewsMatters])
    def units(self, request, pk=None):
        """Set the lead and co-handling units and their shares, e.g. a joint closure 0.5 + 0.5."""
        payload = UnitsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        matter = services.matter_set_units(
            actor=request.user,
            matter=self.get_object(),
            lead=data["lead"],
            co_units=data.get("co_units", []),
            shares=shares_by_pk(data.get("shares")),
            reason=data["reason"],
        )
        return Response(self._one(matter))

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # a matter's whole history
    def events(self, request, pk=None):
        items = MatterEvent.objects.filter(record=self.get_object()).select_related("actor")
        return Response(EventSerializer(items, many=True).data)

    @export_schema
    @action(detail=False, methods=["get"])
    def export(self, request):
        kind = _kind(request)
        return api_export_response(self, request, ledger.export_matters, kind, kind=kind)

    import_ledger = import_action(
        ledger.import_matters, options=lambda request: {"kind": _kind(request)}
    )

    @extend_schema(responses={(200, XLSX): bytes})
    @action(detail=False, methods=["get"])
    def template(self, request):
        """A kind's empty ledger (?kind=): the import's headers."""
        kind = _kind(request)
        return xlsx_response(ledger.template(kind), f"{kind}-template")


class CallViewSet(
    Versioned,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CallSerializer

    def get_queryset(self):
        return queries.calls_for(self.request.user).select_related("source", "division")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.progress_call_open(
            actor=self.request.user,
            title=data["title"],
            due_on=data["due_on"],
            kind=data.get("kind", ""),
            source=data.get("source"),
            division=data.get("division"),
            note=data.get("note", ""),
        )

    @extend_schema(
        responses=inline_serializer(
            "CallUnitStatus",
            {
                "organisation": serializers.CharField(help_text="责任单位"),
                "expected": serializers.IntegerField(help_text="应报送份数"),
                "filed": serializers.IntegerField(help_text="已报送份数"),
                "missing": serializers.ListField(
                    child=serializers.CharField(), help_text="未报送的事项编号"
                ),
            },
            many=True,
        )
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def status(self, request, pk=None):
        """Per unit: reports expected, filed, and the matters still missing."""
        return Response(
            [
                {
                    "organisation": s.organisation.name,
                    "expected": s.expected,
                    "filed": s.filed,
                    "missing": s.missing,
                }
                for s in queries.call_status(self.get_object())
            ]
        )

    @extend_schema(responses={(200, XLSX): bytes})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        content = ledger.export_call_summary(actor=request.user, call=self.get_object())
        return xlsx_response(content, f"call-{pk}")

    @extend_schema(request=None, responses=CallSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        call = services.progress_call_close(actor=request.user, call=self.get_object())
        return Response(CallSerializer(call).data)


class AssessmentView(APIView):
    permission_classes = [ViewsMatters]

    @extend_schema(
        parameters=[
            OpenApiParameter("source", str, required=True, description="攻坚战方案(批次)的代码")
        ],
        responses=inline_serializer(
            "UnitAssessment",
            {
                "organisation": serializers.CharField(help_text="责任单位"),
                "tasks": serializers.IntegerField(help_text="任务数"),
                "on_time": serializers.IntegerField(help_text="按期完成"),
                "late": serializers.IntegerField(help_text="逾期完成"),
                "overdue": serializers.IntegerField(help_text="逾期未完成"),
                "pending": serializers.IntegerField(help_text="未到期"),
                "missed_reports": serializers.IntegerField(help_text="漏报进展次数"),
                "score": serializers.DecimalField(
                    max_digits=6, decimal_places=2, help_text="得分(精确值,字符串)"
                ),
            },
            many=True,
        ),
    )
    def get(self, request):
        source = Source.objects.filter(
            kind=Kind.TASK, code=request.query_params.get("source", "")
        ).first()
        if source is None:
            raise ApiValidationError({"source": "请用 ?source=<批次代码> 指定攻坚战方案。"})
        if not request.user.has_perm("matters.view_source"):
            raise PermissionDenied
        return Response(
            [
                {
                    "organisation": s.organisation.name,
                    "tasks": s.tasks,
                    "on_time": s.on_time,
                    "late": s.late,
                    "overdue": s.overdue,
                    "pending": s.pending,
                    "missed_reports": s.missed_reports,
                    "score": str(s.score),
                }
                for s in assessment.unit_scores(request.user, source)
            ]
        )
