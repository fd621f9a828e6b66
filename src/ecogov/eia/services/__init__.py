"""Every state change of the EIA app (the only writer). Import from here: `services.project_submit`."""

from .projects import (
    EDITABLE_FIELDS,
    PROJECT_FIELDS,
    default_level,
    new_reference,
    notice_publish,
    pause_end,
    pause_start,
    project_accept,
    project_decide,
    project_exempt,
    project_file_registration,
    project_return,
    project_revoke,
    project_submit,
    project_update,
)
from .records import RECORD_FIELDS, project_record
from .zoning import (
    control_units_import,
    project_screen,
    refusal_rules_activate,
    screening_confirm,
    screening_override,
)

__all__ = [
    "EDITABLE_FIELDS",
    "PROJECT_FIELDS",
    "RECORD_FIELDS",
    "control_units_import",
    "default_level",
    "new_reference",
    "notice_publish",
    "pause_end",
    "pause_start",
    "project_accept",
    "project_decide",
    "project_exempt",
    "project_file_registration",
    "project_return",
    "project_revoke",
    "project_screen",
    "project_submit",
    "project_update",
    "refusal_rules_activate",
    "project_record",
    "screening_confirm",
    "screening_override",
]
