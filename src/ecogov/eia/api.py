"""REST endpoints of the EIA app (/api/eia/): validate, call a service, serialise. Scoped reads."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from ecogov.core import services as core_services
from ecogov.core.api import RegulatedEntitySerializer
from ecogov.core.api_input import DayField
from ecogov.core.api_views import LedgerViewSet, Versioned, changed_only, ledger_actions
from ecogov.core.calendar import current_calendar
from ecogov.core.models import Division, RegulatedEntity
from ecogov.core.references import reference

from . import ledger, services
from .deadlines import due_steps
from .models import ControlUnit, EiaProject, ZoningScreening
from .steps import PROJECT_STEPS


class NewBuilderSerializer(RegulatedEntitySerializer):
    """A builder not yet registered, checked as the entity ledger checks it; it lies in the
    project's division."""

    division = None

    class Meta(RegulatedEntitySerializer.Meta):
        fields = [f for f in core_services.ENTITY_FIELDS if f != "division"]


class EiaProjectSerializer(serializers.ModelSerializer):
    builder = reference(RegulatedEntity, "credit_code", required=False, allow_null=True)
    new_builder = NewBuilderSerializer(
        label=_("新建设单位"),
        write_only=True,
        required=False,
        help_text=_('建设单位尚未登记时:{"name": …, "credit_code": …},随申请一并登记'),
    )
    builder_name = serializers.CharField(source="builder.name", read_only=True)
    division = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Division.objects.all(),
        error_messages={"does_not_exist": _("行政区划代码“{value}”不存在。")},
    )
    due = serializers.SerializerMethodField()

    class Meta:
        model = EiaProject
        fields = [
            "id",
            *services.PROJECT_FIELDS,
            "new_builder",
            "builder_name",
            "state",
            "decision",
            "decision_number",
            "decision_reasons",
            "receipt_number",
            "accepted_on",
            "proposed_on",
            "decided_on",
            "decision_published_on",
            "revoked_on",
            "deferred_on",
            "deferral_reasons",
            "due",
        ]
        read_only_fields = [
            "state",
            "decision",
            "decision_number",
            "decision_reasons",
            "receipt_number",
            "accepted_on",
            "proposed_on",
            "decided_on",
            "decision_published_on",
            "revoked_on",
            "deferred_on",
            "deferral_reasons",
        ]
        extra_kwargs = {
            "reference": {"required": False, "validators": []},
            "level": {"required": False},
        }

    def get_due(self, project) -> list[dict]:
        return [
            {
                "step": s.step,
                "label": s.label,
                "paused": s.paused,
                "due": s.due,
                "provisional": bool(s.deadline and s.deadline.provisional),
                "other_reading": s.other.due if s.other else None,
            }
            for s in due_steps(project, self._calendar(), allow_provisional=True)
        ]

    def _calendar(self):
        if "calendar" not in self.context:  # one calendar per response, not per row
            self.context["calendar"] = current_calendar()
        return self.context["calendar"]


class StepSerializer(serializers.Serializer):
    day = DayField(label=_("日期"), required=False, allow_null=True)
    end_day = DayField(label=_("结束日期"), required=False, allow_null=True)
    kind = serializers.CharField(label=_("类型"), required=False, allow_blank=True)
    decision = serializers.CharField(label=_("审批结论"), required=False, allow_blank=True)
    number = serializers.CharField(label=_("文号"), required=False, allow_blank=True)
    reasons = serializers.CharField(label=_("理由"), required=False, allow_blank=True)
    where = serializers.CharField(label=_("发布渠道"), required=False, allow_blank=True)


class ScreeningSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = ZoningScreening
        fields = [
            "id",
            "project",
            "screened_at",
            "contacts",
            "access_matches",
            "hits",
            "undetermined",
            "notes",
            "refuse",
            "summary",
            "review",
            "reviewed_by",
            "reviewed_at",
            "review_reason",
        ]


class ReviewSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("理由"), required=False, allow_blank=True)


class EiaUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label=_("文件"))


def _step(name, attribute=None):
    """A POST /api/eia/projects/{id}/<name>/ action running one workflow step."""

    def run(self, request, pk=None):
        project = self.get_object()
        step = StepSerializer(data=request.data)
        step.is_valid(raise_exception=True)
        d = step.validated_data
        PROJECT_STEPS.run(
            name,
            request.user,
            project,
            {
                "day": d.get("day"),
                "end_day": d.get("end_day"),
                "pause_kind": d.get("kind", ""),
                "notice_kind": d.get("kind", ""),
                "decision": d.get("decision", ""),
                "number": d.get("number", ""),
                "reasons": d.get("reasons", ""),
                "where": d.get("where", ""),
            },
        )
        project.refresh_from_db()
        return Response(EiaProjectSerializer(project).data)

    run.__name__ = attribute or name  # DRF wants the attribute's own name
    # the schema after the action: DRF's `action` replaces what extend_schema recorded
    return extend_schema(request=StepSerializer, responses=EiaProjectSerializer)(
        action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(run)
    )


class EiaProjectViewSet(LedgerViewSet):
    serializer_class = EiaProjectSerializer
    filterset_fields = [
        "division__code",
        "state",
        "decision",
        "level",
        "procedure",
        "document_type",
    ]

    def get_queryset(self):
        # the builders of the page's rows by primary key (one query), not a join: joined, the
        # planner hashed the whole entity table for a county's ~200 projects (docs/indexes.md)
        return (
            EiaProject.objects.visible_to(self.request.user)
            .select_related("division")
            .prefetch_related("builder", "pauses")
        )

    def create_record(self, data):
        return services.project_submit(actor=self.request.user, data=data)

    def update_record(self, project, data):
        # only what changes (new_builder is no attribute); the service names any field that
        # may not change
        data = changed_only(project, data)
        return services.project_update(actor=self.request.user, project=project, data=data)

    accept = _step("accept")
    notice = _step("notice")
    pause_start = _step("pause_start")
    pause_end = _step("pause_end")
    decide = _step("decide")
    return_application = _step("return", "return_application")
    revoke = _step("revoke")

    @extend_schema(request=None, responses=ScreeningSerializer)
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        screening = services.project_screen(actor=request.user, project=self.get_object())
        return Response(ScreeningSerializer(screening).data, status=201)

    @extend_schema(request=EiaProjectSerializer, responses={201: EiaProjectSerializer})
    @action(detail=False, methods=["post"])
    def provincial(self, request):
        """A provincial approval of a project in the city, recorded (counted apart): the project's
        fields plus `decided_on` and `decision_number`."""
        from .api_after import ProvincialSerializer

        data = request.data.copy()
        data.setdefault("procedure", "review")
        data["level"] = "province"
        body = EiaProjectSerializer(data=data, context={"request": request})
        body.is_valid(raise_exception=True)
        decision = ProvincialSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        project = services.project_record_provincial(
            actor=request.user,
            data=body.validated_data,
            decided_on=decision.validated_data["decided_on"],
            decision_number=decision.validated_data["decision_number"],
        )
        return Response(EiaProjectSerializer(project).data, status=201)

    export, import_ledger, template = ledger_actions(
        ledger.export_projects, ledger.import_projects, ledger.template, "eia-projects"
    )


class ScreeningViewSet(Versioned, viewsets.ReadOnlyModelViewSet):
    serializer_class = ScreeningSerializer
    filterset_fields = ["review", "refuse", "project__reference"]

    def get_queryset(self):
        return ZoningScreening.objects.visible_to(self.request.user).select_related("project")

    def _review(self, request, service):
        screening = self.get_object()
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        screening = service(
            actor=request.user, screening=screening, reason=body.validated_data.get("reason", "")
        )
        return Response(ScreeningSerializer(screening).data)

    @extend_schema(request=ReviewSerializer, responses=ScreeningSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._review(request, services.screening_confirm)

    @extend_schema(request=ReviewSerializer, responses=ScreeningSerializer)
    @action(detail=True, methods=["post"])
    def override(self, request, pk=None):
        return self._review(request, services.screening_override)


class ControlUnitSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ControlUnit
        fields = [
            "id",
            "code",
            "name",
            "unit_class",
            "division",
            "flags",
            "access",
            "geometry",
            "repaired",
            "is_active",
        ]


class ControlUnitViewSet(Versioned, viewsets.ReadOnlyModelViewSet):
    serializer_class = ControlUnitSerializer
    filterset_fields = ["unit_class", "division__code", "is_active"]

    def get_queryset(self):
        return ControlUnit.objects.visible_to(self.request.user).select_related("division")

    @extend_schema(
        request=EiaUploadSerializer,
        responses={
            201: inline_serializer(
                "ControlUnitsImported",
                {
                    "dataset": serializers.IntegerField(help_text="导入的管控单元数据集"),
                    "units": serializers.IntegerField(help_text="管控单元数"),
                    "repairs": serializers.ListField(
                        child=serializers.CharField(), help_text="几何修复说明(每个修复的单元一条)"
                    ),
                },
            )
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, JSONParser],
    )
    def import_units(self, request):
        """A GeoJSON FeatureCollection (file upload): all or nothing; repairs listed."""
        upload = EiaUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        dataset = services.control_units_import(
            actor=request.user, source=file.read(), name=file.name
        )
        return Response(
            {"dataset": dataset.pk, "units": dataset.unit_count, "repairs": dataset.repairs},
            status=201,
        )
