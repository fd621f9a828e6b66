"""Reads of the outreach app through the user's scope: dashboard counters, who has not sat."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from ecogov.core.areas import Counter

from .models import (
    SOCIAL_CHANNELS,
    Activity,
    DutyList,
    DutyListState,
    LawExam,
    PublicityCount,
    Training,
)


def duty_lists_in_force(user):
    return DutyList.objects.visible_to(user).filter(state=DutyListState.IN_FORCE)


def not_sat(exam: LawExam):
    """Who on the exam's roster has no score (未参考), with the reason recorded."""
    return exam.results.filter(score__isnull=True).select_related("staff", "staff__organisation")


def counters(user, year: int) -> list[Counter]:
    """The chosen year's activities (dashboard year picker) and the duty lists in force."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    social = (
        PublicityCount.objects.visible_to(user)
        .filter(month__gte=start, month__lte=end, channel__in=SOCIAL_CHANNELS)
        .aggregate(n=Sum("count"))["n"]
        or 0
    )
    return [
        Counter(
            _("%d年宣传活动") % year,
            Activity.objects.visible_to(user).filter(held_on__range=(start, end)).count(),
            reverse("admin:outreach_activity_changelist"),
        ),
        Counter(
            _("%d年普法培训") % year,
            Training.objects.visible_to(user).filter(held_on__range=(start, end)).count(),
            reverse("admin:outreach_training_changelist"),
        ),
        Counter(
            _("%d年双微推送") % year, social, reverse("admin:outreach_publicitycount_changelist")
        ),
        Counter(
            _("现行普法责任清单"),
            duty_lists_in_force(user).count(),
            reverse("admin:outreach_dutylist_changelist"),
        ),
    ]
