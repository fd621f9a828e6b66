from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from ecogov.airquality import queries, report
from ecogov.airquality.evaluation import EDITIONS, METHODS
from ecogov.airquality.models import Evaluation
from ecogov.core.admin.base import ReadOnlyAdmin


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    """The cache of annual evaluations, and the evaluation screen built on it."""

    list_display = ["city", "year", "edition", "method", "computed_at"]
    list_filter = ["year", "edition", "method"]
    exclude = ["document"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_urls(self):
        return [
            path("report/", self.admin_site.admin_view(self.report_view), name="airquality_report"),
            *super().get_urls(),
        ]

    def report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        city = queries.city_for(request.user, request.GET.get("city"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("环境空气质量评价"),
            "cities": queries.cities(),
            "editions": EDITIONS,
            "methods": METHODS,
        }
        if city is not None:
            year, edition, method = queries.report_params(request.GET, city)
            context.update(report.context(city, year, edition, method))
        return TemplateResponse(request, "airquality/report_admin.html", context)
