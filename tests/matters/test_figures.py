"""The seed's figures (section 一(三)4, 5, 8, 9) computed from 示例市's records, not typed in."""

from decimal import Decimal

import pytest

from ecogov.core.figures import Period
from ecogov.matters.figures import provider


@pytest.fixture
def figures(world):
    return {f.key: f for f in provider(world.user("leader"), Period.of_year(2020))}


SEED = {
    # 一(三)5 inspection tours
    "rectify.central2017.petitions": 128,
    "rectify.central2017.petitions.closed": 128,
    "rectify.central2017.problems": 7,
    "rectify.central2017.problems.rectified": 6,
    "rectify.central2017.problems.written_off": 6,
    "rectify.central2018.petitions": 199,
    "rectify.central2018.petitions.closed": 199,
    "rectify.central2018.problems": 6,
    "rectify.central2018.problems.rectified": 5,
    "rectify.province2018.petitions": 323,
    "rectify.province2018.petitions.closed": 323,
    "rectify.province2018.problems": 79,
    "rectify.province2018.problems.rectified": 70,
    "rectify.province2018.problems.written_off": 68,
    "rectify.province2018.transfers": 4,
    "rectify.province2018.transfers.rectified": 4,
    "rectify.province2018.transfers.written_off": 4,
    "rectify.yangtze.problems": 7,
    "rectify.yangtze.problems.rectified": 7,
    "rectify.yangtze.problems.written_off": 6,
    "rectify.listed.problems": 5,
    "rectify.listed.problems.delisted": 2,
    "rectify.listed.problems.rectified_not_delisted": 1,
    "rectify.listed.problems.open": 2,
    "rectify.province2020.petitions": 138,
    "rectify.province2020.supervised": 79,
    "rectify.province2020.closed": Decimal("147.5"),
    # 一(三)8 petitions
    "petitions.received": 153,
    "petitions.closed": 142,
    "petitions.open": 11,
    "petitions.closure_rate": Decimal("92.8"),
    # 一(三)9 proposals
    "proposals.total": 19,
    "proposals.npc": 11,
    "proposals.npc.lead": 5,
    "proposals.npc.co": 6,
    "proposals.cppcc": 8,
    "proposals.cppcc.lead": 3,
    "proposals.cppcc.co": 5,
    "proposals.npc.replied": 11,
    "proposals.cppcc.replied": 8,
    # 一(三)4 campaign
    "campaign.summer.aspects": 8,
    "campaign.summer.measures": 64,
    "campaign.summer.tasks": 136,
    "campaign.summer.task_categories": 7,
    "campaign.summer.tasks.completed": 136,
    "campaign.summer.units.counties": 13,
    "campaign.summer.units.departments": 23,
}


@pytest.mark.parametrize("key", SEED)
def test_seed_figure(figures, key):
    assert figures[key].value == SEED[key]
