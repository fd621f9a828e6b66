"""The security log and the case events are append-only in the database itself: triggers
refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), whoever sends them."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from ecogov.core import append_only, audit
from ecogov.core.models import AuditLogEntry, SecurityEvent
from ecogov.enforcement.models import CaseEvent

GUARDED = [AuditLogEntry, CaseEvent]
REFUSED = "只追加表 .*数据库拒绝"


@pytest.fixture
def rows(world):
    """A security log entry and a case event of 示例市 (the demo's 2020 cases have events)."""
    audit.record(SecurityEvent.EXPORT, username="leader", detail={"rows": 1})
    return {model: model.objects.order_by("pk").first() for model in GUARDED}


def _sql(statement, params=None):
    # in its own savepoint: on PostgreSQL a refused statement aborts the transaction
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_both_tables_carry_the_triggers(db):
    assert {AuditLogEntry._meta.db_table, CaseEvent._meta.db_table} <= append_only.tables()


@pytest.mark.parametrize("model", GUARDED, ids=lambda m: m.__name__)
def test_an_update_in_raw_sql_is_refused(rows, model):
    row = rows[model]
    table = model._meta.db_table
    with pytest.raises(IntegrityError, match=f"{REFUSED} UPDATE"):
        _sql(f"UPDATE {table} SET hash = %s WHERE id = %s", ["0" * 64, row.pk])
    assert model.objects.get(pk=row.pk).hash == row.hash


@pytest.mark.parametrize("model", GUARDED, ids=lambda m: m.__name__)
def test_a_delete_in_raw_sql_is_refused(rows, model):
    row = rows[model]
    with pytest.raises(IntegrityError, match=f"{REFUSED} DELETE"):
        _sql(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [row.pk])
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", GUARDED, ids=lambda m: m.__name__)
def test_a_querysets_update_and_delete_are_refused(rows, model):
    """The models' own save()/delete() refuse already; a queryset does not call them."""
    count = model.objects.count()
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        model.objects.filter(pk=rows[model].pk).update(hash="f" * 64)
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        model.objects.all().delete()
    assert model.objects.count() == count


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_truncate_is_refused_on_postgresql(rows):
    with pytest.raises(IntegrityError, match=f"{REFUSED} TRUNCATE"):
        _sql(f"TRUNCATE {AuditLogEntry._meta.db_table} CASCADE")
    assert AuditLogEntry.objects.exists()


def test_an_intruder_must_drop_the_triggers_and_they_come_back(rows):
    entry = rows[AuditLogEntry]
    with append_only.suspended():
        assert append_only.tables() == set()
        _sql(
            f"UPDATE {AuditLogEntry._meta.db_table} SET username = %s WHERE id = %s",
            ["x", entry.pk],
        )
    assert {AuditLogEntry._meta.db_table, CaseEvent._meta.db_table} <= append_only.tables()
    with pytest.raises(IntegrityError, match=REFUSED):
        _sql(
            f"UPDATE {AuditLogEntry._meta.db_table} SET username = %s WHERE id = %s",
            ["y", entry.pk],
        )
    assert not audit.verify().ok  # and the hash chain names the altered row


def test_flush_empties_the_tables_and_leaves_them_guarded(rows):
    """`ecogov flush` (and the test suite after each transactional test) still empties them."""
    call_command("flush", interactive=False, reset_sequences=False, inhibit_post_migrate=True)
    assert not AuditLogEntry.objects.exists() and not CaseEvent.objects.exists()
    entry = audit.record(SecurityEvent.EXPORT, username="leader")
    with pytest.raises(IntegrityError, match=REFUSED):
        _sql(f"DELETE FROM {AuditLogEntry._meta.db_table} WHERE id = %s", [entry.pk])
