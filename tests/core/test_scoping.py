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


def test_the_territory_reaches_a_division_made_after_the_data_was_read(world):
    """The territory is read as its list of divisions once per user object (one request): a
    township added under the county, and an entity in it, are in the county's next request."""
    from ecogov.core.models import Division, DivisionLevel

    before = world.user("beishan_staff")
    seen = set(RegulatedEntity.objects.visible_to(before))
    zone = Division.objects.create(
        code="990191",
        name="北山新区",
        level=DivisionLevel.SPECIAL_ZONE,
        parent=world.division("北山县"),
    )
    entity = world.entity_in("北山县")
    RegulatedEntity.objects.filter(pk=entity.pk).update(division=zone)
    after = world.user("beishan_staff")
    assert set(RegulatedEntity.objects.visible_to(after)) == seen
    assert entity in RegulatedEntity.objects.editable_by(after)
    assert zone.pk in after._ecogov_scope.division_ids
    assert entity not in RegulatedEntity.objects.visible_to(world.user("nanhu_staff"))


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
    response = client.get(
        reverse("admin:core_regulatedentity_changelist"), {"q": nanhu_entity.credit_code}
    )
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
    response = client.patch(
        f"/api/core/entities/{nanhu_entity.pk}/", {"name": "篡改"}, content_type="application/json"
    )
    assert response.status_code == 404
    nanhu_entity.refresh_from_db()
    assert nanhu_entity.name != "篡改"


def test_api_refuses_creating_in_other_county(login, world):
    client = login("beishan_staff")
    from ecogov.core import creditcode

    payload = {
        "name": "越界登记公司",
        "credit_code": creditcode.make("91990122MA0000001"),
        "division": world.division("南湖县").code,
    }
    response = client.post("/api/core/entities/", payload, content_type="application/json")
    assert response.status_code == 403
    assert "超出您的数据范围" in response.json()["detail"]
    assert not RegulatedEntity.objects.filter(name="越界登记公司").exists()


def test_export_contains_only_own_county(login, world, nanhu_entity):
    client = login("beishan_staff")
    for response in (
        client.get("/api/core/entities/export/"),
        client.post(
            reverse("admin:core_regulatedentity_changelist"),
            {
                "action": "export_xlsx",
                "_selected_action": list(RegulatedEntity.objects.values_list("pk", flat=True)),
            },
        ),
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
    services.record_assign(
        actor=nanhu_staff,
        record=nanhu_entity,
        role=AssignmentRole.CO_HANDLER,
        organisation=world.organisation("市住房和城乡建设局"),
    )
    reporter = world.user("housing_reporter")
    assert list(RegulatedEntity.objects.visible_to(reporter)) == [nanhu_entity]
    assert not can_edit(reporter, nanhu_entity)  # co-handler: read-only
    services.record_assign(
        actor=nanhu_staff,
        record=nanhu_entity,
        role=AssignmentRole.HANDLER,
        organisation=world.organisation("市住房和城乡建设局"),
    )
    assert can_edit(world.user("housing_reporter"), nanhu_entity)


def test_approver_can_read_what_he_must_approve(world, nanhu_entity):
    beishan = world.user("beishan_staff")
    assert not RegulatedEntity.objects.visible_to(beishan).filter(pk=nanhu_entity.pk).exists()
    services.record_assign(
        actor=world.user("nanhu_staff"),
        record=nanhu_entity,
        role=AssignmentRole.APPROVER,
        user=beishan,
    )
    beishan = world.user("beishan_staff")
    assert RegulatedEntity.objects.visible_to(beishan).filter(pk=nanhu_entity.pk).exists()
    assert not can_edit(beishan, nanhu_entity)


def test_viewer_reads_the_city_but_changes_nothing(login, world, nanhu_entity):
    viewer = world.user("viewer")
    assert RegulatedEntity.objects.visible_to(viewer).count() == RegulatedEntity.objects.count()
    assert not can_edit(viewer, nanhu_entity)
    client = login("viewer")
    response = client.patch(
        f"/api/core/entities/{nanhu_entity.pk}/", {"name": "x"}, content_type="application/json"
    )
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
    divisions = set(
        RegulatedEntity.objects.visible_to(zone).values_list("division__code", flat=True)
    )
    assert divisions == {"990171"}


def test_transfer_to_another_unit_hands_over_editing(world, nanhu_entity):
    """A record transferred to another county's sub-bureau: the receiver handles it."""
    beishan_bureau = world.organisation("示例市生态环境局北山分局")
    assignment = services.record_assign(
        actor=world.user("nanhu_staff"),
        record=nanhu_entity,
        role=AssignmentRole.HANDLER,
        organisation=beishan_bureau,
        reason="跨区域移送",
    )
    beishan = world.user("beishan_staff")
    assert can_edit(beishan, nanhu_entity)
    services.entity_update(actor=beishan, entity=nanhu_entity, data={"address": "移送后核实地址"})
    services.record_unassign(actor=world.user("nanhu_staff"), assignment=assignment)
    assert (
        not RegulatedEntity.objects.visible_to(world.user("beishan_staff"))
        .filter(pk=nanhu_entity.pk)
        .exists()
    )
    assert assignment.history.count() == 2  # the handoff and its withdrawal are on record


# --- assignments: the scope's two lookups, by user and by organisation ---------------------
# (core/scoping.py `_assigned`: one indexed lookup per assignee column; these pin what they mean)


@pytest.fixture
def housing(world):
    return world.organisation("市住房和城乡建设局")


@pytest.fixture
def colleague(housing):
    """A second reporter of 市住房和城乡建设局 (the demo has one)."""
    from django.contrib.auth.models import Group, User

    from ecogov.core.models import StaffProfile
    from ecogov.core.roles import Role

    user = User.objects.create_user("housing_colleague", is_staff=True)
    StaffProfile.objects.create(user=user, full_name="住建同事", organisation=housing)
    user.groups.set([Group.objects.get(name=Role.DEPARTMENT_REPORTER)])
    return user


def _assign(record, role, *, organisation=None, user=None, is_active=True, model=None):
    from django.contrib.contenttypes.models import ContentType

    from ecogov.core.models import RecordAssignment

    return RecordAssignment.objects.create(
        content_type=ContentType.objects.get_for_model(model or record),
        object_id=record.pk,
        organisation=organisation,
        user=user,
        role=role,
        is_active=is_active,
    )


def _visible(user):
    return set(RegulatedEntity.objects.visible_to(user))


def _editable(user):
    return set(RegulatedEntity.objects.editable_by(user))


def test_assigned_to_the_organisation_only(world, nanhu_entity, housing, colleague):
    _assign(nanhu_entity, AssignmentRole.READER, organisation=housing)
    reporter = world.user("housing_reporter")
    assert _visible(reporter) == _visible(colleague) == {nanhu_entity}
    assert _editable(reporter) == set() and not can_edit(colleague, nanhu_entity)
    assert (
        not RegulatedEntity.objects.visible_to(world.user("beishan_staff"))
        .filter(pk=nanhu_entity.pk)
        .exists()
    )  # another organisation's assignment
    _assign(nanhu_entity, AssignmentRole.HANDLER, organisation=housing)
    assert _editable(reporter) == _editable(colleague) == {nanhu_entity}


def test_assigned_to_the_user_only(world, nanhu_entity, colleague):
    reporter = world.user("housing_reporter")
    _assign(nanhu_entity, AssignmentRole.CO_HANDLER, user=reporter)
    assert _visible(reporter) == {nanhu_entity}
    assert _visible(colleague) == set()  # a colleague's personal assignment is not the unit's
    assert _editable(reporter) == set()
    _assign(nanhu_entity, AssignmentRole.HANDLER, user=reporter)
    assert _editable(reporter) == {nanhu_entity}
    assert _editable(colleague) == set()


def test_assignments_written_in_bulk_scope_like_single_ones(world, nanhu_entity, housing):
    """`record_assign_many` (a ledger import's assignments): the same rows, with their history
    and creator, as `record_assign` writes one by one."""
    from ecogov.core.models import RecordAssignment

    reporter, actor = world.user("housing_reporter"), world.user("nanhu_staff")
    other = RegulatedEntity.objects.filter(division__name="南湖县").exclude(pk=nanhu_entity.pk)[0]
    ids = services.record_assign_many(
        actor=actor,
        model=RegulatedEntity,
        rows=[
            {"object_id": nanhu_entity.pk, "organisation_id": housing.pk, "role": "handler"},
            {"object_id": other.pk, "user_id": reporter.pk, "role": "reader", "reason": "抄送"},
        ],
    )
    assert _visible(reporter) == {nanhu_entity, other}
    assert _editable(reporter) == {nanhu_entity}
    rows = RecordAssignment.objects.filter(pk__in=ids).order_by("pk")
    assert [(r.object_id, r.role, r.created_by) for r in rows] == [
        (nanhu_entity.pk, AssignmentRole.HANDLER, actor),
        (other.pk, AssignmentRole.READER, actor),
    ]
    assert rows[1].reason == "抄送" and all(r.history.count() == 1 for r in rows)
    assert services.record_assign_many(actor=actor, model=RegulatedEntity, rows=[]) == []


def test_inactive_assignments_grant_nothing(world, nanhu_entity, housing):
    reporter = world.user("housing_reporter")
    _assign(nanhu_entity, AssignmentRole.HANDLER, organisation=housing, is_active=False)
    _assign(nanhu_entity, AssignmentRole.HANDLER, user=reporter, is_active=False)
    assert _visible(reporter) == set() and _editable(reporter) == set()
    active = _assign(nanhu_entity, AssignmentRole.HANDLER, user=reporter)
    assert _editable(reporter) == {nanhu_entity}
    active.is_active = False
    active.save()
    assert _visible(reporter) == set()


def test_an_assignment_of_another_content_type_does_not_leak(world, nanhu_entity, housing):
    """An assignment of another model's record with the same id as the entity."""
    from ecogov.core.models import Division

    reporter = world.user("housing_reporter")
    _assign(nanhu_entity, AssignmentRole.HANDLER, organisation=housing, model=Division)
    _assign(nanhu_entity, AssignmentRole.HANDLER, user=reporter, model=Division)
    assert _visible(reporter) == set() and _editable(reporter) == set()


def test_territory_user_and_organisation_assignments_add_up_once(world, nanhu_entity):
    beishan = world.user("beishan_staff")
    own = _visible(beishan)
    bureau = world.organisation("示例市生态环境局北山分局")
    _assign(nanhu_entity, AssignmentRole.READER, user=beishan)
    _assign(nanhu_entity, AssignmentRole.CO_HANDLER, organisation=bureau)
    other = (
        RegulatedEntity.objects.filter(division__name="南湖县")
        .exclude(pk=nanhu_entity.pk)
        .order_by("pk")
        .first()
    )
    _assign(other, AssignmentRole.HANDLER, organisation=bureau)
    visible = RegulatedEntity.objects.visible_to(beishan)
    assert visible.count() == len(own) + 2  # each record once, however it is reached
    assert set(visible) == own | {nanhu_entity, other}
    assert set(RegulatedEntity.objects.editable_by(beishan)) == own | {other}


def test_the_scope_lookups_are_one_per_assignee_and_indexed(world):
    """Each assignee's lookup is its own SELECT (the arms of a UNION ALL), answered on SQLite
    from its own index alone: one `user_id = … OR organisation_id = …` made SQLite read every
    assignment. (PostgreSQL picks its indexes by the table's statistics: at scale it reads the
    same two indexes alone, see docs/matters.md; on the test tables only the split is checked.)"""
    from django.db import connection

    reporter = world.user("housing_reporter")
    for queryset in (
        RegulatedEntity.objects.visible_to(reporter),
        RegulatedEntity.objects.editable_by(reporter),
        RegulatedEntity.objects.visible_to(world.user("beishan_staff")),
    ):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
            cursor.execute(f"{explain} {sql}", params)
            plan = "\n".join(row[-1] for row in cursor.fetchall())
        assert not [
            line for line in plan.splitlines() if "user_id" in line and "organisation_id" in line
        ], plan
        if connection.vendor == "sqlite":
            assert "SCAN U0" not in plan, plan  # U0: the assignments, in the subqueries
            for index in ("core_assign_user_scope_idx", "core_assign_org_scope_idx"):
                assert f"INDEX {index} (content_type_id=? AND" in plan, plan
