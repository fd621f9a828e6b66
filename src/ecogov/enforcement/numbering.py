"""Case numbers in the official form, 示环罚〔2020〕12号: core's gap-free sequence
(ecogov.core.numbering) over the case counter."""

from __future__ import annotations

from ecogov.core import numbering
from ecogov.core.numbering import format_number  # noqa: F401  (the areas' one format)
from ecogov.enforcement.models import CaseNumberCounter


def allocate(prefix: str, year: int) -> tuple[str, int]:
    """The next case number for (prefix, year); call inside the transaction that saves the case."""
    return numbering.allocate(CaseNumberCounter, prefix, year)
