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
from .records import CaseDisclosure, CaseEvent, Payment

__all__ = [
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
