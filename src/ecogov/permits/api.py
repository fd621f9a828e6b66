"""REST endpoints of the permits app (/api/permits/): validate, call a service, serialise."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ecogov.core.api_input import DayField, YearField
from ecogov.core.api_views import LedgerViewSet, Versioned, changed_only, ledger_actions
from ecogov.core.models import Division, RegulatedEntity
from ecogov.core.references import reference

from . import ledger, queries, services
from .models import ExecutionReport, Permit, Registration
from .steps import PERMIT_STEPS, REGISTRATION_STEPS


class PermitSerializer(serializers.ModelSerializer):
    entity = reference(RegulatedEntity, "credit_code")
    entity_name = serializers.CharField(source="entity.name", read_only=True)
    division = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Division.objects.all(),
        required=False,
        error_messages={"does_not_exist": _("行政区划代码“{value}”不存在。")},
    )

    class Meta:
        model = Permit
        fields = [
            "id",
            *services.PERMIT_FIELDS,
            "entity_name",
            "valid_until",
            "in_force_until",
            "rectification_closed_on",
            "renewal_applied_on",
            "renewal_count",
            "state",
            "ended_on",
            "end_reason",
            "reports_tracked_from",
        ]
        read_only_fields = [
            "valid_until",
            "in_force_until",
            "rectification_closed_on",
            "renewal_applied_on",
            "renewal_count",
            "state",
            "ended_on",
            "end_reason",
            "reports_tracked_from",
        ]
        extra_kwargs = {"permit_number": {"required": False, "validators": []}}
        validators = []  # the one-per-site rule is the service's, with a clearer message


class RegistrationSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Division.objects.all(),
        required=False,
        error_messages={"does_not_exist": _("行政区划代码“{value}”不存在。")},
    )
    entity = reference(RegulatedEntity, "credit_code", required=False, allow_null=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            *services.REGISTRATION_FIELDS,
            "valid_until",
            "changed_on",
            "state",
            "cancelled_on",
        ]
        read_only_fields = ["valid_until", "changed_on", "state", "cancelled_on"]
        extra_kwargs = {
            "registration_number": {"required": False, "validators": []},
            "unit_name": {"required": False},
            "credit_code": {"required": False},
        }
        validators = []


class ReportSerializer(serializers.ModelSerializer):
    permit = serializers.SlugRelatedField(slug_field="permit_number", read_only=True)

    class Meta:
        model = ExecutionReport
        fields = ["id", "permit", "year", "period", "submitted_on", "note"]


class PermitStepSerializer(serializers.Serializer):
    day = DayField(label=_("日期"))
    year = YearField(label=_("报告年度"), required=False)
    period = serializers.CharField(label=_("报告期"), required=False, allow_blank=True)
    reason = serializers.CharField(label=_("理由或说明"), required=False, allow_blank=True)


def _step(name, steps, serializer_class):
    def handle(self, request, pk=None):
        record = self.get_object()
        body = PermitStepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        steps.run(name, request.user, record, body.validated_data)
        record.refresh_from_db()
        return Response(serializer_class(record).data)

    handle.__name__ = name
    # the schema after the action: DRF's `action` replaces what extend_schema recorded
    return extend_schema(request=PermitStepSerializer, responses=serializer_class)(
        action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(handle)
    )


def _changed_on(request):
    """The day a change takes effect (`changed_on` beside the record's fields): today if not given."""
    return parse_date(str(request.data.get("changed_on", ""))) or timezone.localdate()


class PermitViewSet(LedgerViewSet):
    serializer_class = PermitSerializer
    filterset_fields = ["division__code", "state", "management_class", "with_rectification"]

    def get_queryset(self):
        return Permit.objects.visible_to(self.request.user).select_related("entity", "division")

    def create_record(self, data):
        return services.permit_issue(actor=self.request.user, data=data)

    def update_record(self, permit, data):
        # only what changes; the service names any field that a change may not touch
        return services.permit_change(
            actor=self.request.user,
            permit=permit,
            data=changed_only(permit, data),
            changed_on=_changed_on(self.request),
        )

    renewal_apply = _step("renewal_apply", PERMIT_STEPS, PermitSerializer)
    renew = _step("renew", PERMIT_STEPS, PermitSerializer)
    rectification_close = _step("rectification_close", PERMIT_STEPS, PermitSerializer)
    report = _step("report", PERMIT_STEPS, PermitSerializer)
    revoke = _step("revoke", PERMIT_STEPS, PermitSerializer)
    cancel = _step("cancel", PERMIT_STEPS, PermitSerializer)
    export, import_ledger, template = ledger_actions(
        ledger.export_permits, ledger.import_permits, ledger.permit_template, "permits"
    )


class RegistrationViewSet(LedgerViewSet):
    serializer_class = RegistrationSerializer
    filterset_fields = ["division__code", "state"]

    def get_queryset(self):
        return Registration.objects.visible_to(self.request.user).select_related("division")

    def create_record(self, data):
        return services.registration_file(actor=self.request.user, data=data)

    def update_record(self, registration, data):
        return services.registration_change(
            actor=self.request.user,
            registration=registration,
            data=changed_only(registration, data),
            changed_on=_changed_on(self.request),
        )

    cancel = _step("cancel", REGISTRATION_STEPS, RegistrationSerializer)
    export, import_ledger, template = ledger_actions(
        ledger.export_registrations,
        ledger.import_registrations,
        ledger.registration_template,
        "registrations",
    )


class ReportViewSet(Versioned, viewsets.ReadOnlyModelViewSet):
    serializer_class = ReportSerializer
    filterset_fields = ["year", "period", "permit__permit_number"]

    def get_queryset(self):
        return ExecutionReport.objects.visible_to(self.request.user).select_related("permit")


class RemindersView(APIView):
    """GET /api/permits/reminders/: renewals, rectifications and execution reports due or overdue."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "PermitReminder",
            {
                "permit": serializers.CharField(label=_("许可证编号")),
                "kind": serializers.CharField(label=_("类别")),
                "label": serializers.CharField(label=_("事项")),
                "due": serializers.DateField(label=_("期限")),
                "provisional": serializers.BooleanField(label=_("期限暂定")),
            },
            many=True,
        )
    )
    def get(self, request):
        reminders = (
            queries.renewal_reminders(request.user)
            + queries.rectification_reminders(request.user)
            + queries.report_reminders(request.user)
        )
        return Response(
            [
                {
                    "permit": r.permit.permit_number,
                    "kind": r.kind,
                    "label": r.label,
                    "due": r.due,
                    "provisional": r.provisional,
                }
                for r in sorted(reminders, key=lambda r: r.due)
            ]
        )
