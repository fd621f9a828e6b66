from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse_lazy

from ecogov.core.accounts import MUST_CHANGE_SESSION_KEY
from ecogov.core.areas import AREAS
from ecogov.core.downloads import attachment_response


@staff_member_required
def area_placeholder(request, key: str):
    area = AREAS.get(key)
    if area is None:
        raise Http404
    context = {**admin.site.each_context(request), "area": area, "title": area.label}
    return TemplateResponse(request, "core/area_placeholder.html", context)


class OwnPasswordChangeView(PasswordChangeView):
    """The back office's "修改密码" page (admin:password_change), through the account service:
    audited, and it lifts the must-change flag of a reset (ecogov.core.accounts)."""

    success_url = reverse_lazy("admin:password_change_done")

    def get_form_class(self):
        from ecogov.core.admin.accounts import OwnPasswordChangeForm

        return OwnPasswordChangeForm

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(MUST_CHANGE_SESSION_KEY, None)
        return response


def password_change(request):
    request.current_app = admin.site.name
    return OwnPasswordChangeView.as_view()(request)


def attachment_download(request, pk: int):
    """GET /admin/attachments/<pk>/download/: the file, if the user may see its record."""
    from ecogov.core.services import attachment_for_download

    try:
        attachment = attachment_for_download(actor=request.user, pk=pk)
    except PermissionDenied:
        raise Http404 from None  # one answer for "not found or not yours"
    return attachment_response(attachment)
