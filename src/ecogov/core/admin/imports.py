"""The back office's ledger import page and its empty template, for any screen (issue 16).

A screen mixes `LedgerImportMixin` in before its base and names its ledger:

    class PermitAdmin(LedgerImportMixin, ScopedModelAdmin):
        import_title = _("导入排污许可证台账")
        import_hint = _("任何一处错误都会使整个文件不被导入;…")

        def import_columns(self):
            return ledger.PERMIT_COLUMNS

        def import_run(self, request, upload):
            return ledger.import_permits(actor=request.user, source=upload, source_name=upload.name)

It gets the changelist buttons `import_xlsx` (the page; a file sent runs as a background job,
ecogov.core.jobs, whose page shows its progress, then every problem by row and column or the
counts and the way back to the list) and `download_template` (the headers as an .xlsx), both for
those who may add records.
"""

from __future__ import annotations

import dataclasses

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from ecogov.core import jobs
from ecogov.core.downloads import TO_THE_MINUTE, xlsx_response
from ecogov.core.imports import template


class LedgerImportMixin:
    actions_list = ["import_xlsx", "download_template"]
    import_title = _("导入 Excel 台账")
    import_hint = _(
        "任何一处错误都会使整个文件不被导入;按编号匹配已有记录,重复导入同一文件不会产生变化。"
    )
    import_unit = _("条")  # 新增 3 条 / 家 / 个 / 件
    import_page_template = "core/ledger_import.html"
    import_label = None  # the import button's text, when not "导入 Excel 台账"
    template_file = None  # the template's file name (default: the model's name + "-template")

    def import_columns(self):
        raise NotImplementedError

    def get_unfold_action(self, action: str):
        found = super().get_unfold_action(action)
        if action == "import_xlsx" and self.import_label:
            found = dataclasses.replace(found, description=self.import_label)
        return found

    def import_run(self, request: HttpRequest, upload) -> dict[str, int]:
        raise NotImplementedError

    def import_sheet_title(self) -> str:
        """The template's sheet name (the ledger's name)."""
        return str(self.import_title).removeprefix("导入")

    def import_template(self) -> bytes:
        """The empty ledger offered for download: the import's headers."""
        return template(self.import_columns(), self.import_sheet_title())

    def import_context(self, request: HttpRequest) -> dict:
        opts = self.model._meta
        return {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": self.import_title,
            "hint": self.import_hint,
            "columns": self.import_columns(),
            "template_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_download_template"),
        }

    @action(description=_("导入 Excel 台账"), url_path="import-xlsx", permissions=["add"])
    def import_xlsx(self, request: HttpRequest):
        """The file goes to a background job (docs/jobs.md) and the user to its page, which
        shows the progress and then the outcome: the counts, or every problem by row and
        column with nothing written."""
        context = self.import_context(request)
        upload = request.FILES.get("file") if request.method == "POST" else None
        if request.method == "POST" and upload is None:
            context["errors"] = [_("请选择要导入的 .xlsx 文件。")]
        elif upload is not None:
            opts = self.model._meta
            try:
                job = jobs.job_start_import(
                    actor=request.user,
                    target=opts.label_lower,
                    title=self.import_title,
                    upload=upload,
                    unit=self.import_unit,
                    result_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
                )
            except ValidationError as exc:  # no workbook at all: named here, no job to wait on
                context["errors"] = exc.messages
            else:
                return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))
        return TemplateResponse(request, self.import_page_template, context)

    @action(description=_("下载导入模板"), url_path="import-template", permissions=["add"])
    def download_template(self, request: HttpRequest):
        """The import's headers in an empty sheet: filled in, it imports as it is."""
        name = self.template_file or f"{self.model._meta.model_name}-template"
        return xlsx_response(self.import_template(), name, stamp=TO_THE_MINUTE)
