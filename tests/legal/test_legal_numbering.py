"""Document numbers 示环规〔2025〕N号: the format, the one sequence per year, no gaps, and
uniqueness under concurrent registrations (PostgreSQL, real transactions in threads)."""

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from ecogov.legal import numbering
from ecogov.legal import services as s
from ecogov.legal.models import DocumentNumberCounter, LegalPolicy, NormativeDocument

D = dt.date


def test_format_has_hexagonal_brackets_and_no_leading_zero():
    assert numbering.format_number("示环规", 2020, 1) == "示环规〔2020〕1号"
    assert numbering.format_number("示环规", 2021, 12) == "示环规〔2021〕12号"


def test_the_2020_demo_documents_are_numbered_1_to_5(world):
    numbers = set(
        NormativeDocument.objects.filter(number_year=2020).values_list("number", flat=True)
    )
    assert numbers == {f"示环规〔2020〕{n}号" for n in range(1, 6)}


def test_numbers_follow_each_other_and_restart_with_the_year(docs):
    first = docs.registered(title="甲办法")
    second = docs.registered(title="乙办法", on=D(2025, 4, 26))
    assert first.number == f"示环规〔2025〕{first.number_seq}号"
    assert second.number_seq == first.number_seq + 1
    third = docs.deliberated(title="丙办法")
    third = s.document_register(actor=docs.p.legal, document=third, registered_on=D(2026, 1, 5))
    assert third.number == "示环规〔2026〕1号"


def test_the_prefix_is_configuration(docs):
    policy = LegalPolicy.current()
    policy.number_prefix = "北环规"
    policy.save()
    doc = docs.registered()
    assert doc.number == "北环规〔2025〕1号" and doc.number_prefix == "北环规"


def test_a_refused_registration_does_not_use_up_a_number(docs):
    first = docs.registered(title="甲办法")
    blocked = docs.deliberated(title="乙办法", affects_market=True)  # no fair-competition review
    with pytest.raises(ValidationError, match="未经公平竞争审查"):
        s.document_register(actor=docs.p.legal, document=blocked, registered_on=D(2025, 4, 26))
    second = docs.registered(title="丙办法", on=D(2025, 4, 26))
    assert second.number_seq == first.number_seq + 1


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises all writers, so row locks "
    "(SELECT … FOR UPDATE) and concurrent transactions cannot be shown",
)
@pytest.mark.django_db(transaction=True)
def test_people_registering_at_the_same_moment_get_distinct_consecutive_numbers(request):
    from ecogov.core.demo import build

    build()  # a transactional test starts from an empty (flushed) database
    docs = request.getfixturevalue("docs")
    ready = [docs.deliberated(title=f"并发登记文件{k}") for k in range(16)]

    def register_concurrently(documents, on) -> tuple[list[str], list[Exception]]:
        barrier = threading.Barrier(len(documents))
        numbers, errors = [], []

        def worker(document):
            try:
                barrier.wait()
                with transaction.atomic():
                    registered = s.document_register(
                        actor=docs.p.legal, document=document, registered_on=on
                    )
                    time.sleep(0.05)  # keep the transaction open so that the others overlap
                numbers.append(registered.number)
            except Exception as exc:  # collected: a refusal is part of what is checked
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(d,)) for d in documents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        return numbers, errors

    # round 1: no counter row for 2025 yet, so the first inserts race on the unique constraint
    first, errors = register_concurrently(ready[:8], D(2025, 4, 25))
    assert not errors, errors
    # round 2: the row exists; every registration waits for the row lock
    second, errors = register_concurrently(ready[8:], D(2025, 4, 28))
    assert not errors, errors
    numbers = first + second
    assert len(numbers) == len(set(numbers)) == 16
    assert sorted(int(n.split("〕")[1][:-1]) for n in numbers) == list(range(1, 17))
    assert DocumentNumberCounter.objects.get(prefix="示环规", year=2025).last == 16
    # the same document registered twice at once: one number, one refusal
    last = docs.deliberated(title="同一文件")
    numbers, errors = register_concurrently([last, last], D(2025, 4, 29))
    assert len(numbers) == 1 and len(errors) == 1 and "不能重复编号" in str(errors[0])
    assert DocumentNumberCounter.objects.get(prefix="示环规", year=2025).last == 17
