"""示例市's 2020 outreach records give the seed's numbers (docs/figures.md §2 publicity.*, honors,
training.solid_waste), each figure equal to its records."""

from decimal import Decimal

from ecogov.core.figures import Kind, Period, by_key, figures_for, round_to
from ecogov.core.models import StaffProfile
from ecogov.outreach.figures import outreach_figures


def check_records(figure):
    """COUNT: records.count(); SUM: Σ field over the records."""
    if figure.kind is Kind.COUNT:
        assert figure.records.count() == figure.value, figure.key
    elif figure.kind is Kind.SUM:
        total = sum(getattr(r, figure.field) or 0 for r in figure.records)
        assert total == figure.value, figure.key
    elif figure.kind is Kind.RATIO:
        assert figure.records is None and len(figure.parts) == 2


def test_the_seed_numbers_come_from_the_demo_records(world):
    figures = by_key(outreach_figures(world.user("leader"), Period.of_year(2020)))
    expected = {
        "publicity.social_posts": 1525,
        "publicity.web_articles": 696,
        "publicity.booklets": 5000,
        "training.solid_waste.batches": 4,
        "training.solid_waste.attendees": 598,
        "honors.national": 1,
        "creations.provincial.counties": 4,
        "creations.national.counties": 1,
        "outreach.events.environment_day": 1,
        "outreach.events.constitution_day": 1,
        "outreach.events.press_conferences": 1,
    }
    assert {k: figures[k].value for k in expected} == expected
    # every staff member of the bureau was on the 2020 roster; one (黄静) did not sit
    roster = figures["law_exam.roster"].records
    assert set(roster.filter(score__isnull=True).values_list("staff__full_name", flat=True)) == {
        "黄静"
    }
    n = roster.count()
    assert n == StaffProfile.objects.exclude(organisation__kind="city_department").count()
    assert figures["law_exam.coverage_rate"].value == round_to(Decimal(100 * (n - 1)) / n, 1)
    assert figures["law_exam.pass_rate"].value == Decimal("100.0")
    for figure in figures.values():
        check_records(figure)


def test_the_registry_carries_the_outreach_figures(world):
    figures = by_key(figures_for(world.user("leader"), Period.of_year(2020), areas=["outreach"]))
    assert figures["publicity.social_posts"].area == "outreach"
    assert figures["publicity.social_posts"].parts == (
        "publicity.wechat_posts",
        "publicity.weibo_posts",
    )
    nothing = by_key(figures_for(world.user("leader"), Period.of_year(2019), areas=["outreach"]))
    assert nothing["publicity.social_posts"].value == 0
