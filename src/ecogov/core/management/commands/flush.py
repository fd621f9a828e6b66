"""Django's `flush`, able to empty the append-only tables.

Emptying the database is the one deliberate act that removes rows of the security log and
the case events: the command lifts their triggers for the transaction that deletes the rows
and no longer (ecogov.core.append_only.suspended) — not while it waits for the operator's
"yes". The test suite empties the database with it after every transactional test.
"""

from django.core.management.commands import flush
from django.db import connections

from ecogov.core import append_only


class Command(flush.Command):
    def handle(self, **options):
        using = options["database"]
        ops = connections[using].ops
        execute = ops.execute_sql_flush

        def execute_unguarded(sql_list):
            with append_only.suspended(using=using):
                execute(sql_list)

        ops.execute_sql_flush = execute_unguarded  # this connection, for this command only
        try:
            return super().handle(**options)
        finally:
            del ops.execute_sql_flush
