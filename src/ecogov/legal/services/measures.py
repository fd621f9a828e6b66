"""Policy measures (政策措施): registered, reviewed (fair competition where they touch market
activity), issued only when no review blocks them, repealed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.legal import events
from ecogov.legal.models import LegalEvent, MeasureState, PolicyMeasure

from .common import check_date, ensure_can_create, ensure_editor, lock, required_text
from .reviews import issuance_blockers, withdraw_pending_reviews

if TYPE_CHECKING:
    from django.contrib.auth.models import User

FIELDS = ["title", "reference", "kind", "drafting_unit", "division", "affects_market", "drafted_on"]


@transaction.atomic
def measure_create(*, actor: User, data: dict, themes: Iterable = ()) -> PolicyMeasure:
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown measure fields: {sorted(unknown)}")
    measure = PolicyMeasure(**data)
    if measure.division_id is None:
        profile = getattr(actor, "staff", None)
        measure.division = profile.division if profile is not None else None
    ensure_can_create(actor, measure.division)
    measure.drafted_on = check_date(measure.drafted_on, field="drafted_on", label=_("起草"))
    measure.full_clean(exclude=["themes"])
    measure.save()
    measure.themes.set(list(themes))
    events.record_created_event(record=measure, actor=actor, on=measure.drafted_on)
    return measure


@transaction.atomic
def measure_update(
    *, actor: User, measure: PolicyMeasure, data: dict, themes: Iterable | None = None
) -> PolicyMeasure:
    measure = lock(PolicyMeasure, measure.pk)
    ensure_editor(actor, measure)
    if measure.state != MeasureState.DRAFTING:
        editable = {"title", "reference", "kind"}
        locked = set(data) - editable
        changed_locked = [k for k in locked if getattr(measure, k) != data[k]]
        if changed_locked:
            raise ValidationError(
                {
                    name: _("政策措施已%s,只能修改名称、文号和类型。") % measure.get_state_display()
                    for name in changed_locked
                }
            )
    changed = [k for k, v in data.items() if k in FIELDS and getattr(measure, k) != v]
    for name in changed:
        setattr(measure, name, data[name])
    if "division" in changed:
        ensure_can_create(actor, measure.division)
    if themes is not None and set(themes) != set(measure.themes.all()):
        measure.themes.set(list(themes))
        changed.append("themes")
    if changed:
        measure.full_clean(exclude=["themes"])
        measure.save()
        events.record_updated_event(record=measure, actor=actor, changed=changed)
    return measure


def _step(
    measure: PolicyMeasure,
    *,
    actor: User,
    to: str,
    on: dt.date,
    reason: str = "",
    payload: dict | None = None,
) -> PolicyMeasure:
    from_state = measure.state
    measure.state = to
    measure.full_clean(exclude=["themes"])
    measure.save()
    events.record_event(
        measure,
        actor=actor,
        type=LegalEvent.Type.UPDATED,
        on=on,
        from_state=from_state,
        to_state=to,
        reason=reason,
        payload=payload,
    )
    return measure


@transaction.atomic
def measure_issue(
    *, actor: User, measure: PolicyMeasure, issued_on: dt.date | None = None, reference: str = ""
) -> PolicyMeasure:
    """出台: refused while a review is running, a required review is missing, or the latest
    review concluded “不得出台”."""
    measure = lock(PolicyMeasure, measure.pk)
    ensure_editor(actor, measure)
    blockers = issuance_blockers(measure)
    if blockers:
        raise ValidationError({"issued_on": _("不能出台:%s。") % ";".join(blockers)})
    if measure.state != MeasureState.DRAFTING:
        raise ValidationError(
            {"issued_on": _("政策措施已%s,不能再出台。") % measure.get_state_display()}
        )
    measure.issued_on = check_date(
        issued_on,
        field="issued_on",
        label=_("出台"),
        after=measure.drafted_on,
        after_label=_("起草"),
    )
    if reference:
        measure.reference = reference
    return _step(measure, actor=actor, to=MeasureState.ISSUED, on=measure.issued_on)


@transaction.atomic
def measure_repeal(
    *, actor: User, measure: PolicyMeasure, reason: str, on: dt.date | None = None
) -> PolicyMeasure:
    measure = lock(PolicyMeasure, measure.pk)
    ensure_editor(actor, measure)
    if measure.state != MeasureState.ISSUED:
        raise ValidationError({"on": _("只有已出台的政策措施才能废止。")})
    measure.ending_reason = required_text(reason, "reason", _("须写明废止理由。"))
    measure.ended_on = check_date(
        on, field="on", label=_("废止"), after=measure.issued_on, after_label=_("出台")
    )
    return _step(
        measure,
        actor=actor,
        to=MeasureState.REPEALED,
        on=measure.ended_on,
        reason=measure.ending_reason,
    )


@transaction.atomic
def measure_abandon(
    *, actor: User, measure: PolicyMeasure, reason: str, on: dt.date | None = None
) -> PolicyMeasure:
    """不予出台 (e.g. after a fair-competition review concluded “不得出台”)."""
    measure = lock(PolicyMeasure, measure.pk)
    ensure_editor(actor, measure)
    if measure.state != MeasureState.DRAFTING:
        raise ValidationError({"reason": _("只有拟出台的政策措施才能决定不予出台。")})
    measure.ending_reason = required_text(reason, "reason", _("须写明不予出台的理由。"))
    on = check_date(
        on, field="on", label=_("不予出台"), after=measure.drafted_on, after_label=_("起草")
    )
    withdraw_pending_reviews(measure, actor=actor, reason=measure.ending_reason)
    return _step(
        measure, actor=actor, to=MeasureState.ABANDONED, on=on, reason=measure.ending_reason
    )
