from .outlines import Level, Narrative, Outline, OutlineKind, Relation, Section
from .published import PublishedReport, ReportEvent

__all__ = [
    "Level",
    "Narrative",
    "Outline",
    "OutlineKind",
    "PublishedReport",
    "Relation",
    "ReportEvent",
    "Section",
]
