"""`ecogov synth` (ecogov.core.synth): every area filled, the shapes of a real bureau, the
same records for the same seed, refusals that write nothing, figures computable over it."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import F

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


# --- one area alone at a chosen volume (`--only AREA --records N`, the benches) --------------
def _synthetic(model) -> int:
    return model._base_manager.filter(pk__gte=BASE).count()


@pytest.mark.django_db
def test_one_area_alone_writes_the_volume_asked_and_only_what_it_needs():
    from ecogov.core.models import Organisation, RecordAssignment, RegulatedEntity
    from ecogov.enforcement.models import PenaltyCase
    from ecogov.matters.models import Matter, MatterUnit
    from ecogov.permits.models import Permit

    counts = run(only="matters", records=600, volumes={"units": 12}, year=YEAR)
    assert counts["matters.Matter"] == _synthetic(Matter) == 600
    assert _synthetic(RegulatedEntity) == 0  # matters name no entity: none written
    assert _synthetic(PenaltyCase) == _synthetic(Permit) == 0  # the other areas left out
    units = Organisation.objects.filter(pk__gte=BASE)
    assert units.count() == 12
    parts = MatterUnit.objects.filter(pk__gte=BASE)
    assert parts.count() >= 600
    # every unit's part comes with its assignment (the unit's staff see their matters by it)
    assert _synthetic(RecordAssignment) == parts.count()
    assert not parts.filter(assignment=None).exists()
    assert parts.filter(assignment__organisation_id=F("organisation_id")).count() == parts.count()
    leads = parts.filter(role="lead").exclude(organisation__in=units)
    assert not leads.exists()  # the lead units are the 12 asked for
    assert parts.filter(role="lead").values("organisation").distinct().count() == 12


@pytest.mark.django_db
def test_one_area_alone_with_its_kinds_set_apart_and_entities_as_supporting_rows():
    from ecogov.core.models import RegulatedEntity
    from ecogov.eia.models import EiaProject
    from ecogov.matters.models import Matter
    from ecogov.permits.models import Permit, Registration

    run(only="permits", records="1,000", volumes={"registrations": 300}, year=YEAR)
    assert _synthetic(Permit) == 1000
    assert _synthetic(Registration) == 300
    entities = _synthetic(RegulatedEntity)
    assert entities == 30  # 3 % of the volume, the scales' proportion
    holders = set(Permit.objects.filter(pk__gte=BASE).values_list("entity_id", flat=True))
    assert len(holders) == entities and min(holders) >= BASE
    assert _synthetic(EiaProject) == _synthetic(Matter) == 0


@pytest.mark.django_db
def test_the_command_generates_the_entities_alone():
    from ecogov.core.models import RegulatedEntity
    from ecogov.inspections.models import InspectionRecord

    out = StringIO()
    call_command("synth", "--only", "entities", "--records", "250", "--year", str(YEAR), stdout=out)
    assert _synthetic(RegulatedEntity) == 250
    assert _synthetic(InspectionRecord) == 0
    assert "core.RegulatedEntity" in out.getvalue() and "合计 250 条" in out.getvalue()


@pytest.mark.django_db
def test_the_inspector_pool_for_the_draw_bench():
    from django.contrib.auth.models import User

    from ecogov.core.models import RegulatedEntity, StaffProfile
    from ecogov.inspections.models import ConflictDeclaration, Plan

    run(
        "county",
        only="inspections",
        volumes={"entities": 400, "inspectors": 40, "inspections": 0, "draw_checks": 0},
        year=YEAR,
    )
    assert _synthetic(RegulatedEntity) == 400
    assert _synthetic(User) == _synthetic(StaffProfile) == 40
    staff = StaffProfile.objects.filter(pk__gte=BASE)
    assert not staff.filter(certificate_number="").exists()
    assert staff.values("division").distinct().count() == 3  # province, city, the county
    conflicts = ConflictDeclaration.objects.filter(pk__gte=BASE)
    assert conflicts.count() == 20  # one entity in twenty
    assert not conflicts.exclude(inspector__staff__in=staff).exists()
    assert _synthetic(Plan) == 0  # no plans, draws or records asked for


def _digest_of(**kwargs) -> str:
    class Undo(Exception):
        pass

    sequences = _sequences()
    _restore(sequences)
    try:
        with transaction.atomic():
            run(year=YEAR, **kwargs)
            result = digest()
            raise Undo
    except Undo:
        pass
    _restore(sequences)
    return result


@pytest.mark.django_db
def test_one_area_alone_is_deterministic():
    first = _digest_of(only="matters", records=400, seed=5)
    assert _digest_of(only="matters", records=400, seed=5) == first
    assert _digest_of(only="matters", records=400, seed=6) != first
    assert _digest_of(only="matters", records=401, seed=5) != first


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--only", "weather", "--records", "10"], "领域“weather”不存在"),
        (["--only", "matters", "--records", "abc"], "记录数(--records)“abc”无效"),
        (["--only", "matters", "--records", "0"], "记录数(--records)“0”无效"),
        (["--only", "matters", "--records", "-5"], "无效"),
        (["--only", "matters", "--records", "20000000"], "无效"),
        (["--only", "matters", "--scale", "huge"], "规模“huge”不存在"),
        (["--scale", "county", "--records", "10"], "须与 --only"),
        ([], "须给出 --scale"),
    ],
)
def test_the_one_area_mode_refuses_bad_input_and_writes_nothing(options, message):
    from ecogov.core.models import RegulatedEntity
    from ecogov.matters.models import Matter

    rows = (RegulatedEntity.objects.count(), Matter.objects.count())
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("synth", *options, stdout=StringIO())
    assert (RegulatedEntity.objects.count(), Matter.objects.count()) == rows


@pytest.mark.django_db
def test_the_python_api_refuses_an_unknown_kind_or_a_bad_volume():
    from ecogov.core.synth import present

    with pytest.raises(SynthRefused, match="记录种类“wells”不存在"):
        run(only="permits", records=10, volumes={"wells": 5})
    with pytest.raises(SynthRefused, match="registrations"):
        run(only="permits", records=10, volumes={"registrations": -1})
    assert not present()
