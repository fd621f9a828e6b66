"""How a case service writes: step by step (every service's default) or, for a bulk job (the
demo: 137 cases, some 1,600 steps), once at the job's end.

Each case service takes `writer` (default `DIRECT`) and does its writing through it: it locks
the case, saves it, moves the chain head and records the event by the writer, and reads the
policy and the penalty rules from it. Nothing else changes, so a bulk job runs the services'
own checks and records exactly their events.

A caller that runs many steps opens a `BulkWriter` and passes it to every service:

    with BulkWriter() as writer:
        case = s.case_open(actor=..., writer=writer, ...)
        s.case_investigate(actor=..., case=case, writer=writer)

Inside it a locked case is the object the previous step left in memory, its UPDATEs are
deferred, its events are collected; at the end each case is written by one UPDATE and the
events in one insert. Everything else (new cases, numbers, disclosures, payments,
assignments) is written as usual. `ecogov case verify` of every case proves that what was
flushed is what the chain recorded. The policy and the penalty rules are read once per job,
and the working-day calendar once (core.calendar.per_request), as a request reads them.
A job that raises writes nothing of what it deferred (the caller's transaction rolls back
the rest).
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from ecogov.core.calendar import per_request
from ecogov.core.fields import refresh_indexes
from ecogov.enforcement.models import CaseEvent, EnforcementPolicy, PenaltyCase


class CaseWriter:
    """Writes each step as it happens."""

    rule_memo: dict | None = None  # rules.rule_for's memo of configuration rows (none here)

    def lock(self, case: PenaltyCase) -> PenaltyCase:
        """The case row, locked until the transaction ends (concurrent steps wait)."""
        locked = (
            PenaltyCase.objects.select_related("division", "legal_basis")
            .select_for_update(of=("self",))
            .get(pk=case.pk)
        )
        locked.remember_loaded()
        return locked

    def save(
        self, case: PenaltyCase, *, update_fields: list[str] | None = None, remember=False
    ) -> None:
        """Save the case (all fields unless `update_fields`); `remember`: the values saved
        become the ones the next save compares with (PenaltyCase.changed_fields)."""
        case.save(update_fields=update_fields)
        if remember:
            case.remember_loaded()

    def move_head(self, case: PenaltyCase) -> None:
        """The chain head moves with an event that does not save the case: a plain UPDATE
        keeps it out of the record history."""
        PenaltyCase.objects.filter(pk=case.pk).update(
            chain_length=case.chain_length, chain_hash=case.chain_hash
        )

    def record(self, event: CaseEvent) -> None:
        event.save()

    def policy(self) -> EnforcementPolicy:
        return EnforcementPolicy.current()


DIRECT = CaseWriter()


class BulkWriter(CaseWriter):
    """Writes the cases and their events once, when the `with` block ends without error."""

    def __init__(self) -> None:
        self.cases: dict[int, PenaltyCase] = {}
        self.events: list[CaseEvent] = []
        self.rule_memo: dict[Any, Any] = {}
        self._policy: EnforcementPolicy | None = None
        self._stack = ExitStack()

    def __enter__(self) -> BulkWriter:
        self._stack.enter_context(per_request())  # the calendar is read once for the job
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.flush()
        finally:
            self._stack.close()

    def lock(self, case: PenaltyCase) -> PenaltyCase:
        kept = self.cases.get(case.pk)
        if kept is not None:
            return kept  # the previous step's object is the row's current state
        locked = super().lock(case)
        self.cases[locked.pk] = locked
        return locked

    def save(self, case, *, update_fields=None, remember=False) -> None:
        if case.pk is None:  # a new case is inserted at once (its number, its relations)
            case.save()
        self.cases[case.pk] = case

    def move_head(self, case) -> None:
        self.cases[case.pk] = case  # the head is in the object written at the end

    def record(self, event) -> None:
        self.events.append(event)

    def policy(self) -> EnforcementPolicy:
        if self._policy is None:
            self._policy = EnforcementPolicy.current()
        return self._policy

    def flush(self) -> None:
        fields = [f.attname for f in PenaltyCase._meta.concrete_fields if not f.primary_key]
        for case in self.cases.values():  # one plain UPDATE each (bulk_update's CASE is slower)
            refresh_indexes(case)  # the party's blind indexes (ecogov.core.fields)
            PenaltyCase.objects.filter(pk=case.pk).update(**{f: getattr(case, f) for f in fields})
        CaseEvent.objects.bulk_create(self.events, batch_size=500)
        self.cases, self.events = {}, []
