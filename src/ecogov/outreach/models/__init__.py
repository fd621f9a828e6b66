"""The outreach app's records (宣传普法). One module per kind of record; import them from here."""

from .activities import (
    Activity,
    ActivityKind,
    ActivityMaterial,
    MaterialKind,
    Training,
    TrainingAttendee,
)
from .common import Law, Level, OutreachEvent
from .duties import DutyItem, DutyList, DutyListState
from .honours import (
    Creation,
    CreationKind,
    CreationLevel,
    CreationState,
    Honour,
    RecipientKind,
)
from .publicity import SOCIAL_CHANNELS, Channel, CountSource, PublicityCount, PublicityItem
from .staff import ExamResult, LawExam, StudyKind, StudySession

__all__ = [
    "SOCIAL_CHANNELS",
    "Activity",
    "ActivityKind",
    "ActivityMaterial",
    "Channel",
    "CountSource",
    "Creation",
    "CreationKind",
    "CreationLevel",
    "CreationState",
    "DutyItem",
    "DutyList",
    "DutyListState",
    "ExamResult",
    "Honour",
    "Law",
    "LawExam",
    "Level",
    "MaterialKind",
    "OutreachEvent",
    "PublicityCount",
    "PublicityItem",
    "RecipientKind",
    "StudyKind",
    "StudySession",
    "Training",
    "TrainingAttendee",
]
