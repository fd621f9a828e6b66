"""Every matters figure equals exactly its records (issue 11): counts, credits and ratios, for
the demo year, a year cut at a day, a later act, and a synthetic year made here."""

import datetime as dt
from decimal import Decimal

import pytest

from ecogov.core.figures import Kind, Period, by_key, figures_for, invariant_breaches
from ecogov.matters import services
from ecogov.matters.figures import provider
from ecogov.matters.models import Matter
from ecogov.matters.workflow import Kind as MatterKind

D = dt.date
Y2023, CUT2023 = Period.of_year(2023), Period.of_year(2023, D(2023, 11, 30))


def _figures(user, period):
    return by_key(provider(user, period))


def _records(figure):
    return set(figure.records.values_list("pk", flat=True))


def test_the_registry_serves_the_matters_figures_from_the_provider(world):
    figures = [
        f for f in figures_for(world.user("leader"), Period.of_year(2020)) if f.area == "matters"
    ]
    mine = provider(world.user("leader"), Period.of_year(2020))
    assert [f.key for f in figures] == [f.key for f in mine]  # no bridged copies beside them


def test_closing_a_petition_after_the_year_leaves_the_year_unchanged(world, leader):
    year = Period.of_year(2020)
    before = _figures(leader, year)
    petition = (
        Matter.objects.filter(kind=MatterKind.PETITION, received_on__year=2020, is_open=True)
        .order_by("reference")
        .first()
    )
    assert petition is not None and petition.pk in _records(before["petitions.open"])
    services.matter_transition(
        actor=leader, matter=petition, action="reply", result="已答复", on=D(2021, 1, 5)
    )
    services.matter_transition(actor=leader, matter=petition, action="close", on=D(2021, 1, 10))
    after = _figures(leader, year)
    for key in ("petitions.open", "petitions.closed", "petitions.answered"):
        assert after[key].value == before[key].value, key
        assert _records(after[key]) == _records(before[key]), key
        assert invariant_breaches([after[key]]) == []
    assert after["petitions.open"].value == after["petitions.open"].records.count()
    # 2021 has none of 2020's petitions: the act counts in the year it was received
    assert _figures(leader, Period.of_year(2021))["petitions.received"].value == 0


def test_a_joint_close_credits_half_to_each_unit(world, leader, make_source, make_matter):
    tour = make_source(
        MatterKind.RECTIFICATION, "t2023", level="provincial", year=2023, started_on=D(2023, 3, 1)
    )
    beishan = world.organisation("示例市生态环境局北山分局")
    nanhu = world.organisation("示例市生态环境局南湖分局")
    joint = make_matter(
        tour,
        "petition",
        "J-001",
        lead=beishan,
        co=[nanhu],
        shares={beishan: "0.5", nanhu: "0.5"},
        received=D(2023, 3, 2),
    )
    alone = make_matter(tour, "petition", "J-002", lead=beishan, received=D(2023, 3, 2))
    for matter in (joint, alone):
        services.matter_transition(
            actor=leader, matter=matter, action="close", result="办结", on=D(2023, 5, 10)
        )
    expected = {
        "beishan_staff": {joint.pk: Decimal("0.5"), alone.pk: Decimal("1")},
        "nanhu_staff": {joint.pk: Decimal("0.5")},
        "leader": {joint.pk: Decimal("1"), alone.pk: Decimal("1")},
    }  # both halves the city's
    for username, shares in expected.items():
        figure = _figures(world.user(username), Y2023)["rectify.t2023.petitions.closed"]
        assert figure.kind is Kind.CREDIT and figure.field == "share"
        assert dict(figure.records.values_list("pk", "share")) == shares, username
        assert figure.value == sum(shares.values()), username
        assert invariant_breaches([figure]) == []
    # closed after a cut-off day: in no credit of the cut period
    cut = _figures(world.user("beishan_staff"), Period.of_year(2023, D(2023, 4, 30)))
    assert cut["rectify.t2023.petitions.closed"].value == 0
    assert not cut["rectify.t2023.petitions.closed"].records.exists()


@pytest.fixture
def year_2023(world, leader, make_source, make_matter):
    """Petitions, proposals and a campaign made in 2023 through the services."""
    hotline = make_source(MatterKind.PETITION, "xf2023", year=2023, started_on=D(2023, 1, 1))
    made = {}
    for ref, received in [
        ("XF-1", D(2023, 2, 1)),
        ("XF-2", D(2023, 6, 1)),
        ("XF-3", D(2023, 12, 20)),
    ]:
        made[ref] = make_matter(
            hotline,
            "petition",
            ref,
            received=received,
            lead=world.organisation("示例市生态环境局北山分局"),
        )
    steps = {
        "XF-1": [("accept", D(2023, 2, 3)), ("reply", D(2023, 3, 1)), ("close", D(2023, 3, 5))],
        "XF-2": [("accept", D(2023, 6, 2)), ("reply", D(2023, 12, 28)), ("close", D(2024, 1, 5))],
    }
    for ref, acts in steps.items():
        for action, on in acts:
            services.matter_transition(
                actor=leader,
                matter=made[ref],
                action=action,
                on=on,
                result="已答复" if action == "reply" else "",
            )
    session = make_source(MatterKind.PROPOSAL, "rd2023", year=2023, started_on=D(2023, 3, 1))
    make_matter(
        session,
        "npc",
        "RD-1",
        county="示例市",
        received=D(2023, 4, 1),
        lead=world.organisation("大气环境科"),
        deputy="代表甲",
    )
    make_matter(
        session,
        "npc",
        "RD-2",
        county="示例市",
        received=D(2023, 4, 1),
        lead=world.organisation("市住房和城乡建设局"),
        co=[world.organisation("水生态环境科")],
        deputy="代表乙",
    )
    plan = make_source(
        MatterKind.TASK,
        "c2023",
        year=2023,
        started_on=D(2023, 5, 1),
        task_categories=["蓝天保卫战", "碧水保卫战"],
    )
    for ref, category, lead in [
        ("T-1", "蓝天保卫战", "北山县人民政府"),
        ("T-2", "蓝天保卫战", "南湖县人民政府"),
        ("T-3", "碧水保卫战", "市住房和城乡建设局"),
    ]:
        made[ref] = make_matter(
            plan, category, ref, lead=world.organisation(lead), received=D(2023, 5, 2)
        )
    services.matter_transition(
        actor=leader, matter=made["T-1"], action="complete", result="已完成", on=D(2023, 9, 1)
    )
    return made


def test_a_synthetic_year_counts_what_was_made(world, year_2023):
    leader = world.user("leader")
    year = _figures(leader, Y2023)
    values = {k: f.value for k, f in year.items()}
    assert (
        values
        | {
            "petitions.received": 3,
            "petitions.closed": 1,
            "petitions.open": 2,
            "petitions.answered": 2,
            "petitions.closure_rate": Decimal("33.3"),
            "proposals.total": 2,
            "proposals.npc": 2,
            "proposals.npc.lead": 1,
            "proposals.npc.co": 1,
            "proposals.cppcc": 0,
            "campaign.c2023.tasks": 3,
            "campaign.c2023.task_categories": 2,
            "campaign.c2023.tasks.completed": 1,
            "campaign.c2023.units.counties": 2,
            "campaign.c2023.units.departments": 1,
        }
        == values
    )
    assert year["petitions.closure_rate"].parts == ("petitions.closed", "petitions.received")
    assert year["proposals.npc.co"].records.get().reference == "RD-2"  # a department leads it
    assert {o.name for o in year["campaign.c2023.units.counties"].records} == {
        "北山县人民政府",
        "南湖县人民政府",
    }
    cut = {k: f.value for k, f in _figures(leader, CUT2023).items()}
    assert (
        cut["petitions.received"],
        cut["petitions.closed"],
        cut["petitions.open"],
        cut["petitions.answered"],
    ) == (2, 1, 1, 1)  # XF-3 came later, XF-2 answered later


@pytest.mark.parametrize("username", ["leader", "beishan_staff", "nanhu_staff"])
@pytest.mark.parametrize("period", [Y2023, CUT2023, Period.of_year(2024)], ids=lambda p: p.label)
def test_no_breach_in_the_synthetic_year(world, year_2023, username, period):
    figures = provider(world.user(username), period)
    assert figures and invariant_breaches(figures) == []
