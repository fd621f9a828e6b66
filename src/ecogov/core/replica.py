"""Reads that may be a moment behind go to a read replica, when the installation has one.

A bureau that outgrows one database server runs PostgreSQL streaming replicas
(docs/deploy.md, "Several servers"). The public portal, the figures (the API's /api/figures/
and the back office's figures and records pages) and the annual report's preview and
downloads only read, and a second or two of replication lag does not matter to them; they
are the heaviest reads of the installation. Those doors are wrapped in `reads_replica`; inside
it `ReplicaRouter` sends every read to the `replica` database alias, and every write (a
download's security-log row, a session) still goes to the primary.

`replica` is configured by `ECOGOV_REPLICA_DATABASE_URL` (settings/base.py); without it the
router answers nothing and every query goes to `default`, as on one machine. Nothing else in
the code names a database: services write and read the primary.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

DEFAULT, REPLICA = "default", "replica"
_reading: ContextVar[bool] = ContextVar("ecogov_replica_reads", default=False)


def replica_configured() -> bool:
    return bool(getattr(settings, "ECOGOV_READ_REPLICA", False)) and (REPLICA in settings.DATABASES)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Inside: reads go to the replica (if configured)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_replica(view):
    """A view whose GET and HEAD requests read from the replica (if configured); other methods
    (a form's POST) read the primary, so that what they check is current."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads inside `replica_reads()` to `replica`; the rest to
    `default`. Migrations run on the primary only (the replica follows it)."""

    def db_for_read(self, model, **hints):
        if _reading.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        # named: with no answer Django writes where the instance was read from
        return DEFAULT

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database and its copy

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None if db != REPLICA else False
