"""The assigned-matter engine's records. Import them from here."""

from .calls import ProgressCall, ProgressCallItem, ProgressReport, ReminderLog
from .matters import Matter, MatterEvent, MatterUnit, UnitRole
from .proxies import PROXIES, CampaignTask, Petition, Proposal, Rectification
from .sources import Aspect, AssessmentScheme, Measure, Source, SourceLevel

__all__ = [
    "PROXIES",
    "CampaignTask",
    "Petition",
    "Proposal",
    "Rectification",
    "AssessmentScheme",
    "Aspect",
    "Matter",
    "MatterEvent",
    "MatterUnit",
    "Measure",
    "ProgressCall",
    "ProgressCallItem",
    "ProgressReport",
    "ReminderLog",
    "Source",
    "SourceLevel",
    "UnitRole",
]
