"""The portal's pages: home, each list (page, CSV, .xlsx, Atom in feeds.py), a record, the
draw verification guide, air quality, the annual report. Server-rendered, no script, no
sign-in; every page reads a bounded number of queries (tests/portal/test_queries.py)."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from ecogov.core.downloads import DOCX, TEXT, file_response, stamped, xlsx_response
from ecogov.core.models import EntityCategory
from ecogov.core.spreadsheet import Column, write_ledger

from . import filters as portal_filters
from .lists import LISTS, airquality, by_key, inspections, reports
from .values import cell_text, safe_csv

PAGE_SIZE = 20
# A download holds at most this many rows (the newest); the page says so when a filter is needed.
DOWNLOAD_MAX = 20000


def _context(request, **extra) -> dict:
    return {"bureau": settings.ECOGOV_BUREAU_NAME, "lists": LISTS, **extra}


def _list_or_404(key: str):
    public = by_key(key)
    if public is None:
        raise Http404
    return public


@require_GET
def index(request):
    groups: dict[str, list] = {}
    for item in LISTS:
        groups.setdefault(str(item.group), []).append(item)
    return TemplateResponse(request, "portal/index.html", _context(request, groups=groups))


def _records(public, request):
    choices = portal_filters.divisions()
    chosen = portal_filters.parse(request.GET, choices)
    return public.records(**chosen.query()), chosen, choices


@require_GET
def list_page(request, key: str):
    public = _list_or_404(key)
    records, chosen, choices = _records(public, request)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [public.row(r) for r in page.object_list]
    labels = {k: str(h) for h, k in public.columns}
    headers = [labels[k] for k in public.shown]
    table = [
        {"id": row["id"], "cells": [(labels[k], cell_text(row.get(k))) for k in public.shown]}
        for row in rows
    ]
    return TemplateResponse(
        request,
        "portal/list.html",
        _context(
            request,
            public=public,
            page=page,
            table=table,
            headers=headers,
            filters=chosen,
            divisions=choices,
            querystring=chosen.querystring(),
            withdrawn=public.withdrawn() if public.withdrawn else [],
        ),
    )


def _download_rows(public, request) -> tuple[list[dict], str]:
    records, chosen, _choices = _records(public, request)
    return [public.row(r) for r in records[:DOWNLOAD_MAX]], str(public.title)


@require_GET
def list_csv(request, key: str):
    public = _list_or_404(key)
    rows, title = _download_rows(public, request)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 with its byte-order mark
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h, _k in public.columns])
    for row in rows:
        writer.writerow([safe_csv(cell_text(row.get(k))) for _h, k in public.columns])
    return file_response(
        buffer.getvalue().encode("utf-8"),
        f"{stamped(title, '%Y%m%d')}.csv",
        "text/csv; charset=utf-8",
    )


@require_GET
def list_xlsx(request, key: str):
    public = _list_or_404(key)
    rows, title = _download_rows(public, request)
    columns = [Column(str(h), k, render=cell_text, width=24) for h, k in public.columns]
    return xlsx_response(write_ledger(columns, rows, title), title, stamp="%Y%m%d")


@require_GET
def record(request, key: str, pk: int):
    public = _list_or_404(key)
    if public.one is not None:
        row = public.one(pk)
    else:
        found = public.records().filter(pk=pk).first()
        row = public.row(found) if found is not None else None
    if row is None:
        raise Http404
    fields = [
        (str(h), cell_text(row.get(k)))
        for h, k in public.columns
        if k != public.text and row.get(k) not in (None, "")
    ]
    extra = {}
    if key == "draws":
        extra["checks"] = row["content"].get("checks", [])
        labels = dict(EntityCategory.choices)
        extra["tallies"] = [
            {**t, "label": labels.get(t.get("category"), t.get("category"))}
            for t in row["content"].get("tallies", [])
        ]
    if key == "reports":
        extra["docx_url"] = reverse("portal-report-docx", args=[pk])
    return TemplateResponse(
        request,
        "portal/record.html",
        _context(
            request,
            public=public,
            row=row,
            fields=fields,
            text=cell_text(row.get(public.text)) if public.text else "",
            **extra,
        ),
    )


@require_GET
def draw_file(request, pk: int, which: str):
    files = inspections.public_draw_documents(pk) if which in ("input", "result") else None
    if files is None:
        raise Http404
    content = files[0] if which == "input" else files[1]
    return file_response(content, f"draw-{pk}-{which}.txt", TEXT)


@require_GET
def verify(request):
    return TemplateResponse(
        request,
        "portal/verify.html",
        _context(request, draws_url=reverse("portal-list", args=["draws"])),
    )


@require_GET
def report_docx(request, pk: int):
    found = reports.public_report_file(pk)
    if found is None:
        raise Http404
    row, docx, _html = found
    return file_response(docx, row["filename"], DOCX)


@require_GET
def report_page(request, pk: int):
    found = reports.public_report_file(pk)
    if found is None:
        raise Http404
    return HttpResponse(found[2])


@require_GET
def air_quality(request):
    context = airquality.public_air_quality(request.GET)
    if context.get("missing"):
        raise Http404
    # the city's annual targets against the year's actual (docs/airquality.md, "Annual targets")
    if context.get("city") is not None and context.get("year"):
        card = airquality.target_card(context["city"], context["year"])
        context["target"] = card["lines"] if card else None
    return TemplateResponse(request, "portal/airquality.html", _context(request, **context))
