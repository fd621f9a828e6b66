"""Every state change of a penalty case: the only writer (checks rules and scope, writes in
one transaction, appends the typed event to the case's hash chain).

Conventions as in ecogov.core.services: `case_<verb>(*, actor, case, …)`, raising
`ValidationError` (Chinese message naming the field) or `PermissionDenied`; each returns the
case as saved (use the returned object: the service works on a freshly locked row).

Opening a case from an inspection in one step (the inspections area calls this):

    case_open(actor=inspector, entity=entity, division=entity.division,
              source=CaseSource.RANDOM_INSPECTION, inspection_ref=inspection.number,
              facts="…", found_on=inspection.date, officers=inspection.inspectors)
"""

from .changes import case_change_decision, withdrawal_notice
from .compulsory import (
    case_apply_court,
    case_plan_payment,
    case_record_outcome,
    case_record_ruling,
    case_serve_demand,
    surcharge_on,
)
from .daily_penalty import case_order_correction, case_refer, case_reinspect
from .decision import (
    case_decide,
    case_decide_no_penalty,
    case_discuss,
    case_extend_decision,
    case_extend_review,
    case_legal_review,
    case_submit_review,
)
from .execution import (
    amount_due,
    case_close,
    case_disclose,
    case_execute,
    case_record_payment,
    case_serve,
    disclosure_text,
)
from .measures import (
    case_approve_measure,
    case_extend_measure,
    case_record_testing,
    case_release_measure,
    case_take_measure,
)
from .notice import (
    case_hold_hearing,
    case_notify,
    case_record_statement,
    case_record_waiver,
    case_request_hearing,
    case_schedule_hearing,
)
from .opening import (
    AMENDABLE_FIELDS,
    EDITABLE_FIELDS,
    case_amend,
    case_attach,
    case_investigate,
    case_not_open,
    case_open,
    case_open_for_finding,
    case_open_lead,
    case_register_lead,
    case_set_officers,
    case_transfer,
    case_update,
    case_withdraw,
)
from .provisional import provisional_deadlines_recompute

__all__ = [
    "AMENDABLE_FIELDS",
    "EDITABLE_FIELDS",
    "amount_due",
    "case_approve_measure",
    "case_amend",
    "case_apply_court",
    "case_attach",
    "case_change_decision",
    "case_close",
    "case_decide",
    "case_decide_no_penalty",
    "case_disclose",
    "case_discuss",
    "case_execute",
    "case_extend_decision",
    "case_extend_measure",
    "case_extend_review",
    "case_hold_hearing",
    "case_investigate",
    "case_legal_review",
    "case_not_open",
    "case_notify",
    "case_open",
    "case_open_for_finding",
    "case_open_lead",
    "case_order_correction",
    "case_plan_payment",
    "case_record_outcome",
    "case_record_payment",
    "case_record_ruling",
    "case_record_statement",
    "case_record_testing",
    "case_record_waiver",
    "case_refer",
    "case_register_lead",
    "case_reinspect",
    "case_release_measure",
    "case_request_hearing",
    "case_schedule_hearing",
    "case_serve",
    "case_serve_demand",
    "case_set_officers",
    "case_submit_review",
    "case_take_measure",
    "case_transfer",
    "case_update",
    "case_withdraw",
    "disclosure_text",
    "provisional_deadlines_recompute",
    "surcharge_on",
    "withdrawal_notice",
]
