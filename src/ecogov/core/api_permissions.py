"""API permissions shared by every area's api.py."""

from django.db import models
from rest_framework import permissions, serializers

from ecogov.core.references import is_scoped
from ecogov.core.scoping import can_edit


class ScopedModelPermissions(permissions.DjangoModelPermissions):
    """Model permissions from the user's roles (reading needs view_*), rows from his scope."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True  # the queryset is already scoped: a record outside it is a 404
        if not is_scoped(type(obj)):
            return True  # reference data (a batch, a division): the model permission decides
        return can_edit(request.user, obj)


class EditablePageList(serializers.ListSerializer):
    """A list page asks once which of its records the user may edit (one query, not one a row:
    tests/core/test_api_query_counts.py); its rows read the answer through `may_edit`."""

    def to_representation(self, data):
        records = list(data.all() if isinstance(data, models.Manager) else data)
        request = self.context.get("request")
        if request is not None and records:
            model = type(records[0])
            self.child.editable_on_page = set(
                model.objects.editable_by(request.user)
                .filter(pk__in=[r.pk for r in records])
                .values_list("pk", flat=True)
            )
        return super().to_representation(records)


class MayEdit:
    """Serializer mixin: `may_edit(record)`, the user may edit the record (personal data shown
    unmasked to those who handle it). Give the serializer's Meta
    `list_serializer_class = EditablePageList` so that a list asks once."""

    editable_on_page: set | None = None

    def may_edit(self, instance) -> bool:
        if self.editable_on_page is not None:
            return instance.pk in self.editable_on_page
        request = self.context.get("request")
        return request is not None and can_edit(request.user, instance)
