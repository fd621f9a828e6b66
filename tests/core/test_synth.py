"""`ecogov synth` (ecogov.core.synth): every area filled, the shapes of a real bureau, the
same records for the same seed, refusals that write nothing, figures computable over it."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from ecogov.core.areas import AREAS
from ecogov.core.synth import BASE, SCALES, SynthRefused, digest, run

YEAR = 2025
SYNTH_AREAS = {"core", "eia", "permits", "inspections", "enforcement", "matters", "airquality",
               "legal", "outreach", "emergency"}  # fmt: skip


def _main_figures(leader):
    from ecogov.core.figures import Period, figures_for

    keys = [
        "core.entities.total",
        "eia.approved.total",
        "permits.issued",
        "inspections.enterprise_visits",
        "enforcement.cases",
        "enforcement.fines.imposed",
        "legal.decided",
        "training.batches",
        "emergency.drills",
    ]
    values = {f.key: f.value for f in figures_for(leader, Period.of_year(YEAR))}
    return {k: values[k] or 0 for k in keys}


@pytest.mark.django_db
def test_county_scale_fills_every_area_in_the_shapes_of_a_bureau(world):
    from ecogov.core.models import RegulatedEntity
    from ecogov.enforcement.models import CaseEvent, PenaltyCase
    from ecogov.enforcement.workflow import CaseState
    from ecogov.matters.models import Matter

    leader = world.user("leader")
    before = _main_figures(leader)
    counts = run("county", seed=3, year=YEAR)
    seconds = counts.pop("seconds")
    assert seconds < 60
    assert {label.split(".")[0] for label in counts} == SYNTH_AREAS
    assert all(AREAS[a].synth for a in SYNTH_AREAS)
    assert 10_000 <= sum(counts.values()) < 20_000

    entities = RegulatedEntity.objects.filter(pk__gte=BASE)
    key_share = entities.filter(is_key_discharger=True).count() / entities.count()
    assert 0.03 < key_share < 0.15  # most ordinary, few key dischargers
    assert entities.values("division").distinct().count() == 1  # one county

    last = dt.date(YEAR, 12, 31)
    petitions = Matter.objects.filter(pk__gte=BASE, kind="petition")
    due = petitions.filter(due_on__lt=last)
    overdue = due.filter(is_open=True).count()
    assert 0 < overdue < 0.05 * due.count()  # overdue petitions present but few
    assert due.filter(is_open=False, done_late=False).count() > 0.85 * due.count()
    assert set(Matter.objects.filter(pk__gte=BASE).values_list("kind", flat=True)) == {
        "petition",
        "rectification",
        "proposal",
        "task",
    }

    cases = PenaltyCase.objects.filter(pk__gte=BASE)
    assert set(cases.values_list("state", flat=True)) == set(CaseState.values)
    decided = cases.exclude(decided_on=None)
    assert decided.exclude(fine=None).count() > 0.8 * decided.count()  # mostly fines
    events = CaseEvent.objects.filter(record__in=cases)
    assert events.filter(type="lead_registered").count() == cases.count()
    assert events.filter(type="decided").count() == decided.count()
    for case in cases.filter(state="closed")[:20]:  # each closed case's events end in closed
        assert case.events.order_by("seq").last().to_state == "closed"

    after = _main_figures(leader)
    assert all(after[k] > before[k] for k in after), (before, after)


def _sequences() -> list:
    """PostgreSQL's sequences as they stand (the rows the demo's ORM writes take their ids)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")
        return cursor.fetchall()


def _restore(sequences: list) -> None:
    with connection.cursor() as cursor:
        for name, last in sequences:
            if last is None:
                cursor.execute("SELECT setval(%s, 1, false)", [name])
            else:
                cursor.execute("SELECT setval(%s, %s, true)", [name, last])


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_records():
    class Undo(Exception):
        pass

    digests = []
    sequences = _sequences()
    for seed in (5, 5, 6):
        _restore(sequences)  # PostgreSQL's sequences do not roll back with the transaction
        try:
            with transaction.atomic():
                run("county", seed=seed, year=YEAR)
                digests.append(digest())
                raise Undo
        except Undo:
            pass
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


@pytest.mark.django_db
def test_a_second_run_and_an_unknown_scale_are_refused_and_write_nothing():
    from ecogov.core.models import RegulatedEntity

    out = StringIO()
    call_command("synth", "--scale", "tiny", "--year", str(YEAR), stdout=out)
    assert "合计" in out.getvalue() and "秒" in out.getvalue()
    rows = RegulatedEntity.objects.count()
    with pytest.raises(CommandError, match="已有合成数据"):
        call_command("synth", "--scale", "county", stdout=StringIO())
    assert RegulatedEntity.objects.count() == rows
    with pytest.raises(SynthRefused, match="规模“huge”不存在"):
        run("huge")
    with pytest.raises(SynthRefused, match="年度"):
        run("county", year=1999)


@pytest.mark.django_db
def test_province_scale_adds_the_province_cities_and_counties():
    from ecogov.core.models import Division, RegulatedEntity

    cities = Division.objects.filter(level="city").count()
    counties = Division.objects.filter(level__in=["county", "special_zone"]).count()
    run("province", records=4_000, year=YEAR)  # the province's shape, few records
    assert Division.objects.filter(level="city").count() == cities + SCALES["province"].cities - 1
    total = Division.objects.filter(level__in=["county", "special_zone"]).count()
    assert 110 <= total <= 130 and total > counties
    spread = RegulatedEntity.objects.filter(pk__gte=BASE).values("division").distinct().count()
    assert spread > 100
