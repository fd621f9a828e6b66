"""Progress calls (调度): who has not filed, the Excel summary; assessment (考核) scores."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ecogov.matters import assessment, ledger, queries, services
from ecogov.matters.models import ProgressCall

D = dt.date


@pytest.fixture
def call_world(world, tour, make_matter):
    housing = world.organisation("市住房和城乡建设局")
    water = world.organisation("市水利局")
    a = make_matter(tour, "feedback", "P-01", county="示例市", lead=housing)
    b = make_matter(tour, "feedback", "P-02", county="示例市", lead=water, co=[housing])
    return housing, water, a, b


def test_call_shows_which_units_have_not_filed(world, tour, leader, call_world):
    housing, water, a, b = call_world
    due = timezone.localdate() + dt.timedelta(days=7)
    call = services.progress_call_open(actor=leader, title="第一次调度", due_on=due, source=tour)
    assert call.items.count() == 3  # housing on a and b, water on b
    status = {s.organisation.name: s for s in queries.call_status(call)}
    assert {n: (s.expected, s.filed) for n, s in status.items()} == {
        "市住房和城乡建设局": (2, 0),
        "市水利局": (1, 0),
    }
    reporter = world.user("housing_reporter")
    services.matter_report_progress(actor=reporter, matter=a, text="已完成设计", call=call)
    status = {s.organisation.name: s for s in queries.call_status(call)}
    assert (status["市住房和城乡建设局"].filed, status["市住房和城乡建设局"].missing) == (
        1,
        ["P-02"],
    )
    assert status["市水利局"].missing == ["P-02"]
    # units that filed nothing are listed first
    assert queries.call_status(call)[0].organisation == water


def test_call_summary_exports_to_excel(world, tour, leader, call_world):
    housing, water, a, b = call_world
    call = services.progress_call_open(
        actor=leader, title="月度调度", due_on=timezone.localdate(), source=tour
    )
    services.matter_report_progress(
        actor=leader, matter=b, organisation=water, text="已开工", percent=30, call=call
    )
    book = openpyxl.load_workbook(io.BytesIO(ledger.export_call_summary(actor=leader, call=call)))
    units = list(book["报送情况"].iter_rows(min_row=3, values_only=True))
    assert ("市水利局", 1, 1, 0, "是", None) in units  # an empty cell
    assert ("市住房和城乡建设局", 2, 0, 2, "否", "P-01、P-02") in units
    reports = list(book["进展明细"].iter_rows(min_row=2, values_only=True))
    assert reports[0][:5] == ("P-02", b.title, "市水利局", "已开工", 30)


def test_closed_call_and_past_due_date_are_refused(world, tour, leader, call_world):
    housing, water, a, b = call_world
    with pytest.raises(ValidationError) as info:
        services.progress_call_open(actor=leader, title="过期", due_on=D(2020, 1, 1), source=tour)
    assert "已过" in info.value.message_dict["due_on"][0]
    call = services.progress_call_open(
        actor=leader, title="调度", due_on=timezone.localdate(), source=tour
    )
    services.progress_call_close(actor=leader, call=call)
    with pytest.raises(ValidationError, match="已结束"):
        services.matter_report_progress(
            actor=world.user("housing_reporter"), matter=a, text="迟报", call=call
        )
    with pytest.raises(ValidationError, match="没有未办结的事项"):
        services.progress_call_open(
            actor=leader,
            title="空",
            due_on=timezone.localdate(),
            kind="proposal",
            division=world.division("北山县"),
        )
    assert ProgressCall.objects.filter(title="空").count() == 0


def test_scores_follow_the_configurable_rules(world, campaign, make_matter, leader):
    beishan, nanhu = world.organisation("北山县人民政府"), world.organisation("南湖县人民政府")
    for n, (lead, done) in enumerate(
        [(beishan, D(2026, 5, 1)), (beishan, D(2026, 7, 9)), (nanhu, None), (nanhu, D(2026, 5, 2))]
    ):
        task = make_matter(
            campaign,
            "蓝天保卫战",
            f"K-{n}",
            lead=lead,
            county="北山县" if lead == beishan else "南湖县",
            due_on=D(2026, 6, 30),
        )
        if done:
            services.matter_transition(
                actor=leader, matter=task, action="complete", result="完成", on=done
            )
    services.assessment_scheme_set(
        actor=leader,
        source=campaign,
        data={
            "base": Decimal("100"),
            "on_time_points": Decimal("2"),
            "late_points": Decimal("1"),
            "overdue_penalty": Decimal("5"),
        },
    )
    scores = {
        s.organisation.name: s
        for s in assessment.unit_scores(leader, campaign, as_of=D(2026, 8, 1))
    }
    assert (scores["北山县人民政府"].on_time, scores["北山县人民政府"].late) == (1, 1)
    assert scores["北山县人民政府"].score == Decimal("101")  # 100 + 2 − 1
    assert (scores["南湖县人民政府"].overdue, scores["南湖县人民政府"].score) == (1, Decimal("97"))
    early = {
        s.organisation.name: s
        for s in assessment.unit_scores(leader, campaign, as_of=D(2026, 6, 1))
    }
    assert (early["南湖县人民政府"].overdue, early["南湖县人民政府"].pending) == (0, 1)


def test_a_missed_report_costs_points(world, campaign, make_matter, leader):
    task = make_matter(campaign, "碧水保卫战", "K-9", due_on=D(2027, 6, 30))
    call = services.progress_call_open(
        actor=leader, title="任务调度", due_on=timezone.localdate(), source=campaign
    )
    services.progress_call_close(actor=leader, call=call)
    score = {s.organisation.name: s for s in assessment.unit_scores(leader, campaign)}
    assert score["北山县人民政府"].missed_reports == 1
    assert score["北山县人民政府"].score == Decimal("99.5")  # the default penalty is 0.5
    with pytest.raises(ValidationError, match="最低分不能高于基础分"):
        services.assessment_scheme_set(
            actor=leader, source=campaign, data={"floor": Decimal("120")}
        )
    assert task.pk


def test_demo_campaign_scores_every_unit(world, leader):
    from ecogov.matters.models import Source

    scores = assessment.unit_scores(
        leader, Source.objects.get(code="summer"), as_of=D(2020, 12, 31)
    )
    assert len(scores) == 36
    assert sum(s.late for s in scores) >= 2 and all(s.overdue == 0 for s in scores)
