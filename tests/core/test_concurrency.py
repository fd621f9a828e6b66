"""Several people at once on the default database: readers and writers, no 500, no lost
audit row (issue 15 item 4).

SQLite: the test suite's database lives in memory, where one process's connections share a
cache and never meet SQLite's file locks. The test copies it into a file and gives every
thread its own connection to that file, with the project's settings (journal mode, busy
timeout, transaction mode) — what `ecogov runserver` does with var/ecogov.sqlite3.
PostgreSQL (DATABASE_URL set): every thread has its own connection to the test database.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import Counter
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client

from ecogov.core import audit
from ecogov.core.models import AuditLogEntry, SecurityEvent
from ecogov.enforcement.models import PenaltyCase

READERS = ["leader", "inspector", "beishan_staff", "nanhu_staff", "viewer", "legal", "eia_staff"]
READERS.append("zone_staff")  # 8 sessions
REQUESTS_PER_READER = 8
WRITERS = 6
FORBIDDEN = "/admin/core/auditlogentry/"  # the audit administrator's screen: 403 for the rest
CASES_API = "/api/enforcement/cases/"


class SharedDatabase:
    """Gives each thread its own connection to the database the threads share."""

    def __init__(self, path=None):
        self.path = path
        self.wrapper, self.settings_dict = type(connections["default"]), connection.settings_dict
        self.opened = []
        self.lock = threading.Lock()

    def enter_thread(self) -> None:
        if self.path is None:
            return  # PostgreSQL: the thread's own connection already goes to the test database
        own = self.wrapper({**self.settings_dict, "NAME": str(self.path)}, "default")
        with self.lock:
            self.opened.append(own)
        connections["default"] = own

    def close(self) -> None:
        for own in self.opened:
            own.inc_thread_sharing()  # closed from the test's thread
            own.close()


@pytest.fixture
def shared_db(transactional_db, tmp_path):
    from ecogov.core.demo import build

    build()  # a transactional test may start from a flushed database
    if connection.vendor != "sqlite":
        yield SharedDatabase()
        return
    path = tmp_path / "ecogov.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    shared = SharedDatabase(path)
    in_memory = connections["default"]
    shared.enter_thread()  # the test's own reads and checks go to the file as well
    try:
        yield shared
    finally:
        connections["default"] = in_memory
        shared.close()


def run_together(shared: SharedDatabase, jobs) -> list:
    """Run the jobs in threads started at the same moment; return what each job returned."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def worker(k, job):
        shared.enter_thread()
        try:
            barrier.wait(60)
            results[k] = job()
        except Exception as exc:  # reported by the test with the thread's own error
            results[k] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(k, job)) for k, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return results


@pytest.mark.django_db(transaction=True)
def test_readers_and_writers_at_once_get_no_500_and_every_audit_row_is_kept(shared_db):
    from django.contrib.auth.models import User

    def signed_in(username):
        client = Client(raise_request_exception=False)  # a 500 is a response here
        client.force_login(User.objects.get(username=username))
        return client

    some_case = PenaltyCase.objects.filter(number_year=2020).order_by("pk").first()
    pages = [
        "/admin/",
        "/admin/core/regulatedentity/",
        "/admin/enforcement/penaltycase/",
        "/api/core/entities/",
        CASES_API,
        FORBIDDEN,
        f"{CASES_API}{some_case.pk}/dossier/",
        "/api/core/entities/?page=2",
    ]
    readers = [(name, signed_in(name)) for name in READERS]
    inspector = User.objects.get(username="inspector")
    beishan = User.objects.get(username="beishan_staff")
    entity_ids = list(
        PenaltyCase.objects.filter(entity__division__name="北山县")
        .values_list("entity_id", flat=True)
        .distinct()[:WRITERS]
    )
    writers = [signed_in("inspector") for _ in range(WRITERS)]
    audit_before = AuditLogEntry.objects.count()
    cases_before = PenaltyCase.objects.count()

    def read(name, client):
        def job():
            answers = []
            for i in range(REQUESTS_PER_READER):
                path = pages[(i + READERS.index(name)) % len(pages)]
                answers.append((name, path, client.get(path).status_code))
            return answers

        return job

    def write(k, client):
        def job():
            response = client.post(
                CASES_API,
                {
                    "entity": entity_ids[k % len(entity_ids)],
                    "source": "complaint",
                    "facts": f"并发立案{k}:夜间偷排。",
                    "found_on": "2025-03-03",
                    "opened_on": "2025-03-05",
                    "open_now": True,
                    "officers": [beishan.pk, inspector.pk],
                    "late_entry_reason": "历史案卷补录",
                },
                content_type="application/json",
            )
            return response.status_code, response.content.decode()

        return job

    jobs = [read(name, client) for name, client in readers]
    jobs += [write(k, client) for k, client in enumerate(writers)]
    results = run_together(shared_db, jobs)

    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    reads = [answer for r in results[: len(readers)] for answer in r]
    assert len(reads) == len(READERS) * REQUESTS_PER_READER
    written = results[len(readers) :]
    failed_reads = [answer for answer in reads if answer[2] >= 500]
    failed_writes = [(status, body[:200]) for status, body in written if status != 201]
    assert not failed_reads and not failed_writes, (
        f"{len(failed_reads)} of {len(reads)} reads and {len(failed_writes)} of {WRITERS} "
        f"case openings failed: {failed_reads} {failed_writes}"
    )

    # every step taken left its row: each 403 a permission-denied entry, each dossier an export
    statuses = Counter((path, status) for _name, path, status in reads)
    denied = sum(n for (_path, status), n in statuses.items() if status == 403)
    dossiers = statuses[(f"{CASES_API}{some_case.pk}/dossier/", 200)]
    new = AuditLogEntry.objects.filter(seq__gt=0).order_by("seq")[audit_before:]
    events = Counter(entry.event for entry in new)
    assert denied >= len(READERS) - 1 and dossiers >= 1
    assert events["permission_denied"] == denied, (events, statuses)
    assert events["export"] == dossiers, (events, statuses)
    assert audit.verify().ok
    opened = PenaltyCase.objects.filter(facts__startswith="并发立案")
    assert PenaltyCase.objects.count() == cases_before + WRITERS
    assert len({case.number for case in opened}) == WRITERS


def _locked() -> OperationalError:
    """The error a busy database gives once its wait is over, as this backend words it."""
    if connection.vendor == "sqlite":
        return OperationalError("database is locked")
    from psycopg import errors

    error = OperationalError("canceling statement due to lock timeout")
    error.__cause__ = errors.LockNotAvailable("canceling statement due to lock timeout")
    return error


def test_an_append_outside_a_transaction_that_finds_the_database_locked_is_tried_again(db):
    written = object()
    with (
        mock.patch.object(audit, "_append", side_effect=[_locked(), _locked(), written]) as append,
        mock.patch.object(connection, "in_atomic_block", False),  # as in a request
        mock.patch.object(audit.time, "sleep"),
    ):
        assert audit.record(SecurityEvent.PERMISSION_DENIED, username="viewer") is written
    assert append.call_count == 3


def test_an_append_inside_a_transaction_is_not_tried_again_it_fails_with_it(db):
    """The caller's transaction holds the change the entry records: both go, or neither."""
    with mock.patch.object(audit, "_append", side_effect=[_locked(), object()]) as append:
        with pytest.raises(OperationalError):
            audit.record(SecurityEvent.ROLES_CHANGED, username="sysadmin")
    assert append.call_count == 1


def test_a_403_whose_entry_the_database_refuses_stays_a_403_and_the_entry_is_logged(
    world, login, caplog
):
    client = login("sysadmin")
    with (
        mock.patch.object(audit, "_append", side_effect=_locked()),
        caplog.at_level(logging.ERROR, logger="ecogov.audit"),
    ):
        response = client.get(FORBIDDEN)
    assert response.status_code == 403
    [logged] = [r for r in caplog.records if r.name == "ecogov.audit"]
    message = logged.getMessage()
    assert "permission_denied" in message and "sysadmin" in message and FORBIDDEN in message
