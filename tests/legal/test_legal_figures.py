"""Every legal figure is counted from records (its `records` are exactly what it counts) and
the demo's 2020 records give the seed's numbers (docs/figures.md §2: legislation.passed,
normative_docs.reviewed)."""

import datetime as dt
from decimal import Decimal

from ecogov.core.figures import Kind, Period, by_key, figures_for
from ecogov.legal.figures import legal_figures
from ecogov.legal.models import Bill, NormativeDocument, PolicyReview

D = dt.date
KEYS = [
    "legislation.passed",
    "normative_docs.reviewed",
    "normative_docs.issued",
    "normative_docs.in_force",
    "fair_competition.reviewed",
    "cleanup.documents",
    "reconsideration.cases",
    "litigation.cases",
    "legal.correction_rate",
    "legal.loss_rate",
    "litigation.appearance_rate",
    "counsel.opinions",
    "study.sessions",
    "leading_group.meetings",
]


def test_every_figure_the_report_outline_uses_is_there(world):
    figures = by_key(figures_for(world.user("legal"), Period.of_year(2020), areas=["legal"]))
    assert set(KEYS) <= set(figures)
    assert all(figures[k].area == "legal" for k in KEYS)


def test_every_figure_is_its_records(world):
    for user in ("legal", "leader", "viewer", "beishan_staff"):
        for year in (2019, 2020):
            figures = legal_figures(world.user(user), Period.of_year(year))
            named = by_key(figures)
            for f in figures:
                if f.kind is Kind.COUNT:
                    assert f.records.count() == f.value, (user, year, f.key)
                elif f.kind is Kind.SUM:
                    assert sum(f.records.values_list(f.field, flat=True)) == f.value, f.key
                elif f.kind is Kind.RATIO:
                    num, den = (named[k].value for k in f.parts)
                    expected = (
                        None if not den else (Decimal(100) * num / den).quantize(Decimal("0.1"))
                    )
                    assert f.value == expected, (user, year, f.key)


def test_the_seed_numbers_of_2020(world):
    f = by_key(legal_figures(world.user("legal"), Period.of_year(2020)))
    assert f["legislation.passed"].value == 1
    bill = f["legislation.passed"].records.get()
    assert bill.title == "示例市扬尘污染防治条例"
    assert bill.milestone("passed").on == D(2020, 10, 29)
    assert bill.milestone("approved").on == D(2020, 11, 27)
    assert f["normative_docs.reviewed"].value == 5
    titles = set(f["normative_docs.reviewed"].records.values_list("title", flat=True))
    assert {
        "示例市生态环境违法行为举报奖励办法(试行)",
        "示例市“三线一单”生态环境分区管控实施方案",
    } <= titles
    assert set(f["normative_docs.issued"].records.values_list("number", flat=True)) == {
        f"示环规〔2020〕{n}号" for n in range(1, 6)
    }
    # a document reviewed twice (failed, then passed) counts once
    twice = NormativeDocument.objects.get(title="示例市生态环境行政处罚自由裁量权基准")
    assert PolicyReview.objects.filter(document=twice, kind__code="legality").count() == 2
    assert f["counsel.opinions"].value == 6 and f["study.sessions"].value == 6
    assert f["leading_group.meetings"].value == 3
    assert f["reconsideration.cases"].value == 3 and f["litigation.cases"].value == 2
    assert f["litigation.appearance_rate"].value == Decimal("50.0")
    assert f["legal.correction_rate"].value == Decimal("25.0")
    assert f["fair_competition.reviewed"].value == (
        f["fair_competition.compliant"].value
        + f["fair_competition.exception"].value
        + f["fair_competition.not_to_issue"].value
    )
    assert f["fair_competition.not_to_issue"].value == 1


def test_a_period_cut_at_a_day_and_the_in_force_count(world):
    legal = world.user("legal")
    until_june = by_key(legal_figures(legal, Period.of_year(2020, until=D(2020, 6, 30))))
    # by then: the reward measure (reviewed 25 March) and the zoning plan (19 June)
    assert until_june["normative_docs.reviewed"].value == 2
    assert until_june["legislation.passed"].value == 0
    in_force = by_key(legal_figures(legal, Period.of_year(2020)))["normative_docs.in_force"]
    assert all(d.in_force_on(D(2020, 12, 31)) for d in in_force.records)
    assert not in_force.records.filter(title="示例市野生动物人工繁育场所污染防治管理办法").exists()


def test_figures_read_only_the_users_scope(world):
    county = by_key(legal_figures(world.user("beishan_staff"), Period.of_year(2020)))
    assert county["normative_docs.reviewed"].value == 0 and county["legislation.passed"].value == 0
    narrowed = by_key(
        figures_for(
            world.user("leader"),
            Period.of_year(2020),
            division=world.division("北山县"),
            areas=["legal"],
        )
    )
    assert narrowed["normative_docs.reviewed"].value == 0
    assert Bill.objects.visible_to(world.user("viewer")).count() == 2
