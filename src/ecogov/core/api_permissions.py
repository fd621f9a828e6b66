"""API permissions shared by every area's api.py."""

from rest_framework import permissions

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
        return can_edit(request.user, obj)
