"""Factories for the matters tests: batches and matters made through the services."""

import datetime as dt

import pytest

from ecogov.matters import services
from ecogov.matters.workflow import Kind


@pytest.fixture
def leader(world):
    return world.user("leader")


@pytest.fixture
def make_source(leader):
    def make(kind, code, **extra):
        data = {
            "code": code,
            "name": f"测试批次{code}",
            "kind": kind,
            "year": 2026,
            "started_on": dt.date(2026, 3, 2),
            **extra,
        }
        return services.source_create(actor=leader, data=data)

    return make


@pytest.fixture
def make_matter(world, leader):
    """make(source, category, reference, county="北山县", lead=None, co=(), shares=None, **data)."""

    def make(
        source,
        category,
        reference,
        *,
        county="北山县",
        lead=None,
        co=(),
        shares=None,
        actor=None,
        received=dt.date(2026, 3, 2),
        **data,
    ):
        division = world.division(county)
        if lead is None:
            lead = world.organisation(f"{county}人民政府")
        fields = {
            "reference": reference,
            "title": f"测试事项{reference}",
            "division": division,
            "received_on": received,
            **data,
        }
        if source.kind == Kind.PETITION:
            fields.setdefault("channel", "hotline")
        return services.matter_create(
            actor=actor or leader,
            source=source,
            category=category,
            data=fields,
            lead=lead,
            co_units=list(co),
            shares=shares,
        )

    return make


@pytest.fixture
def tour(make_source):
    return make_source(Kind.RECTIFICATION, "t2026", level="provincial")


@pytest.fixture
def hotline(make_source):
    return make_source(Kind.PETITION, "xf2026")


@pytest.fixture
def session(make_source):
    return make_source(Kind.PROPOSAL, "rd2026")


@pytest.fixture
def campaign(make_source):
    return make_source(Kind.TASK, "c2026", task_categories=["蓝天保卫战", "碧水保卫战"])
