"""Back-office screens of the core registry (Django admin with django-unfold)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import accounts, calendar, entities, jobs, listing, registry, security  # noqa: F401  (registration)

listing.install()  # the change lists' per-row work done once per page (see listing.py)

admin.site.site_title = _("EcoGov 生态环境局工作平台")
admin.site.site_header = _("生态环境局工作平台")
admin.site.index_title = _("工作台")
