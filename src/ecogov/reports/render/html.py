"""The report as a standalone HTML page (the back office shows the same through its template)."""

from __future__ import annotations

from django.template.loader import render_to_string

from ..document import Document


def render_html(document: Document, issues=(), links: dict[str, str] | None = None) -> str:
    return render_to_string(
        "reports/standalone.html", {"document": document, "issues": issues, "links": links or {}}
    )
