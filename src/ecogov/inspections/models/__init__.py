"""The random-inspection area's records. One module per kind; import them from here."""

from .draws import Draw, DrawAssignment, DrawCheck, DrawStatus
from .plans import ConflictDeclaration, Plan, PlanEvent, PlanQuota, Seed, SeedSource
from .records import (
    InspectionCounter,
    InspectionEvent,
    InspectionRecord,
    InspectionType,
    Outcome,
    Publication,
    PublicationKind,
)

__all__ = [
    "ConflictDeclaration",
    "Draw",
    "DrawAssignment",
    "DrawCheck",
    "DrawStatus",
    "InspectionCounter",
    "InspectionEvent",
    "InspectionRecord",
    "InspectionType",
    "Outcome",
    "Plan",
    "PlanEvent",
    "PlanQuota",
    "Publication",
    "PublicationKind",
    "Seed",
    "SeedSource",
]
