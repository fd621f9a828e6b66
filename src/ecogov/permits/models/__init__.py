"""The permits app's records. One module per kind of record; import them from here."""

from .permits import (
    ExecutionReport,
    ManagementClass,
    Permit,
    PermitEvent,
    PermitState,
    ReportPeriod,
    in_force_until,
    site_key,
)
from .registrations import Registration, RegistrationEvent, RegistrationState

__all__ = [
    "ExecutionReport",
    "ManagementClass",
    "Permit",
    "PermitEvent",
    "PermitState",
    "Registration",
    "RegistrationEvent",
    "RegistrationState",
    "ReportPeriod",
    "in_force_until",
    "site_key",
]
