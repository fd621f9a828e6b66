"""The consistency check before export catches what a person must resolve."""

import dataclasses
from decimal import Decimal

from ecogov.reports import checks, compose, services
from ecogov.reports.models import Narrative, Section

from .conftest import DATED


def _check(outline, user, figures, period):
    return checks.check(compose.compose(outline, user, period, figures=figures, dated=DATED))


def test_the_seed_typed_totals_are_flagged_with_both_values(draft2020):
    result = checks.check(draft2020)
    typed = {i.keys[0]: i for i in result.of("typed")}
    assert set(typed) == {"eia.investment.total", "eia.env_investment.total"}
    investment, env = typed["eia.investment.total"], typed["eia.env_investment.total"]
    assert (investment.typed, Decimal(investment.computed)) == ("215.27", Decimal("218.5"))
    assert "215.27亿元" in investment.message and "218.5亿元" in investment.message
    assert (env.typed, Decimal(env.computed)) == ("6.4", Decimal("6.61"))
    assert "6.4亿元" in env.message and "6.61亿元" in env.message
    assert investment.section.endswith("严格项目审批") and investment.severity == "error"
    # the typed parts (79.8, 3.6 …) are references: not flagged; the relations hold
    assert result.of("sum") == [] and result.of("ratio") == []
    # the outline placed the totals there, the year's text typed them instead
    assert {i.keys[0] for i in result.of("dropped")} == set(typed)
    assert any("截至目前" in i.message for i in result.of("repeated"))


def test_a_changed_part_is_caught(draft2020, summary, legal):
    figures = dict(draft2020.figures)
    city = figures["eia.approved.city_level"]
    figures["eia.approved.city_level"] = dataclasses.replace(city, value=city.value - 1)
    rate = figures["petitions.closure_rate"]
    figures["petitions.closure_rate"] = dataclasses.replace(rate, value=Decimal("93.5"))
    result = _check(summary, legal, figures, draft2020.period)
    sums = [i for i in result.of("sum") if i.keys[0] == "eia.approved.total"]
    assert len(sums) == 1 and "493个" in sums[0].message and "492个" in sums[0].message
    assert "相差1个" in sums[0].message
    ratios = result.of("ratio")
    assert len(ratios) == 1 and "93.5%" in ratios[0].message and "92.8%" in ratios[0].message


def test_parts_declared_by_a_figure_are_checked(draft2020, summary, legal):
    figures = dict(draft2020.figures)
    visits = figures["inspections.enterprise_visits"]
    figures["inspections.enterprise_visits"] = dataclasses.replace(
        visits, parts=("enforcement.cases", "permits.issued")
    )  # 137 + 571 ≠ 3361
    issues = _check(summary, legal, figures, draft2020.period).of("sum")
    assert any(i.keys[0] == "inspections.enterprise_visits" and "3361" in i.message for i in issues)


def test_a_typed_number_and_a_missing_figure_are_caught(draft2020, summary, legal, known):
    section = Section.objects.get(outline=summary, heading="严格环境监管")
    services.narrative_save(
        actor=legal,
        section=section,
        year=2020,
        known=known,
        text="全市共抽查企业3000家次,办理环境违法案件{enforcement.cases}件,另有{study.sessions}次学法。",
    )
    figures = dict(draft2020.figures)
    del figures["study.sessions"]  # a key the outline uses that the year lacks
    result = _check(summary, legal, figures, draft2020.period)
    typed = [i for i in result.of("typed") if i.keys == ("inspections.enterprise_visits",)]
    assert len(typed) == 1 and "3000家次" in typed[0].message and "3361家次" in typed[0].message
    missing = {i.keys[0]: i for i in result.of("missing")}
    assert "study.sessions" in missing and "严格环境监管" in missing["study.sessions"].message
    assert "legislation.passed" in draft2020.figures and "legislation.passed" not in missing


def test_a_number_that_agrees_or_says_more_than_is_not_flagged(draft2020, summary, legal, known):
    section = Section.objects.get(outline=summary, heading="严格环境监管")
    services.narrative_save(
        actor=legal,
        section=section,
        year=2020,
        known=known,
        text="全市共抽查企业3361家次,办理环境违法案件100多件。",
    )
    result = _check(summary, legal, draft2020.figures, draft2020.period)
    assert [i for i in result.of("typed") if i.section.endswith("严格环境监管")] == []
    assert Narrative.objects.get(section=section, year=2020).history.count() >= 2
