"""Typed events of the reports area: one small function per event, appended to ReportEvent."""

from __future__ import annotations

from ecogov.core.events import append_event

from .models import ReportEvent


def _event(*, outline, actor, type, report=None, reason="", payload=None) -> ReportEvent:
    return append_event(
        ReportEvent,
        record=outline,
        report=report,
        actor=actor,
        type=type,
        reason=reason,
        payload=payload or {},
    )


def outline_copied_event(*, outline, actor, source) -> ReportEvent:
    return _event(
        outline=outline,
        actor=actor,
        type=ReportEvent.Type.OUTLINE_COPIED,
        payload={"from": source.pk, "from_name": source.name},
    )


def outline_edited_event(*, outline, actor, what: str, changed: list[str]) -> ReportEvent:
    return _event(
        outline=outline,
        actor=actor,
        type=ReportEvent.Type.OUTLINE_EDITED,
        payload={"what": what, "fields": sorted(changed)},
    )


def narrative_saved_event(*, narrative, actor) -> ReportEvent:
    return _event(
        outline=narrative.section.outline,
        actor=actor,
        type=ReportEvent.Type.NARRATIVE_SAVED,
        payload={"section": narrative.section_id, "year": narrative.year},
    )


def report_published_event(*, report, actor) -> ReportEvent:
    return _event(
        outline=report.outline,
        actor=actor,
        type=ReportEvent.Type.PUBLISHED,
        report=report,
        payload={
            "version": report.version,
            "sha256": report.content_sha256,
            "docx_sha256": report.docx_sha256,
        },
    )


def report_submitted_event(*, report, actor) -> ReportEvent:
    return _event(
        outline=report.outline,
        actor=actor,
        type=ReportEvent.Type.SUBMITTED,
        report=report,
        payload={"on": report.submitted_on.isoformat()},
    )


def report_disclosed_event(*, report, actor) -> ReportEvent:
    return _event(
        outline=report.outline,
        actor=actor,
        type=ReportEvent.Type.DISCLOSED,
        report=report,
        payload={"on": report.disclosed_on.isoformat()},
    )
