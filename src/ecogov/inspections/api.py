"""REST endpoints of the random-inspection area: validate, call a service, serialise. Scoped.

Actions that change state (draw, redraw, publish, open a case) are POSTs on the record;
the services check the scope and the rules, and refuse with 400 naming the field.
"""

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ecogov.core.api import attachments_action
from ecogov.core.api_input import DayField, JSONObjectParser
from ecogov.core.api_permissions import EditablePageList, MayEdit
from ecogov.core.api_views import Versioned, api_export_response, export_schema
from ecogov.core.models import Division, RegulatedEntity
from ecogov.core.references import reference

from . import ledger, services
from .models import (
    ConflictDeclaration,
    Draw,
    DrawCheck,
    InspectionRecord,
    Plan,
    PlanQuota,
    Publication,
    Seed,
)


class QuotaSerializer(serializers.ModelSerializer):
    # the range is checked by the service, whose message names the category
    share = serializers.DecimalField(
        max_digits=6, decimal_places=3, required=False, allow_null=True
    )

    class Meta:
        model = PlanQuota
        fields = ["category", "share", "count"]


class PlanSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", queryset=Division.objects.all())
    quotas = QuotaSerializer(many=True)
    draws = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", *services.PLAN_FIELDS, "quotas", "created_at", "draws"]
        read_only_fields = ["created_at"]

    def validate(self, attrs):
        return attrs  # the model's rules run in the service (one place, same messages)


class SeedSerializer(serializers.ModelSerializer):
    plan = reference(Plan)
    announced_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Seed
        fields = ["id", "plan", "value", "source", "source_note", "announced_by", "announced_at"]
        read_only_fields = ["announced_at"]


class CheckSerializer(serializers.ModelSerializer):
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    inspectors = serializers.SerializerMethodField()

    class Meta:
        model = DrawCheck
        fields = ["category", "rank", "entity", "entity_name", "inspectors"]

    def get_inspectors(self, obj) -> list[int]:
        return [a.inspector_id for a in obj.assignments.all()]


class DrawSerializer(serializers.ModelSerializer):
    seed = serializers.CharField(source="seed.value")
    checks = serializers.SerializerMethodField()

    class Meta:
        model = Draw
        fields = [
            "id",
            "plan",
            "number",
            "status",
            "supersedes",
            "redraw_reason",
            "seed",
            "drawn_at",
            "drawn_by",
            "inspection_date",
            "algorithm_version",
            "input_hash",
            "result_hash",
            "tallies",
            "entity_pool_size",
            "inspector_pool_size",
            "skipped_compliant_count",
            "checks",
        ]

    @extend_schema_field(CheckSerializer(many=True, allow_null=True))
    def get_checks(self, obj):
        if self.context.get("view") and self.context["view"].action != "retrieve":
            return None  # lists stay small; the detail carries the checks
        checks = obj.checks.select_related("entity").prefetch_related("assignments")
        return CheckSerializer(checks.order_by("category", "rank"), many=True).data


class DrawRequestSerializer(serializers.Serializer):
    seed = reference(Seed, label=_("随机数种子"), required=False, allow_null=True)


class RedrawSerializer(serializers.Serializer):
    reason = serializers.CharField()
    seed = reference(Seed, required=False)


class ConflictSerializer(MayEdit, serializers.ModelSerializer):
    class Meta:
        model = ConflictDeclaration
        list_serializer_class = EditablePageList
        fields = [
            "id",
            "inspector",
            "entity",
            "division",
            "reason",
            "declared_by",
            "declared_at",
            "withdrawn_at",
            "withdraw_reason",
        ]
        read_only_fields = [
            "division",
            "declared_by",
            "declared_at",
            "withdrawn_at",
            "withdraw_reason",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.may_edit(instance):
            data["reason"] = None  # kept for those who handle it; never published
        return data


class InspectionSerializer(serializers.ModelSerializer):
    entity = reference(RegulatedEntity)
    draw_check = reference(DrawCheck, required=False, allow_null=True)
    inspectors = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True)

    class Meta:
        model = InspectionRecord
        fields = [
            "id",
            "number",
            "date",
            "entity",
            "division",
            "type",
            "draw_check",
            "inspectors",
            "substitution_reason",
            "findings",
            "outcome",
            "case_number",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["number", "division", "case_number", "recorded_by", "recorded_at"]


class OpenCaseSerializer(serializers.Serializer):
    facts = serializers.CharField()
    title = serializers.CharField(required=False, allow_blank=True)
    opened_on = DayField(required=False)


class PublicationSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Publication
        fields = [
            "id",
            "kind",
            "title",
            "draw",
            "inspection",
            "division",
            "trigger_on",
            "due_on",
            "due_provisional",
            "published_on",
            "on_time",
            "content",
        ]


class PlanViewSet(
    Versioned, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = PlanSerializer
    filterset_fields = ["division__code", "period_label"]

    def get_queryset(self):
        return (
            Plan.objects.visible_to(self.request.user)
            .select_related("division")
            .prefetch_related("quotas", "draws")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        quotas = [dict(q) for q in data.pop("quotas")]
        serializer.instance = services.plan_create(
            actor=self.request.user, data=data, quotas=quotas
        )

    def perform_update(self, serializer):
        """Until the first draw (then the plan is locked: the service refuses)."""
        data = dict(serializer.validated_data)
        quotas = [dict(q) for q in data.pop("quotas")] if "quotas" in data else None
        serializer.instance = services.plan_update(
            actor=self.request.user, plan=serializer.instance, data=data, quotas=quotas
        )

    @extend_schema(request=DrawRequestSerializer, responses=DrawSerializer)
    @action(detail=True, methods=["post"])
    def draw(self, request, pk=None):
        """Draw now, with the plan's latest announced seed (or `seed` given by id)."""
        plan = self.get_object()
        body = DrawRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        made = services.draw_make(
            actor=request.user, plan=plan, seed=body.validated_data.get("seed")
        )
        return Response(DrawSerializer(made).data, status=201)


class SeedViewSet(Versioned, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SeedSerializer
    filterset_fields = ["plan"]

    def get_queryset(self):
        return Seed.objects.visible_to(self.request.user).select_related("announced_by")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.seed_announce(
            actor=self.request.user,
            plan=data["plan"],
            value=data["value"],
            source=data["source"],
            source_note=data.get("source_note", ""),
        )


class DrawViewSet(Versioned, viewsets.ReadOnlyModelViewSet):
    serializer_class = DrawSerializer
    filterset_fields = ["plan", "status"]

    def get_queryset(self):
        return (
            Draw.objects.visible_to(self.request.user)
            .select_related("seed")
            .defer("input_document")
        )

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "DrawVerification",
            {
                "ok": serializers.BooleanField(help_text="按公开算法重算的结果是否与存储的一致"),
                "message": serializers.CharField(help_text="复核结论"),
                "first_difference": inline_serializer(
                    "DrawDifference",
                    {
                        "field": serializers.CharField(help_text="第一处不同,如 checks[3].seed"),
                        "stored": serializers.CharField(help_text="存储的值"),
                        "recomputed": serializers.CharField(help_text="重算的值"),
                    },
                    allow_null=True,
                    help_text="一致时为 null",
                ),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def verify(self, request, pk=None):
        report = services.draw_verify(Draw.objects.get(pk=self.get_object().pk))
        diff = report.first_difference
        return Response(
            {
                "ok": report.ok,
                "message": report.message,
                "first_difference": None
                if diff is None
                else {"field": diff.field, "stored": diff.stored, "recomputed": diff.recomputed},
            }
        )

    @extend_schema(request=None, responses={(200, "text/plain"): bytes})
    @action(detail=True, methods=["get"])
    def document(self, request, pk=None):
        """The frozen pools and plan (canonical document): SHA-256 of it is the input hash."""
        draw = Draw.objects.get(pk=self.get_object().pk)
        return HttpResponse(bytes(draw.input_document), content_type="text/plain; charset=utf-8")

    @extend_schema(request=RedrawSerializer, responses=DrawSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONObjectParser])
    def redraw(self, request, pk=None):
        body = RedrawSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        made = services.draw_redo(
            actor=request.user,
            draw=self.get_object(),
            reason=body.validated_data["reason"],
            seed=body.validated_data.get("seed"),
        )
        return Response(DrawSerializer(made).data, status=201)


class ConflictViewSet(Versioned, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ConflictSerializer
    filterset_fields = ["inspector", "entity"]

    def get_queryset(self):
        return ConflictDeclaration.objects.visible_to(self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.conflict_declare(
            actor=self.request.user,
            inspector=data["inspector"],
            entity=data["entity"],
            reason=data["reason"],
        )


class InspectionViewSet(
    Versioned, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = InspectionSerializer
    filterset_fields = ["type", "outcome", "division__code", "entity"]

    def get_queryset(self):
        return (
            InspectionRecord.objects.visible_to(self.request.user)
            .prefetch_related("inspectors")
            .order_by("-date", "-pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        inspectors = data.pop("inspectors")
        serializer.instance = services.inspection_record(
            actor=self.request.user, data=data, inspectors=inspectors
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        inspectors = data.pop("inspectors", None)
        serializer.instance = services.inspection_update(
            actor=self.request.user, record=serializer.instance, data=data, inspectors=inspectors
        )

    @export_schema
    @action(detail=False, methods=["get"])
    def export(self, request):
        return api_export_response(self, request, ledger.export_inspections, "inspections")

    @extend_schema(
        request=OpenCaseSerializer,
        responses={
            201: inline_serializer(
                "OpenedCase",
                {
                    "case": serializers.IntegerField(label=_("案件编号(id)")),
                    "number": serializers.CharField(label=_("案号")),
                },
            )
        },
    )
    @action(detail=True, methods=["post"], url_path="open-case")
    def open_case(self, request, pk=None):
        body = OpenCaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.inspection_open_case(
            actor=request.user, record=self.get_object(), **body.validated_data
        )
        return Response({"case": case.pk, "number": case.number}, status=201)

    attachments = attachments_action(services.inspection_attach)


class PublicationViewSet(Versioned, viewsets.ReadOnlyModelViewSet):
    """What is due on the portal (`?pending=1`) and what was published, with its content."""

    serializer_class = PublicationSerializer
    filterset_fields = ["kind", "on_time"]

    def get_queryset(self):
        queryset = Publication.objects.visible_to(self.request.user).select_related("division")
        pending = self.request.query_params.get("pending")
        if pending in ("0", "1"):
            queryset = queryset.filter(published_on__isnull=pending == "1")
        return queryset.order_by("due_on", "pk")

    @extend_schema(request=None, responses=PublicationSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def publish(self, request, pk=None):
        done = services.publication_publish(actor=request.user, publication=self.get_object())
        return Response(PublicationSerializer(done).data)
