"""Sudden environmental incidents: the initial-report deadline by grade (部令第17号 art. 3–4),
late reports, closure, and zero incidents as a figure."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ecogov.core.figures import Period, by_key
from ecogov.emergency import rules, services
from ecogov.emergency.events import events_of
from ecogov.emergency.figures import emergency_figures

LEARNED = timezone.make_aware(dt.datetime(2024, 8, 1, 10, 0))


@pytest.mark.parametrize(
    "grade,as_major,hours",
    [
        ("general", False, 4),
        ("larger", False, 4),
        ("major", False, 2),
        ("especially_major", False, 2),
        ("general", True, 2),
    ],
)
def test_the_report_deadline_by_grade(grade, as_major, hours):
    assert rules.report_due(LEARNED, grade, as_major) == LEARNED + dt.timedelta(hours=hours)


def _incident(actor, **extra):
    data = {
        "title": "测试泄漏事件",
        "place": "北山县某河段",
        "occurred_at": LEARNED - dt.timedelta(hours=1),
        "learned_at": LEARNED,
        "grade": "larger",
    }
    data.update(extra)
    return services.incident_record(actor=actor, data=data)


def test_a_report_after_the_deadline_is_late_and_counted(world):
    actor = world.user("beishan_staff")
    incident = _incident(actor)
    assert incident.report_due_at == LEARNED + dt.timedelta(hours=4)
    assert incident.state == "responding"
    figures = by_key(emergency_figures(actor, Period.of_year(2024)))
    assert figures["emergency.incidents"].value == 1
    assert figures["emergency.incidents.larger"].value == 1
    assert figures["emergency.incidents.late_reports"].value == 1  # not reported by year end
    services.incident_update(
        actor=actor,
        incident=incident,
        data={
            "initial_report_at": LEARNED + dt.timedelta(hours=3, minutes=59),
            "reported_to": "北山县人民政府、示例市生态环境局",
        },
    )
    incident.refresh_from_db()
    assert not incident.reported_late
    assert (
        by_key(emergency_figures(actor, Period.of_year(2024)))[
            "emergency.incidents.late_reports"
        ].value
        == 0
    )
    # graded major after all: two hours, so the same report is late
    services.incident_update(actor=actor, incident=incident, data={"grade": "major"})
    incident.refresh_from_db()
    assert incident.report_due_at == LEARNED + dt.timedelta(hours=2) and incident.reported_late
    late = by_key(emergency_figures(actor, Period.of_year(2024)))[
        "emergency.incidents.late_reports"
    ]
    assert list(late.records) == [incident]
    assert list(events_of(incident).values_list("type", flat=True)) == [
        "recorded",
        "reported",
        "changed",
    ]


def test_closing_needs_the_report_and_the_result(world):
    actor = world.user("beishan_staff")
    incident = _incident(actor)
    with pytest.raises(ValidationError) as refused:
        services.incident_update(
            actor=actor, incident=incident, data={"closed_on": dt.date(2024, 8, 3)}
        )
    assert {"initial_report_at", "closure_summary"} <= set(refused.value.message_dict)
    services.incident_update(
        actor=actor,
        incident=incident,
        data={
            "initial_report_at": LEARNED + dt.timedelta(hours=1),
            "reported_to": "县政府",
            "closed_on": dt.date(2024, 8, 3),
            "closure_summary": "处置完毕",
        },
    )
    incident.refresh_from_db()
    assert incident.state == "closed"
    assert events_of(incident).filter(type="closed").exists()


def test_times_must_be_in_order(world):
    with pytest.raises(ValidationError) as refused:
        _incident(
            world.user("beishan_staff"),
            learned_at=LEARNED - dt.timedelta(hours=2),
            initial_report_at=LEARNED - dt.timedelta(hours=3),
            reported_to="x",
        )
    assert "发现或得知时间不能早于发生时间" in str(refused.value)
    assert "初报时间不能早于发现或得知时间" in str(refused.value)


def test_zero_incidents_is_a_figure_with_no_records(world):
    figures = by_key(emergency_figures(world.user("leader"), Period.of_year(2020)))
    zero = figures["emergency.incidents"]
    assert zero.value == 0 and zero.records.count() == 0 and zero.unit == "起"


def test_unreported_incidents_are_on_the_dashboard(world, login):
    _incident(world.user("beishan_staff"), title="未初报的事件")
    html = login("beishan_staff").get("/admin/").content.decode()
    assert "突发环境事件“未初报的事件”初报" in html
