"""Every state change of assigned matters; the only writer (see each module).

`<entity>_<action>(*, actor, …)`, atomic, raising ValidationError (Chinese message naming
the field) or PermissionDenied.
"""

from .bulk import MatterPlan, matters_bulk_write
from .calls import progress_call_close, progress_call_open
from .common import UnitPlan, plan_units
from .matters import (
    matter_attachment_add,
    matter_create,
    matter_link_duplicate,
    matter_report_progress,
    matter_set_deadline,
    matter_set_units,
    matter_transition,
    matter_update,
)
from .provisional import provisional_deadlines_recompute
from .reminders import reminders_run, reminders_send
from .sources import (
    assessment_scheme_set,
    plan_add_aspect,
    plan_add_measure,
    source_create,
    source_update,
)

__all__ = [
    "MatterPlan",
    "UnitPlan",
    "assessment_scheme_set",
    "matter_attachment_add",
    "matter_create",
    "matter_link_duplicate",
    "matter_report_progress",
    "matter_set_deadline",
    "matter_set_units",
    "matter_transition",
    "matter_update",
    "matters_bulk_write",
    "plan_add_aspect",
    "plan_add_measure",
    "plan_units",
    "progress_call_close",
    "progress_call_open",
    "provisional_deadlines_recompute",
    "reminders_run",
    "reminders_send",
    "source_create",
    "source_update",
]
