"""REST endpoints of the core registry: validate, call a service, serialise. Scoped like the admin."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ecogov.core import ledger, services
from ecogov.core.api_permissions import EditablePageList, MayEdit
from ecogov.core.api_views import LedgerViewSet, Versioned, ledger_actions
from ecogov.core.downloads import attachment_response
from ecogov.core.masking import MASKERS
from ecogov.core.models import Attachment, Division, Organisation, RegulatedEntity


class DivisionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Division
        fields = ["code", "name", "level", "parent", "is_standard"]


class OrganisationSerializer(serializers.ModelSerializer):
    division = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "division", "outside_kind"]


class RegulatedEntitySerializer(MayEdit, serializers.ModelSerializer):
    division = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Division.objects.all(),
        error_messages={
            "does_not_exist": _("行政区划代码“{value}”不存在。"),
            "invalid": _("行政区划代码格式不正确。"),
        },
    )

    class Meta:
        model = RegulatedEntity
        list_serializer_class = EditablePageList
        fields = ["id", *services.ENTITY_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "longitude": {
                "error_messages": {
                    "max_value": _("经度超出中国范围(73.4—135.1)。"),
                    "min_value": _("经度超出中国范围(73.4—135.1)。"),
                }
            },
            "latitude": {
                "error_messages": {
                    "max_value": _("纬度超出中国范围(3.8—53.6)。"),
                    "min_value": _("纬度超出中国范围(3.8—53.6)。"),
                }
            },
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.may_edit(instance):
            for field, kind in RegulatedEntity.personal_fields.items():
                data[field] = MASKERS[kind](data[field] or "")
        return data


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    download = serializers.SerializerMethodField(label=_("下载地址"))

    def get_download(self, attachment) -> str:
        return reverse("attachment-download", args=[attachment.pk])

    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "media_type",
            "size",
            "sha256",
            "description",
            "uploaded_by",
            "uploaded_at",
            "download",
        ]


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label=_("文件"))
    description = serializers.CharField(label=_("说明"), required=False, allow_blank=True)


def attachments_action(attach):
    """GET a record's attachments (the whole list), POST one more (multipart `file`,
    `description`) through the area's `attach(actor=, record=, uploaded_file=, description=)`:
    the attachments action of every viewset whose records carry files."""

    @extend_schema(methods=["GET"], responses=AttachmentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=AttachmentUploadSerializer, responses={201: AttachmentSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser],
        permission_classes=[IsAuthenticated],
        pagination_class=None,  # a record's attachments are few: the whole list
    )
    def attachments(self, request, pk=None):
        record = self.get_object()
        if request.method == "POST":
            upload = AttachmentUploadSerializer(data=request.data)
            upload.is_valid(raise_exception=True)
            attachment = attach(
                actor=request.user,
                record=record,
                uploaded_file=upload.validated_data["file"],
                description=upload.validated_data.get("description", ""),
            )
            return Response(AttachmentSerializer(attachment).data, status=201)
        items = services.attachments_of(actor=request.user, record=record)
        return Response(AttachmentSerializer(items, many=True).data)

    return attachments


class DivisionViewSet(Versioned, viewsets.ReadOnlyModelViewSet):
    queryset = Division.objects.select_related("parent")
    serializer_class = DivisionSerializer
    lookup_field = "code"
    filterset_fields = ["level", "parent__code"]


class OrganisationViewSet(Versioned, viewsets.ReadOnlyModelViewSet):
    queryset = Organisation.objects.select_related("division")
    serializer_class = OrganisationSerializer
    filterset_fields = ["kind"]


class RegulatedEntityViewSet(LedgerViewSet):
    serializer_class = RegulatedEntitySerializer
    filterset_fields = ["division__code", "category", "is_key_discharger", "status"]

    def get_queryset(self):
        return RegulatedEntity.objects.visible_to(self.request.user).select_related("division")

    def create_record(self, data):
        return services.entity_create(actor=self.request.user, data=data)

    def update_record(self, entity, data):
        return services.entity_update(actor=self.request.user, entity=entity, data=data)

    export, import_ledger, template = ledger_actions(
        ledger.export_entities, ledger.import_entities, ledger.template, "entities"
    )

    attachments = attachments_action(services.attachment_add)


@extend_schema(responses={(200, "application/octet-stream"): bytes})
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def attachment_download(request, pk: int):
    """The file of attachment `pk`, as a download with nosniff; 404 if not found or not yours."""
    try:
        attachment = services.attachment_for_download(actor=request.user, pk=pk)
    except PermissionDenied:
        raise NotFound(_("附件不存在,或不在您的数据范围内。")) from None
    return attachment_response(attachment)
