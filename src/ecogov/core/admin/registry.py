from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.admin import StackedInline
from unfold.decorators import action
from unfold.forms import UserChangeForm

from ecogov.core import accounts, services
from ecogov.core.admin.accounts import AccountCreationForm, StaffPasswordResetForm, refused
from ecogov.core.admin.base import HistoryModelAdmin, ModelAdmin
from ecogov.core.models import Division, Organisation, StaffProfile
from ecogov.core.roles import ADMIN_ROLES, Role

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Division)
class DivisionAdmin(HistoryModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_standard"]
    list_filter = ["level", "is_standard"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    readonly_fields = ["path"]


@admin.register(Organisation)
class OrganisationAdmin(HistoryModelAdmin):
    list_display = ["name", "short_name", "kind", "division", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(StaffProfile)
class StaffProfileAdmin(HistoryModelAdmin):
    """The staff directory with enforcement certificates (the future inspector pool)."""

    list_display = [
        "full_name",
        "organisation",
        "division",
        "certificate_number",
        "certificate_expiry",
    ]
    list_filter = ["organisation__kind", "division"]
    search_fields = ["full_name", "certificate_number", "user__username"]
    list_select_related = ["organisation", "division"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        # an administrator's or the leader's profile is not the system administrator's to change
        return allowed and (obj is None or accounts.may_manage(request.user, obj.user))

    def save_model(self, request, obj, form, change):
        services.staff_profile_save(actor=request.user, profile=obj)


class StaffInline(StackedInline):
    model = StaffProfile
    can_delete = False
    fk_name = "user"
    fields = [
        "full_name",
        "organisation",
        "division",
        "phone",
        "certificate_number",
        "certificate_expiry",
    ]

    # on a protected account's page (an administrator, the leader) the profile is read-only
    def has_add_permission(self, request, obj=None):
        allowed = super().has_add_permission(request, obj)
        return allowed and (obj is None or accounts.may_manage(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or accounts.may_manage(request.user, obj))


class RoleChoiceForm(UserChangeForm):
    roles = forms.MultipleChoiceField(
        label=_("角色"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(r.value, r.label) for r in Role if r not in ADMIN_ROLES],
        help_text=_("系统、安全、审计管理员角色只能在安装时通过命令行分配(三权分立)。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = list(self.instance.groups.values_list("name", flat=True))

    def clean_roles(self):
        roles = set(self.cleaned_data["roles"])
        current = (
            set(self.instance.groups.values_list("name", flat=True)) if self.instance.pk else set()
        )
        if current & ADMIN_ROLES:
            raise forms.ValidationError(_("该账户是管理员账户,其角色不能在系统内修改。"))
        return roles


@admin.register(User)
class UserAdmin(BaseUserAdmin, ModelAdmin):
    """Accounts of ordinary staff, managed by the system administrator (ecogov.core.accounts).

    An administrator's or the leader's account is shown read-only: its password is reset by two
    administrators (管理员密码重置申请), never here. Accounts are deactivated, never deleted.
    """

    form = RoleChoiceForm
    add_form = AccountCreationForm
    change_password_form = StaffPasswordResetForm
    add_fieldsets = [(None, {"fields": ["username", "password1", "password2"]})]
    actions_detail = ["request_reset"]
    inlines = [StaffInline]
    list_display = ["username", "staff_name", "is_active", "role_names", "last_login"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "staff__full_name"]
    list_select_related = ["staff"]  # the 姓名 column, with the rows
    # no superuser flag and no direct permissions here: rights come only from roles
    fieldsets = [
        (None, {"fields": ["username", "password", "is_active"]}),
        (_("角色"), {"fields": ["roles"]}),
        (_("登录"), {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_superuser=False).prefetch_related("groups")

    @admin.display(description=_("姓名"))
    def staff_name(self, obj):
        return getattr(getattr(obj, "staff", None), "full_name", "")

    @admin.display(description=_("角色"))
    def role_names(self, obj):
        return "、".join(str(Role(g.name).label) for g in obj.groups.all() if g.name in Role.values)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or accounts.may_manage(request.user, obj))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # read-only: the roles as their names (the form's checkboxes would read "Roles -")
        return [
            (
                name,
                {**opts, "fields": ["role_names" if f == "roles" else f for f in opts["fields"]]},
            )
            for name, opts in fieldsets
        ]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivated, never deleted: the history and the audit log name them

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            user = self.get_object(request, unquote(object_id))
            refusal = user is not None and accounts.manage_refusal(request.user, user)
            if refusal:
                return refused(self, request, refusal)
        return super().change_view(request, object_id, form_url, extra_context)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is None:
            return super().user_change_password(request, id, form_url)  # not found
        refusal = accounts.manage_refusal(request.user, user)
        if refusal is not None:
            return refused(self, request, refusal)
        if request.method == "POST":
            form = self.change_password_form(user, request.POST)
            if form.is_valid():
                accounts.account_password_reset(
                    actor=request.user, user=user, password=form.cleaned_data["password1"]
                )
                messages.success(request, _("密码已重置。该用户下次登录时须先修改密码。"))
                return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))
        return super().user_change_password(request, id, form_url)  # the form, or its errors

    def save_model(self, request, obj, form, change):
        if change:
            data = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in accounts.ACCOUNT_FIELDS
            }
            accounts.account_update(actor=request.user, user=obj, data=data)
        else:
            saved = accounts.account_create(
                actor=request.user,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
            self.adopt(obj, saved)

    def has_request_reset_permission(self, request, object_id=None):
        if not request.user.has_perm("core.add_credentialresetrequest"):
            return False
        user = object_id is not None and self.get_object(request, str(object_id))
        return bool(user) and accounts.request_refusal(request.user, user) is None

    @action(
        description=_("申请重置密码(两人规则)"),
        url_path="request-reset",
        permissions=["request_reset"],
    )
    def request_reset(self, request, object_id):
        return HttpResponseRedirect(
            reverse("admin:core_credentialresetrequest_add") + f"?account={int(object_id)}"
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "roles" in form.cleaned_data and "roles" in form.changed_data:
            try:
                services.staff_set_roles(
                    actor=request.user, user=form.instance, roles=form.cleaned_data["roles"]
                )
            except (ValidationError, PermissionDenied) as exc:
                raise PermissionDenied(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
