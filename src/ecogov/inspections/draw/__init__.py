"""Verifiable random draw for 双随机、一公开 inspections: pure Python, no Django.

    result = draw(DrawInputs(plan, entities, inspectors, inspection_date, seed, ...))
    report = verify(inputs, stored_result)

The algorithm is specified in docs/draw-algorithm.md; `reference` is a plain re-implementation
of that text (the tests' oracle and the benchmark's baseline).
"""

from .canonical import canonical_document, inputs_from_document, result_document, result_hash
from .engine import draw, first_difference, verify
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
    Inspector,
    Plan,
    Quota,
    VerifyReport,
)

__all__ = [
    "ALGORITHM_VERSION", "CategoryTally", "Check", "Conflict", "Difference", "DrawError",
    "DrawInputs", "DrawResult", "Entity", "Inspector", "Plan", "Quota", "VerifyReport",
    "canonical_document", "draw", "first_difference", "inputs_from_document",
    "result_document", "result_hash", "verify",
]
