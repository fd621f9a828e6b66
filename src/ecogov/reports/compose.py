"""From an outline, the year's narratives and the figures to a `Document` (linear in its size)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ecogov.core.figures import Figure, Period

from . import sources, templating
from .document import Block, Document, FigureRow, Run, heading_number, path_part, typeset
from .models import Level, Narrative, Outline


@dataclass
class Draft:
    """A report being written: the document and the live figures it was made from."""

    document: Document
    figures: dict[str, Figure]
    period: Period
    division: object
    outline: Outline
    narratives: dict[int, str]  # section pk → the year's text


def issuer_of(outline: Outline) -> str:
    if outline.issuer:
        return outline.issuer
    from ecogov.core.models import Organisation, OrganisationKind

    bureau = Organisation.objects.filter(kind=OrganisationKind.BUREAU).order_by("pk").first()
    return bureau.name if bureau else ""


def _words(period: Period, issuer: str) -> dict[str, str]:
    return {
        "year": str(period.year),
        "next_year": str(period.year + 1),
        "organisation": issuer,
        "period": period.label,
    }


def runs_of(template: str, figures: dict[str, Figure], words: dict[str, str]) -> list[list[Run]]:
    """The template's paragraphs (one per line) as runs; unknown keys become placeholders."""
    paragraphs = []
    for line in (template or "").splitlines():
        if not line.strip():
            continue
        runs: list[Run] = []
        for piece in templating.parse(line.strip()):
            if piece.text:
                runs.append(Run(typeset(piece.text)))
            elif piece.word:
                runs.append(Run(words[piece.word]))
            elif piece.key in figures:
                runs.append(Run(sources.display(figures[piece.key]), key=piece.key))
            else:
                runs.append(Run(sources.missing_text(piece.key), key=piece.key, missing=True))
        paragraphs.append(_merge(runs))
    return paragraphs


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if merged and not run.key and not merged[-1].key:
            merged[-1] = Run(merged[-1].text + run.text)
        else:
            merged.append(run)
    return merged


def compose(
    outline: Outline,
    user,
    period: Period,
    division=None,
    *,
    dated: dt.date | None = None,
    figures: dict[str, Figure] | None = None,
) -> Draft:
    if figures is None:
        figures = sources.report_figures(user, period, division)
    issuer = issuer_of(outline)
    words = _words(period, issuer)
    sections = list(outline.sections.order_by("position", "pk"))
    narratives = dict(
        Narrative.objects.filter(section__outline=outline, year=period.year).values_list(
            "section_id", "text"
        )
    )
    counters = {1: 0, 2: 0, 3: 0, 4: 0}
    blocks: list[Block] = []
    for section in sections:
        number = ""
        if section.level != Level.PARAGRAPH:
            counters[section.level] += 1
            for deeper in range(section.level + 1, 5):
                counters[deeper] = 0
            number = heading_number(section.level, counters[section.level])
        path = "".join(
            path_part(level, counters[level])
            for level in range(1, 5)
            if counters[level] and (section.level == Level.PARAGRAPH or level <= section.level)
        )
        heading = "".join(r.text for p in runs_of(section.heading, figures, words) for r in p)
        text = narratives.get(section.pk, "")
        source = "narrative" if text.strip() else ("template" if section.template.strip() else "")
        body = text if source == "narrative" else section.template
        blocks.append(
            Block(
                section=section.pk,
                level=section.level,
                number=number,
                heading=heading,
                paragraphs=runs_of(body, figures, words),
                source=source,
                template_keys=templating.keys_of(section.template),
                path=path,
            )
        )
    used: dict[str, None] = {}
    for block in blocks:
        for paragraph in block.paragraphs:
            for run in paragraph:
                if run.key:
                    used.setdefault(run.key)
    document = Document(
        outline=outline.name,
        kind=outline.kind,
        title_lines=[
            line
            for p in runs_of(outline.title, figures, words)
            for line in ["".join(r.text for r in p)]
        ],
        issuer=issuer,
        dated=(dated or timezone.localdate()).isoformat(),
        year=period.year,
        until=None if period.is_calendar_year else period.end.isoformat(),
        division=division.name if division is not None else "",
        period_label=period.label,
        blocks=blocks,
        figures=[figure_row(key, figures.get(key)) for key in used],
    )
    return Draft(document, figures, period, division, outline, narratives)


def figure_row(key: str, figure: Figure | None) -> FigureRow:
    if figure is None:
        return FigureRow(key=key, label="", missing=True, display=sources.missing_text(key))
    return FigureRow(
        key=key,
        label=str(figure.label),
        value=figure.json_value(),
        display=sources.display(figure),
        unit=figure.unit,
        kind=str(figure.kind),
        area=figure.area,
        definition=str(figure.definition),
        record_count=figure.record_count,
    )
