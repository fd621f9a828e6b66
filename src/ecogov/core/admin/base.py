"""The scoped admin every ledger screen uses: list, detail, edit and export read one scope."""

from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline

from ecogov.core.models import Division
from ecogov.core.scoping import can_edit, can_view, scope_for


class ScopedModelAdmin(SimpleHistoryAdmin, ModelAdmin):
    """Lists only `visible_to(user)`, edits only `editable_by(user)`; never deletes ledger rows."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed:
            return False
        if obj is None:
            return not scope_for(request.user).read_only
        return can_edit(request.user, obj)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not scope_for(request.user).read_only

    def has_delete_permission(self, request, obj=None):
        return False  # ledger rows change state; they are never deleted

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Division:
            scope = scope_for(request.user)
            if not scope.everything:
                kwargs["queryset"] = Division.objects.filter(
                    path__startswith=scope.division_path or "\0")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(ModelAdmin):
    """Screens over append-only records: nobody adds, changes or deletes through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(TabularInline):
    """A record's events, reports or parts shown on its page: written by services, never here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
