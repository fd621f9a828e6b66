"""The duty list (普法责任清单): a new version supersedes the one in force, both are kept; a
superseded version cannot change; an item discharged by an event cannot be deleted."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.outreach import services
from ecogov.outreach.events import events_of
from ecogov.outreach.models import Activity, DutyList


@pytest.fixture
def north(world):
    """A first version for 北山县, issued by its sub-bureau."""
    staff = world.user("beishan_staff")
    unit = world.organisation("示例市生态环境局北山分局")
    return services.duty_list_issue(
        actor=staff,
        data={"title": "北山分局普法责任清单", "year": 2024, "issued_on": dt.date(2024, 3, 1)},
        items=[
            {
                "order": 1,
                "laws": "《中华人民共和国环境保护法》",
                "audience": "辖区企业",
                "responsible": unit,
            },
            {
                "order": 2,
                "laws": "《中华人民共和国宪法》",
                "audience": "社会公众",
                "responsible": unit,
            },
        ],
    )


def test_a_new_version_supersedes_the_old_and_both_are_kept(world, north):
    staff = world.user("beishan_staff")
    assert north.division == world.division("北山县") and north.version == 1
    second = services.duty_list_issue(
        actor=staff,
        data={
            "title": "北山分局普法责任清单",
            "year": 2025,
            "issued_on": dt.date(2025, 2, 20),
            "adjustment": "纳入《长江保护法》",
        },
    )
    north.refresh_from_db()
    assert (second.version, second.state) == (2, "in_force")
    assert (north.state, north.superseded_by, north.superseded_on) == (
        "superseded",
        second,
        dt.date(2025, 2, 20),
    )
    # the items were carried over, each linked to the one it continues; the old ones stay
    assert [i.carried_from_id for i in second.items.order_by("order")] == list(
        north.items.order_by("order").values_list("pk", flat=True)
    )
    assert north.items.count() == 2
    assert DutyList.objects.filter(division__name="北山县").count() == 2
    assert list(events_of(north).values_list("type", flat=True)) == ["issued", "superseded"]
    with pytest.raises(ValidationError) as refused:
        services.duty_list_update(actor=staff, duty_list=north, data={"title": "改名"})
    assert "已被第2版替代" in str(refused.value)


def test_an_adjustment_needs_a_reason_and_a_date_not_before_the_version_in_force(world, north):
    staff = world.user("beishan_staff")
    with pytest.raises(ValidationError) as refused:
        services.duty_list_issue(
            actor=staff,
            data={"title": "北山分局普法责任清单", "year": 2024, "issued_on": dt.date(2024, 1, 1)},
        )
    assert set(refused.value.message_dict) == {"issued_on", "adjustment"}
    north.refresh_from_db()
    assert north.state == "in_force"


def test_an_item_discharged_by_an_event_cannot_be_deleted(world, north):
    staff = world.user("beishan_staff")
    first, second = north.items.order_by("order")
    activity = services.activity_record(
        actor=staff,
        data={
            "kind": "constitution_day",
            "title": "宪法日宣传",
            "held_on": dt.date(2024, 12, 4),
            "place": "北山县广场",
            "audience": "群众",
            "duty_items": [second],
        },
    )
    assert list(second.activities.all()) == [activity]
    with pytest.raises(ValidationError) as refused:
        services.duty_list_update(
            actor=staff,
            duty_list=north,
            data={},
            items=[{"pk": first.pk, "laws": first.laws, "audience": "辖区重点企业"}],
        )
    assert "已有宣传活动或培训落实" in str(refused.value)
    services.duty_list_update(
        actor=staff,
        duty_list=north,
        data={},
        items=[{"pk": second.pk}, {"pk": first.pk, "audience": "辖区重点企业"}],
    )
    first.refresh_from_db()
    assert first.audience == "辖区重点企业"
    assert events_of(north).filter(type="changed", payload__fields=["items"]).exists()


def test_scope_the_county_cannot_issue_for_the_city_nor_see_its_list(world, north):
    with pytest.raises(PermissionDenied):
        services.duty_list_issue(
            actor=world.user("beishan_staff"),
            data={
                "division": world.division("示例市"),
                "title": "x",
                "year": 2024,
                "issued_on": dt.date(2024, 3, 1),
            },
            items=[{"laws": "x", "audience": "y", "responsible": world.organisation("办公室")}],
        )
    seen = DutyList.objects.visible_to(world.user("nanhu_staff"))
    assert north not in seen
    assert north in DutyList.objects.visible_to(world.user("leader"))
    with pytest.raises(PermissionDenied):
        services.activity_update(
            actor=world.user("viewer"), activity=Activity.objects.first(), data={"place": "x"}
        )


def test_a_first_version_needs_items(world):
    with pytest.raises(ValidationError) as refused:
        services.duty_list_issue(
            actor=world.user("nanhu_staff"),
            data={"title": "南湖分局普法责任清单", "year": 2024, "issued_on": dt.date(2024, 3, 1)},
        )
    assert "清单至少应有一条事项" in str(refused.value)
