from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin as UnfoldModelAdmin
from unfold.decorators import action

from ecogov.core import anchors, audit, services, uploads
from ecogov.core.chains import chain
from ecogov.core.masking import masked
from ecogov.core.models import (
    AuditLogEntry,
    ChainAnchor,
    ChainAnchorHead,
    RegulatedEntity,
    SecurityEvent,
    SecurityPolicy,
)
from ecogov.core.roles import Role, has_role
from ecogov.core.scoping import can_edit

from .base import AdminBase, ModelAdmin, ReadOnlyAdmin, ReadOnlyInline


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


class ChainAnchorHeadInline(ReadOnlyInline):
    model = ChainAnchorHead
    fields = ["chain_named", "position", "hash"]
    hide_title = True  # the row's columns say it all

    @admin.display(description=_("哈希链"))
    def chain_named(self, head):
        registered = chain(head.chain)
        return registered.describe(head.link) if registered else f"{head.chain}:{head.link}"


class AnchorFileForm(forms.Form):
    file = forms.FileField(
        label=_("锚点文件"), help_text=_("本系统导出的锚点文件(.json),保存在系统之外的那一份。")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            uploads.check_upload(upload, purpose="anchor")
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["file"]) from exc
        upload.seek(0)
        return upload


@admin.register(ChainAnchor)
class ChainAnchorAdmin(ReadOnlyAdmin):
    """The audit administrator's anchors of the hash chains: made daily by `ecogov audit
    anchor`, or here; each downloaded as a signed JSON text to keep outside the system."""

    list_display = ["seq", "day", "made_at", "made_by_display", "heads_count", "hash"]
    readonly_fields = ["seq", "day", "made_at", "made_by_display", "prev_hash", "hash", "signature"]
    fields = readonly_fields
    inlines = [ChainAnchorHeadInline]
    actions_list = ["make_anchor", "verify_all", "verify_file"]
    actions_detail = ["download"]

    def has_anchor_permission(self, request, object_id=None):
        return request.user.is_superuser or has_role(request.user, Role.AUDIT_ADMIN)

    @admin.display(description=_("生成者"))
    def made_by_display(self, anchor):
        return anchor.made_by or _("定时任务")

    @admin.display(description=_("锚定的链数"))
    def heads_count(self, anchor):
        return anchor.heads.count()

    def _changelist(self):
        return HttpResponseRedirect(reverse("admin:core_chainanchor_changelist"))

    def _page(self, request, title, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **context,
        }
        return TemplateResponse(request, "core/form_page.html", context)

    @staticmethod
    def _download(anchor, content):
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{anchors.filename(anchor)}"'
        return response

    @action(description=_("立即锚定并下载"), url_path="make", permissions=["anchor"])
    def make_anchor(self, request):
        errors = []
        if request.method == "POST":
            try:
                anchor = services.anchor_make(actor=request.user)
            except ValidationError as exc:
                errors = exc.messages
            else:
                content = services.anchor_export(actor=request.user, anchor=anchor)
                return self._download(anchor, content)
        return self._page(
            request,
            _("立即锚定哈希链"),
            form=forms.Form(),
            errors=errors,
            hint=_(
                "为安全审计日志和各案件全过程记录的当前链头生成签名锚点,并下载锚点文件。"
                "请把锚点文件保存在本系统及其备份之外(如刻录光盘或交由其他部门保管):"
                "即使有人掌握链密钥并重算了哈希链,锚定之前的改写也能据此发现。"
            ),
        )

    @action(description=_("校验全部锚点"), url_path="verify", permissions=["anchor"])
    def verify_all(self, request):
        report = audit.verify()
        (messages.success if report.ok else messages.error)(request, str(report))
        return self._changelist()

    @action(description=_("核对锚点文件"), url_path="verify-file", permissions=["anchor"])
    def verify_file(self, request):
        form = AnchorFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            report = audit.verify(anchor_file=form.cleaned_data["file"].read())
            (messages.success if report.ok else messages.error)(request, str(report))
            return self._changelist()
        return self._page(
            request,
            _("核对锚点文件"),
            form=form,
            hint=_("用保存在系统之外的锚点文件核对系统中的锚点和哈希链。"),
        )

    @action(description=_("下载锚点文件"), url_path="download", permissions=["anchor"])
    def download(self, request, object_id):
        anchor = get_object_or_404(ChainAnchor, pk=object_id)
        return self._download(anchor, services.anchor_export(actor=request.user, anchor=anchor))


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
