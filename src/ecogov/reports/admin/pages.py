"""Back-office pages of the reports area: the year's figures, the report, a figure's records."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ecogov.core import services as core_services
from ecogov.core.areas import AREAS
from ecogov.core.downloads import file_response
from ecogov.core.figures import KIND_LABELS, figures_for

from .. import checks, outputs, services, sources
from ..jobs import BACKGROUND_FORMATS, document_start
from ..models import Outline, OutlineKind, PublishedReport
from ..params import ParamError, Params, default_year, divisions_for, parse


def _params(request) -> tuple[Params, list[str]]:
    try:
        return parse(request.GET, request.user, default_year=default_year()), []
    except ParamError as exc:
        return Params(default_year(), None, None), list(exc.errors.values())


def _base(model_admin, request, title: str) -> dict:
    if not request.user.has_perm("reports.view_outline"):
        raise PermissionDenied
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "divisions": divisions_for(request.user),
    }


def figures_view(model_admin, request):
    """Every area's figures for a year / cut-off day / division, each linked to its records."""
    context = _base(model_admin, request, _("年度数据"))
    params, errors = _params(request)
    figures = figures_for(request.user, params.period, division=params.division)
    groups: dict[str, list] = {}
    for figure in figures:
        groups.setdefault(figure.area, []).append(
            {
                "key": figure.key,
                "label": figure.label,
                "value": sources.display(figure),
                "unit": figure.unit,
                "kind": KIND_LABELS.get(figure.kind, figure.kind),
                "count": figure.record_count,
                "definition": figure.definition,
                "url": sources.drill_url(figure, params.period, params.division),
            }
        )
    context.update(
        {
            "params": params,
            "errors": errors,
            "period": params.period,
            "groups": [(AREAS[key].label, key, rows) for key, rows in groups.items()],
        }
    )
    return TemplateResponse(request, "reports/figures.html", context)


def records_view(model_admin, request):
    """Exactly the records behind one figure (recomputed in the viewer's scope)."""
    context = _base(model_admin, request, _("数据项对应的记录"))
    params, errors = _params(request)
    if errors:
        raise Http404("; ".join(errors))
    key = request.GET.get("key", "")
    areas = [request.GET["area"]] if request.GET.get("area") in AREAS else None
    figure = next(
        (
            f
            for f in figures_for(request.user, params.period, division=params.division, areas=areas)
            if f.key == key
        ),
        None,
    )
    if figure is None or figure.records is None:
        raise Http404(_("没有这个数据项,或它不由记录计数。"))
    page = Paginator(figure.records.order_by("pk"), 50).get_page(request.GET.get("page"))
    meta = figure.records.model._meta
    rows = []
    for record in page:
        try:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
        except NoReverseMatch:
            url = ""
        rows.append({"pk": record.pk, "text": str(record), "url": url})
    query = {k: v for k, v in request.GET.items() if k != "page"}
    context.update(
        {
            "figure": figure,
            "value": sources.display(figure),
            "page": page,
            "rows": rows,
            "model_name": meta.verbose_name,
            "params": params,
            "query": urlencode(query),
            "title": f"{figure.label}:{_('对应的记录')}",
        }
    )
    return TemplateResponse(request, "reports/records.html", context)


def _outline(request) -> Outline:
    chosen = request.GET.get("outline") or request.POST.get("outline")
    outlines = Outline.objects.all()
    if chosen:
        outline = outlines.filter(pk=chosen).first() if str(chosen).isdigit() else None
        if outline is None:
            raise Http404(_("没有这个提纲。"))
        return outline
    outline = outlines.filter(kind=OutlineKind.SUMMARY).order_by("-is_builtin", "pk").first()
    if outline is None:
        raise Http404(_("尚无提纲。"))
    return outline


def _dated(request) -> tuple[dt.date, str]:
    raw = (request.GET.get("dated") or request.POST.get("dated") or "").strip()
    if not raw:
        return timezone.localdate(), ""
    try:
        return dt.date.fromisoformat(raw), ""
    except ValueError:
        return timezone.localdate(), _("成文日期应为 YYYY-MM-DD 格式的日期。")


def download(document, fmt: str, body: bytes, *, actor, version: int | None = None):
    content_type, _ext = outputs.FORMATS[fmt]
    response = file_response(body, outputs.filename(document, fmt, version), content_type)
    core_services.record_export(
        actor=actor, what=f"reports:{document.outline}", count=len(document.figures), fmt=fmt
    )
    return response


def report_view(model_admin, request):
    """The report of a year as it stands: preview, check, downloads, publication."""
    context = _base(model_admin, request, _("总结与报告"))
    outline = _outline(request)
    params, errors = _params(request)
    dated, dated_error = _dated(request)
    if dated_error:
        errors.append(dated_error)
    if request.method == "POST":
        if "publish" not in request.POST:
            raise Http404
        try:
            report = services.report_publish(
                actor=request.user,
                outline=outline,
                year=params.year,
                until=params.until,
                division=params.division,
                dated=dated,
                acknowledge=request.POST.get("acknowledge") == "on",
            )
        except PermissionDenied as exc:
            errors.append(str(exc) or _("无权发布。"))
        except ValidationError as exc:
            errors.extend(exc.messages)
        else:
            messages.success(
                request, _("已发布第%(v)d版,正文、数据及其记录已冻结。") % {"v": report.version}
            )
            return HttpResponseRedirect(
                reverse("admin:reports_publishedreport_change", args=[report.pk])
            )
    fmt = request.GET.get("download")
    if fmt and fmt not in outputs.FORMATS:
        raise Http404(_("不支持的格式。"))
    if fmt in BACKGROUND_FORMATS and not errors:  # a job; its page offers the file
        job = document_start(
            actor=request.user, outline=outline, query=params.query(), dated=dated, fmt=fmt
        )
        return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))
    draft = outputs.build(
        outline, request.user, params.year, params.until, params.division, dated=dated
    )
    if fmt:
        return download(draft.document, fmt, outputs.render_draft(draft, fmt), actor=request.user)
    result = checks.check(draft)
    links = {
        key: sources.drill_url(figure, params.period, params.division)
        for key, figure in draft.figures.items()
        if key in {r.key for r in draft.document.figures}
    }
    query = {"outline": outline.pk, **params.query(), "dated": dated.isoformat()}
    context.update(
        {
            "outline": outline,
            "outlines": Outline.objects.all(),
            "params": params,
            "errors": errors,
            "document": draft.document,
            "result": result,
            "links": links,
            "dated": dated,
            "query": urlencode(query),
            "can_publish": services.can_write(request.user),
            "formats": [
                ("docx", _("公文 .docx")),
                ("md", "Markdown"),
                ("xlsx", _("数据表 .xlsx")),
                ("json", "JSON"),
                ("html", "HTML"),
            ],
            "publications": PublishedReport.objects.filter(
                outline=outline, year=params.year
            ).order_by("-published_at")[:10],
        }
    )
    return TemplateResponse(request, "reports/report.html", context)
