"""Serializers of the matters API: input validated here, rules checked by the services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ecogov.core import references
from ecogov.core.api_input import DayField
from ecogov.core.api_permissions import EditablePageList, MayEdit
from ecogov.core.masking import MASKERS
from ecogov.core.models import Division, Organisation, RegulatedEntity
from ecogov.matters.models import Matter, MatterEvent, MatterUnit, ProgressCall, Source
from ecogov.matters.services.matters import UPDATABLE
from ecogov.matters.workflow import Feedback, Kind, ReplyCategory


def _kind_field(**kwargs):
    # plain text in the schema: "kind" is also the organisations' field with other choices
    return serializers.CharField(
        help_text="、".join(f"{v}={label}" for v, label in Kind.choices), **kwargs
    )


class SourceSerializer(serializers.ModelSerializer):
    kind = _kind_field()

    class Meta:
        model = Source
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "level",
            "year",
            "started_on",
            "feedback_on",
            "ended_on",
            "description",
            "task_categories",
        ]


class UnitSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = MatterUnit
        fields = ["organisation", "role", "share", "due_on"]


class MatterSerializer(MayEdit, serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="code", read_only=True)
    division = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind = _kind_field(read_only=True)
    units = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Matter
        list_serializer_class = EditablePageList  # who may edit: asked once a page
        fields = [
            "id",
            "kind",
            "category",
            "source",
            "reference",
            "title",
            "content",
            "division",
            "state",
            "is_open",
            "received_on",
            "accepted_on",
            "due_on",
            "due_other_on",
            "due_rule",
            "due_provisional",
            "extended",
            "done_on",
            "done_late",
            "closed_on",
            "result",
            "evidence",
            "channel",
            "complainant_name",
            "complainant_phone",
            "complainant_id_number",
            "subject_entity",
            "subject_name",
            "duplicate_of",
            "deputy",
            "reply_category",
            "feedback",
            "measure",
            "units",
            "overdue",
        ]
        read_only_fields = fields

    @extend_schema_field(UnitSerializer(many=True))
    def get_units(self, obj):
        # one unit serializer a page: building its fields for every row was a third of a
        # 50-row list's time (bench/bench_api_load.py)
        if getattr(self, "_units", None) is None:
            self._units = UnitSerializer(many=True)
        return self._units.to_representation([u for u in obj.units.all() if u.is_active])

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, obj):
        today = self.context.get("today")
        return obj.is_overdue(today) if today else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.may_edit(instance):
            for field, kind in Matter.personal_fields.items():
                data[field] = MASKERS[kind](data[field] or "")
        return data


def UnitShareField(**kwargs):  # noqa: N802  (a field factory)
    """{"organisation name": share, …}"""
    return serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=4),
        help_text='{"单位名称": 0.5, …}',
        **kwargs,
    )


class MatterCreateSerializer(serializers.Serializer):
    source = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Source.objects.all(),
        label=_("来源批次"),
        error_messages={"does_not_exist": _("批次代码“{value}”不存在。")},
    )
    category = serializers.CharField(label=_("类别"))
    reference = serializers.CharField(label=_("编号"), max_length=64)
    title = serializers.CharField(label=_("事项"), max_length=256)
    content = serializers.CharField(label=_("内容"), required=False, allow_blank=True)
    division = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Division.objects.all(),
        label=_("行政区划"),
        error_messages={"does_not_exist": _("行政区划代码“{value}”不存在。")},
    )
    received_on = DayField(label=_("交办日期"))
    due_on = DayField(label=_("办理时限"), required=False)
    lead = serializers.SlugRelatedField(
        slug_field="name",
        queryset=Organisation.objects.filter(is_active=True),
        label=_("主办单位"),
        error_messages={"does_not_exist": _("机构“{value}”不存在。")},
    )
    co_units = serializers.SlugRelatedField(
        slug_field="name",
        queryset=Organisation.objects.filter(is_active=True),
        many=True,
        required=False,
        label=_("会办单位"),
    )
    shares = UnitShareField(required=False, label=_("计分份额"))
    channel = serializers.CharField(required=False, allow_blank=True)
    complainant_name = serializers.CharField(required=False, allow_blank=True, max_length=32)
    complainant_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    complainant_id_number = serializers.CharField(required=False, allow_blank=True, max_length=18)
    subject_entity = references.reference(RegulatedEntity, "credit_code", required=False)
    subject_name = serializers.CharField(required=False, allow_blank=True, max_length=128)
    deputy = serializers.CharField(required=False, allow_blank=True, max_length=64)


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField(label=_("办理步骤"))
    on = DayField(label=_("办理日期"), required=False)
    result = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    reply_category = serializers.ChoiceField(
        choices=["", *ReplyCategory.values], required=False, default=""
    )
    feedback = serializers.ChoiceField(choices=["", *Feedback.values], required=False, default="")
    late_entry_reason = serializers.CharField(
        label=_("补录理由"), required=False, allow_blank=True, default="", max_length=500
    )  # core.backdating: a step dated long ago needs one


class ProgressSerializer(serializers.Serializer):
    text = serializers.CharField(label=_("进展情况"))
    percent = serializers.IntegerField(
        label=_("完成进度"), required=False, min_value=0, max_value=100
    )
    call = serializers.PrimaryKeyRelatedField(
        queryset=ProgressCall.objects.all(), required=False, label=_("调度")
    )


class UnitsSerializer(serializers.Serializer):
    lead = serializers.SlugRelatedField(
        slug_field="name", queryset=Organisation.objects.filter(is_active=True)
    )
    co_units = serializers.SlugRelatedField(
        slug_field="name",
        many=True,
        required=False,
        queryset=Organisation.objects.filter(is_active=True),
    )
    shares = UnitShareField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = MatterEvent
        fields = [
            "occurred_at",
            "recorded_at",
            "type",
            "actor",
            "from_state",
            "to_state",
            "reason",
            "payload",
        ]


class CallSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(
        slug_field="code", queryset=Source.objects.all(), required=False, allow_null=True
    )
    division = serializers.SlugRelatedField(
        slug_field="code", queryset=Division.objects.all(), required=False
    )
    kind = _kind_field(required=False, allow_blank=True, default="")

    class Meta:
        model = ProgressCall
        fields = [
            "id",
            "title",
            "kind",
            "source",
            "division",
            "due_on",
            "note",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = ["opened_at", "closed_at"]


def shares_by_pk(shares: dict | None) -> dict | None:
    """{"name": share} from the API → {organisation pk: share} for the services."""
    if not shares:
        return None
    found = {o.name: o.pk for o in Organisation.objects.filter(name__in=list(shares))}
    missing = sorted(set(shares) - set(found))
    if missing:
        raise serializers.ValidationError({"shares": _("机构“%s”不存在。") % "、".join(missing)})
    return {found[name]: value for name, value in shares.items()}


class MatterUpdateSerializer(serializers.ModelSerializer):
    """PATCH of a matter's own facts (`services.matter_update`); a new 办理时限 needs a reason."""

    division = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Division.objects.all(),
        label=_("行政区划"),
        required=False,
        error_messages={"does_not_exist": _("行政区划代码“{value}”不存在。")},
    )
    due_on = DayField(label=_("办理时限"), required=False)
    reason = serializers.CharField(label=_("修改理由"), required=False, allow_blank=True)

    class Meta:
        model = Matter
        fields = [*UPDATABLE, "due_on", "reason"]
