"""The penalty cases' records; import them from here."""

from ecogov.enforcement.workflow import CaseState

from .cases import CaseSource, PenaltyCase, ServiceMethod
from .config import (
    CaseNumberCounter,
    EnforcementPolicy,
    LegalBasis,
    PartyKind,
    PenaltyKind,
    PenaltyRule,
)
from .measures import (
    ChangeBy,
    ChangeKind,
    CoerciveMeasure,
    CompulsoryExecution,
    DailyPenalty,
    DecisionChange,
    ExecutionOutcome,
    MeasureKind,
    PaymentPlan,
    PlanKind,
    Ruling,
)
from .records import CaseDisclosure, CaseEvent, Payment

__all__ = [
    "ChangeBy",
    "ChangeKind",
    "CoerciveMeasure",
    "CompulsoryExecution",
    "DailyPenalty",
    "DecisionChange",
    "ExecutionOutcome",
    "MeasureKind",
    "PaymentPlan",
    "PlanKind",
    "Ruling",
    "CaseDisclosure",
    "CaseEvent",
    "CaseNumberCounter",
    "CaseSource",
    "CaseState",
    "EnforcementPolicy",
    "LegalBasis",
    "PartyKind",
    "Payment",
    "PenaltyCase",
    "PenaltyKind",
    "PenaltyRule",
    "ServiceMethod",
]
