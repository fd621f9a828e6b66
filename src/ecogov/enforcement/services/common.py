"""What every case service does: lock the row, check who acts and when, move the state,
set the next deadline, append the event. Messages are in Chinese and name what is wrong.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.events import jsonable
from ecogov.core.roles import Role, has_role
from ecogov.core.scoping import can_edit, can_view, scope_for
from ecogov.core.services import required_text  # noqa: F401  (the area's services import it here)
from ecogov.enforcement import events
from ecogov.enforcement.bulk import DIRECT, CaseWriter
from ecogov.enforcement.deadlines import refresh_step
from ecogov.enforcement.models import PenaltyCase
from ecogov.enforcement.workflow import ACTION_LABELS, target_state

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from ecogov.enforcement.models import CaseEvent, EnforcementPolicy


def lock(case: PenaltyCase, writer: CaseWriter = DIRECT) -> PenaltyCase:
    """The case row, locked until the transaction ends (concurrent steps wait); in a bulk job
    the object the previous step left (ecogov.enforcement.bulk)."""
    return writer.lock(case)


def _in_territory(user: User, case: PenaltyCase) -> bool | None:
    """The scope's territory rule without a query (the case's division is loaded); None when
    only an assignment could grant access, which needs the database."""
    scope = scope_for(user)
    if scope.everything or scope.covers_division(case.division):
        return True
    return None


def person(user: User) -> str:
    return getattr(getattr(user, "staff", None), "full_name", "") or user.get_username()


def ensure_handler(actor: User, case: PenaltyCase) -> None:
    fast = _in_territory(actor, case) and not scope_for(actor).read_only
    if not fast and not can_edit(actor, case):
        raise PermissionDenied(
            _("无权办理案件 %(case)s:超出您的数据范围或您只有查看权限。")
            % {"case": case.number or case.party_name}
        )


def ensure_role(actor: User, case: PenaltyCase, role: str, act: str) -> None:
    """Approval steps: the actor must hold `role` and see the case (territory or assignment)."""
    if not has_role(actor, role):
        raise PermissionDenied(
            _("%(act)s须由%(role)s办理,%(who)s不具有该角色。")
            % {"act": act, "role": Role(role).label, "who": person(actor)}
        )
    if not _in_territory(actor, case) and not can_view(actor, case):
        raise PermissionDenied(
            _("无权办理案件 %(case)s:该案件不在您的数据范围内,也未交办给您。")
            % {"case": case.number or case.party_name}
        )


def ensure_not_officer(user: User, case: PenaltyCase, field: str, act: str) -> None:
    if case.officers.filter(pk=user.pk).exists():
        raise ValidationError(
            {
                field: _("%(who)s是本案执法人员,不能担任%(act)s(办案与审核、主持须分离)。")
                % {"who": person(user), "act": act}
            }
        )


def require(case: PenaltyCase, action: str) -> str:
    """The state `action` leads to; raises if the case is not in a state that allows it."""
    return target_state(action, case.state)


def today() -> dt.date:
    return timezone.localdate()


def check_date(case: PenaltyCase, on: dt.date | None, *, field: str, label: str) -> dt.date:
    """An act's date: not in the future, not before the case's previous step."""
    on = on or today()
    if on > today():
        raise ValidationError(
            {
                field: _("%(label)s日期%(on)s晚于今天,不能预先登记。")
                % {"label": label, "on": on.isoformat()}
            }
        )
    if case.last_step_on and on < case.last_step_on:
        raise ValidationError(
            {
                field: _("%(label)s日期%(on)s早于本案上一步骤的日期%(prev)s。")
                % {"label": label, "on": on.isoformat(), "prev": case.last_step_on.isoformat()}
            }
        )
    return on


def side_act_date(
    value: dt.date | None, *, field: str, label: str, not_before: dt.date | None = None
) -> dt.date:
    """The date of an act beside the main line (a measure, a re-inspection, a referral): not
    in the future, not before what it follows; these acts do not move "the previous step"."""
    on = value or today()
    if on > today():
        raise ValidationError(
            {field: _("%(label)s日期%(on)s晚于今天。") % {"label": label, "on": on.isoformat()}}
        )
    if not_before is not None and on < not_before:
        raise ValidationError(
            {
                field: _("%(label)s日期%(on)s早于%(before)s。")
                % {"label": label, "on": on.isoformat(), "before": not_before.isoformat()}
            }
        )
    return on


def side_event(
    case: PenaltyCase,
    *,
    actor: User,
    type: str,
    on: dt.date,
    payload: dict,
    reason: str = "",
    writer: CaseWriter = DIRECT,
) -> None:
    events.append(
        case,
        actor=actor,
        type=type,
        on=on,
        reason=reason,
        payload=jsonable(payload),
        writer=writer,
    )


def advance(
    case: PenaltyCase,
    *,
    actor: User,
    action: str,
    event_type: str,
    on: dt.date | None,
    reason: str = "",
    payload: dict | None = None,
    policy: EnforcementPolicy | None = None,
    writer: CaseWriter = DIRECT,
) -> CaseEvent:
    """Move the case to the action's next state, set its next deadline, save, record."""
    from_state = case.state
    case.state = require(case, action)
    if on is not None:
        case.last_step_on = on
    refresh_step(case, policy or writer.policy())
    return events.transition_event(
        case,
        actor=actor,
        type=event_type,
        from_state=from_state,
        on=on,
        reason=reason,
        payload=jsonable(payload or {}),
        writer=writer,
    )


def action_label(action: str) -> str:
    return str(ACTION_LABELS[action])
