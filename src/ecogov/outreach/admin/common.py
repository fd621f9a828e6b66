"""The outreach screens' base: core's ServiceAdmin with outreach's children lists named."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ecogov.core.admin import service_admin

CHILD_LABELS = {
    "items": _("清单事项"),
    "materials": _("发放资料"),
    "attendees": _("参训人员"),
    "results": _("考试成绩"),
}


class ServiceAdmin(service_admin.ServiceAdmin):
    child_labels = CHILD_LABELS
