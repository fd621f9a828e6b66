"""The emergency figures of the annual summary (seed 一(三)3; docs/figures.md §2 emergency.drills),
counted from the records in the user's scope and period; each with exactly its records.

Zero is a figure too: "no sudden environmental incident in 2020" is emergency.incidents = 0
with an empty record set.
"""

from __future__ import annotations

from django.db.models import F, Q, Sum

from ecogov.core.figures import Figure, Kind, Period, count_figure

from .models import ContingencyPlan, Drill, Incident, IncidentGrade


def _count(key, label, records, unit, model, definition) -> Figure:
    return count_figure(key, label, records, unit, model, definition=definition)


def emergency_figures(user, period: Period) -> list[Figure]:
    if isinstance(period, int):
        period = Period.of_year(period)
    start, end = period.start, period.end
    drills = Drill.objects.visible_to(user).filter(held_on__gte=start, held_on__lte=end)
    incidents = Incident.objects.visible_to(user).filter(
        occurred_at__date__gte=start, occurred_at__date__lte=end
    )
    plans = ContingencyPlan.objects.visible_to(user)
    filed = plans.filter(filed_on__gte=start, filed_on__lte=end)
    in_force = plans.filter(filed_on__lte=end, expires_on__gte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=end)
    )
    expiring = plans.filter(expires_on__gte=start, expires_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    participants = drills.aggregate(n=Sum("participants"))["n"] or 0
    late = incidents.filter(
        Q(initial_report_at__isnull=True, report_due_at__date__lte=end)
        | Q(initial_report_at__gt=F("report_due_at"))
    )
    found = [
        _count(
            "emergency.drills",
            "开展突发环境事件应急演练",
            drills,
            "次",
            "emergency.Drill",
            "期间举行的应急演练",
        ),
        Figure(
            "emergency.drills.participants",
            "应急演练参演人数",
            participants,
            "人",
            "emergency.Drill",
            kind=Kind.SUM,
            records=drills,
            field="participants",
            definition="期间各次应急演练参演人数之和",
        ),
        _count(
            "emergency.incidents",
            "发生突发环境事件",
            incidents,
            "起",
            "emergency.Incident",
            "期间发生的突发环境事件(为0表示未发生)",
        ),
    ]
    for grade in IncidentGrade:
        found.append(
            _count(
                f"emergency.incidents.{grade.value}",
                f"其中{grade.label}",
                incidents.filter(grade=grade),
                "起",
                "emergency.Incident",
                f"期间发生的{grade.label}突发环境事件",
            )
        )
    found += [
        _count(
            "emergency.incidents.late_reports",
            "突发环境事件未按时初报",
            late,
            "起",
            "emergency.Incident",
            "期间发生、初报晚于时限或到期末仍未初报的事件",
        ),
        _count(
            "emergency.plans_filed",
            "企业环境应急预案备案",
            filed,
            "份",
            "emergency.ContingencyPlan",
            "期间完成备案的企业突发环境事件应急预案",
        ),
        _count(
            "emergency.plans_in_force",
            "期末备案有效的企业环境应急预案",
            in_force,
            "份",
            "emergency.ContingencyPlan",
            "期末已备案、未被替代或撤销且未过回顾性评估到期日的预案",
        ),
        _count(
            "emergency.plans_expiring",
            "期间回顾性评估到期的企业环境应急预案",
            expiring,
            "份",
            "emergency.ContingencyPlan",
            "回顾性评估到期日在期间内、当时仍备案有效的预案",
        ),
    ]
    return found
