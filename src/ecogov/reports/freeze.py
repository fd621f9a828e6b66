"""Freezing a report's figures with the records behind each, and what has changed since.

The record IDs of a figure are stored as ranges ("3-17,20,24-30"): a province's figure may
stand for a hundred thousand records, mostly consecutive IDs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from ecogov.core.figures import Figure, Period


def encode_ids(ids) -> str:
    ordered = sorted(set(ids))
    parts, start, previous = [], None, None
    for value in ordered:
        if start is None:
            start = previous = value
        elif value == previous + 1:
            previous = value
        else:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
            start = previous = value
    if start is not None:
        parts.append(str(start) if start == previous else f"{start}-{previous}")
    return ",".join(parts)


def decode_ids(text: str) -> set[int]:
    ids: set[int] = set()
    for part in filter(None, (text or "").split(",")):
        if "-" in part:
            a, b = part.split("-")
            ids.update(range(int(a), int(b) + 1))
        else:
            ids.add(int(part))
    return ids


def record_ids(figure: Figure) -> tuple[str, list[int]] | None:
    if figure.records is None:
        return None
    model = figure.records.model._meta
    return model.label, list(figure.records.order_by().values_list("pk", flat=True))


def freeze_figures(figures: dict[str, Figure], keys: list[str]) -> list[dict]:
    out = []
    for key in keys:
        figure = figures.get(key)
        if figure is None:
            out.append({"key": key, "missing": True})
            continue
        ids = record_ids(figure)
        out.append(
            {
                "key": key,
                "label": str(figure.label),
                "value": figure.json_value(),
                "unit": figure.unit,
                "kind": str(figure.kind),
                "area": figure.area,
                "definition": str(figure.definition),
                "model": ids[0] if ids else "",
                "record_count": len(ids[1]) if ids else None,
                "records": encode_ids(ids[1]) if ids else "",
            }
        )
    return out


def canonical(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Change:
    key: str
    label: str
    unit: str
    before: object
    after: object
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    edited: list[int] = field(default_factory=list)
    model: str = ""

    def links(self, ids: list[int], limit: int = 20) -> list[tuple[int, str]]:
        if not self.model:
            return []
        app, name = self.model.lower().split(".")
        out = []
        for pk in ids[:limit]:
            try:
                out.append((pk, reverse(f"admin:{app}_{name}_change", args=[pk])))
            except NoReverseMatch:
                out.append((pk, ""))
        return out

    @property
    def added_links(self):
        return self.links(self.added)

    @property
    def removed_links(self):
        return self.links(self.removed)

    @property
    def edited_links(self):
        return self.links(self.edited)


def _edited_after(model_label: str, ids: set[int], after: dt.datetime) -> list[int]:
    """Records among `ids` changed after `after`, from their history (if the model keeps one)."""
    from django.apps import apps

    model = apps.get_model(model_label)
    history = getattr(model, "history", None)
    if history is None or not ids:
        return []
    found: set[int] = set()
    ordered = sorted(ids)
    for start in range(0, len(ordered), 5000):
        found.update(
            history.filter(
                id__in=ordered[start : start + 5000], history_date__gt=after
            ).values_list("id", flat=True)
        )
    return sorted(found)


def changes_since(report, figures: dict[str, Figure] | None = None) -> list[Change]:
    """The figures of a published report that the records would now put differently."""
    from . import sources

    if figures is None:
        period = Period.of_year(report.year, report.until)
        figures = sources.report_figures(report.published_by, period, report.division)
    changes = []
    for frozen in report.figures:
        key = frozen["key"]
        current = figures.get(key)
        if frozen.get("missing"):
            if current is not None:
                changes.append(
                    Change(key, str(current.label), current.unit, None, current.json_value())
                )
            continue
        if current is None:
            changes.append(Change(key, frozen["label"], frozen["unit"], frozen["value"], None))
            continue
        before_ids = decode_ids(frozen.get("records", ""))
        now = record_ids(current)
        after_ids = set(now[1]) if now else set()
        value_moved = current.json_value() != frozen["value"]
        added, removed = sorted(after_ids - before_ids), sorted(before_ids - after_ids)
        if not (value_moved or added or removed):
            continue
        model = frozen.get("model") or (now[0] if now else "")
        edited = (
            _edited_after(model, before_ids & after_ids, report.published_at)
            if model and value_moved
            else []
        )
        changes.append(
            Change(
                key,
                frozen["label"],
                frozen["unit"],
                frozen["value"],
                current.json_value(),
                added,
                removed,
                edited,
                model,
            )
        )
    return changes
