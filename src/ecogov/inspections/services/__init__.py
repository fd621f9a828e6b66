"""Every state change of the random-inspection area: the only writer.

Conventions as in ecogov.core.services: `<record>_<verb>(*, actor, …)`, atomic, raising
`ValidationError` (Chinese message naming the field) or `PermissionDenied`. `now`/`on`
arguments exist for the demo and tests (back-dated records); the doors never pass them.
"""

from .draws import as_validation_error, draw_make, draw_redo, draw_verify, stored_result
from .plans import (
    PLAN_FIELDS,
    conflict_declare,
    conflict_withdraw,
    plan_create,
    plan_update,
    seed_announce,
)
from .publication import content_for, publication_publish
from .records import (
    EDITABLE_FIELDS,
    RECORD_FIELDS,
    check_inspectors,
    inspection_attach,
    inspection_open_case,
    inspection_record,
    inspection_update,
    next_numbers,
)

__all__ = [
    "EDITABLE_FIELDS",
    "PLAN_FIELDS",
    "RECORD_FIELDS",
    "as_validation_error",
    "check_inspectors",
    "conflict_declare",
    "conflict_withdraw",
    "content_for",
    "draw_make",
    "draw_redo",
    "draw_verify",
    "inspection_attach",
    "inspection_open_case",
    "inspection_record",
    "inspection_update",
    "next_numbers",
    "plan_create",
    "plan_update",
    "publication_publish",
    "seed_announce",
    "stored_result",
]
