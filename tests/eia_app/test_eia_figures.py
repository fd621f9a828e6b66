"""The 2020 figures of 示例市 equal the seed, add up, follow scope, and the typed totals are checked."""

import datetime as dt
from decimal import Decimal

from ecogov.eia import services
from ecogov.eia.demo import SEED_TYPED_2020
from ecogov.eia.figures import check_typed_figures, eia_figures
from ecogov.eia.models import EiaProject

D = dt.date


def _by_key(figures):
    return {f.key: f for f in figures}


def test_the_2020_figures_equal_the_seed(world):
    f = _by_key(eia_figures(world.user("leader"), 2020))
    assert {k: f[k].value for k in ("eia.approved.total", "eia.approved.city_level",
                                    "eia.approved.county_level", "eia.approved.review",
                                    "eia.approved.commitment", "eia.exempted")} == {
        "eia.approved.total": 493, "eia.approved.city_level": 187,
        "eia.approved.county_level": 306, "eia.approved.review": 475,
        "eia.approved.commitment": 18, "eia.exempted": 7}
    assert f["eia.investment.city_level"].value == Decimal("79.8")
    assert f["eia.env_investment.city_level"].value == Decimal("3.6")
    assert f["eia.investment.county_level"].value == Decimal("138.7")
    assert f["eia.env_investment.county_level"].value == Decimal("3.01")
    # consistent by construction: the totals are the sums of the parts
    assert f["eia.investment.total"].value == Decimal("218.5")
    assert f["eia.env_investment.total"].value == Decimal("6.61")
    assert f["eia.approved.total"].value == (f["eia.approved.review"].value
                                             + f["eia.approved.commitment"].value)


def test_each_figure_filter_selects_exactly_its_records(world):
    leader = world.user("leader")
    for figure in eia_figures(leader, 2020):
        records = EiaProject.objects.visible_to(leader).filter(**figure.filter)
        if figure.unit == "个":
            assert records.count() == figure.value, figure.key
        else:
            field = "env_investment" if "env_" in figure.key else "total_investment"
            total = sum(getattr(p, field) for p in records) / 10000
            assert total.quantize(Decimal("0.01")) == figure.value, figure.key


def test_the_seed_typed_totals_are_reported_as_disagreeing_with_the_parts(world):
    figures = eia_figures(world.user("leader"), 2020)
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
    assert check_typed_figures(figures, {"eia.approved.total": 493,
                                         "eia.investment.total": Decimal("218.5")}) == []


def test_figures_follow_the_scope_and_decisions_of_the_year(world, submit):
    beishan = _by_key(eia_figures(world.user("beishan_staff"), 2020))
    own = EiaProject.objects.filter(division__name="北山县", decision="approved",
                                    decided_on__year=2020)
    assert beishan["eia.approved.total"].value == own.count() < 493
    staff = world.user("beishan_staff")
    project = services.project_accept(actor=staff, project=submit(procedure="commitment"),
                                      accepted_on=D(2026, 3, 5))
    services.project_screen(actor=staff, project=project)
    services.project_decide(actor=staff, project=project, decision="approved",
                            decided_on=D(2026, 3, 20), decision_number="北环承〔2026〕5号")
    after = _by_key(eia_figures(staff, 2026))
    assert after["eia.approved.commitment"].value >= 1
    assert after["eia.investment.county_level"].value >= Decimal("0.10")  # 1000 万元
    assert _by_key(eia_figures(world.user("leader"), 2020))["eia.approved.total"].value == 493


def test_the_command_reports_the_seed_disagreement(world, capsys):
    from django.core.management import call_command

    call_command("eia_figures", year=2020, check_seed=True)
    out = capsys.readouterr().out
    assert "eia.approved.total\t审批建设项目环评\t493 个" in out
    assert out.count("不一致:") == 2 and "215.27" in out and "6.4" in out
