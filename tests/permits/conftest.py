"""Fixtures of the permits tests: permits issued through the services by the city bureau."""

import datetime as dt

import pytest

from ecogov.permits import services


@pytest.fixture
def issue(world):
    """`issue(site="…", issued_on=date, **fields)` → a permit issued by eia_staff (city level)."""
    counter = iter(range(1000))

    def _issue(
        division="北山县",
        site=None,
        issued_on=dt.date(2025, 3, 10),
        actor="eia_staff",
        entity=None,
        **fields,
    ):
        data = {
            "entity": entity or world.entity_in(division),
            "issued_on": issued_on,
            "site": site or f"{division}测试园区{next(counter)}号",
            "management_class": "key",
            "pollutants": [
                {
                    "pollutant": "二氧化硫",
                    "outlet": "DA001",
                    "limit": "35",
                    "unit": "mg/m³",
                    "annual_tonnes": "10",
                }
            ],
        }
        data.update(fields)
        return services.permit_issue(actor=world.user(actor), data=data)

    return _issue
