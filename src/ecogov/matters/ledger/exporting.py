"""Export a kind's ledger as .xlsx in the import layout, so an export imports back unchanged.

Personal data of complainants is masked on the rows the user does not handle.
"""

from __future__ import annotations

from collections import defaultdict

from ecogov.core import services as core_services
from ecogov.core.masking import masked
from ecogov.core.spreadsheet import write_ledger
from ecogov.matters.models import Matter, MatterUnit

from .columns import COLUMNS, TITLES, render_units

CHUNK = 5000


def export_rows(*, actor, kind: str, queryset=None) -> list[dict]:
    queryset = queryset if queryset is not None else Matter.objects.all()
    matters = list(
        queryset.visible_to(actor)
        .filter(kind=kind)
        .select_related("source", "division", "subject_entity", "duplicate_of", "measure__aspect")
        .order_by("source__year", "source__name", "reference")
    )
    ids = [m.pk for m in matters]
    units, editable = defaultdict(list), set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for unit in (
            MatterUnit.objects.filter(matter_id__in=chunk, is_active=True)
            .select_related("organisation")
            .order_by("matter_id", "-role", "pk")
        ):
            units[unit.matter_id].append((unit.organisation.name, unit.role, unit.share))
        editable.update(
            Matter.objects.editable_by(actor).filter(pk__in=chunk).values_list("pk", flat=True)
        )
    rows = []
    for matter in matters:
        row = {
            name: getattr(matter, name)
            for name in [
                "reference",
                "category",
                "title",
                "content",
                "received_on",
                "due_on",
                "state",
                "accepted_on",
                "done_on",
                "closed_on",
                "result",
                "evidence",
                "channel",
                "subject_name",
                "deputy",
                "reply_category",
                "feedback",
            ]
        }
        text = render_units(units[matter.pk]).split("、") if units[matter.pk] else [""]
        row.update(
            source=matter.source.name,
            division_code=matter.division.code,
            lead=text[0],
            co_units="、".join(text[1:]),
            subject_code=matter.subject_entity.credit_code if matter.subject_entity else "",
            duplicate_ref=matter.duplicate_of.reference if matter.duplicate_of else "",
            measure_ref=(
                f"{matter.measure.aspect.number}.{matter.measure.number}" if matter.measure else ""
            ),
        )
        reveal = matter.pk in editable
        for field, masker in Matter.personal_fields.items():
            row[field] = masked(matter, field, masker, reveal)
        rows.append(row)
    return rows


def export_matters(*, actor, kind: str, queryset=None) -> bytes:
    rows = export_rows(actor=actor, kind=kind, queryset=queryset)
    core_services.record_export(actor=actor, what=TITLES[kind], count=len(rows))
    return write_ledger(COLUMNS[kind], rows, TITLES[kind])
