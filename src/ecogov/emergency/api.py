"""REST endpoints of the emergency app (/api/emergency/): validate, call a service, serialise."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ecogov.core.api_input import DayField
from ecogov.core.api_views import ChoiceLabelField, ServiceViewSet, division_field, ledger_actions
from ecogov.core.models import Organisation, RegulatedEntity
from ecogov.core.references import reference

from . import ledger, queries, services
from .models import ContingencyPlan, Drill, Incident


def _entity(**kwargs):
    return reference(RegulatedEntity, "credit_code", **kwargs)


class EmergencyDrillSerializer(serializers.ModelSerializer):
    division = division_field(required=False)
    organiser = serializers.SlugRelatedField(
        slug_field="name",
        queryset=Organisation.objects.all(),
        error_messages={"does_not_exist": _("机构“{value}”不存在。")},
    )
    host_entity = _entity(required=False, allow_null=True)

    class Meta:
        model = Drill
        fields = [
            "id",
            "division",
            "held_on",
            "title",
            "organiser",
            "guided_by_bureau",
            "host_entity",
            "place",
            "scenario",
            "participating_units",
            "participants",
            "lessons",
            "follow_up",
        ]


class EmergencyIncidentSerializer(serializers.ModelSerializer):
    division = division_field(required=False)
    entity = _entity(required=False, allow_null=True)
    grade_label = ChoiceLabelField("grade")
    reported_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "division",
            "title",
            "place",
            "entity",
            "occurred_at",
            "learned_at",
            "grade",
            "grade_label",
            "reported_as_major",
            "report_due_at",
            "initial_report_at",
            "reported_to",
            "reported_late",
            "response",
            "closed_on",
            "closure_summary",
            "state",
        ]
        read_only_fields = ["report_due_at", "state"]


class ContingencyPlanSerializer(serializers.ModelSerializer):
    entity = _entity()
    division = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ContingencyPlan
        fields = [
            "id",
            "entity",
            "division",
            "title",
            "filing_number",
            "risk_level",
            "issued_on",
            "filed_on",
            "reviewed_on",
            "expires_on",
            "filed_late",
            "state",
            "ended_on",
            "superseded_by",
        ]
        read_only_fields = ["expires_on", "filed_late", "state", "ended_on", "superseded_by"]
        extra_kwargs = {"filing_number": {"validators": []}}


class PlanReviewSerializer(serializers.Serializer):
    reviewed_on = DayField(label=_("回顾性评估日期"))


class PlanWithdrawSerializer(serializers.Serializer):
    ended_on = DayField(label=_("撤销日期"))
    reason = serializers.CharField(label=_("撤销理由"))


class DrillViewSet(ServiceViewSet):
    model, serializer_class, select = (
        Drill,
        EmergencyDrillSerializer,
        ["division", "organiser", "host_entity"],
    )
    filterset_fields = ["division__code"]
    service_create = staticmethod(lambda u, d, c: services.drill_record(actor=u, data=d))
    service_update = staticmethod(
        lambda u, r, d, c: services.drill_update(actor=u, drill=r, data=d)
    )


class IncidentViewSet(ServiceViewSet):
    model, serializer_class, select = Incident, EmergencyIncidentSerializer, ["division", "entity"]
    filterset_fields = ["division__code", "grade", "state"]
    service_create = staticmethod(lambda u, d, c: services.incident_record(actor=u, data=d))
    service_update = staticmethod(
        lambda u, r, d, c: services.incident_update(actor=u, incident=r, data=d)
    )


class ContingencyPlanViewSet(ServiceViewSet):
    model, serializer_class, select = (
        ContingencyPlan,
        ContingencyPlanSerializer,
        ["entity", "division"],
    )
    filterset_fields = ["division__code", "state", "risk_level", "filed_late"]
    service_create = staticmethod(lambda u, d, c: services.plan_file(actor=u, data=d))
    service_update = staticmethod(lambda u, r, d, c: services.plan_update(actor=u, plan=r, data=d))
    export, import_ledger, template = ledger_actions(
        ledger.export_plans, ledger.import_plans, ledger.template, "contingency-plans"
    )

    @extend_schema(request=PlanReviewSerializer, responses=ContingencyPlanSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        body = PlanReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.plan_review(
            actor=request.user, plan=self.get_object(), **body.validated_data
        )
        return Response(ContingencyPlanSerializer(plan).data)

    @extend_schema(request=PlanWithdrawSerializer, responses=ContingencyPlanSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        body = PlanWithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.plan_withdraw(
            actor=request.user, plan=self.get_object(), **body.validated_data
        )
        return Response(ContingencyPlanSerializer(plan).data)


class RemindersView(APIView):
    """GET /api/emergency/reminders/: plans due for review and incidents not yet reported."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "EmergencyReminder",
            {
                "label": serializers.CharField(label=_("事项")),
                "due": serializers.DateField(label=_("期限")),
                "url": serializers.CharField(label=_("办理页面")),
            },
            many=True,
        )
    )
    def get(self, request):
        return Response(
            [
                {"label": i.label, "due": i.due, "url": i.url}
                for i in sorted(queries.overdue_items(request.user), key=lambda i: i.due)
            ]
        )
