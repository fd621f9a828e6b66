"""Every state change of the legal area: the only writer (checks rules and scope, writes in
one transaction, records the typed event). `<entity>_<action>(*, actor, …)`, raising
`ValidationError` (Chinese message naming the field) or `PermissionDenied`; each returns the
record as saved (use the returned object: the service works on a freshly locked row)."""

from .cleanup import campaign_finish, campaign_select, campaign_start, item_verdict
from .disputes import (
    dispute_answer,
    dispute_decide,
    dispute_hearing,
    dispute_register,
    dispute_update,
    resolve_act,
)
from .documents import (
    document_abandon,
    document_amend,
    document_close_consultation,
    document_deliberate,
    document_draft,
    document_evaluate,
    document_expire,
    document_file,
    document_issue,
    document_publish,
    document_register,
    document_repeal,
    document_start_consultation,
    document_submit_review,
    document_update,
    document_waive_consultation,
)
from .measures import measure_abandon, measure_create, measure_issue, measure_repeal, measure_update
from .records import contract_review_record, contract_review_submit, ledger_save, milestone_record
from .reviews import issuance_blockers, review_record, review_resolve, review_submit

__all__ = [
    "campaign_finish",
    "campaign_select",
    "campaign_start",
    "contract_review_record",
    "contract_review_submit",
    "dispute_answer",
    "dispute_decide",
    "dispute_hearing",
    "dispute_register",
    "dispute_update",
    "document_abandon",
    "document_amend",
    "document_close_consultation",
    "document_deliberate",
    "document_draft",
    "document_evaluate",
    "document_expire",
    "document_file",
    "document_issue",
    "document_publish",
    "document_register",
    "document_repeal",
    "document_start_consultation",
    "document_submit_review",
    "document_update",
    "document_waive_consultation",
    "issuance_blockers",
    "item_verdict",
    "ledger_save",
    "measure_abandon",
    "measure_create",
    "measure_issue",
    "measure_repeal",
    "measure_update",
    "milestone_record",
    "resolve_act",
    "review_record",
    "review_resolve",
    "review_submit",
]
