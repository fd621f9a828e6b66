"""Fixtures of the EIA app's tests: applications made through the services, in 示例市."""

import datetime as dt
from decimal import Decimal

import pytest

from ecogov.eia import services
from ecogov.eia.demo import site_for
from ecogov.eia.models import DocumentType, Procedure

D = dt.date


@pytest.fixture
def submit(world):
    """`submit(actor="beishan_staff", division="北山县", **fields)` → a submitted application."""

    def _submit(actor="beishan_staff", division="北山县", **fields):
        data = {
            "name": "测试建设项目",
            "builder": world.entity_in(division),
            "division": world.division(division),
            "industry_code": "C1351",
            "document_type": DocumentType.FORM,
            "procedure": Procedure.REVIEW,
            "location": site_for(division),
            "total_investment": Decimal("1000"),
            "env_investment": Decimal("50"),
            "submitted_on": D(2026, 3, 2),
            "facts": {
                "total_emission_ok": True,
                "industry_policy_ok": True,
                "planning_eia_ok": True,
                "offset_secured": True,
            },
        }
        data.update(fields)
        return services.project_submit(actor=world.user(actor), data=data)

    return _submit
