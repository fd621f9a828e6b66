"""Official document numbers, 示环罚〔2020〕12号 / 示环规〔2020〕1号: gap-free and unique under
concurrency, for every area that numbers its records (penalty cases, normative documents).

The sequence comes from one counter row per (prefix, year) of the area's counter model (fields
`prefix`, `year`, `last`, unique on prefix and year), locked with SELECT … FOR UPDATE inside the
caller's transaction: two people numbering at the same moment wait for each other on that row
and get consecutive numbers, and a save that fails rolls its number back with it (no gap). The
first number of a year creates the row; two first numbers racing both try to insert it, one
fails on the unique constraint and then takes the lock on the row the other created.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction


def format_number(prefix: str, year: int, seq: int) -> str:
    # 六角括号〔〕 around the year, no leading zeros, no 第 (docs/enforcement.md, docs/legal.md)
    return f"{prefix}〔{year}〕{seq}号"


def allocate(counter_model, prefix: str, year: int) -> tuple[str, int]:
    """The next number for (prefix, year); call inside the transaction that saves the record."""
    what = counter_model._meta.label
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{what} numbers are allocated inside the transaction that uses them")
    for _attempt in range(3):
        counter = counter_model.objects.select_for_update().filter(prefix=prefix, year=year).first()
        if counter is not None:
            counter.last += 1
            counter.save(update_fields=["last"])
            return format_number(prefix, year, counter.last), counter.last
        try:
            with transaction.atomic():  # savepoint: a lost race leaves the outer transaction usable
                counter_model.objects.create(prefix=prefix, year=year, last=1)
            return format_number(prefix, year, 1), 1
        except IntegrityError:
            continue  # another transaction created the row first; lock it on the next pass
    raise RuntimeError(f"could not allocate a {what} number for {prefix} {year}")
