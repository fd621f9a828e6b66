"""Document numbers in the official form, 示环规〔2020〕1号: the one numbering sequence of the
three unifications (三统一), core's gap-free sequence (ecogov.core.numbering) over the
document counter, as the case numbers."""

from __future__ import annotations

from ecogov.core import numbering
from ecogov.core.numbering import format_number  # noqa: F401  (the areas' one format)
from ecogov.legal.models import DocumentNumberCounter


def allocate(prefix: str, year: int) -> tuple[str, int]:
    """The next document number; call inside the transaction that saves the document."""
    return numbering.allocate(DocumentNumberCounter, prefix, year)
