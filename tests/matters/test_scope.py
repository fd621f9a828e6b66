"""Who sees which matters: a county only its own, a city department only what is assigned to it,
read-only unless it handles the matter; co-handlers still report progress."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ecogov.core.scoping import can_edit
from ecogov.matters import services
from ecogov.matters.models import Matter, MatterUnit


def test_a_county_sees_only_its_own_matters(world):
    beishan = world.user("beishan_staff")
    visible = Matter.objects.visible_to(beishan)
    assert visible.exists()
    own_orgs = {"示例市生态环境局北山分局", "北山县人民政府"}
    for matter in visible.prefetch_related("units__organisation"):
        assert matter.division.name == "北山县" or own_orgs & {
            u.organisation.name for u in matter.units.all()
        }
    nanhu = Matter.objects.filter(division__name="南湖县").first()
    assert not visible.filter(pk=nanhu.pk).exists()


def test_a_city_department_sees_exactly_the_matters_assigned_to_it(world):
    reporter = world.user("housing_reporter")
    housing = world.organisation("市住房和城乡建设局")
    assigned = set(
        MatterUnit.objects.filter(organisation=housing, is_active=True).values_list(
            "matter_id", flat=True
        )
    )
    assert assigned  # the demo gives it campaign tasks, proposals and tour problems
    assert set(Matter.objects.visible_to(reporter).values_list("pk", flat=True)) == assigned
    lead = Matter.objects.filter(units__organisation=housing, units__role="lead").first()
    co = Matter.objects.filter(units__organisation=housing, units__role="co").first()
    assert can_edit(reporter, lead) and not can_edit(reporter, co)


def test_co_handler_cannot_advance_but_reports_progress(world, tour, make_matter, leader):
    housing = world.organisation("市住房和城乡建设局")
    matter = make_matter(tour, "feedback", "S-001", co=[housing])
    reporter = world.user("housing_reporter")
    with pytest.raises(PermissionDenied):
        services.matter_transition(actor=reporter, matter=matter, action="start")
    report = services.matter_report_progress(
        actor=reporter, matter=matter, text="已完成道路硬化80%", percent=80
    )
    assert report.organisation == housing
    assert matter.events.filter(type="progress").count() == 1


def test_a_unit_not_responsible_cannot_report(world, tour, make_matter):
    matter = make_matter(
        tour, "feedback", "S-002", county="示例市", lead=world.organisation("市水利局")
    )
    with pytest.raises(PermissionDenied):
        services.matter_report_progress(
            actor=world.user("housing_reporter"), matter=matter, text="x"
        )


def test_api_and_admin_hide_other_counties(login, world):
    nanhu = Matter.objects.filter(division__name="南湖县", kind="rectification").first()
    client = login("beishan_staff")
    assert client.get(f"/api/matters/matters/{nanhu.pk}/").status_code == 404
    response = client.post(
        f"/api/matters/matters/{nanhu.pk}/transition/",
        {"action": "start"},
        content_type="application/json",
    )
    assert response.status_code == 404
    listing = client.get(reverse("admin:matters_rectification_changelist"), {"q": nanhu.reference})
    change_url = reverse("admin:matters_rectification_change", args=[nanhu.pk])
    assert listing.status_code == 200 and change_url not in listing.content.decode()
    own = Matter.objects.filter(division__name="北山县", kind="rectification").first()
    listing = client.get(reverse("admin:matters_rectification_changelist"), {"q": own.reference})
    assert reverse("admin:matters_rectification_change", args=[own.pk]) in listing.content.decode()
    assert client.get(change_url).status_code == 302


def test_county_user_cannot_register_in_another_county(world, tour, make_matter):
    with pytest.raises(PermissionDenied, match="超出您的数据范围"):
        make_matter(tour, "feedback", "S-003", county="南湖县", actor=world.user("beishan_staff"))
    assert not Matter.objects.filter(reference="S-003").exists()
