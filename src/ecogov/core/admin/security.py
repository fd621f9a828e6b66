from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin as UnfoldModelAdmin

from ecogov.core import audit
from ecogov.core.masking import masked
from ecogov.core.models import AuditLogEntry, RegulatedEntity, SecurityEvent, SecurityPolicy
from ecogov.core.scoping import can_edit

from .base import AdminBase, ModelAdmin, ReadOnlyAdmin


# django-axes' screens (lockouts), on the project's base (settings: AXES_ENABLE_ADMIN = False)
@admin.register(AccessAttempt)
class AccessAttemptAdmin(AdminBase, axes_admin.AccessAttemptAdmin, UnfoldModelAdmin):
    pass


@admin.register(AccessLog)
class AccessLogAdmin(AdminBase, axes_admin.AccessLogAdmin, UnfoldModelAdmin):
    pass


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(AdminBase, axes_admin.AccessFailureLogAdmin, UnfoldModelAdmin):
    pass


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(ModelAdmin):
    list_display = ["__str__", "lockout_failures", "lockout_minutes", "session_idle_minutes"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SecurityPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            SecurityEvent.POLICY_CHANGED,
            username=request.user.get_username(),
            detail={name: form.cleaned_data[name] for name in form.changed_data},
        )


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "occurred_at", "event", "username", "ip_address", "path"]
    list_filter = ["event"]
    search_fields = ["username", "ip_address", "path"]
    readonly_fields = [
        "seq",
        "occurred_at",
        "event",
        "username",
        "ip_address",
        "path",
        "detail",
        "prev_hash",
        "hash",
    ]

    def changelist_view(self, request, extra_context=None):
        if request.GET.get("verify") == "1" and self.has_view_permission(request):
            report = audit.verify()
            (messages.success if report.ok else messages.error)(request, str(report))
            request.GET = request.GET.copy()
            del request.GET["verify"]  # not a filter: the changelist would refuse it
        return super().changelist_view(request, extra_context)


@admin.register(RegulatedEntity.history.model)
class EntityHistoryAdmin(ReadOnlyAdmin):
    """Every change to every entity, for the audit administrator: who, when, from where, what.

    simple-history names its own columns in English ("history date", "X as of …"); this screen
    names them in Chinese.
    """

    list_display = ["changed_at", "change_kind", "changed_by", "ip_address", "name", "credit_code"]
    list_filter = ["history_type"]
    search_fields = ["name", "credit_code", "history_user__username"]
    list_select_related = ["history_user", "division"]
    change_form_template = "core/change_form_no_history.html"

    def history_view(self, request, object_id, extra_context=None):
        return HttpResponseRedirect(
            reverse("admin:core_historicalregulatedentity_change", args=[object_id])
        )

    def get_fields(self, request, obj=None):
        # personal data masked as on every screen: the auditor does not handle the entity
        reveal = obj is not None and self._reveals(request, obj)
        record = [
            f.name
            if reveal or f.name not in RegulatedEntity.personal_fields
            else f"{f.name}_masked"
            for f in RegulatedEntity._meta.fields
            if f.name != "id"
        ]
        return ["changed_at", "change_kind", "changed_by", "ip_address", "change_reason", *record]

    @staticmethod
    def _reveals(request, obj) -> bool:
        entity = RegulatedEntity.objects.filter(pk=obj.id).first()
        return entity is not None and can_edit(request.user, entity)

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, object_id)
        title = (
            _("%(name)s 于 %(when)s 的记录")
            % {
                "name": record.name,
                "when": timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M:%S"),
            }
            if record
            else None
        )
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "title": title}
        )

    @admin.display(description=_("变更时间"), ordering="history_date")
    def changed_at(self, obj):
        return timezone.localtime(obj.history_date).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description=_("变更类型"), ordering="history_type")
    def change_kind(self, obj):
        return {"+": _("新增"), "~": _("修改"), "-": _("删除")}.get(obj.history_type, "—")

    @admin.display(description=_("操作人"))
    def changed_by(self, obj):
        return str(obj.history_user) if obj.history_user else _("系统")

    @admin.display(description=_("变更原因"))
    def change_reason(self, obj):
        return obj.history_change_reason or "—"


def _masked_column(field: str, kind: str):
    @admin.display(description=RegulatedEntity._meta.get_field(field).verbose_name)
    def column(self, obj):
        return masked(obj, field, kind, reveal=False) or "—"

    return column


for _field, _kind in RegulatedEntity.personal_fields.items():
    setattr(EntityHistoryAdmin, f"{_field}_masked", _masked_column(_field, _kind))
