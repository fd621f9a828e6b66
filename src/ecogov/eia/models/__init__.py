"""The EIA app's records. One module per kind of record; import them from here."""

from .projects import (
    OPEN_STATES,
    ApprovalLevel,
    Decision,
    DocumentType,
    EiaEvent,
    EiaNotice,
    EiaPause,
    EiaProject,
    NoticeKind,
    PauseKind,
    Procedure,
    ProjectState,
)
from .zoning import (
    ControlUnit,
    ScreeningReview,
    UnitClassChoice,
    ZoningDataset,
    ZoningEvent,
    ZoningScreening,
)

__all__ = [
    "OPEN_STATES",
    "ApprovalLevel",
    "ControlUnit",
    "Decision",
    "DocumentType",
    "EiaEvent",
    "EiaNotice",
    "EiaPause",
    "EiaProject",
    "NoticeKind",
    "PauseKind",
    "Procedure",
    "ProjectState",
    "ScreeningReview",
    "UnitClassChoice",
    "ZoningDataset",
    "ZoningEvent",
    "ZoningScreening",
]
