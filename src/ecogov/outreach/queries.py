"""Reads of the outreach app through the user's scope: dashboard counters, exam coverage."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.areas import Counter

from .models import (
    SOCIAL_CHANNELS, Activity, DutyList, DutyListState, ExamResult, LawExam, PublicityCount,
    Training,
)


def duty_lists_in_force(user):
    return DutyList.objects.visible_to(user).filter(state=DutyListState.IN_FORCE)


def not_sat(exam: LawExam):
    """Who on the exam's roster has no score (未参考), with the reason recorded."""
    return exam.results.filter(score__isnull=True).select_related("staff", "staff__organisation")


def exam_summary(user, year: int) -> list[dict]:
    """Each exam of the year: roster, sat, passed, coverage and pass rate (for the exam page)."""
    found = []
    for exam in LawExam.objects.visible_to(user).filter(held_on__year=year):
        results = ExamResult.objects.filter(exam=exam)
        roster, sat = results.count(), results.filter(score__isnull=False).count()
        passed = results.filter(passed=True).count()
        found.append({"exam": exam, "roster": roster, "sat": sat, "passed": passed,
                      "coverage": round(100 * sat / roster, 1) if roster else None,
                      "pass_rate": round(100 * passed / sat, 1) if sat else None})
    return found


def counters(user) -> list[Counter]:
    year = timezone.localdate().year
    start = dt.date(year, 1, 1)
    social = PublicityCount.objects.visible_to(user).filter(
        month__gte=start, channel__in=SOCIAL_CHANNELS).aggregate(n=Sum("count"))["n"] or 0
    return [
        Counter(_("本年宣传活动"), Activity.objects.visible_to(user).filter(
            held_on__gte=start).count(), reverse("admin:outreach_activity_changelist")),
        Counter(_("本年普法培训"), Training.objects.visible_to(user).filter(
            held_on__gte=start).count(), reverse("admin:outreach_training_changelist")),
        Counter(_("本年双微推送"), social, reverse("admin:outreach_publicitycount_changelist")),
        Counter(_("现行普法责任清单"), duty_lists_in_force(user).count(),
                reverse("admin:outreach_dutylist_changelist")),
    ]
