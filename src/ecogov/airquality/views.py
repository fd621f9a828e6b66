"""The public air-quality page: the same card, calendar, trends and station comparison as
the back office, for everyone. It is self-contained, with inline CSS and SVG and no external
assets (intranets and the portal's hosting are offline)."""

from django.conf import settings
from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from . import queries, report
from .evaluation import EDITIONS, METHODS


@require_GET
def public_report(request):
    code = request.GET.get("city")
    city = queries.city_for(None, code)
    context = {
        "cities": queries.cities(),
        "editions": EDITIONS,
        "methods": METHODS,
        "bureau": settings.ECOGOV_BUREAU_NAME,
    }
    if city is None:
        if code:
            raise Http404
        return TemplateResponse(request, "airquality/public.html", context)  # no station yet
    year, edition, method = queries.report_params(request.GET, city)
    context.update(report.context(city, year, edition, method))
    return TemplateResponse(request, "airquality/public.html", context)
