from django.contrib import admin

from ecogov.airquality import services
from ecogov.airquality.models import Station
from ecogov.core.admin.base import ScopedModelAdmin


@admin.register(Station)
class StationAdmin(ScopedModelAdmin):
    """Everyone with the view permission reads all stations; city-level staff edit them."""

    list_display = [
        "code",
        "name",
        "kind",
        "city",
        "counts_for_city",
        "is_active",
        "longitude",
        "latitude",
    ]
    list_filter = ["kind", "counts_for_city", "is_active", "city"]
    search_fields = ["code", "name"]
    list_select_related = ["city"]
    fields = services.STATION_FIELDS

    def save_model(self, request, obj, form, change):
        data = {n: form.cleaned_data[n] for n in services.STATION_FIELDS if n in form.cleaned_data}
        if change:
            current = Station.objects.get(pk=obj.pk)
            services.station_update(
                actor=request.user,
                station=current,
                data={n: data[n] for n in form.changed_data if n in data},
            )
        else:
            station = services.station_create(actor=request.user, data=data)
            self.adopt(obj, station)
