"""The daily reminder (`ecogov remind`): one e-mail per unit listing its overdue and due-soon
matters, through Django's mail backend; each unit at most once a day (logged)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from ecogov.core.roles import ADMIN_ROLES
from ecogov.matters import queries
from ecogov.matters.models import Matter, ReminderLog

if TYPE_CHECKING:
    from ecogov.core.models import Organisation


@dataclass(frozen=True)
class ReminderResult:
    organisation: str
    overdue: int
    due_soon: int
    recipients: tuple[str, ...]
    status: str  # sent | no_recipient | already_sent | dry_run


def _recipients(organisation: Organisation) -> list[str]:
    users = (
        User.objects.filter(is_active=True, staff__organisation=organisation)
        .exclude(email="")
        .exclude(groups__name__in=list(ADMIN_ROLES))
        .order_by("username")
    )
    return sorted({u.email for u in users})


def _line(matter: Matter, today: dt.date) -> str:
    # queries.due_by_unit lists only matters whose due date falls on or before the horizon
    assert matter.due_on is not None
    days = (matter.due_on - today).days
    when = f"已逾期{-days}天" if days < 0 else ("今天到期" if days == 0 else f"{days}天后到期")
    mark = "(暂定时限)" if matter.due_provisional else ""
    return (
        f"  {matter.reference} {matter.title[:40]} — 时限 {matter.due_on}{mark},{when},"
        f"状态:{matter.get_state_display()}"
    )


def compose(entry: queries.UnitDue, today: dt.date) -> tuple[str, str]:
    subject = (
        f"【交办事项催办】{entry.organisation.name}:逾期 {len(entry.overdue)} 件,"
        f"即将到期 {len(entry.due_soon)} 件"
    )
    lines = [f"{entry.organisation.name}:", "", f"截至 {today},贵单位承办(含会办)的交办事项中:"]
    if entry.overdue:
        lines += ["", f"已逾期({len(entry.overdue)}件):"]
        lines += [_line(m, today) for m in entry.overdue]
    if entry.due_soon:
        lines += ["", f"即将到期({len(entry.due_soon)}件):"]
        lines += [_line(m, today) for m in entry.due_soon]
    lines += ["", "请抓紧办理,并在系统中报送进展。", "", f"{settings.ECOGOV_BUREAU_NAME}"]
    return subject, "\n".join(lines)


@dataclass(frozen=True)
class ReminderRun:
    provisional: dict  # area -> the provisional deadlines computed again
    results: list[ReminderResult]

    @property
    def recomputed(self) -> int:
        return sum(len(items) for items in self.provisional.values())


def reminders_run(
    *, today: dt.date, within_workdays: int = 5, dry_run: bool = False, force: bool = False
) -> ReminderRun:
    """The daily run (`ecogov remind`, and the schedule's reminder job): the provisional
    deadlines computed again on today's calendar (a year's holidays may have arrived), then
    the reminders sent."""
    from ecogov.core.calendar_entry import recompute_provisional_deadlines

    provisional = recompute_provisional_deadlines()
    results = reminders_send(
        today=today, within_workdays=within_workdays, dry_run=dry_run, force=force
    )
    return ReminderRun(provisional, results)


@transaction.atomic
def reminders_send(
    *, today: dt.date, within_workdays: int = 5, dry_run: bool = False, force: bool = False
) -> list[ReminderResult]:
    """Send each unit with overdue or soon-due matters its list (a system task: no actor)."""
    horizon = queries.due_soon_horizon(today, within_workdays)
    sent_today = set(
        ReminderLog.objects.filter(sent_on=today).values_list("organisation_id", flat=True)
    )
    results, messages, logs = [], [], []
    for entry in queries.due_by_unit(today, horizon):
        organisation = entry.organisation
        recipients = _recipients(organisation)
        counts = (organisation.name, len(entry.overdue), len(entry.due_soon), tuple(recipients))
        if not recipients:
            results.append(ReminderResult(*counts, "no_recipient"))
            continue
        if organisation.pk in sent_today and not force:
            results.append(ReminderResult(*counts, "already_sent"))
            continue
        if dry_run:
            results.append(ReminderResult(*counts, "dry_run"))
            continue
        subject, body = compose(entry, today)
        messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
        logs.append((organisation, recipients, entry))
        results.append(ReminderResult(*counts, "sent"))
    if messages:
        get_connection().send_messages(messages)
        for organisation, recipients, entry in logs:
            ReminderLog.objects.update_or_create(
                sent_on=today,
                organisation=organisation,
                defaults={
                    "recipients": ", ".join(recipients),
                    "due_soon": len(entry.due_soon),
                    "overdue": len(entry.overdue),
                },
            )
    return results
