"""The 2020 figures of 示例市 are counted from inspection records (seed 一(三)2: 3361 家次)."""

from ecogov.inspections.figures import inspection_figures
from ecogov.inspections.models import Draw, InspectionRecord, InspectionType


def _by_key(figures):
    return {f.key: f for f in figures}


def test_enterprise_visits_2020_is_the_seed_figure(world):
    figures = _by_key(inspection_figures(world.user("leader"), 2020))
    total = figures["inspections.enterprise_visits"]
    assert (total.value, total.unit) == (3361, "家次")
    # the filter selects exactly the records behind the number
    assert InspectionRecord.objects.filter(**total.filter).count() == 3361
    parts = [figures[f"inspections.enterprise_visits.{t}"] for t in InspectionType.values]
    assert sum(p.value for p in parts) == 3361 and all(p.value > 0 for p in parts)
    random = figures["inspections.enterprise_visits.random"]
    # every random visit is the check of a draw still in force
    assert random.value == InspectionRecord.objects.filter(
        **random.filter, draw_check__draw__status="active").count()
