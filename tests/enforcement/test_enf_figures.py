"""The annual figures, from the demo world's 2020 cases (FIGURES.md: enforcement.cases = 137)."""

from decimal import Decimal

from django.apps import apps
from django.core.management import call_command
from django.db.models import Count

from ecogov.core.models import Division
from ecogov.enforcement.figures import enforcement_figures
from ecogov.enforcement.models import PenaltyCase


def by_key(user, year=2020):
    return {f.key: f for f in enforcement_figures(user, year)}


def test_the_2020_figures_of_the_demo_world(world):
    figures = by_key(world.user("leader"))
    values = {key: f.value for key, f in figures.items()}
    assert values == {
        "enforcement.cases": 137,  # the seed's figure
        "enforcement.decisions": 115,  # 128 decisions, 13 of them made in January–February 2021
        "enforcement.fines.imposed": Decimal("2216.3"),
        "enforcement.confiscation.imposed": Decimal("0"),
        "enforcement.fines.collected": Decimal("2159.5"),
        "enforcement.legal_reviewed": 76,
        "enforcement.hearings": 21,
        "enforcement.disclosed": 114,
        "enforcement.disclosed_on_time": 111,
    }
    assert figures["enforcement.fines.imposed"].unit == "万元"


def test_each_figure_drills_down_to_its_records(world):
    for figure in enforcement_figures(world.user("leader"), 2020):
        model = apps.get_model(figure.model)
        records = model.objects.filter(**figure.filter).distinct()
        if figure.unit == "件":
            assert records.count() == figure.value, figure.key
        else:
            assert records.exists(), figure.key


def test_figures_follow_the_scope_and_add_up_over_the_counties(world):
    cases = PenaltyCase.objects.filter(number_year=2020)
    for user, county in (("beishan_staff", "北山县"), ("nanhu_staff", "南湖县")):
        own = cases.filter(division__name=county).count()
        assert by_key(world.user(user))["enforcement.cases"].value == own > 0
    counties = Division.objects.filter(parent__code="990100")
    per_county = dict(cases.values_list("division").annotate(n=Count("pk")))
    assert len(per_county) == counties.count() == 13  # every county and the development zone
    assert sum(per_county.values()) == by_key(world.user("viewer"))["enforcement.cases"].value == 137


def test_figures_of_a_year_are_counted_by_the_date_of_the_act(world):
    figures = by_key(world.user("leader"), 2021)
    assert figures["enforcement.cases"].value == 0
    assert figures["enforcement.decisions"].value == 13


def test_every_demo_case_record_verifies(world, capsys):
    call_command("case", "verify", all=True)
    assert "共校验 137 个案件,全过程记录均完整" in capsys.readouterr().out


def test_a_bulk_job_records_exactly_the_services_events(flow):
    """The demo runs the services inside `bulk()` (rows and events written at the end):
    the same steps give the same events as one by one, and the flushed record verifies."""
    from ecogov.enforcement.bulk import bulk
    from ecogov.enforcement.chain import verify_case

    def steps(case):
        return [(e.type, e.from_state, e.to_state, e.reason,
                 sorted(k for k in e.payload if k != "snapshot")) for e in case.events.all()]

    plain = flow.closed()
    with bulk():
        batched = flow.closed(county="南湖县")
    batched = PenaltyCase.objects.get(pk=batched.pk)
    assert steps(batched) == steps(plain) and batched.state == "closed"
    assert verify_case(batched).ok and verify_case(plain).ok


def test_demo_cases_from_random_inspections_start_at_the_check_that_found_them(world):
    from ecogov.inspections.models import InspectionRecord

    linked = PenaltyCase.objects.exclude(inspection_ref="")
    assert linked.count() >= 10
    for case in linked:
        record = InspectionRecord.objects.get(number=case.inspection_ref)
        assert record.outcome == "case_opened" and record.case_number == case.number
        assert record.entity_id == case.entity_id and record.date == case.found_on
        assert set(record.inspectors.all()) <= set(case.officers.all())
