"""Staff law exams (学法考法): the roster, who has not sat, coverage and pass rate per year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ecogov.core.figures import Period, by_key
from ecogov.core.models import StaffProfile
from ecogov.outreach import queries, services
from ecogov.outreach.figures import law_exam_figures


@pytest.fixture
def exam(world):
    """A 2024 exam of the 北山 sub-bureau: its roster is the sub-bureau's staff."""
    return services.law_exam_create(
        actor=world.user("beishan_staff"),
        data={"title": "2024年学法考法考试", "held_on": dt.date(2024, 11, 8)},
    )


def _scores(actor, exam, scores: dict):
    rows = []
    for result in exam.results.select_related("staff"):
        score = scores.get(result.staff.full_name)
        rows.append(
            {"pk": result.pk, "score": score, "absence_reason": "" if score is not None else "病假"}
        )
    return services.law_exam_update(actor=actor, exam=exam, data={}, results=rows)


def test_the_roster_is_the_bureau_staff_of_the_division(world, exam):
    expected = set(
        StaffProfile.objects.filter(
            organisation__division__path__startswith=world.division("北山县").path,
            organisation__kind__in=["section", "sub_bureau", "attached_unit", "bureau"],
        ).values_list("pk", flat=True)
    )
    assert set(exam.results.values_list("staff_id", flat=True)) == expected
    assert world.user("beishan_staff").staff.pk in expected
    assert world.user("nanhu_staff").staff.pk not in expected


def test_coverage_and_pass_rate_count_from_the_scores(world):
    actor = world.user("legal")
    staff = [world.user(u).staff for u in ("leader", "eia_staff", "legal", "inspector", "viewer")]
    exam = services.law_exam_create(
        actor=actor,
        data={
            "title": "2023年学法考法考试",
            "held_on": dt.date(2023, 11, 8),
            "pass_mark": Decimal("60"),
        },
        roster=staff,
    )
    _scores(
        actor,
        exam,
        {
            "王建国": Decimal("95"),
            "李海燕": Decimal("58"),
            "张志强": Decimal("60"),
            "陈军": Decimal("77"),
        },
    )
    figures = by_key(law_exam_figures(actor, Period.of_year(2023)))
    assert figures["law_exam.roster"].value == 5
    assert figures["law_exam.sat"].value == 4
    assert figures["law_exam.passed"].value == 3  # 60 is a pass, 58 is not
    assert figures["law_exam.coverage_rate"].value == Decimal("80.0")
    assert figures["law_exam.pass_rate"].value == Decimal("75.0")
    for key in ("law_exam.roster", "law_exam.sat", "law_exam.passed", "law_exam.absent"):
        assert figures[key].records.count() == figures[key].value
    assert [r.staff.full_name for r in queries.not_sat(exam)] == ["吴艳"]
    assert [r.absence_reason for r in queries.not_sat(exam)] == ["病假"]
    # raising the pass mark applies to every recorded score
    services.law_exam_update(actor=actor, exam=exam, data={"pass_mark": Decimal("70")})
    again = by_key(law_exam_figures(actor, Period.of_year(2023)))
    assert again["law_exam.passed"].value == 2 and again["law_exam.pass_rate"].value == Decimal(
        "50.0"
    )
    # another year counts its own exams only
    assert by_key(law_exam_figures(actor, Period.of_year(2022)))["law_exam.roster"].value == 0
    assert (
        by_key(law_exam_figures(actor, Period.of_year(2022)))["law_exam.coverage_rate"].value
        is None
    )


def test_wrong_scores_are_refused_and_nobody_leaves_the_roster(world, exam):
    actor = world.user("beishan_staff")
    result = exam.results.first()
    with pytest.raises(ValidationError) as refused:
        services.law_exam_update(
            actor=actor,
            exam=exam,
            data={},
            results=[{"pk": result.pk, "score": Decimal("101"), "absence_reason": ""}],
        )
    text = str(refused.value)
    assert "成绩应在0到100" in text and "名单中的人员不能删除" in text
    with pytest.raises(ValidationError, match="已有成绩的不填写未参考原因"):
        services.exam_score_record(
            actor=actor, result=result, score=Decimal("80"), absence_reason="出差"
        )
    services.exam_score_record(actor=actor, result=result, score=Decimal("80"))
    result.refresh_from_db()
    assert result.score == Decimal("80") and result.passed
    with pytest.raises(ValidationError, match="不是本区划的干部职工"):
        services.law_exam_update(
            actor=actor,
            exam=exam,
            data={},
            results=[
                *[{"pk": r.pk} for r in exam.results.all()],
                {"staff": world.user("nanhu_staff").staff},
            ],
        )


def test_the_demo_exam_every_staff_member_on_the_roster(world):
    figures = by_key(law_exam_figures(world.user("leader"), Period.of_year(2020)))
    roster = figures["law_exam.roster"].records
    assert roster.filter(staff__user__username="legal", score=Decimal("98")).exists()
    assert figures["law_exam.absent"].value == 1
