"""A county user sees and edits only his county's records, everywhere: admin, API, export."""

import io

import openpyxl
import pytest
from django.urls import reverse

from ecogov.core import services
from ecogov.core.models import AssignmentRole, RegulatedEntity
from ecogov.core.scoping import can_edit


@pytest.fixture
def nanhu_entity(world):
    return world.entity_in("南湖县")


def test_querysets_follow_the_territory(world):
    beishan = world.user("beishan_staff")
    visible = RegulatedEntity.objects.visible_to(beishan)
    assert visible.exists()
    assert set(visible.values_list("division__name", flat=True)) == {"北山县"}
    city = RegulatedEntity.objects.visible_to(world.user("leader")).count()
    assert city == RegulatedEntity.objects.count()


def test_admin_list_and_detail_hide_other_counties(login, world, nanhu_entity):
    client = login("beishan_staff")
    listing = client.get(reverse("admin:core_regulatedentity_changelist"))
    assert listing.status_code == 200
    assert world.entity_in("北山县").name in listing.content.decode()
    assert nanhu_entity.name not in listing.content.decode()
    detail = client.get(reverse("admin:core_regulatedentity_change", args=[nanhu_entity.pk]))
    assert detail.status_code == 302  # Django admin redirects a missing object to the index
    history = client.get(reverse("admin:core_regulatedentity_history", args=[nanhu_entity.pk]))
    assert history.status_code in (302, 403, 404)


def test_admin_search_does_not_leak(login, nanhu_entity):
    client = login("beishan_staff")
    response = client.get(reverse("admin:core_regulatedentity_changelist"),
                          {"q": nanhu_entity.credit_code})
    assert nanhu_entity.name not in response.content.decode()


def test_admin_post_cannot_change_other_county(login, nanhu_entity):
    client = login("beishan_staff")
    url = reverse("admin:core_regulatedentity_change", args=[nanhu_entity.pk])
    client.post(url, {"name": "篡改"})
    nanhu_entity.refresh_from_db()
    assert nanhu_entity.name != "篡改"


def test_api_hides_and_refuses_other_county(login, world, nanhu_entity):
    client = login("beishan_staff")
    listing = client.get("/api/core/entities/", {"page_size": 1000}).json()
    names = {row["division"] for row in listing["results"]}
    assert names == {world.division("北山县").code}
    assert client.get(f"/api/core/entities/{nanhu_entity.pk}/").status_code == 404
    response = client.patch(f"/api/core/entities/{nanhu_entity.pk}/", {"name": "篡改"},
                            content_type="application/json")
    assert response.status_code == 404
    nanhu_entity.refresh_from_db()
    assert nanhu_entity.name != "篡改"


def test_api_refuses_creating_in_other_county(login, world):
    client = login("beishan_staff")
    from ecogov.core import creditcode

    payload = {"name": "越界登记公司", "credit_code": creditcode.make("91990122MA0000001"),
               "division": world.division("南湖县").code}
    response = client.post("/api/core/entities/", payload, content_type="application/json")
    assert response.status_code == 403
    assert "超出您的数据范围" in response.json()["detail"]
    assert not RegulatedEntity.objects.filter(name="越界登记公司").exists()


def test_export_contains_only_own_county(login, world, nanhu_entity):
    client = login("beishan_staff")
    for response in (
        client.get("/api/core/entities/export/"),
        client.post(reverse("admin:core_regulatedentity_changelist"), {
            "action": "export_xlsx",
            "_selected_action": list(RegulatedEntity.objects.values_list("pk", flat=True)),
        }),
    ):
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        codes = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert codes == {world.division("北山县").code}
        names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert nanhu_entity.name not in names


def test_department_sees_only_what_is_assigned_and_edits_only_as_handler(world, nanhu_entity):
    reporter = world.user("housing_reporter")
    assert not RegulatedEntity.objects.visible_to(reporter).exists()
    nanhu_staff = world.user("nanhu_staff")
    services.record_assign(actor=nanhu_staff, record=nanhu_entity, role=AssignmentRole.CO_HANDLER,
                           organisation=world.organisation("市住房和城乡建设局"))
    reporter = world.user("housing_reporter")
    assert list(RegulatedEntity.objects.visible_to(reporter)) == [nanhu_entity]
    assert not can_edit(reporter, nanhu_entity)  # co-handler: read-only
    services.record_assign(actor=nanhu_staff, record=nanhu_entity, role=AssignmentRole.HANDLER,
                           organisation=world.organisation("市住房和城乡建设局"))
    assert can_edit(world.user("housing_reporter"), nanhu_entity)


def test_approver_can_read_what_he_must_approve(world, nanhu_entity):
    beishan = world.user("beishan_staff")
    assert not RegulatedEntity.objects.visible_to(beishan).filter(pk=nanhu_entity.pk).exists()
    services.record_assign(actor=world.user("nanhu_staff"), record=nanhu_entity,
                           role=AssignmentRole.APPROVER, user=beishan)
    beishan = world.user("beishan_staff")
    assert RegulatedEntity.objects.visible_to(beishan).filter(pk=nanhu_entity.pk).exists()
    assert not can_edit(beishan, nanhu_entity)


def test_viewer_reads_the_city_but_changes_nothing(login, world, nanhu_entity):
    viewer = world.user("viewer")
    assert RegulatedEntity.objects.visible_to(viewer).count() == RegulatedEntity.objects.count()
    assert not can_edit(viewer, nanhu_entity)
    client = login("viewer")
    response = client.patch(f"/api/core/entities/{nanhu_entity.pk}/", {"name": "x"},
                            content_type="application/json")
    assert response.status_code == 403


def test_personal_data_masked_for_those_who_do_not_handle_the_entity(login, world, nanhu_entity):
    phone = nanhu_entity.contact_phone
    as_viewer = login("viewer").get(f"/api/core/entities/{nanhu_entity.pk}/").json()
    assert as_viewer["contact_phone"] == phone[:3] + "****" + phone[-4:]
    assert as_viewer["legal_representative"].endswith("*")
    as_handler = login("nanhu_staff").get(f"/api/core/entities/{nanhu_entity.pk}/").json()
    assert as_handler["contact_phone"] == phone


def test_special_zone_staff_see_only_the_zone(world):
    zone = world.user("zone_staff")
    divisions = set(RegulatedEntity.objects.visible_to(zone).values_list("division__code", flat=True))
    assert divisions == {"990171"}


def test_transfer_to_another_unit_hands_over_editing(world, nanhu_entity):
    """A record transferred to another county's sub-bureau: the receiver handles it."""
    beishan_bureau = world.organisation("示例市生态环境局北山分局")
    assignment = services.record_assign(
        actor=world.user("nanhu_staff"), record=nanhu_entity, role=AssignmentRole.HANDLER,
        organisation=beishan_bureau, reason="跨区域移送")
    beishan = world.user("beishan_staff")
    assert can_edit(beishan, nanhu_entity)
    services.entity_update(actor=beishan, entity=nanhu_entity, data={"address": "移送后核实地址"})
    services.record_unassign(actor=world.user("nanhu_staff"), assignment=assignment)
    assert not RegulatedEntity.objects.visible_to(world.user("beishan_staff")).filter(
        pk=nanhu_entity.pk).exists()
    assert assignment.history.count() == 2  # the handoff and its withdrawal are on record
