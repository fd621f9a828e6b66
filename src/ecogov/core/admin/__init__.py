"""Back-office screens of the core registry (Django admin with django-unfold)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import calendar, entities, registry, security  # noqa: F401  (registration)

admin.site.site_title = _("EcoGov 生态环境局工作平台")
admin.site.site_header = _("生态环境局工作平台")
admin.site.index_title = _("工作台")
