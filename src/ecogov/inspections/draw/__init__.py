"""Verifiable random draw for 双随机、一公开 inspections: pure Python, no Django.

    result = draw(DrawInputs(plan, entities, inspectors, inspection_date, seed, ...))
    report = verify(inputs, stored_result)
    document, result = draw_with_document(inputs)    # what a service stores, in one pass
    report = verify_document(document, seed, stored_result)   # from the stored document

Entities may be given as Entity objects or, from a database, as one EntityColumns.

The algorithm is specified in docs/draw-algorithm.md; `reference` is a plain re-implementation
of that text (the tests' oracle and the benchmark's baseline).
"""

from .canonical import (
    canonical_document,
    inputs_from_document,
    parse_document,
    result_document,
    result_hash,
)
from .engine import draw, draw_with_document, first_difference, verify, verify_document
from .model import (
    ALGORITHM_VERSION,
    CategoryTally,
    Check,
    Conflict,
    Difference,
    DrawError,
    DrawInputs,
    DrawResult,
    Entity,
    EntityColumns,
    Inspector,
    Plan,
    Quota,
    VerifyReport,
)

__all__ = [
    "ALGORITHM_VERSION",
    "CategoryTally",
    "Check",
    "Conflict",
    "Difference",
    "DrawError",
    "DrawInputs",
    "DrawResult",
    "Entity",
    "EntityColumns",
    "Inspector",
    "Plan",
    "Quota",
    "VerifyReport",
    "canonical_document",
    "draw",
    "draw_with_document",
    "first_difference",
    "inputs_from_document",
    "parse_document",
    "result_document",
    "result_hash",
    "verify",
    "verify_document",
]
