"""Fractional credit: a matter closed jointly by two units counts 0.5 to each (seed: 147.5)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ecogov.core.figures import Period
from ecogov.matters import services
from ecogov.matters.figures import provider


def _figures(user, year=2026):
    return {f.key: f.value for f in provider(user, Period.of_year(year))}


def test_default_credit_goes_to_the_lead(world, tour, make_matter):
    matter = make_matter(
        tour,
        "petition",
        "C-001",
        co=[world.organisation("北山县人民政府")],
        lead=world.organisation("南湖县人民政府"),
    )
    shares = {u.organisation.name: u.share for u in matter.units.all()}
    assert shares == {"南湖县人民政府": Decimal("1"), "北山县人民政府": Decimal("0")}


def test_joint_closure_counts_half_to_each_unit(world, tour, make_matter, leader):
    beishan = world.organisation("示例市生态环境局北山分局")
    nanhu = world.organisation("示例市生态环境局南湖分局")
    joint = make_matter(
        tour, "petition", "C-002", lead=beishan, co=[nanhu], shares={beishan: "0.5", nanhu: "0.5"}
    )
    alone = make_matter(tour, "petition", "C-003", lead=beishan)
    for matter in (joint, alone):
        services.matter_transition(actor=leader, matter=matter, action="close", result="办结")
    city = _figures(leader)
    assert city["rectify.t2026.petitions"] == 2
    assert city["rectify.t2026.petitions.closed"] == 2  # 0.5 + 0.5 + 1: both are the city's
    beishan_staff = _figures(world.user("beishan_staff"))
    assert beishan_staff["rectify.t2026.petitions.closed"] == Decimal("1.5")
    nanhu_staff = _figures(world.user("nanhu_staff"))  # sees the joint one, as co-handler
    assert nanhu_staff["rectify.t2026.petitions"] == 1
    assert nanhu_staff["rectify.t2026.petitions.closed"] == Decimal("0.5")


def test_a_partner_outside_the_city_keeps_its_half(world, tour, make_matter, leader):
    neighbour = world.organisation("东川市人民政府")  # a neighbouring city (demo)
    beishan = world.organisation("北山县人民政府")
    matter = make_matter(
        tour,
        "supervised",
        "C-004",
        lead=beishan,
        co=[neighbour],
        shares={beishan: Decimal("0.5"), neighbour: Decimal("0.5")},
    )
    services.matter_transition(actor=leader, matter=matter, action="close", result="共同办结")
    assert _figures(leader)["rectify.t2026.closed"] == Decimal("0.5")


def test_shares_must_add_up_to_one(world, tour, make_matter):
    beishan, nanhu = world.organisation("北山县人民政府"), world.organisation("南湖县人民政府")
    with pytest.raises(ValidationError) as info:
        make_matter(
            tour,
            "petition",
            "C-005",
            lead=beishan,
            co=[nanhu],
            shares={beishan: "0.5", nanhu: "0.4"},
        )
    assert "合计应为1" in info.value.message_dict["shares"][0]
    with pytest.raises(ValidationError) as info:
        make_matter(tour, "petition", "C-006", lead=beishan, co=[beishan])
    assert "同时是主办单位" in info.value.message_dict["co_units"][0]


def test_changing_shares_later_is_recorded(world, tour, make_matter, leader):
    beishan, nanhu = world.organisation("北山县人民政府"), world.organisation("南湖县人民政府")
    matter = make_matter(tour, "petition", "C-007", lead=beishan)
    services.matter_set_units(
        actor=leader,
        matter=matter,
        lead=beishan,
        co_units=[nanhu],
        shares={beishan.pk: "0.5", nanhu.pk: "0.5"},
        reason="两县共同办理",
    )
    active = {u.organisation.name: (u.role, u.share) for u in matter.units.filter(is_active=True)}
    assert active == {
        "北山县人民政府": ("lead", Decimal("0.5")),
        "南湖县人民政府": ("co", Decimal("0.5")),
    }
    event = matter.events.get(type="units_changed")
    assert event.payload["after"][1] == {
        "organisation": "南湖县人民政府",
        "role": "co",
        "share": "0.5",
    }
