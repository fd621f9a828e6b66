"""Every state change of the permits app (the only writer). Import from here."""

from .permits import (
    CHANGE_FIELDS,
    PERMIT_FIELDS,
    execution_report_submit,
    new_permit_number,
    permit_cancel,
    permit_change,
    permit_issue,
    permit_rectification_close,
    permit_renew,
    permit_renewal_apply,
    permit_revoke,
    permits_mark_expired,
)
from .records import (
    PERMIT_RECORD_FIELDS,
    REGISTRATION_RECORD_FIELDS,
    permit_record,
    registration_record,
)
from .registrations import (
    REGISTRATION_FIELDS,
    new_registration_number,
    registration_cancel,
    registration_change,
    registration_file,
)

__all__ = [
    "CHANGE_FIELDS",
    "PERMIT_FIELDS",
    "PERMIT_RECORD_FIELDS",
    "REGISTRATION_FIELDS",
    "REGISTRATION_RECORD_FIELDS",
    "execution_report_submit",
    "new_permit_number",
    "new_registration_number",
    "permit_cancel",
    "permit_change",
    "permit_issue",
    "permit_record",
    "permit_rectification_close",
    "permit_renew",
    "permit_renewal_apply",
    "permit_revoke",
    "permits_mark_expired",
    "registration_cancel",
    "registration_change",
    "registration_file",
    "registration_record",
]
