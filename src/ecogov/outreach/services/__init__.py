"""Every state change of the outreach app (the only writer). Import from here."""

from .activities import (
    ACTIVITY_FIELDS,
    ATTENDEE_FIELDS,
    MATERIAL_FIELDS,
    TRAINING_FIELDS,
    activity_record,
    activity_update,
    training_record,
    training_update,
)
from .duties import (
    DUTY_LIST_CHANGE_FIELDS,
    DUTY_LIST_FIELDS,
    ITEM_FIELDS,
    duty_list_issue,
    duty_list_update,
)
from .honours import (
    CREATION_FIELDS,
    HONOUR_FIELDS,
    creation_record,
    creation_update,
    honour_record,
    honour_update,
)
from .publicity import (
    COUNT_FIELDS,
    publicity_count_check,
    publicity_count_import,
    publicity_count_set,
    publicity_count_update,
    publicity_item_publish,
    publicity_item_update,
)
from .staff import (
    EXAM_FIELDS,
    STUDY_FIELDS,
    bureau_staff,
    exam_score_record,
    law_exam_create,
    law_exam_update,
    study_record,
    study_update,
)

__all__ = [
    "ACTIVITY_FIELDS", "ATTENDEE_FIELDS", "COUNT_FIELDS", "CREATION_FIELDS",
    "DUTY_LIST_CHANGE_FIELDS", "DUTY_LIST_FIELDS", "EXAM_FIELDS", "HONOUR_FIELDS", "ITEM_FIELDS",
    "MATERIAL_FIELDS", "STUDY_FIELDS", "TRAINING_FIELDS", "activity_record", "activity_update",
    "bureau_staff", "creation_record", "creation_update", "duty_list_issue", "duty_list_update",
    "exam_score_record", "honour_record", "honour_update", "law_exam_create", "law_exam_update",
    "publicity_count_check", "publicity_count_import", "publicity_count_set",
    "publicity_count_update", "publicity_item_publish", "publicity_item_update", "study_record",
    "study_update", "training_record", "training_update",
]
