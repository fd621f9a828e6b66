"""Fixtures of the reports tests: the demo's 2020 summary of 示例市 (seed outline, seed narratives)."""

import datetime as dt

import pytest

DATED = dt.date(2020, 12, 29)  # the seed's own date


@pytest.fixture
def summary(world):
    from ecogov.reports import builtin
    from ecogov.reports.models import Outline

    return Outline.objects.get(name=builtin.SUMMARY)


@pytest.fixture
def annual(world):
    from ecogov.reports import builtin
    from ecogov.reports.models import Outline

    return Outline.objects.get(name=builtin.ANNUAL_REPORT)


@pytest.fixture
def legal(world):
    return world.user("legal")


@pytest.fixture
def draft2020(summary, legal):
    from ecogov.reports import outputs

    return outputs.build(summary, legal, 2020, dated=DATED)


@pytest.fixture
def known():
    """Every key an outline may use (computed once per test: figures for a few years)."""
    from ecogov.reports import services, sources

    return sources.known_keys(services.years_for(None) | {2020})
