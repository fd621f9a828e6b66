"""List filters of the matters' screens."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ecogov.matters.models import Source
from ecogov.matters.workflow import categories_for


class CategoryFilter(admin.SimpleListFilter):
    """类别 from the workflow's categories (a campaign task's: its sources'), not from the rows:
    Django's own filter reads the distinct values of every row in scope (at 10^6 matters a
    third of the page's time, docs/benchmarks.md)."""

    title = _("类别")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        named = categories_for(model_admin.kind)
        if named:
            return [(code, label) for code, label in named.items()]
        seen: dict[str, str] = {}
        for categories in Source.objects.filter(kind=model_admin.kind).values_list(
            "task_categories", flat=True
        ):
            for category in categories or []:
                seen.setdefault(category, category)
        return sorted(seen.items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(category=self.value())
        return queryset
