"""Screens of the publicity items and the monthly counts, with the Excel import."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from ecogov.core.admin.imports import LedgerImportMixin
from ecogov.core.downloads import TO_THE_MINUTE, xlsx_response

from .. import events, ledger, services
from ..models import PublicityCount, PublicityItem
from .common import ServiceAdmin


@admin.register(PublicityItem)
class PublicityItemAdmin(ServiceAdmin):
    events_of = staticmethod(events.events_of)
    list_display = ["published_on", "title", "channel", "division"]
    list_filter = ["channel", "division"]
    date_hierarchy = "published_on"
    search_fields = ["title"]
    list_select_related = ["division"]
    fields = ["division", "channel", "published_on", "title", "url"]

    def create(self, request, data, children):
        return services.publicity_item_publish(actor=request.user, data=data)

    def update(self, request, record, data, children):
        return services.publicity_item_update(actor=request.user, item=record, data=data)


@admin.register(PublicityCount)
class PublicityCountAdmin(LedgerImportMixin, ServiceAdmin):
    events_of = staticmethod(events.events_of)
    list_display = ["month_label", "channel", "count", "source", "division"]
    list_filter = ["channel", "source", "division"]
    date_hierarchy = "month"
    list_select_related = ["division"]
    fields = ["division", "channel", "month", "count", "source", "source_name"]
    readonly_fields = ["source", "source_name"]
    actions = ["export_xlsx"]
    import_label = _("导入渠道月度统计")
    import_title = _("导入宣传发布月度统计")
    import_hint = _(
        "每行一个渠道一个月的发布条数(可直接整理自微信、微博后台和网站的导出表);区划代码留空为本人所在区划。"
        "任何一处错误都会使整个文件不被导入;按区划、渠道和月份匹配已有统计,重复导入同一文件不会产生变化。"
    )
    template_file = "publicity-template"

    @admin.display(description=_("月份"), ordering="month")
    def month_label(self, obj):
        return f"{obj.month:%Y年%m月}"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:  # a month is matched by these; correct the count only
            fields += ["division", "channel", "month"]
        return fields

    def create(self, request, data, children):
        return services.publicity_count_set(actor=request.user, data=data)

    def update(self, request, record, data, children):
        return services.publicity_count_update(actor=request.user, count=record, data=data)

    @action(description=_("导出所选为 Excel"))
    def export_xlsx(self, request, queryset):
        return xlsx_response(
            ledger.export_counts(actor=request.user, queryset=queryset),
            "publicity",
            stamp=TO_THE_MINUTE,
        )

    def import_columns(self):
        return ledger.COLUMNS

    def import_run(self, request, upload):
        return ledger.import_counts(actor=request.user, source=upload, source_name=upload.name)

    def import_template(self):
        return ledger.template()
