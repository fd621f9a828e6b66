"""The legal area's API serializers (the viewsets are in api.py)."""

from __future__ import annotations

from rest_framework import serializers

from ecogov.core.api_permissions import EditablePageList, MayEdit
from ecogov.core.api_views import ChoiceLabelField, division_field
from ecogov.core.masking import MASKERS
from ecogov.core.models import Division, Organisation
from ecogov.legal.models import (
    ApplicantKind,
    Bill,
    BillMilestone,
    CleanupCampaign,
    DisputeCase,
    NormativeDocument,
    PolicyMeasure,
    PolicyReview,
    Theme,
)
from ecogov.legal.workflow import allowed_actions

DIVISION = {
    "does_not_exist": "行政区划代码“{value}”不存在。",
    "invalid": "行政区划代码格式不正确。",
}


class PolicyReviewSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_label = serializers.CharField(source="kind.name", read_only=True)
    outcome_label = ChoiceLabelField("outcome")
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
    state_label = ChoiceLabelField("state")
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


def plain_serializer(model_class, field_names, *, read_only=()):
    meta = type(
        "Meta",
        (),
        {"model": model_class, "fields": field_names, "read_only_fields": list(read_only)},
    )
    # named by app: other areas have models of the same name (outreach.StudySession), and the
    # API schema needs one component name per serializer
    return type(
        f"Legal{model_class.__name__}Serializer",
        (serializers.ModelSerializer,),
        {"Meta": meta, "__module__": __name__},
    )
