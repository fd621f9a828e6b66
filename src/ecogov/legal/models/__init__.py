"""The legal area's records; import them from here."""

from ecogov.legal.workflow import DocState

from .cleanup import CampaignState, CleanupCampaign, CleanupItem, CleanupKind, Verdict
from .config import (
    PASSING,
    DayKind,
    DocumentNumberCounter,
    LegalPolicy,
    OutcomeSet,
    Requirement,
    ReviewKind,
    ReviewOutcome,
    Theme,
)
from .counsel import ContractReview, CounselContract, CounselOpinion, MatterKind
from .disputes import (
    CORRECTED,
    ActKind,
    ApplicantKind,
    DisputeCase,
    DisputeKind,
    DisputeState,
    Instance,
    Outcome,
)
from .documents import MeasureState, NormativeDocument, PolicyMeasure
from .events import LegalEvent
from .leadership import (
    DutyKind,
    GroupMeeting,
    GroupMember,
    GroupRole,
    LeaderDuty,
    LeadingGroup,
    StudyKind,
    StudySession,
)
from .legislation import MILESTONE_ORDER, Bill, BillKind, BillMilestone, MilestoneKind
from .reviews import PolicyReview, ReviewState

__all__ = [
    "CORRECTED",
    "MILESTONE_ORDER",
    "PASSING",
    "ActKind",
    "ApplicantKind",
    "Bill",
    "BillKind",
    "BillMilestone",
    "CampaignState",
    "CleanupCampaign",
    "CleanupItem",
    "CleanupKind",
    "ContractReview",
    "CounselContract",
    "CounselOpinion",
    "DayKind",
    "DisputeCase",
    "DisputeKind",
    "DisputeState",
    "DocState",
    "DocumentNumberCounter",
    "DutyKind",
    "GroupMeeting",
    "GroupMember",
    "GroupRole",
    "Instance",
    "LeaderDuty",
    "LeadingGroup",
    "LegalEvent",
    "LegalPolicy",
    "MatterKind",
    "MeasureState",
    "MilestoneKind",
    "NormativeDocument",
    "OutcomeSet",
    "Outcome",
    "PolicyMeasure",
    "PolicyReview",
    "Requirement",
    "ReviewKind",
    "ReviewOutcome",
    "ReviewState",
    "StudyKind",
    "StudySession",
    "Theme",
    "Verdict",
]
