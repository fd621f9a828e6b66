"""The 2020 figures of 示例市 equal the seed, are exactly their records, follow scope and the
period, and the typed totals are checked."""

import datetime as dt
from decimal import Decimal

from ecogov.core.figures import Kind, Period, by_key, figures_for, invariant_breaches
from ecogov.eia import services
from ecogov.eia.demo import SEED_TYPED_2020
from ecogov.eia.figures import check_typed_figures, eia_figures
from ecogov.eia.models import EiaProject

D = dt.date
Y2020 = Period.of_year(2020)


def _by_key(figures):
    return {f.key: f for f in figures}


def test_the_2020_figures_equal_the_seed(world):
    f = _by_key(eia_figures(world.user("leader"), Y2020))
    assert {
        k: f[k].value
        for k in (
            "eia.approved.total",
            "eia.approved.city_level",
            "eia.approved.county_level",
            "eia.approved.review",
            "eia.approved.commitment",
            "eia.exempted",
        )
    } == {
        "eia.approved.total": 493,
        "eia.approved.city_level": 187,
        "eia.approved.county_level": 306,
        "eia.approved.review": 475,
        "eia.approved.commitment": 18,
        "eia.exempted": 7,
    }
    assert f["eia.investment.city_level"].value == Decimal("79.8")
    assert f["eia.env_investment.city_level"].value == Decimal("3.6")
    assert f["eia.investment.county_level"].value == Decimal("138.7")
    assert f["eia.env_investment.county_level"].value == Decimal("3.01")
    # consistent by construction: the totals are the sums of the parts
    assert f["eia.investment.total"].value == Decimal("218.5")
    assert f["eia.env_investment.total"].value == Decimal("6.61")
    assert f["eia.approved.total"].value == (
        f["eia.approved.review"].value + f["eia.approved.commitment"].value
    )


def test_each_figure_is_exactly_its_records(world):
    leader = world.user("leader")
    figures = eia_figures(leader, Y2020)
    assert invariant_breaches(figures) == []
    for figure in figures:
        assert (
            figure.model
            in ("eia.EiaProject", "eia.EiaAcceptance", "eia.EiaSpotCheck", "eia.EiaReReview")
            and figure.definition
        ), figure.key
        if figure.kind is Kind.COUNT:
            assert figure.records.count() == figure.value, figure.key
        else:  # 亿元 from the 万元 of each record, summed here in Python
            assert figure.kind is Kind.SUM and figure.unit == "亿元"
            total = sum(getattr(p, figure.field) for p in figure.records) / 10000
            assert total.quantize(Decimal("0.01")) == figure.value, figure.key
    # the registry serves this provider (the bridge stands down)
    registered = by_key(figures_for(leader, Y2020, areas=["eia"]))
    assert registered["eia.approved.total"].records.count() == 493


def test_the_seed_typed_totals_are_reported_as_disagreeing_with_the_parts(world):
    figures = eia_figures(world.user("leader"), Y2020)
    found = {d.key: d for d in check_typed_figures(figures, SEED_TYPED_2020)}
    assert set(found) == {"eia.investment.total", "eia.env_investment.total"}
    investment = found["eia.investment.total"]
    assert (investment.typed, investment.computed) == (Decimal("215.27"), Decimal("218.50"))
    assert "215.27" in investment.message and "218.50" in investment.message
    assert "79.80" in investment.message and "138.70" in investment.message
    assert "相差 3.23" in investment.message
    env = found["eia.env_investment.total"]
    assert "6.4" in env.message and "6.61" in env.message and "3.60" in env.message
    # typed figures that agree are not reported
    assert (
        check_typed_figures(
            figures, {"eia.approved.total": 493, "eia.investment.total": Decimal("218.5")}
        )
        == []
    )


def test_figures_follow_the_scope_and_decisions_of_the_year(world, submit):
    beishan = _by_key(eia_figures(world.user("beishan_staff"), Y2020))
    own = EiaProject.objects.filter(
        division__name="北山县", decision="approved", decided_on__year=2020
    )
    assert beishan["eia.approved.total"].value == own.count() < 493
    staff = world.user("beishan_staff")
    project = services.project_accept(
        actor=staff, project=submit(procedure="commitment"), accepted_on=D(2026, 3, 5)
    )
    services.project_screen(actor=staff, project=project)
    services.project_decide(
        actor=staff,
        project=project,
        decision="approved",
        decided_on=D(2026, 3, 20),
        decision_number="北环承〔2026〕5号",
    )
    after = _by_key(eia_figures(staff, Period.of_year(2026)))
    assert after["eia.approved.commitment"].value >= 1
    assert after["eia.investment.county_level"].value >= Decimal("0.10")  # 1000 万元
    assert _by_key(eia_figures(world.user("leader"), Y2020))["eia.approved.total"].value == 493


def test_the_command_reports_the_seed_disagreement(world, capsys):
    from django.core.management import call_command

    call_command("eia_figures", year=2020, check_seed=True)
    out = capsys.readouterr().out
    assert "eia.approved.total\t审批建设项目环评\t493 个" in out
    assert out.count("不一致:") == 2 and "215.27" in out and "6.4" in out


def _approve(submit, staff, decided_on, **fields):
    """A notification-commitment approval (no public notices needed), decided on the day."""
    project = services.project_accept(
        actor=staff,
        project=submit(procedure="commitment", **fields),
        accepted_on=decided_on - dt.timedelta(days=15),
    )
    services.project_screen(actor=staff, project=project)
    return services.project_decide(
        actor=staff,
        project=project,
        decision="approved",
        decided_on=decided_on,
        decision_number=f"北环审〔{decided_on.year}〕{project.pk}号",
    )


def test_a_revocation_after_the_period_changes_neither_figure_nor_records(world):
    """An approval of 2020 revoked in January 2021 still counts for 2020 (the decision's date)."""
    leader = world.user("leader")
    for period in (Y2020, Period.of_year(2020, D(2020, 11, 30))):
        before = by_key(eia_figures(leader, period))
        project = before["eia.approved.commitment"].records.filter(state="approved").first()
        services.project_revoke(
            actor=world.user("leader"),
            project=project,
            revoked_on=D(2021, 1, 12),
            reasons="承诺内容不实,依法撤销批复",
        )
        after = by_key(eia_figures(leader, period))
        for key, figure in before.items():
            assert after[key].value == figure.value, key
            assert set(after[key].records.values_list("pk", flat=True)) == set(
                figure.records.values_list("pk", flat=True)
            ), key
        assert project.pk in after["eia.approved.total"].records.values_list("pk", flat=True)
        assert invariant_breaches(after.values()) == []


def test_a_year_without_demo_records(world, submit):
    """2023: nothing in the demo; three decisions made through the services are the figures."""
    staff = world.user("beishan_staff")
    period = Period.of_year(2023)
    assert by_key(eia_figures(staff, period))["eia.approved.total"].value == 0
    _approve(
        submit,
        staff,
        D(2023, 4, 10),
        submitted_on=D(2023, 3, 1),
        total_investment=Decimal("1234.56"),
        env_investment=Decimal("78.9"),
    )
    _approve(
        submit,
        staff,
        D(2023, 12, 31),
        submitted_on=D(2023, 12, 1),
        total_investment=Decimal("500"),
        env_investment=Decimal("20"),
    )
    _approve(submit, staff, D(2024, 1, 1), submitted_on=D(2023, 12, 1))  # the next year's
    for user in (staff, world.user("leader")):
        f = by_key(eia_figures(user, period))
        assert (
            f["eia.approved.total"].value,
            f["eia.approved.county_level"].value,
            f["eia.approved.commitment"].value,
        ) == (2, 2, 2)
        assert f["eia.investment.total"].value == Decimal("0.17")  # 1734.56 万元
        assert f["eia.env_investment.county_level"].value == Decimal("0.01")  # 98.9 万元
        assert invariant_breaches(f.values()) == []
    cut = by_key(eia_figures(staff, Period.of_year(2023, D(2023, 12, 30))))
    assert cut["eia.approved.total"].value == 1 and invariant_breaches(cut.values()) == []
