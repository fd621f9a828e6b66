"""REST endpoints of EIA after approval (/api/eia/): regional suspensions, re-reviews, completion
acceptances and their spot checks; provincial approvals. Validate, call a service, serialise."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ecogov.core.api_input import DayField
from ecogov.core.api_views import Versioned
from ecogov.core.models import Division
from ecogov.core.references import reference

from . import services
from .models import (
    EiaAcceptance,
    EiaProject,
    EiaReReview,
    EiaSpotCheck,
    RegionalSuspension,
    ReReviewOutcome,
    SpotCheckResult,
)

PROJECT = {"does_not_exist": _("建设项目“{value}”不存在。")}


class _Create(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    pass


class SuspensionSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Division.objects.all(),
        error_messages={"does_not_exist": _("行政区划代码“{value}”不存在。")},
    )
    starts_on = DayField(label=_("限批开始日期"))
    ends_on = DayField(label=_("限批期满日期"))
    last_day = serializers.DateField(read_only=True)

    class Meta:
        model = RegionalSuspension
        fields = [
            "id",
            *services.SUSPENSION_FIELDS,
            "extended_until",
            "extension_number",
            "lifted_on",
            "lift_number",
            "site_checked_on",
            "site_check_note",
            "last_day",
        ]
        read_only_fields = [
            "extended_until",
            "extension_number",
            "lifted_on",
            "lift_number",
            "site_checked_on",
            "site_check_note",
        ]


class SuspensionStepSerializer(serializers.Serializer):
    day = DayField(label=_("日期"), required=False, allow_null=True)
    number = serializers.CharField(label=_("文号"), required=False, allow_blank=True)
    note = serializers.CharField(label=_("核查情况"), required=False, allow_blank=True)


def _suspension_step(name):
    def run(self, request, pk=None):
        suspension = self.get_object()
        body = SuspensionStepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        day, number = d.get("day"), d.get("number", "")
        if name == "extend":
            services.suspension_extend(
                actor=request.user, suspension=suspension, until=day, number=number
            )
        elif name == "lift":
            services.suspension_lift(
                actor=request.user, suspension=suspension, lifted_on=day, number=number
            )
        else:
            services.suspension_site_check(
                actor=request.user, suspension=suspension, checked_on=day, note=d.get("note", "")
            )
        suspension.refresh_from_db()
        return Response(SuspensionSerializer(suspension).data)

    run.__name__ = name.replace("-", "_")
    # the schema after the action: DRF's `action` replaces what extend_schema recorded
    return extend_schema(request=SuspensionStepSerializer, responses=SuspensionSerializer)(
        action(detail=True, methods=["post"], url_path=name)(run)
    )


class SuspensionViewSet(Versioned, _Create, viewsets.GenericViewSet):
    """区域限批: while one is in force, approvals in its division are refused."""

    serializer_class = SuspensionSerializer
    filterset_fields = ["division__code"]

    def get_queryset(self):
        return RegionalSuspension.objects.visible_to(self.request.user).select_related("division")

    def perform_create(self, serializer):
        serializer.instance = services.suspension_record(
            actor=self.request.user, data=serializer.validated_data
        )

    extend = _suspension_step("extend")
    lift = _suspension_step("lift")
    site_check = _suspension_step("site-check")


def _project_field():
    return reference(EiaProject, "reference", error_messages=PROJECT)


class ReReviewSerializer(serializers.ModelSerializer):
    project = _project_field()
    received_on = DayField(label=_("收到申请日期"))
    construction_starts_on = DayField(label=_("拟开工日期"))
    due = serializers.SerializerMethodField()

    class Meta:
        model = EiaReReview
        fields = [
            "id",
            "project",
            "received_on",
            "construction_starts_on",
            "outcome",
            "answered_on",
            "answer_number",
            "reasons",
            "due",
        ]
        read_only_fields = ["outcome", "answered_on", "answer_number", "reasons"]

    def get_due(self, rereview) -> dict:
        from ecogov.core.calendar import current_calendar

        from .deadlines import rereview_deadline

        due = rereview_deadline(rereview, current_calendar(), allow_provisional=True)
        return {
            "calendar": due.calendar.due,
            "working": due.working.due,
            "alert_on": due.alert_on.due,
            "provisional": due.calendar.provisional or due.working.provisional,
        }


class AnswerSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        label=_("审核结论"),
        choices=[c for c in ReReviewOutcome.choices if c[0] != ReReviewOutcome.PENDING],
    )
    day = DayField(label=_("答复日期"), required=False, allow_null=True)
    number = serializers.CharField(label=_("答复文号"), required=False, allow_blank=True)
    reasons = serializers.CharField(label=_("理由"), required=False, allow_blank=True)


class ReReviewViewSet(Versioned, _Create, viewsets.GenericViewSet):
    serializer_class = ReReviewSerializer
    filterset_fields = ["outcome", "project__reference"]

    def get_queryset(self):
        return EiaReReview.objects.visible_to(self.request.user).select_related("project")

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.rereview_request(
            actor=self.request.user,
            project=d["project"],
            received_on=d["received_on"],
            construction_starts_on=d["construction_starts_on"],
        )

    @extend_schema(request=AnswerSerializer, responses=ReReviewSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        rereview = self.get_object()
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        rereview = services.rereview_answer(
            actor=request.user,
            rereview=rereview,
            outcome=d["outcome"],
            answered_on=d.get("day"),
            number=d.get("number", ""),
            reasons=d.get("reasons", ""),
        )
        return Response(ReReviewSerializer(rereview).data)


class AcceptanceSerializer(serializers.ModelSerializer):
    project = _project_field()
    completed_on = DayField(label=_("竣工日期"))
    concluded_on = DayField(label=_("验收意见日期"))
    published_from = DayField(label=_("公示开始日期"))
    published_until = DayField(label=_("公示结束日期"))

    class Meta:
        model = EiaAcceptance
        fields = ["id", "project", *services.ACCEPTANCE_FIELDS]


class AcceptanceViewSet(Versioned, _Create, viewsets.GenericViewSet):
    serializer_class = AcceptanceSerializer
    filterset_fields = ["passed", "project__reference"]

    def get_queryset(self):
        return EiaAcceptance.objects.visible_to(self.request.user).select_related("project")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project")
        serializer.instance = services.acceptance_record(
            actor=self.request.user, project=project, data=data
        )


class SpotCheckSerializer(serializers.ModelSerializer):
    acceptance = reference(
        EiaAcceptance,
        error_messages={"does_not_exist": _("竣工环保验收“{pk_value}”不存在。")},
    )
    checked_on = DayField(label=_("抽查日期"))
    result = serializers.ChoiceField(label=_("抽查结果"), choices=SpotCheckResult.choices)

    class Meta:
        model = EiaSpotCheck
        fields = ["id", "acceptance", "checked_on", "result", "findings", "follow_up"]


class SpotCheckViewSet(Versioned, _Create, viewsets.GenericViewSet):
    serializer_class = SpotCheckSerializer
    filterset_fields = ["result", "acceptance"]

    def get_queryset(self):
        return EiaSpotCheck.objects.visible_to(self.request.user).select_related(
            "acceptance__project"
        )

    def perform_create(self, serializer):
        serializer.instance = services.spot_check_record(
            actor=self.request.user, **serializer.validated_data
        )


class ProvincialSerializer(serializers.Serializer):
    decided_on = DayField(label=_("省级批复日期"))
    decision_number = serializers.CharField(label=_("省级批复文号"))
