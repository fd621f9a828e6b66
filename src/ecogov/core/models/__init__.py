"""The core registry's records. One module per kind of record; import them from here."""

from .accounts import ApiToken, CredentialResetRequest, PasswordState, ResetState
from .assignments import AssignmentRole, RecordAssignment
from .attachments import Attachment
from .audit import AuditChainHead, AuditLogEntry, ChainAnchor, ChainAnchorHead, SecurityEvent
from .divisions import Division, DivisionLevel
from .entities import EntityCategory, EntityEvent, EntityStatus, RegulatedEntity
from .jobs import Job, JobKind, JobState
from .organisations import Organisation, OrganisationKind
from .security import SecurityPolicy
from .staff import StaffProfile
from .workdays import CalendarYear, WorkdayOverride

__all__ = [
    "ApiToken",
    "AssignmentRole",
    "Attachment",
    "AuditChainHead",
    "AuditLogEntry",
    "CalendarYear",
    "ChainAnchor",
    "ChainAnchorHead",
    "CredentialResetRequest",
    "Division",
    "DivisionLevel",
    "EntityCategory",
    "EntityEvent",
    "EntityStatus",
    "Job",
    "JobKind",
    "JobState",
    "Organisation",
    "OrganisationKind",
    "PasswordState",
    "RecordAssignment",
    "RegulatedEntity",
    "ResetState",
    "SecurityEvent",
    "SecurityPolicy",
    "StaffProfile",
    "WorkdayOverride",
]
