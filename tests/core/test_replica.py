"""Reads that may lag go to the read replica when one is configured (issue 14; core/replica.py,
docs/deploy.md): the figures, the portal, the report pages read through the router from the
`replica` alias, and every write still goes to the primary.

The test settings make `replica` a mirror of the test database (a second connection to it),
so the replica answers what the primary has committed. The test is transactional: the figures
write a cache (the air-quality evaluation) while the replica reads, which a test case's open
transaction on each connection would lock on SQLite; it starts from 示例市, built anew."""

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ecogov.core.figures import Period, figures_for
from ecogov.core.models import RegulatedEntity
from ecogov.core.replica import ReplicaRouter, replica_reads


def _touched(queries, table: str) -> bool:
    return any(f'"{table}"' in q["sql"] for q in queries.captured_queries)


def _both():
    return CaptureQueriesContext(connections["replica"]), CaptureQueriesContext(
        connections["default"]
    )


def test_the_router_sends_only_the_reads_inside_replica_reads(settings):
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(RegulatedEntity) is None  # no replica configured
    settings.ECOGOV_READ_REPLICA = True
    assert router.db_for_read(RegulatedEntity) is None
    with replica_reads():
        assert router.db_for_read(RegulatedEntity) == "replica"
        assert router.db_for_write(RegulatedEntity) == "default"
    assert router.db_for_read(RegulatedEntity) is None
    assert router.allow_migrate("replica", "core") is False


@pytest.mark.django_db(databases=["default", "replica"], transaction=True)
def test_reads_that_may_lag_come_from_the_replica_and_writes_go_to_the_primary(settings):
    from ecogov.core.demo import World, build

    build()  # a transactional test starts from a flushed database
    settings.ECOGOV_READ_REPLICA = True
    world = World()
    period = Period.of_year(2020)

    # the figures: the same values, every count read on the replica
    primary = {f.key: f.json_value() for f in figures_for(world.user("leader"), period)}
    on_replica, on_primary = _both()
    with on_replica, on_primary, replica_reads():
        copied = {f.key: f.json_value() for f in figures_for(world.user("leader"), period)}
    assert copied == primary and len(primary) > 50
    assert _touched(on_replica, "enforcement_penaltycase")
    assert _touched(on_replica, "matters_matter")
    assert not _touched(on_primary, "enforcement_penaltycase")

    # /api/figures/: signed in on the primary, counted on the replica
    client = Client()
    client.force_login(world.user("leader"))
    on_replica, on_primary = _both()
    with on_replica, on_primary:
        response = client.get("/api/figures/", {"year": 2020})
    assert response.status_code == 200 and response.json()["figures"]
    assert _touched(on_primary, "django_session") and not _touched(on_replica, "django_session")
    assert _touched(on_replica, "matters_matter") and not _touched(on_primary, "matters_matter")

    # the public portal
    on_replica, on_primary = _both()
    with on_replica, on_primary:
        page = Client().get("/portal/penalties/")
    assert page.status_code == 200
    assert _touched(on_replica, "enforcement_penaltycase")
    assert not _touched(on_primary, "enforcement_penaltycase")

    # a record read from the replica is saved on the primary
    with replica_reads():
        entity = RegulatedEntity.objects.order_by("pk").first()
    assert entity._state.db == "replica"
    entity.address = "示例路1号"
    with CaptureQueriesContext(connections["default"]) as on_primary:
        entity.save(update_fields=["address"])
    assert any(
        q["sql"].startswith('UPDATE "core_regulatedentity"') for q in on_primary.captured_queries
    )
    assert RegulatedEntity.objects.using("default").get(pk=entity.pk).address == "示例路1号"
