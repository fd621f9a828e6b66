from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.template.response import TemplateResponse

from ecogov.core.areas import AREAS


@staff_member_required
def area_placeholder(request, key: str):
    area = AREAS.get(key)
    if area is None:
        raise Http404
    context = {**admin.site.each_context(request), "area": area, "title": area.label}
    return TemplateResponse(request, "core/area_placeholder.html", context)
