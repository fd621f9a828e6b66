"""Acts entered long after their date (补录) need a reason, which their events keep.

A person enters a step with the date on its paper (文书落款), often a few days back; the event
keeps both that date (occurred_at) and the real time of entry. Beyond ECOGOV_LATE_ENTRY_DAYS
(30 calendar days by default; 0 turns the rule off) the step is refused until the person gives
a reason (the form's “补录理由”), and every event the step appends keeps it in its payload
(`late_entry_reason`). docs/security.md, "Backdated acts".

The rule holds for a person's step at a door: the doors that take a step's date (penalty cases,
assigned matters and the legal area, in the back office and the API) run the step inside
`step_entered_by(form)`. The demo, an import of past years' ledgers and the command line record
history on purpose and are not asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REASON_FIELD = "late_entry_reason"
T = TypeVar("T")

# None: not a person's step (no check); "" or the reason: a person's step at a door
_given: ContextVar[str | None] = ContextVar("ecogov_late_entry_reason", default=None)


def window_days() -> int:
    return int(getattr(settings, "ECOGOV_LATE_ENTRY_DAYS", 30))


def reason_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("补录理由"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("办理日期早于今天 %(days)d 天以上时必填(补录),记入办理记录。")
        % {"days": window_days()},
    )


def add_reason_field(form: forms.BaseForm) -> forms.BaseForm:
    """Give a step's form (bound or not) the reason field, last, if the step takes a date."""
    dated = any(isinstance(field, forms.DateField) for field in form.fields.values())
    if dated and window_days() > 0 and REASON_FIELD not in form.fields:
        form.fields[REASON_FIELD] = reason_field()
    return form


@contextmanager
def entered_by_person(reason: str = ""):
    token = _given.set((reason or "").strip())
    try:
        yield
    finally:
        _given.reset(token)


def step_entered_by(form: forms.BaseForm, call: Callable[[], T]) -> T:
    """Run a person's step whose form is valid: its reason goes to the step's events, not to the
    service (the field is taken out of cleaned_data)."""
    reason = form.cleaned_data.pop(REASON_FIELD, "") or ""
    with entered_by_person(reason):
        return call()


def late_entry(on: dt.date | dt.datetime | None) -> dict:
    """What an event dated `on` keeps of the late-entry rule: {} or {"late_entry_reason": …}.

    Raises ValidationError on the reason field when a person enters an act older than the
    window without one."""
    given = _given.get()
    days = window_days()
    if given is None or on is None or days <= 0:
        return {}
    if isinstance(on, dt.datetime):
        on = timezone.localdate(on)
    late = (timezone.localdate() - on).days
    if late <= days:
        return {}
    if not given:
        raise ValidationError(
            {
                REASON_FIELD: _(
                    "办理日期 %(on)s 早于今天 %(late)d 天,超过 %(days)d 天的补录期限:"
                    "请填写补录理由。"
                )
                % {"on": on.isoformat(), "late": late, "days": days}
            }
        )
    return {REASON_FIELD: given}
