"""The legal area's ledgers without a state machine (bills, counsel contracts and opinions,
the leading group, its members and meetings, duties, study sessions): one save path that
checks scope and the record's own rules and records the event; plus the steps those ledgers
do have (a bill's milestones, a contract's review)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from ecogov.core.roles import Role
from ecogov.legal import events
from ecogov.legal.deadlines import contract_review_deadline
from ecogov.legal.events import division_of
from ecogov.legal.models import (
    MILESTONE_ORDER,
    Bill,
    BillMilestone,
    ContractReview,
    GroupMember,
    LegalPolicy,
    MilestoneKind,
)
from ecogov.legal.models.legislation import REPEATABLE

from .common import (
    check_date,
    ensure_can_create,
    ensure_editor,
    ensure_role,
    lock,
    required_text,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_M = TypeVar("_M", bound=Model)

# Fields that do not change once saved: a change of the group is a new row (with the old
# one's 免职日期), so the group's make-up on any past day can still be read.
FROZEN: dict[type[Model], list[str]] = {
    GroupMember: ["group", "name", "position", "role", "joined_on"]
}
# Act dates that may not lie in the future (a plan may; a record of what happened may not).
ACT_DATES = {
    "held_on": _("日期"),
    "given_on": _("出具日期"),
    "signed_on": _("签订日期"),
    "done_on": _("完成日期"),
    "established_on": _("成立日期"),
}


@transaction.atomic
def ledger_save(*, actor: User, instance: _M, reason: str = "") -> _M:
    """Create or update one ledger row (the admin's and API's one write path for these)."""
    model = type(instance)
    for field, label in ACT_DATES.items():
        value = getattr(instance, field, None)
        if isinstance(value, dt.date):
            check_date(value, field=field, label=label)
    if instance.pk is None:
        ensure_can_create(actor, division_of(instance))
        instance.full_clean()
        instance.save()
        events.record_created_event(record=instance, actor=actor)
        return instance
    current = lock(model, instance.pk)
    ensure_editor(actor, current)
    if division_of(instance) != division_of(current):
        ensure_can_create(actor, division_of(instance))
    changed = [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and getattr(current, f.attname) != getattr(instance, f.attname)
    ]
    frozen = [name for name in FROZEN.get(model, []) if name in changed]
    if frozen:
        raise ValidationError(
            {
                name: _("已登记的成员信息不能修改;成员变动请填写免职日期,并另行登记新成员。")
                for name in frozen
            }
        )
    if changed:
        instance.full_clean()
        instance.save()
        events.record_updated_event(record=instance, actor=actor, changed=changed, reason=reason)
    return instance


# --- legislation --------------------------------------------------------------------------------
@transaction.atomic
def milestone_record(
    *, actor: User, bill: Bill, kind: str, on: dt.date, body: str = "", note: str = ""
) -> BillMilestone:
    """A bill's milestone. The milestones keep their legal order: a reading is not dated
    before the submission, the approval not before the passage; each happens once (hearings
    may be several)."""
    from ecogov.legal.models import Bill

    bill = lock(Bill, bill.pk)
    ensure_editor(actor, bill)
    if kind not in MilestoneKind.values:
        raise ValidationError({"kind": _("未知的立法环节。")})
    if on is None:
        raise ValidationError({"on": _("请填写日期。")})
    check_date(on, field="on", label=MilestoneKind(kind).label)
    order = MILESTONE_ORDER[kind]
    for other in bill.milestones.all():
        if other.kind == kind and kind not in REPEATABLE:
            raise ValidationError(
                {
                    "kind": _("“%(kind)s”已于%(on)s记录,不能重复记录。")
                    % {"kind": MilestoneKind(kind).label, "on": other.on.isoformat()}
                }
            )
        other_order = MILESTONE_ORDER[other.kind]
        if other_order < order and on < other.on:
            raise ValidationError(
                {
                    "on": _("“%(kind)s”的日期%(on)s不能早于“%(other)s”的日期%(other_on)s。")
                    % {
                        "kind": MilestoneKind(kind).label,
                        "on": on.isoformat(),
                        "other": other.get_kind_display(),
                        "other_on": other.on.isoformat(),
                    }
                }
            )
        if other_order > order and on > other.on:
            raise ValidationError(
                {
                    "on": _("“%(kind)s”的日期%(on)s不能晚于“%(other)s”的日期%(other_on)s。")
                    % {
                        "kind": MilestoneKind(kind).label,
                        "on": on.isoformat(),
                        "other": other.get_kind_display(),
                        "other_on": other.on.isoformat(),
                    }
                }
            )
    if (
        kind == MilestoneKind.APPROVED
        and not bill.milestones.filter(kind=MilestoneKind.PASSED).exists()
    ):
        raise ValidationError({"kind": _("尚未记录人大常委会表决通过,不能记录省人大常委会批准。")})
    milestone = BillMilestone(bill=bill, kind=kind, on=on, body=body, note=note)
    milestone.full_clean()
    milestone.save()
    events.milestone_recorded_event(milestone=milestone, actor=actor)
    return milestone


# --- contracts sent for the legal section's review ------------------------------------------------
@transaction.atomic
def contract_review_submit(*, actor: User, data: dict) -> ContractReview:
    review = ContractReview(**data)
    if review.division_id is None:
        profile = getattr(actor, "staff", None)
        review.division = profile.division if profile is not None else None
    ensure_can_create(actor, review.division)
    review.submitted_on = check_date(review.submitted_on, field="submitted_on", label=_("送审"))
    due = contract_review_deadline(review.submitted_on, LegalPolicy.current())
    review.due_on, review.due_provisional = due.due, due.provisional
    review.reviewed_on = review.passed = None
    review.full_clean()
    review.save()
    events.record_created_event(record=review, actor=actor, on=review.submitted_on)
    return review


@transaction.atomic
def contract_review_record(
    *,
    actor: User,
    review: ContractReview,
    passed: bool,
    opinion: str,
    reviewed_on: dt.date | None = None,
) -> ContractReview:
    """合同合法性审查 by the legal section."""
    ensure_role(actor, Role.LEGAL_REVIEWER, _("合同合法性审查"))
    review = lock(ContractReview, review.pk)
    ensure_editor(actor, review)
    if review.reviewed_on is not None:
        raise ValidationError(
            {"passed": _("该合同已于%s审查完毕。") % review.reviewed_on.isoformat()}
        )
    opinion = required_text(opinion, "opinion", _("请填写审查意见。"))
    on = check_date(
        reviewed_on,
        field="reviewed_on",
        label=_("审查"),
        after=review.submitted_on,
        after_label=_("送审"),
    )
    review.passed, review.opinion, review.reviewed_on, review.reviewer = passed, opinion, on, actor
    review.save()
    events.record_event(
        review,
        actor=actor,
        type="review_recorded",
        on=on,
        reason=opinion,
        payload={"passed": passed},
    )
    return review
