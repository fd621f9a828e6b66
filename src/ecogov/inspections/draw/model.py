"""Plain data in and out of the draw engine, and its one error type."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

# Names the algorithm of docs/draw-algorithm.md; a stored draw can only be verified by an
# engine of the same version, so any change to the output for the same inputs needs a new one.
ALGORITHM_VERSION = "ecogov-draw/1"


@dataclass(frozen=True, slots=True)
class Quota:
    """How many entities of one category to draw: a share in percent, or a count (not both)."""

    category: str
    share: Decimal | int | str | None = None  # percent, 0–100; drawn = ceil(share × frame / 100)
    count: int | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    period: str  # e.g. "2020-Q1"; only hashed, never interpreted
    division_scope: tuple[str, ...]  # entities within any of these divisions form the frame
    quotas: tuple[Quota, ...]  # one per entity category in scope (0 allowed)
    inspectors_per_check: int = 2
    allow_cross_division: bool = False


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    category: str
    division: str  # GB/T 2260 code


class EntityColumns(NamedTuple):
    """The entity pool as three parallel columns, in any order: what a database query hands
    over, without an object per row (200,000 of them cost more than the draw's hashing)."""

    ids: list[str]
    categories: list[str]
    divisions: list[str]


@dataclass(frozen=True, slots=True)
class Inspector:
    id: str
    division: str  # the territory he enforces in; covers its sub-divisions
    certificate_expiry: datetime.date | None  # None: no enforcement certificate


@dataclass(frozen=True, slots=True)
class Conflict:
    inspector_id: str
    entity_id: str


@dataclass(frozen=True)
class DrawInputs:
    """Everything a draw depends on. `entities` is a sequence of Entity or one EntityColumns.
    `divisions` maps each code to its parent code (None at the root); left empty it is
    derived from the GB/T 2260 code structure."""

    plan: Plan
    entities: Sequence[Entity] | EntityColumns
    inspectors: Sequence[Inspector]
    inspection_date: datetime.date
    seed: str
    conflicts: Sequence[Conflict] = ()
    previous_assignments: Mapping[str, Sequence[str]] = field(default_factory=dict)
    divisions: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CategoryTally:
    category: str
    frame_size: int  # entities of the category within the plan's scope
    drawn: int


@dataclass(frozen=True, slots=True)
class Check:
    """One drawn entity and its inspectors, in draw order (the first is listed first)."""

    category: str
    rank: int  # 1-based position in the category's draw order
    entity_id: str
    inspector_ids: tuple[str, ...]


@dataclass(frozen=True)
class DrawResult:
    algorithm_version: str
    seed: str
    input_hash: str  # SHA-256 (hex) of the canonical inputs document
    tallies: tuple[CategoryTally, ...]  # sorted by category
    checks: tuple[Check, ...]  # by category, then rank
    result_hash: str  # SHA-256 (hex) of the canonical result document


@dataclass(frozen=True, slots=True)
class Difference:
    field: str  # e.g. "checks[3].inspector_ids"
    stored: str
    recomputed: str
    message: str


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    message: str
    first_difference: Difference | None = None
    recomputed: DrawResult | None = None
    error: DrawError | None = None  # the inputs themselves were rejected


class DrawError(ValueError):
    """Bad input, with a Chinese message naming the field; `code` is stable for programs.

    Codes: invalid_value, duplicate_id, unknown_division, share_out_of_range, invalid_quota,
    unknown_category, pool_too_small, per_check_too_small, inspector_pool_too_small,
    no_eligible_inspector, not_canonical.
    """

    def __init__(self, code: str, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.code = code
        self.field = field
        self.message = message
