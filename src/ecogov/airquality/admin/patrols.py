from django.contrib import admin
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from ecogov.airquality import services
from ecogov.airquality.models import Patrol
from ecogov.core.admin.base import ScopedModelAdmin


@admin.register(Patrol)
class PatrolAdmin(ScopedModelAdmin):
    """The attainment drive's supervision patrols, kept by each unit for its own territory."""

    list_display = [
        "patrol_date",
        "division",
        "organisation",
        "subject",
        "person_times",
        "sites",
        "letters",
    ]
    list_filter = ["division"]
    date_hierarchy = "patrol_date"
    search_fields = ["subject", "note"]
    list_select_related = ["division", "organisation"]
    fields = services.PATROL_FIELDS
    list_before_template = "airquality/patrol_totals.html"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", {}).get("cl")
        if cl is not None:  # the totals of what the list shows (the summary's figures)
            totals = cl.queryset.aggregate(p=Sum("person_times"), s=Sum("sites"), n=Sum("letters"))
            response.context_data["patrol_totals"] = _(
                "合计:出动督查人员 %(p)s 人次,巡查工地和企业 %(s)s 个,下达问题交办函 %(n)s 件"
            ) % {k: v or 0 for k, v in totals.items()}
        return response

    def save_model(self, request, obj, form, change):
        data = {n: form.cleaned_data[n] for n in services.PATROL_FIELDS if n in form.cleaned_data}
        if change:
            current = Patrol.objects.get(pk=obj.pk)
            services.patrol_update(
                actor=request.user,
                patrol=current,
                data={n: data[n] for n in form.changed_data if n in data},
            )
        else:
            patrol = services.patrol_create(actor=request.user, data=data)
            self.adopt(obj, patrol)
