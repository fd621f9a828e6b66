"""Pieces shared by the random-inspection screens: service errors as messages, form pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from ecogov.core.models import StaffProfile

# Field names a service may name that are not form fields of the screen.
FIELD_LABELS = {
    "quotas": _("各类别抽查比例或数量"),
    "inspector_pool": _("执法人员名录库"),
    "entity_pool": _("对象名录库"),
    "seed": _("随机种子"),
    "plan": _("抽查计划"),
    "draw": _("抽取"),
    "inspectors_per_check": _("每次检查执法人员数"),
    "inspectors": _("执法人员"),
    "date": _("检查日期"),
    "published_on": _("公开日期"),
}


def error_lines(exc: ValidationError, model=None) -> list[str]:
    """Every message, prefixed with the name of the field it is about."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    lines = []
    for field, texts in exc.message_dict.items():
        label = str(FIELD_LABELS.get(field, ""))
        if not label and model is not None and field != NON_FIELD_ERRORS:
            try:
                label = str(model._meta.get_field(field).verbose_name)
            except Exception:  # noqa: BLE001  (a name that is no model field)
                label = field
        lines += [f"{label}:{t}" if label else t for t in texts]
    return lines


def run_service(request, call, model=None) -> bool:
    """Call a service; report its refusal as an error message instead of a server error."""
    try:
        call()
    except ValidationError as exc:
        for line in error_lines(exc, model):
            messages.error(request, line)
        return False
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("无权办理。"))
        return False
    return True


def form_page(admin, request, *, title, form=None, errors=(), info="", hint=""):
    context = {
        **admin.admin_site.each_context(request),
        "opts": admin.model._meta,
        "title": title,
        "form": form,
        "errors": list(errors),
        "info": info,
        "hint": hint,
    }
    return TemplateResponse(request, "core/form_page.html", context)


def redirect_back(request, fallback: str):
    return HttpResponseRedirect(request.META.get("HTTP_REFERER") or fallback)


def certified_users():
    """Users holding an enforcement certificate (the only people who may inspect)."""
    from django.contrib.auth.models import User

    ids = StaffProfile.objects.exclude(certificate_number="").values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).select_related("staff")


class ServiceErrorsMixin:
    """A service's refusal during save (rare: the forms validate first) becomes a message and
    the unsaved form is shown again, instead of a server error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError):
                for line in error_lines(exc, self.model):
                    messages.error(request, line)
            else:
                messages.error(request, str(exc))
            return HttpResponseRedirect(request.get_full_path())
