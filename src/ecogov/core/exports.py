"""Large ledger exports as background jobs (docs/jobs.md, "导出").

An admin screen's "导出所选为 Excel" hands its queryset to `export_response`: up to
`ECOGOV_EXPORT_JOB_ROWS` rows (default 5,000) the workbook is made in the request and sent at
once, as before; above it a job of kind EXPORT makes it in the worker and keeps it in the
default storage, and the person is sent to the job's page, which offers the file when it ends.

The job carries what the person chose, not a query: the screen's filters and search (the list
page's query string), the records ticked (or "all that match", select_across) and the ledger's
export function (one of the areas' `ledger.export_*`). The worker builds the screen's list again
for the job's starter (`get_changelist_instance`: the same filters, search and scope) and
exports it; nothing in the job is code or a pickled object.

The API's `GET …/export/` (`core.api_views.api_export_response`) does the same with a request's
path and query string: with `Prefer: respond-async`, or above the threshold, it answers 202 with
the job; the worker resolves the path to the viewset's `export` action (nothing else) and builds
its list again for the caller (`filter_queryset(get_queryset())`: the same filters and scope).
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpResponseRedirect, QueryDict
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from ecogov.core import jobs
from ecogov.core.downloads import TO_THE_MINUTE, stamped, xlsx_response
from ecogov.core.models import Job, JobKind


def export_response(request, queryset, export, name: str, *, title: str = "", **options):
    """The .xlsx of `export(actor=, queryset=, **options)` at once, or (more rows than the
    threshold) the page of the job that makes it."""
    if queryset.count() <= settings.ECOGOV_EXPORT_JOB_ROWS:
        content = export(actor=request.user, queryset=queryset, **options)
        return xlsx_response(content, name, stamp=TO_THE_MINUTE)
    job = jobs.job_start(
        actor=request.user,
        kind=JobKind.EXPORT,
        title=title or _("导出 %s") % queryset.model._meta.verbose_name,
        target=queryset.model._meta.label_lower,
        options={
            "export": f"{export.__module__}.{export.__qualname__}",
            "params": request.GET.urlencode(),
            "selected": None
            if request.POST.get("select_across") == "1"
            else request.POST.getlist(ACTION_CHECKBOX_NAME),
            "options": options,
            "name": name,
        },
    )
    return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))


def api_export_job(request, model, export, name: str, options: dict) -> Job:
    """The job of an API export (`core.api_views.api_export_response`): what the caller asked —
    the export's path and query string (its filters) — and which ledger export makes the file."""
    return jobs.job_start(
        actor=request.user,
        kind=JobKind.EXPORT,
        title=_("接口导出 %s") % model._meta.verbose_name,
        target=model._meta.label_lower,
        options={
            "export": f"{export.__module__}.{export.__qualname__}",
            "api": request.path_info,
            "params": request.GET.urlencode(),
            "options": options,
            "name": name,
        },
    )


@jobs.runner(JobKind.EXPORT)
def run_export(job: Job) -> None:
    queryset = _api_selection(job) if job.options.get("api") else _selection(job)
    total = queryset.count()
    jobs.report(_("读取并生成文件"), 0, total, span=(0, 90))
    export = _exporter(job.options["export"])
    content = export(actor=job.user, queryset=queryset, **job.options.get("options", {}))
    jobs.report(_("保存文件"), total, total, span=(90, 100))
    name = f"{stamped(job.options['name'], TO_THE_MINUTE)}.xlsx"
    jobs.record_success(
        {"rows": total},
        summary=_("导出完成:共 %(n)d 条记录。") % {"n": total},
        result_file=jobs.save_result(content, name),
        result_name=name,
    )


def _selection(job: Job):
    """The records the person chose on the list screen, read again for the job's starter."""
    model = apps.get_model(job.target)
    model_admin = admin.site._registry[model]
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    request = RequestFactory().get(url, QueryDict(job.options.get("params", "")))
    request.user = job.user
    queryset = model_admin.get_changelist_instance(request).get_queryset(request)
    selected = job.options.get("selected")
    return queryset if selected is None else queryset.filter(pk__in=selected)


def _api_selection(job: Job):
    """The rows of an API export, read again for the job's starter: the path must name an
    `export` action of a viewset (nothing else is run); the viewset builds its list from the
    query string as it did for the request (filters, ordering, the starter's scope) and checks
    the starter's permissions again."""
    from rest_framework import exceptions
    from rest_framework.test import force_authenticate

    path = job.options["api"]
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    cls = getattr(match.func, "cls", None) if match else None
    actions = dict(getattr(match.func, "actions", None) or {}) if match else {}
    if cls is None or actions.get("get") != "export" or match.args or match.kwargs:
        raise jobs.JobFailed([_("导出任务指定的接口无效。")])
    http = RequestFactory().get(path, QueryDict(job.options.get("params", "")))
    force_authenticate(http, user=job.user)
    view = cls(**match.func.initkwargs)
    view.action_map = actions
    view.args, view.kwargs = (), {}
    view.request = view.initialize_request(http)  # sets view.action ("export")
    view.headers = view.default_response_headers
    try:
        view.initial(view.request)  # authentication, permissions, as for the request
        return view.filter_queryset(view.get_queryset())
    except exceptions.APIException as exc:  # no longer allowed, a filter no longer valid
        raise jobs.Refused([_api_problem(exc.detail)]) from None


def _api_problem(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_api_problem(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return "; ".join(_api_problem(value) for value in detail)
    return str(detail)


def _exporter(path: str):
    """An area's ledger export function by its dotted path, and nothing else."""
    return jobs.ledger_function(path, "export_", _("导出任务指定的导出方式无效。"))
