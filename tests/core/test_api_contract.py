"""The API keeps the contract its OpenAPI schema states (docs/api.md, "The contract test").

Schemathesis generates requests from /api/schema/ for every operation — valid and invalid
bodies, query parameters and path ids — and sends them in-process to the WSGI application as
an external system would, with an API token: once as a city-wide user and once as a county
user (whose ids of other counties answer 404). Each response must not be a server error, must
carry a status code the schema documents for the operation, and must match the documented
body. A bounded number of examples per operation keeps the run short and reproducible
(derandomized: the same requests every run).
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 4  # per operation and per kind (valid, invalid)
ACCOUNTS = {"city": "inspector", "county": "beishan_staff"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
LIMITS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the report names the request
    suppress_health_check=list(HealthCheck),
)


def bearer(world, account: str) -> dict:
    from ecogov.core.api_tokens import api_token_issue

    _token, key = api_token_issue(
        actor=world.user("sysadmin"),
        account=world.user(account),
        name="契约测试",
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        can_write=True,
    )
    # in-process WSGI calls are not decompressed as an HTTP client would: ask for plain bodies
    return {"Authorization": f"Bearer {key}", "Accept-Encoding": "identity"}


@pytest.fixture(autouse=True)
def _one_connection():
    """The WSGI handler closes the database connection after each request (as a server
    should); inside the test's transaction that would end it: Django's own test client does
    the same as this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def broken_operations(world, account: str) -> list[str]:
    from django.core.wsgi import get_wsgi_application

    headers = bearer(world, account)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), headers=headers)
    broken = []
    for found in schema.get_all_operations():
        operation = found.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @LIMITS
            def keeps_contract(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                keeps_contract()
            except (Exception, BaseExceptionGroup) as failure:  # every operation is reported
                broken.append(f"{operation.label} ({mode.value}): {failure}")
    return broken


def test_every_operation_keeps_its_contract_for_a_city_wide_user(world):
    broken = broken_operations(world, ACCOUNTS["city"])
    assert not broken, "\n\n".join(broken)


def test_every_operation_keeps_its_contract_for_a_county_user(world):
    broken = broken_operations(world, ACCOUNTS["county"])
    assert not broken, "\n\n".join(broken)
