from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from unfold.admin import StackedInline
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from ecogov.core import services
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
    form = RoleChoiceForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "roles" in form.cleaned_data and "roles" in form.changed_data:
            try:
                services.staff_set_roles(
                    actor=request.user, user=form.instance, roles=form.cleaned_data["roles"]
                )
            except (ValidationError, PermissionDenied) as exc:
                raise PermissionDenied(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
