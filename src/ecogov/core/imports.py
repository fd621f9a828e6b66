"""The import kit: what every area's Excel ledger import repeats, written once (issue 16).

- `LedgerImport`, the all-or-nothing row loop. A ledger subclasses it with its columns, the field
  that matches rows to records (`key`), lookups for the whole file (`prepare`), one row's checks
  (`plan`) and one row's write (`write`); `run(source)` reads the file, refuses a row that repeats
  another's key, checks every row, and either raises `LedgerImportError` with every problem by
  row and column or writes every row in one transaction and returns the counts.
- `row_errors`, a service's `ValidationError` as `RowError`s under the ledger's column headers.
- `template`, the empty ledger (headers only) that every import page offers for download.

The back-office page is `ecogov.core.admin.imports.LedgerImportMixin`, the API action
`ecogov.core.api_views.import_action` (or `ledger_actions`); `core.api_errors` turns a
`LedgerImportError` into a 400 once for every API. The file itself is read by
`core.spreadsheet.read_ledger`, which refuses a damaged, foreign or oversized file before
parsing it (docs/security.md, "导入限制").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core import jobs, uploads
from ecogov.core.spreadsheet import (
    Column,
    LedgerImportError,
    RowError,
    read_ledger,
    write_ledger,
)

CHUNK = 5000  # keys a lookup query takes at once
EVERY = 500  # rows between two progress reports of a background import (core/jobs.py)
# the stages' shares of an import's progress bar, in percent
READING, CHECKING, WRITING = (0, 15), (15, 55), (55, 100)


def records_by(queryset, field: str, values: Iterable) -> dict[Any, Any]:
    """{value: record} for the records whose `field` is one of `values`, looked up in chunks
    (SQLite takes at most 32,766 parameters a query; a file has up to ECOGOV_IMPORT_MAX_ROWS
    rows)."""
    wanted = sorted({v for v in values if v not in (None, "")})
    found = {}
    for start in range(0, len(wanted), CHUNK):
        for record in queryset.filter(**{f"{field}__in": wanted[start : start + CHUNK]}):
            found[getattr(record, field)] = record
    return found


def row_errors(
    number: int, exc: ValidationError, columns: dict[str, str], other: str = ""
) -> list[RowError]:
    """A ValidationError of row `number` as RowErrors; a model field's errors go under its
    column (`columns`: field → header), errors without a field under `other` (if given, also
    those of a field without a column)."""
    if not hasattr(exc, "error_dict"):
        return [RowError(number, other, m) for m in exc.messages]
    return [
        RowError(number, columns.get(field, other or field), message)
        for field, messages in exc.message_dict.items()
        for message in messages
    ]


def template(columns: Sequence[Column], title: str) -> bytes:
    """The empty ledger: the import's headers in a sheet, ready to be filled in."""
    return write_ledger(columns, [], title)


@dataclass
class Plan:
    """What one checked row will do: `data` for `write`, `current` the record it updates (None
    for a new one), `write` False when the row changes nothing."""

    number: int
    data: Any
    current: Any = None
    write: bool = True


class LedgerImport:
    """One all-or-nothing import of a ledger (one instance per file).

    A subclass sets `columns` and `title`, and `key` (the field rows are matched by; a file
    naming the same key twice is refused at the second row, "与第N行的{key_label}重复") and
    implements `plan` and `write` (and `prepare` for the lookups the rows share). `plan`
    returns a Plan, or None when it has recorded the row's problems with `error` (or raised a
    ValidationError or PermissionDenied, which the loop records by row). Writing goes through
    the area's services, in one transaction: a refusal there (another writer got in between)
    rolls every row back and is reported by row.
    """

    columns: Sequence[Column] = ()
    title: str = ""
    key: str | None = None
    key_label: str = "编号"
    field_column: dict[str, str] = {}  # model fields reported under another column
    denied_column: str = ""  # the column a PermissionDenied is reported under (its field)
    other_column: str = ""  # the column of errors naming no column (its field); "": none

    def __init__(self, *, actor, source_name: str = ""):
        self.actor = actor
        self.source_name = source_name
        self.errors: list[RowError] = []

    # -- what a ledger fills in ----------------------------------------------------------------
    def key_of(self, row: dict) -> str:
        return str(row.get(self.key) or "").strip()

    def prepare(self, rows: list[tuple[int, dict]]) -> None:
        """Look up what the rows refer to, once for the whole file."""

    def plan(self, number: int, row: dict) -> Plan | None:
        raise NotImplementedError

    def write(self, plan: Plan) -> str | None:
        """Write one row through the area's service; None, or the outcome ("created",
        "updated", "unchanged") when the service decides it."""
        raise NotImplementedError

    def write_all(self, plans: list[Plan]) -> dict[str, int]:
        """Write the checked rows (inside the import's transaction); the counts."""
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for done, plan in enumerate(plans):
            if done % EVERY == 0:
                jobs.report(_("写入"), done, len(plans), span=WRITING)
            if not plan.write:
                counts["unchanged"] += 1
                continue
            try:
                outcome = self.write(plan)
            except (ValidationError, PermissionDenied) as exc:  # all is rolled back
                raise LedgerImportError(self.problems(plan.number, exc)) from exc
            counts[outcome or ("created" if plan.current is None else "updated")] += 1
        return counts

    # -- helpers -------------------------------------------------------------------------------
    def existing_by_key(self, queryset, rows: list[tuple[int, dict]]) -> dict[str, Any]:
        """The records the file's keys name, by key."""
        return records_by(queryset, self.key, (self.key_of(row) for _n, row in rows))

    def column(self, field: str) -> str:
        """The header a field's problem is reported under."""
        if field in self.field_column:
            return self.field_column[field]
        return next((c.header for c in self.columns if c.field == field), field)

    def error(self, number: int, field: str, message: str) -> None:
        self.errors.append(RowError(number, self.column(field), message))

    def problems(self, number: int, exc: ValidationError | PermissionDenied) -> list[RowError]:
        """A service's refusal of row `number`, under the columns of the fields it names."""
        if isinstance(exc, PermissionDenied):
            return [RowError(number, self.column(self.denied_column), str(exc))]
        headers = {c.field: c.header for c in self.columns}
        other = self.column(self.other_column) if self.other_column else ""
        return row_errors(number, exc, {**headers, **self.field_column}, other)

    # -- the loop ------------------------------------------------------------------------------
    def run(self, source) -> dict[str, int]:
        """{"created", "updated", "unchanged"}; raises LedgerImportError listing every problem."""
        if self.source_name and hasattr(source, "read"):  # an upload: the one check first
            try:
                uploads.inspect(self.source_name, source, purpose="ledger")
            except uploads.Refused as exc:
                message = _("台账文件“%(name)s”%(problem)s") % {
                    "name": self.source_name,
                    "problem": exc.problem,
                }
                raise LedgerImportError([RowError(0, _("文件"), message)]) from None
        jobs.report(_("读取文件"), span=READING)
        rows, errors = read_ledger(source, self.columns)
        if errors and not rows:  # not a workbook, damaged, too large, or a column missing
            raise LedgerImportError(errors)
        self.errors = list(errors)
        jobs.report(_("核对"), 0, len(rows), span=CHECKING)
        self.prepare(rows)
        plans = list(self._plans(rows))
        if self.errors:
            raise LedgerImportError(sorted(self.errors, key=lambda e: (e.row, e.column)))
        jobs.report(_("写入"), 0, len(plans), span=WRITING)
        with transaction.atomic():
            counts = self.write_all(plans)
            jobs.record_success(counts)  # with the rows or not at all (a background import)
        return counts

    def _plans(self, rows: list[tuple[int, dict]]):
        seen: dict[str, int] = {}
        for done, (number, row) in enumerate(rows):
            if done % EVERY == 0:
                jobs.report(_("核对"), done, len(rows), span=CHECKING)
            if self.key is not None:
                key = self.key_of(row)
                if key in seen:
                    self.error(number, self.key, f"与第{seen[key]}行的{self.key_label}重复。")
                    continue
                if key:
                    seen[key] = number
            try:
                plan = self.plan(number, row)
            except (ValidationError, PermissionDenied) as exc:
                self.errors.extend(self.problems(number, exc))
                continue
            if plan is not None:
                yield plan
