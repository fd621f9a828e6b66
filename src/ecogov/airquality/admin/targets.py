from django.contrib import admin

from ecogov.airquality import services
from ecogov.airquality.models import AirTarget
from ecogov.core.admin.base import ScopedModelAdmin


@admin.register(AirTarget)
class AirTargetAdmin(ScopedModelAdmin):
    """The assessment's annual targets per division; progress shows on the evaluation page."""

    list_display = [
        "year",
        "division",
        "good_days_ratio",
        "pm25_mean",
        "heavy_days",
        "source_document",
    ]
    list_filter = ["year", "division"]
    list_select_related = ["division"]
    search_fields = ["source_document", "note"]
    fields = services.TARGET_FIELDS

    def save_model(self, request, obj, form, change):
        data = {n: form.cleaned_data[n] for n in services.TARGET_FIELDS if n in form.cleaned_data}
        if change:
            services.target_update(
                actor=request.user,
                target=AirTarget.objects.get(pk=obj.pk),
                data={n: data[n] for n in form.changed_data if n in data},
            )
        else:
            self.adopt(obj, services.target_create(actor=request.user, data=data))
