"""Account screens under 三权分立: the password forms and the two-person reset requests.

The rules are in `ecogov.core.accounts`; these screens offer only what the user may do and
show a refusal in Chinese (docs/security.md).
"""

import datetime as dt

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action
from unfold.forms import AdminOwnPasswordChangeForm, AdminPasswordChangeForm, UserCreationForm

from ecogov.core import accounts, api_tokens
from ecogov.core.admin.base import ModelAdmin
from ecogov.core.models import ApiToken, CredentialResetRequest


def refused(model_admin, request, message) -> TemplateResponse:
    """A refused account operation: the reason in Chinese, as a 403 (audited by the middleware)."""
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("操作被拒绝"),
        "hint": message,
    }
    return TemplateResponse(request, "core/form_page.html", context, status=403)


def _messages(exc: ValidationError) -> list[str]:
    return [m for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms]


def _passwords_required(form) -> None:
    """Every staff account signs in with a password: no "password-based login disabled"."""
    form.fields.pop("usable_password", None)
    for name in ("password1", "password2"):
        form.fields[name].required = True


class AccountCreationForm(UserCreationForm):
    """A new staff account; its first password must be changed at its first login."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _passwords_required(self)


class StaffPasswordResetForm(AdminPasswordChangeForm):
    """The system administrator resets an ordinary account's password (changed at next login)."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        _passwords_required(self)


class OwnPasswordChangeForm(AdminOwnPasswordChangeForm):
    """A user's own password, through the account service (audited, clears the must-change)."""

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                accounts.check_own_password_change(
                    self.user, data["old_password"], data["new_password1"]
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return data

    def save(self, commit=True):
        accounts.account_password_change(
            actor=self.user,
            old_password=self.cleaned_data["old_password"],
            new_password=self.cleaned_data["new_password1"],
        )
        return self.user


class ApproveForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("我已核实申请理由与被重置人的身份,同意重置其密码"), required=True
    )


class RejectForm(forms.Form):
    note = forms.CharField(label=_("驳回理由"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(CredentialResetRequest)
class CredentialResetRequestAdmin(ModelAdmin):
    """One administrator asks, another approves (两人规则); nobody edits or deletes a request."""

    list_display = ["account", "state", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["state"]
    list_select_related = ["account", "requested_by", "decided_by"]
    actions_detail = ["approve", "reject"]
    _DETAIL = [
        "account",
        "state",
        "reason",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]

    def get_fields(self, request, obj=None):
        return ["account", "reason"] if obj is None else self._DETAIL

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self._DETAIL

    def has_add_permission(self, request):
        allowed = super().has_add_permission(request)
        return allowed and accounts.request_refusal(request.user) is None

    def has_change_permission(self, request, obj=None):
        return False  # a request is decided by the actions below, never edited

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "account":
            kwargs["queryset"] = (
                User.objects.filter(
                    is_superuser=False, groups__name__in=sorted(accounts.PROTECTED_ROLES)
                )
                .exclude(pk=request.user.pk)
                .distinct()
                .order_by("username")
            )
            kwargs["help_text"] = _(
                "管理员与局领导的账户。普通工作人员的密码由系统管理员在“用户与角色”中直接重置。"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        saved = accounts.credential_reset_request(
            actor=request.user,
            account=form.cleaned_data["account"],
            reason=form.cleaned_data["reason"],
        )
        self.adopt(obj, saved)

    # --- the decisions (shown only to who may take them) -------------------------------------
    _DECISIONS = {"approve": accounts.approval_refusal, "reject": accounts.rejection_refusal}

    def get_actions_detail(self, request, object_id):
        # offered only to who may take them; a forced URL gets the reason (the views below)
        found = self.get_object(request, str(object_id))
        return [
            step
            for step in super().get_actions_detail(request, object_id)
            if found is not None and self._DECISIONS[step.path](request.user, found) is None
        ]

    def _page(self, request, reset_request, title, **extra) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title % {"account": reset_request.account},
            **extra,
        }
        return TemplateResponse(request, "core/form_page.html", context)

    def _summary(self, reset_request) -> str:
        return _("申请人:%(by)s;申请时间:%(at)s;理由:%(reason)s") % {
            "by": reset_request.requested_by,
            "at": timezone.localtime(reset_request.requested_at).strftime("%Y-%m-%d %H:%M"),
            "reason": reset_request.reason,
        }

    @action(description=_("批准并设置临时密码"), url_path="approve")
    def approve(self, request, object_id):
        reset_request = get_object_or_404(self.get_queryset(request), pk=object_id)
        refusal = accounts.approval_refusal(request.user, reset_request)
        if refusal is not None:
            return refused(self, request, refusal)
        form = ApproveForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                password = accounts.credential_reset_approve(
                    actor=request.user, reset_request=reset_request
                )
            except PermissionDenied as exc:
                return refused(self, request, str(exc))
            return self._page(
                request,
                reset_request,
                _("已批准:%(account)s 的临时密码"),
                hint=_(
                    "请将下面的临时密码当面或经可靠渠道交给本人。它只显示这一次;"
                    "对方登录后须先修改密码,才能使用系统。"
                ),
                info=password,
            )
        return self._page(
            request,
            reset_request,
            _("批准重置 %(account)s 的密码"),
            hint=self._summary(reset_request),
            form=form,
        )

    @action(description=_("驳回申请"), url_path="reject")
    def reject(self, request, object_id):
        reset_request = get_object_or_404(self.get_queryset(request), pk=object_id)
        refusal = accounts.rejection_refusal(request.user, reset_request)
        if refusal is not None:
            return refused(self, request, refusal)
        form = RejectForm(request.POST or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                accounts.credential_reset_reject(
                    actor=request.user, reset_request=reset_request, note=form.cleaned_data["note"]
                )
            except PermissionDenied as exc:
                return refused(self, request, str(exc))
            except ValidationError as exc:
                errors = _messages(exc)
            else:
                return HttpResponseRedirect(
                    reverse("admin:core_credentialresetrequest_change", args=[reset_request.pk])
                )
        return self._page(
            request,
            reset_request,
            _("驳回 %(account)s 的密码重置申请"),
            hint=self._summary(reset_request),
            form=form,
            errors=errors,
        )


class RevokeForm(forms.Form):
    confirm = forms.BooleanField(label=_("确认吊销:该系统将立即无法访问接口"))


@admin.register(ApiToken)
class ApiTokenAdmin(ModelAdmin):
    """Other systems' API keys (core/api_tokens.py): issued here, the key shown once; revoked by
    the action; never edited or deleted (the security log keeps their uses)."""

    list_display = [
        "name",
        "account",
        "key_prefix",
        "can_write",
        "expires_on",
        "status",
        "last_used_at",
    ]
    list_select_related = ["account"]
    search_fields = ["name", "account__username", "key_prefix"]
    actions_detail = ["revoke"]
    _ADD = ["name", "account", "can_write", "expires_on"]
    _DETAIL = [
        "name",
        "account",
        "key_prefix",
        "can_write",
        "expires_on",
        "status",
        "created_by",
        "created_at",
        "revoked_by",
        "revoked_at",
        "last_used_at",
    ]

    @admin.display(description=_("状态"))
    def status(self, token) -> str:
        if token.revoked_at is not None:
            return _("已吊销")
        if token.expires_on < timezone.localdate():
            return _("已过期")
        return _("有效")

    def get_fields(self, request, obj=None):
        return self._ADD if obj is None else self._DETAIL

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self._DETAIL

    def has_add_permission(self, request):
        return super().has_add_permission(request) and accounts.may_manage(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # revoked by the action below, never edited

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "account":
            kwargs["queryset"] = (
                User.objects.filter(is_active=True, is_superuser=False, staff__isnull=False)
                .exclude(groups__name__in=sorted(accounts.PROTECTED_ROLES))
                .order_by("username")
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "account":
            field.help_text = _(
                "令牌以该账户的角色和数据范围访问接口。请先在“用户与角色”中为对接系统建立"
                "专用账户(只读系统给“只读查看”角色)。"
            )
        return field

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "expires_on" and field is not None:
            field.help_text = _("最长一年。到期后令牌失效,须重新签发。")
            field.initial = timezone.localdate() + dt.timedelta(days=365)
        return field

    def save_model(self, request, obj, form, change):
        token, key = api_tokens.api_token_issue(
            actor=request.user,
            account=form.cleaned_data["account"],
            name=form.cleaned_data["name"],
            expires_on=form.cleaned_data["expires_on"],
            can_write=form.cleaned_data["can_write"],
        )
        request._ecogov_token_key = key
        self.adopt(obj, token)

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("已签发:%(token)s") % {"token": obj},
            "hint": _(
                "请把下面的令牌经可靠渠道交给对接系统的管理人员。它只显示这一次,系统只保存其"
                "摘要;遗失须吊销后重新签发。调用接口时在请求头中写:Authorization: Bearer 令牌"
            ),
            "info": request._ecogov_token_key,
        }
        return TemplateResponse(request, "core/form_page.html", context)

    def get_actions_detail(self, request, object_id):
        found = self.get_object(request, str(object_id))
        may = found is not None and found.revoked_at is None and accounts.may_manage(request.user)
        return super().get_actions_detail(request, object_id) if may else []

    @action(description=_("吊销令牌"), url_path="revoke")
    def revoke(self, request, object_id):
        token = get_object_or_404(self.get_queryset(request), pk=object_id)
        refusal = accounts.manage_refusal(request.user)
        if refusal is not None:
            return refused(self, request, refusal)
        form = RevokeForm(request.POST or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                api_tokens.api_token_revoke(actor=request.user, token=token)
            except ValidationError as exc:
                errors = _messages(exc)
            else:
                return HttpResponseRedirect(reverse("admin:core_apitoken_change", args=[token.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("吊销 %(token)s") % {"token": token},
            "hint": _("签发给 %(account)s,有效期至 %(day)s。")
            % {
                "account": token.account,
                "day": token.expires_on.isoformat(),
            },
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, "core/form_page.html", context)
