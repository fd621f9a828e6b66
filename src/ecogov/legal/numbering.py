"""Document numbers in the official form, 示环规〔2020〕1号: the one numbering sequence of the
three unifications (三统一), gap-free and unique under concurrency.

As the case numbers (ecogov.enforcement.numbering): one counter row per (prefix, year), locked
with SELECT … FOR UPDATE inside the registration's transaction, so two people registering at
the same moment wait for each other and get consecutive numbers; a registration that fails
rolls its number back with it (no gap). The first number of a year creates the row; two first
registrations racing both try to insert it, one fails on the unique constraint and then takes
the lock on the row the other created.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from ecogov.legal.models import DocumentNumberCounter


def format_number(prefix: str, year: int, seq: int) -> str:
    # 六角括号〔〕 around the year, no leading zeros, no 第 (standards/formats.md)
    return f"{prefix}〔{year}〕{seq}号"


def allocate(prefix: str, year: int) -> tuple[str, int]:
    """The next number for (prefix, year); call inside the transaction that saves the document."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document numbers are allocated inside the transaction that uses them")
    for _attempt in range(3):
        counter = (DocumentNumberCounter.objects.select_for_update()
                   .filter(prefix=prefix, year=year).first())
        if counter is not None:
            counter.last += 1
            counter.save(update_fields=["last"])
            return format_number(prefix, year, counter.last), counter.last
        try:
            with transaction.atomic():  # savepoint: a lost race leaves the outer transaction usable
                DocumentNumberCounter.objects.create(prefix=prefix, year=year, last=1)
            return format_number(prefix, year, 1), 1
        except IntegrityError:
            continue  # another transaction created the row first; lock it on the next pass
    raise RuntimeError(f"could not allocate a document number for {prefix} {year}")
