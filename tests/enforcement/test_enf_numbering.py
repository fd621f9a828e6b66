"""Case numbers 示环罚〔2025〕N号: the format, the per-year sequence, and uniqueness under
concurrent openings (PostgreSQL, real transactions in threads)."""

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from ecogov.enforcement import numbering
from ecogov.enforcement import services as s
from ecogov.enforcement.models import CaseNumberCounter, EnforcementPolicy, PenaltyCase

D = dt.date


def test_format_has_hexagonal_brackets_and_no_leading_zero():
    assert numbering.format_number("示环罚", 2020, 12) == "示环罚〔2020〕12号"
    assert numbering.format_number("示环罚", 2021, 1) == "示环罚〔2021〕1号"


def test_numbers_run_per_year_and_restart_in_a_new_year(flow):
    first = flow.opened(found_on=D(2025, 12, 29), opened_on=D(2025, 12, 30))
    second = flow.opened(found_on=D(2025, 12, 29), opened_on=D(2025, 12, 31))
    third = flow.opened(found_on=D(2025, 12, 29), opened_on=D(2026, 1, 4))
    assert first.number == f"示环罚〔2025〕{first.number_seq}号"
    assert second.number_seq == first.number_seq + 1 and second.number_year == 2025
    assert third.number == "示环罚〔2026〕1号" and third.number_year == 2026


def test_the_2020_demo_cases_are_numbered_1_to_137(world):
    numbers = set(PenaltyCase.objects.filter(number_year=2020).values_list("number", flat=True))
    assert numbers == {f"示环罚〔2020〕{n}号" for n in range(1, 138)}


def test_the_prefix_is_configuration(flow):
    policy = EnforcementPolicy.current()
    policy.number_prefix = "北环罚"
    policy.save()
    case = flow.opened()
    assert case.number == "北环罚〔2025〕1号" and case.number_prefix == "北环罚"


def test_a_refused_opening_does_not_use_up_a_number(flow):
    first = flow.opened()
    with pytest.raises(ValidationError, match="早于本案上一步骤的日期"):
        flow.opened(found_on=D(2025, 3, 3), opened_on=D(2025, 3, 1))  # opened before found
    second = flow.opened()
    assert second.number_seq == first.number_seq + 1


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises all writers, so row locks "
    "(SELECT … FOR UPDATE) and concurrent transactions cannot be shown",
)
@pytest.mark.django_db(transaction=True)
def test_people_opening_cases_at_the_same_moment_get_distinct_consecutive_numbers():
    from ecogov.core.demo import World, build

    build()  # a transactional test starts from an empty (flushed) database
    world = World()
    handler = world.user("inspector")
    officers = [world.user("beishan_staff"), handler]
    entity = world.entity_in("北山县")

    def open_concurrently(count: int, opened_on: dt.date) -> list[str]:
        barrier = threading.Barrier(count)
        numbers, errors = [], []

        def worker(k):
            try:
                barrier.wait()
                with transaction.atomic():
                    case = s.case_open(
                        actor=handler,
                        entity=entity,
                        division=entity.division,
                        source="complaint",
                        facts=f"并发立案{k}",
                        found_on=opened_on,
                        opened_on=opened_on,
                        officers=officers,
                    )
                    time.sleep(0.05)  # keep the transaction open so that the others overlap
                numbers.append(case.number)
            except Exception as exc:  # reported below, with the thread's own error
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors, errors
        return numbers

    # round 1: no counter row for 2025 yet, so the first inserts race on the unique constraint
    first = open_concurrently(8, D(2025, 6, 2))
    # round 2: the row exists; every opening waits for the row lock
    second = open_concurrently(8, D(2025, 6, 3))
    numbers = first + second
    assert len(numbers) == len(set(numbers)) == 16
    assert sorted(int(n.split("〕")[1][:-1]) for n in numbers) == list(range(1, 17))
    assert CaseNumberCounter.objects.get(prefix="示环罚", year=2025).last == 16
    assert PenaltyCase.objects.filter(number_year=2025).count() == 16
