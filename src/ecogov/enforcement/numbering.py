"""Case numbers in the official form, 示环罚〔2020〕12号 (standards/formats.md "Document numbers").

The sequence comes from one counter row per (prefix, year), locked with SELECT … FOR UPDATE
inside the caller's transaction: two people opening cases at the same moment wait for each
other on that row and get consecutive numbers. The first case of a year creates the row; two
first cases racing both try to insert it, one fails on the unique constraint and then takes
the lock on the row the other created.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from ecogov.enforcement.models import CaseNumberCounter


def format_number(prefix: str, year: int, seq: int) -> str:
    # 六角括号〔〕 around the year, no leading zeros, no 第 (formats.md)
    return f"{prefix}〔{year}〕{seq}号"


def allocate(prefix: str, year: int) -> tuple[str, int]:
    """The next number for (prefix, year); call inside the transaction that saves the case."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case numbers are allocated inside the transaction that uses them")
    for _attempt in range(3):
        counter = (CaseNumberCounter.objects.select_for_update()
                   .filter(prefix=prefix, year=year).first())
        if counter is not None:
            counter.last += 1
            counter.save(update_fields=["last"])
            return format_number(prefix, year, counter.last), counter.last
        try:
            with transaction.atomic():  # savepoint: a lost race leaves the outer transaction usable
                CaseNumberCounter.objects.create(prefix=prefix, year=year, last=1)
            return format_number(prefix, year, 1), 1
        except IntegrityError:
            continue  # another transaction created the row first; lock it on the next pass
    raise RuntimeError(f"could not allocate a case number for {prefix} {year}")
