"""One way to every output: the command line and the back office call these (same bytes)."""

from __future__ import annotations

import datetime as dt

from ecogov.core.areas import AREAS
from ecogov.core.downloads import DOCX, XLSX

from . import checks, compose, sources
from . import freeze as frozen
from .document import Document
from .models import Outline
from .render.docx import render_docx
from .render.text import render_json, render_markdown
from .render.xlsx import render_xlsx

FORMATS = {
    "docx": (DOCX, "docx"),
    "xlsx": (XLSX, "xlsx"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "json": ("application/json; charset=utf-8", "json"),
    "html": ("text/html; charset=utf-8", "html"),
}


def build(
    outline: Outline,
    user,
    year: int,
    until: dt.date | None = None,
    division=None,
    *,
    dated: dt.date | None = None,
) -> compose.Draft:
    period = sources.period_of(year, until)
    return compose.compose(outline, user, period, division, dated=dated)


def render(document: Document, fmt: str, issues=()) -> bytes:
    if fmt == "docx":
        return render_docx(document)
    if fmt == "xlsx":
        return render_xlsx(document, {k: str(a.label) for k, a in AREAS.items()})
    if fmt == "md":
        return render_markdown(document).encode()
    if fmt == "json":
        return render_json(document, issues).encode()
    if fmt == "html":
        from .render.html import render_html

        return render_html(document, issues).encode()
    raise ValueError(f"unknown format {fmt}")


def render_draft(draft: compose.Draft, fmt: str) -> bytes:
    issues = checks.check(draft).issues if fmt in ("json", "html") else ()
    return render(draft.document, fmt, issues)


def filename(document: Document, fmt: str, version: int | None = None) -> str:
    name = document.title.replace("/", "-")
    if version:
        name += f"-第{version}版"
    return f"{name}.{FORMATS[fmt][1]}"


def freeze(draft: compose.Draft) -> dict:
    """What a published report stores: content, figures with record IDs, hashes, the .docx."""
    content = draft.document.as_dict()
    figures = frozen.freeze_figures(draft.figures, [r.key for r in draft.document.figures])
    docx = render_docx(draft.document)
    return {
        "content": content,
        "figures": figures,
        "content_sha256": frozen.sha256(frozen.canonical({"content": content, "figures": figures})),
        "docx": docx,
        "docx_sha256": frozen.sha256(docx),
    }


def published_document(report) -> Document:
    return Document.from_dict(report.content)


def verify(report) -> dict:
    """Recompute both hashes from what is stored, and regenerate the .docx from the content."""
    content_hash = frozen.sha256(
        frozen.canonical({"content": report.content, "figures": report.figures})
    )
    regenerated = render_docx(published_document(report))
    stored = bytes(report.docx)
    return {
        "content": content_hash == report.content_sha256,
        "docx_stored": frozen.sha256(stored) == report.docx_sha256,
        "docx_regenerated": regenerated == stored,
    }
