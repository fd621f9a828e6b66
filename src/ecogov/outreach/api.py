"""REST endpoints of the outreach app (/api/outreach/): validate, call a service, serialise."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from ecogov.core.api_errors import Invalid, labels_of
from ecogov.core.api_views import ChoiceLabelField, ServiceViewSet, division_field, ledger_actions
from ecogov.core.models import Organisation, StaffProfile

from . import ledger, services
from .models import (
    Activity,
    ActivityMaterial,
    Creation,
    DutyItem,
    DutyList,
    ExamResult,
    Honour,
    LawExam,
    PublicityCount,
    PublicityItem,
    StudySession,
    Training,
    TrainingAttendee,
)


def _organisation(**kwargs):
    return serializers.SlugRelatedField(
        slug_field="name",
        queryset=Organisation.objects.all(),
        error_messages={"does_not_exist": _("机构“{value}”不存在。")},
        **kwargs,
    )


class DutyItemSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)
    responsible = _organisation()

    class Meta:
        model = DutyItem
        fields = ["id", "order", "laws", "audience", "responsible", "measures"]


class DutyListSerializer(serializers.ModelSerializer):
    division = division_field(required=False)
    items = DutyItemSerializer(many=True, required=False)
    state_label = ChoiceLabelField("state")

    class Meta:
        model = DutyList
        fields = [
            "id",
            "division",
            "title",
            "year",
            "version",
            "issued_on",
            "basis",
            "adjustment",
            "state",
            "state_label",
            "superseded_by",
            "superseded_on",
            "items",
        ]
        read_only_fields = ["version", "state", "superseded_by", "superseded_on"]


class ActivityMaterialSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)

    class Meta:
        model = ActivityMaterial
        fields = ["id", "kind", "title", "quantity"]


class ActivitySerializer(serializers.ModelSerializer):
    division = division_field(required=False)
    organiser = _organisation(required=False, allow_null=True)
    materials = ActivityMaterialSerializer(many=True, required=False)
    kind_label = ChoiceLabelField("kind")

    class Meta:
        model = Activity
        fields = [
            "id",
            "division",
            "kind",
            "kind_label",
            "title",
            "held_on",
            "place",
            "audience",
            "audience_count",
            "organiser",
            "duty_items",
            "summary",
            "materials",
        ]


class TrainingAttendeeSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)

    class Meta:
        model = TrainingAttendee
        fields = ["id", "name", "unit", "position"]


class TrainingSerializer(serializers.ModelSerializer):
    division = division_field(required=False)
    organiser = _organisation(required=False, allow_null=True)
    attendees = TrainingAttendeeSerializer(many=True, required=False)
    law_label = serializers.CharField(read_only=True)

    class Meta:
        model = Training
        fields = [
            "id",
            "division",
            "topic",
            "law",
            "law_other",
            "law_label",
            "held_on",
            "place",
            "organiser",
            "audience_units",
            "attendee_count",
            "duty_items",
            "note",
            "attendees",
        ]


class StudySessionSerializer(serializers.ModelSerializer):
    division = division_field(required=False)

    class Meta:
        model = StudySession
        fields = ["id", "division", "kind", "topic", "held_on", "hours", "attendees", "note"]


class ExamResultSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.full_name", read_only=True)

    class Meta:
        model = ExamResult
        fields = ["id", "staff", "staff_name", "score", "passed", "absence_reason"]
        read_only_fields = ["staff", "passed"]


class ExamSerializer(serializers.ModelSerializer):
    division = division_field(required=False)
    results = ExamResultSerializer(many=True, read_only=True)

    class Meta:
        model = LawExam
        fields = [
            "id",
            "division",
            "title",
            "held_on",
            "full_mark",
            "pass_mark",
            "organiser",
            "note",
            "results",
        ]


class ExamScoreSerializer(serializers.Serializer):
    staff = serializers.PrimaryKeyRelatedField(
        queryset=StaffProfile.objects.all(), label=_("工作人员")
    )
    score = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, label=_("成绩")
    )
    absence_reason = serializers.CharField(required=False, allow_blank=True, label=_("未参考原因"))


class PublicityItemSerializer(serializers.ModelSerializer):
    division = division_field(required=False)

    class Meta:
        model = PublicityItem
        fields = ["id", "division", "channel", "published_on", "title", "url"]


class PublicityCountSerializer(serializers.ModelSerializer):
    division = division_field(required=False)
    channel_label = ChoiceLabelField("channel")

    class Meta:
        model = PublicityCount
        fields = [
            "id",
            "division",
            "channel",
            "channel_label",
            "month",
            "count",
            "source",
            "source_name",
        ]
        read_only_fields = ["source", "source_name"]
        validators = []  # the service names a duplicate month in Chinese


class HonourSerializer(serializers.ModelSerializer):
    division = division_field(required=False)
    organisation = _organisation(required=False, allow_null=True)
    level_label = ChoiceLabelField("level")

    class Meta:
        model = Honour
        fields = [
            "id",
            "division",
            "title",
            "level",
            "level_label",
            "awarding_body",
            "awarded_on",
            "recipient_kind",
            "organisation",
            "staff",
            "document",
        ]


class CreationSerializer(serializers.ModelSerializer):
    division = division_field()
    level_label = ChoiceLabelField("level")
    kind_label = ChoiceLabelField("kind")

    class Meta:
        model = Creation
        fields = [
            "id",
            "division",
            "kind",
            "kind_label",
            "name",
            "level",
            "level_label",
            "batch",
            "awarding_body",
            "started_on",
            "awarded_on",
            "state",
            "note",
        ]


class DutyListViewSet(ServiceViewSet):
    model, serializer_class, select, children = (
        DutyList,
        DutyListSerializer,
        ["division"],
        ("items",),
    )
    filterset_fields = ["division__code", "state", "year"]
    service_create = staticmethod(
        lambda u, d, c: services.duty_list_issue(actor=u, data=d, items=c.get("items"))
    )
    service_update = staticmethod(
        lambda u, r, d, c: services.duty_list_update(
            actor=u, duty_list=r, data=d, items=c.get("items")
        )
    )


class ActivityViewSet(ServiceViewSet):
    model, serializer_class, select, children = (
        Activity,
        ActivitySerializer,
        ["division", "organiser"],
        ("materials",),
    )
    prefetch = ("duty_items",)
    filterset_fields = ["division__code", "kind"]
    service_create = staticmethod(
        lambda u, d, c: services.activity_record(actor=u, data=d, materials=c.get("materials"))
    )
    service_update = staticmethod(
        lambda u, r, d, c: services.activity_update(
            actor=u, activity=r, data=d, materials=c.get("materials")
        )
    )


class TrainingViewSet(ServiceViewSet):
    model, serializer_class, select, children = (
        Training,
        TrainingSerializer,
        ["division", "organiser"],
        ("attendees",),
    )
    prefetch = ("duty_items",)
    filterset_fields = ["division__code", "law"]
    service_create = staticmethod(
        lambda u, d, c: services.training_record(actor=u, data=d, roster=c.get("attendees"))
    )
    service_update = staticmethod(
        lambda u, r, d, c: services.training_update(
            actor=u, training=r, data=d, roster=c.get("attendees")
        )
    )


class StudyViewSet(ServiceViewSet):
    model, serializer_class, select = StudySession, StudySessionSerializer, ["division"]
    filterset_fields = ["division__code", "kind"]
    service_create = staticmethod(lambda u, d, c: services.study_record(actor=u, data=d))
    service_update = staticmethod(
        lambda u, r, d, c: services.study_update(actor=u, session=r, data=d)
    )


class ExamViewSet(ServiceViewSet):
    model, serializer_class, select = LawExam, ExamSerializer, ["division"]
    prefetch = (Prefetch("results", ExamResult.objects.select_related("staff")),)
    filterset_fields = ["division__code"]
    service_create = staticmethod(lambda u, d, c: services.law_exam_create(actor=u, data=d))
    service_update = staticmethod(
        lambda u, r, d, c: services.law_exam_update(
            actor=u, exam=r, data={k: v for k, v in d.items() if k != "division"}
        )
    )

    @extend_schema(request=ExamScoreSerializer, responses=ExamSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """One staff member's score, or the reason he did not sit (score empty)."""
        exam = self.get_object()
        body = ExamScoreSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = exam.results.filter(staff=body.validated_data["staff"]).first()
        if result is None:
            raise Invalid({"staff": [_("该工作人员不在本次考试名单中。")]}, labels=labels_of(body))
        services.exam_score_record(
            actor=request.user,
            result=result,
            score=body.validated_data.get("score"),
            absence_reason=body.validated_data.get("absence_reason", ""),
        )
        return Response(ExamSerializer(LawExam.objects.get(pk=exam.pk)).data)


class PublicityItemViewSet(ServiceViewSet):
    model, serializer_class, select = PublicityItem, PublicityItemSerializer, ["division"]
    filterset_fields = ["division__code", "channel"]
    service_create = staticmethod(lambda u, d, c: services.publicity_item_publish(actor=u, data=d))
    service_update = staticmethod(
        lambda u, r, d, c: services.publicity_item_update(actor=u, item=r, data=d)
    )


class PublicityCountViewSet(ServiceViewSet):
    model, serializer_class, select = PublicityCount, PublicityCountSerializer, ["division"]
    filterset_fields = ["division__code", "channel", "source"]
    service_create = staticmethod(lambda u, d, c: services.publicity_count_set(actor=u, data=d))
    service_update = staticmethod(
        lambda u, r, d, c: services.publicity_count_update(
            actor=u, count=r, data={k: v for k, v in d.items() if k == "count"}
        )
    )
    export, import_ledger, template = ledger_actions(
        ledger.export_counts, ledger.import_counts, ledger.template, "publicity"
    )


class HonourViewSet(ServiceViewSet):
    model, serializer_class, select = Honour, HonourSerializer, ["division", "organisation"]
    filterset_fields = ["division__code", "level"]
    service_create = staticmethod(lambda u, d, c: services.honour_record(actor=u, data=d))
    service_update = staticmethod(
        lambda u, r, d, c: services.honour_update(actor=u, honour=r, data=d)
    )


class CreationViewSet(ServiceViewSet):
    model, serializer_class, select = Creation, CreationSerializer, ["division"]
    filterset_fields = ["division__code", "level", "kind", "state"]
    service_create = staticmethod(lambda u, d, c: services.creation_record(actor=u, data=d))
    service_update = staticmethod(
        lambda u, r, d, c: services.creation_update(actor=u, creation=r, data=d)
    )
