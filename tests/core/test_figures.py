from ecogov.core import services, creditcode
from ecogov.core.figures import entity_figures
from ecogov.core.models import RegulatedEntity


def _by_key(figures):
    return {f.key: f for f in figures}


def test_figures_are_counted_from_records_within_scope(world):
    staff = world.user("beishan_staff")
    before = _by_key(entity_figures(staff, 2026))
    own = RegulatedEntity.objects.filter(division__name="北山县")
    assert before["core.entities.total"].value == own.count()
    assert before["core.entities.key_dischargers"].value == own.filter(is_key_discharger=True).count()
    services.entity_create(actor=staff, data={
        "name": "统计测试公司", "credit_code": creditcode.make("91990121MA0000501"),
        "division": world.division("北山县"), "is_key_discharger": True})
    after = _by_key(entity_figures(staff, 2026))
    assert after["core.entities.total"].value == before["core.entities.total"].value + 1
    assert after["core.entities.key_dischargers"].value == before["core.entities.key_dischargers"].value + 1
    registered = after["core.entities.registered_in_year"]
    # the figure's filter selects exactly the records behind the number
    assert RegulatedEntity.objects.filter(**registered.filter).distinct().count() >= registered.value
    assert "统计测试公司" in set(RegulatedEntity.objects.visible_to(staff).filter(
        **registered.filter).values_list("name", flat=True))
    city = _by_key(entity_figures(world.user("leader"), 2026))
    assert city["core.entities.total"].value == RegulatedEntity.objects.count()
