"""A permit's life: issue (city only, one per site), rectification, renewal, end, registrations."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.permits import services
from ecogov.permits.models import Permit, PermitEvent, PermitState, Registration

D = dt.date


def test_the_city_bureau_issues_for_five_years_and_the_event_is_written(world, issue):
    permit = issue(issued_on=D(2025, 3, 10))
    entity = world.entity_in("北山县")
    assert permit.valid_until == D(2030, 3, 9) and permit.in_force_until == D(2030, 3, 9)
    assert permit.permit_number.startswith(entity.credit_code) and permit.permit_number.endswith(
        "P"
    )
    assert permit.division.name == "北山县" and permit.state == PermitState.IN_FORCE
    event = permit.events.get()
    assert (event.type, event.effective_on, event.actor.username) == (
        "issued",
        D(2025, 3, 10),
        "eia_staff",
    )
    with pytest.raises(PermissionDenied, match="条例》第三条"):
        issue(actor="beishan_staff")  # a county sub-bureau does not issue permits
    with pytest.raises(PermissionDenied):
        issue(actor="viewer")


def test_a_second_permit_for_the_same_site_is_refused_and_nothing_is_written(world, issue):
    first = issue(site="北山县工业园C区1号")
    before = (Permit.objects.count(), PermitEvent.objects.count())
    with pytest.raises(ValidationError) as caught:
        issue(site="  北山县工业园C区1号 ", issued_on=D(2026, 1, 5))  # same site, spaces aside
    [message] = caught.value.message_dict["site"]
    assert first.permit_number in message and "不能重复核发" in message
    assert (Permit.objects.count(), PermitEvent.objects.count()) == before
    other = issue(site="北山县工业园C区2号")  # another site of the same entity is fine
    assert other.permit_number != first.permit_number


def test_an_expired_holder_is_closed_before_the_new_permit(world, issue):
    old = issue(site="北山县老厂区", issued_on=D(2020, 6, 1))  # in force to 2025-05-31
    new = issue(site="北山县老厂区", issued_on=D(2026, 2, 1))
    old.refresh_from_db()
    assert old.state == PermitState.EXPIRED and new.state == PermitState.IN_FORCE
    assert old.events.filter(type="expired", effective_on=D(2025, 5, 31)).exists()


def test_rectification_needs_items_and_a_deadline_within_a_year(world, issue):
    with pytest.raises(ValidationError) as caught:
        issue(with_rectification=True)
    assert set(caught.value.message_dict) == {"rectification_items", "rectification_deadline"}
    with pytest.raises(ValidationError, match="超过发证后 12 个月"):
        issue(
            with_rectification=True,
            rectification_items=["安装在线监测"],
            rectification_deadline=D(2026, 6, 1),
        )
    permit = issue(
        with_rectification=True,
        rectification_items=["安装在线监测"],
        rectification_deadline=D(2025, 9, 10),
    )
    closed = services.permit_rectification_close(
        actor=world.user("eia_staff"), permit=permit, closed_on=D(2025, 9, 20), note="已联网"
    )
    assert closed.rectification_closed_on == D(2025, 9, 20)
    assert closed.events.get(type="rectified").payload == {"late": True}


def test_change_touches_only_what_a_change_may_touch(world, issue):
    staff = world.user("eia_staff")
    permit = issue()
    changed = services.permit_change(
        actor=staff,
        permit=permit,
        changed_on=D(2025, 6, 1),
        data={"conditions": "增加无组织排放控制要求"},
    )
    assert changed.events.get(type="changed").payload == {"fields": ["conditions"]}
    with pytest.raises(ValidationError, match="须重新申请"):
        services.permit_change(
            actor=staff, permit=permit, changed_on=D(2025, 6, 2), data={"site": "别处"}
        )
    with pytest.raises(ValidationError) as caught:
        services.permit_change(
            actor=staff,
            permit=permit,
            changed_on=D(2025, 6, 2),
            data={"pollutants": [{"pollutant": "颗粒物", "limit": "-5"}]},
        )
    assert "不是非负数" in str(caught.value)


def test_revocation_and_cancellation_end_the_permit_the_day_before(world, issue):
    staff = world.user("eia_staff")
    permit = issue(issued_on=D(2024, 1, 5))
    with pytest.raises(ValidationError, match="请填写理由"):
        services.permit_revoke(actor=staff, permit=permit, revoked_on=D(2025, 1, 1), reason="")
    revoked = services.permit_revoke(
        actor=staff, permit=permit, revoked_on=D(2025, 1, 1), reason="以欺骗手段取得许可"
    )
    assert revoked.state == PermitState.REVOKED and revoked.in_force_until == D(2024, 12, 31)
    assert not revoked.in_force_on(D(2025, 1, 1)) and revoked.in_force_on(D(2024, 12, 31))
    with pytest.raises(ValidationError, match="已失效"):
        services.permit_cancel(
            actor=staff, permit=revoked, cancelled_on=D(2025, 2, 1), reason="企业关闭"
        )


def test_permits_past_their_validity_are_marked_expired(world, issue):
    permit = issue(site="北山县到期厂区", issued_on=D(2021, 3, 1))  # in force to 2026-02-28
    assert services.permits_mark_expired(today=D(2026, 3, 1)) >= 1
    permit.refresh_from_db()
    assert permit.state == PermitState.EXPIRED


def test_registrations_are_filed_once_per_site_and_give_way_to_a_permit(world, issue):
    staff = world.user("beishan_staff")  # sub-bureaus record registrations in their county
    entity = world.entity_in("北山县")
    registration = services.registration_file(
        actor=staff,
        data={"entity": entity, "address": "北山县测试园区99号", "filed_on": D(2025, 5, 6)},
    )
    assert registration.credit_code == entity.credit_code
    assert registration.valid_until == D(2030, 5, 5)
    assert registration.registration_number.endswith("W")
    with pytest.raises(ValidationError, match="不能重复登记"):
        services.registration_file(
            actor=staff,
            data={"entity": entity, "address": "北山县测试园区 99号", "filed_on": D(2025, 6, 1)},
        )
    with pytest.raises(PermissionDenied):
        services.registration_file(
            actor=world.user("nanhu_staff"),
            data={
                "unit_name": "某洗车场",
                "credit_code": entity.credit_code,
                "division": world.division("北山县"),
                "address": "x",
                "filed_on": D(2025, 6, 1),
            },
        )
    issue(site="北山县测试园区99号", issued_on=D(2025, 8, 1))
    registration.refresh_from_db()
    assert registration.state == "cancelled" and registration.cancelled_on == D(2025, 8, 1)
    assert "纳入许可管理" in registration.events.get(type="cancelled").reason
    assert Registration.objects.filter(pk=registration.pk, state="filed").count() == 0


def test_the_daily_expiry_command(world, issue, capsys):
    from django.core.management import call_command

    permit = issue(site="北山县命令测试厂区", issued_on=D(2021, 3, 1))
    call_command("permits_expire")
    permit.refresh_from_db()
    assert permit.state == PermitState.EXPIRED and "已标记" in capsys.readouterr().out
