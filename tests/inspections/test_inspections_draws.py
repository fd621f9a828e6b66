"""The draw service end to end: frozen pools, stored checks, redraws, recusal and rotation."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ecogov.core.models import StaffProfile
from ecogov.inspections import services
from ecogov.inspections.draw import ALGORITHM_VERSION, inputs_from_document, result_hash
from ecogov.inspections.models import (
    ConflictDeclaration,
    Draw,
    DrawCheck,
    DrawStatus,
    PlanEvent,
    Publication,
)
from ecogov.inspections.testing import ALL, announce, drawn, entities_in, make_plan


def _checks(draw):
    """{entity id: [inspector ids in draw order]}."""
    out = {}
    for check in DrawCheck.objects.filter(draw=draw).prefetch_related("assignments"):
        out[check.entity_id] = [a.inspector_id for a in check.assignments.order_by("position")]
    return out


def test_draw_freezes_the_pools_and_stores_what_verify_needs(world):
    draw = drawn(world)
    document = bytes(draw.input_document)
    assert draw.input_hash == hashlib.sha256(document).hexdigest()
    assert draw.algorithm_version == ALGORITHM_VERSION and draw.status == DrawStatus.ACTIVE
    inputs = inputs_from_document(document, draw.seed.value)
    pool = entities_in("北山县")
    assert {e.id for e in inputs.entities} == {str(pk) for pk in pool.values_list("pk", flat=True)}
    assert draw.entity_pool_size == pool.count() == 23
    # the inspector pool: certified staff of the county and of the city above it, nobody else
    ids = {int(i.id) for i in inputs.inspectors}
    profiles = StaffProfile.objects.filter(user_id__in=ids)
    assert {p.division.name for p in profiles} == {"北山县", "示例市"}
    assert world.user("beishan_staff").pk in ids and world.user("nanhu_staff").pk not in ids
    tallies = {t["category"]: (t["frame_size"], t["drawn"]) for t in draw.tallies}
    assert tallies == {
        "key": (3, 2),
        "ordinary": (19, 3),
        "special": (1, 1),
    }  # ceil(50%·3), ceil(12.5%·19)
    checks = _checks(draw)
    assert len(checks) == 6 and all(len(set(p)) == 2 for p in checks.values())
    assert set(checks) <= set(pool.values_list("pk", flat=True))
    assert all(set(p) <= ids for p in checks.values())
    assert result_hash(services.stored_result(draw)) == draw.result_hash
    assert services.draw_verify(draw).ok
    event = PlanEvent.objects.get(record=draw.plan, type=PlanEvent.Type.DRAWN)
    assert event.payload["input_hash"] == draw.input_hash and event.actor == draw.drawn_by


def test_the_frozen_pool_does_not_follow_later_edits(world):
    draw = drawn(world)
    document = bytes(draw.input_document)
    entity = entities_in("北山县").first()
    entity.status = "closed"
    entity.save()
    draw.refresh_from_db()
    assert bytes(draw.input_document) == document and services.draw_verify(draw).ok


def test_a_draw_is_not_redone_quietly(world):
    draw = drawn(world)
    plan = draw.plan
    announce(world, plan, value="另一个种子")
    with pytest.raises(ValidationError) as exc:
        services.draw_make(actor=world.user("beishan_staff"), plan=plan)
    assert "重新抽取" in exc.value.message_dict["plan"][0]
    with pytest.raises(ValidationError) as exc:
        services.draw_redo(actor=world.user("beishan_staff"), draw=draw, reason=" ")
    assert "理由" in exc.value.message_dict["redraw_reason"][0]
    assert Draw.objects.filter(plan=plan).count() == 1


def test_redraw_keeps_both_with_the_reason(world):
    first = drawn(world)
    staff = world.user("beishan_staff")
    # the used seed can not serve again
    with pytest.raises(ValidationError) as exc:
        services.draw_redo(actor=staff, draw=first, reason="回避", seed=first.seed)
    assert "已用于" in exc.value.message_dict["seed"][0]
    announce(world, first.plan, value="重新抽取种子")
    second = services.draw_redo(actor=staff, draw=first, reason="执法人员申报回避后重新抽取")
    first.refresh_from_db()
    assert first.status == DrawStatus.SUPERSEDED and second.status == DrawStatus.ACTIVE
    assert second.supersedes == first and second.number == 2
    assert second.redraw_reason == "执法人员申报回避后重新抽取"
    visible = Draw.objects.visible_to(staff).filter(plan=first.plan)
    assert set(visible) == {first, second}
    assert services.draw_verify(first).ok and services.draw_verify(second).ok
    assert Publication.objects.filter(draw__in=[first, second]).count() == 2
    kinds = list(PlanEvent.objects.filter(record=first.plan).values_list("type", "reason"))
    assert ("redrawn", "执法人员申报回避后重新抽取") in kinds


def test_seed_must_be_announced_before_the_draw(world):
    plan = make_plan(world)
    staff = world.user("beishan_staff")
    with pytest.raises(ValidationError) as exc:
        services.draw_make(actor=staff, plan=plan)
    assert "先公布随机种子" in exc.value.message_dict["seed"][0]
    seed = announce(world, plan, ago_minutes=-5)  # announced "in five minutes"
    with pytest.raises(ValidationError) as exc:
        services.draw_make(actor=staff, plan=plan, seed=seed)
    assert "之前公布" in exc.value.message_dict["seed"][0]
    with pytest.raises(ValidationError) as exc:  # only the leader enters a leader's seed
        services.seed_announce(actor=staff, plan=plan, value="x", source="leader")
    assert "局领导" in exc.value.message_dict["source"][0]


def test_declared_conflicts_from_the_database_are_respected(world):
    staff = world.user("beishan_staff")
    plan = make_plan(world, quotas=ALL)
    entities = list(entities_in("北山县").order_by("pk"))
    inspector = world.user("inspector")
    for entity in entities:
        services.conflict_declare(
            actor=staff, inspector=inspector, entity=entity, reason="测试:亲属关系"
        )
    withdrawn = services.conflict_declare(
        actor=staff, inspector=staff, entity=entities[0], reason="测试"
    )
    services.conflict_withdraw(actor=staff, declaration=withdrawn, reason="申报有误")
    announce(world, plan)
    draw = services.draw_make(actor=staff, plan=plan)
    checks = _checks(draw)
    assert len(checks) == 23 and all(inspector.pk not in p for p in checks.values())
    inputs = inputs_from_document(bytes(draw.input_document), draw.seed.value)
    declared = {(c.inspector_id, c.entity_id) for c in inputs.conflicts}
    assert (str(inspector.pk), str(entities[0].pk)) in declared
    assert (str(staff.pk), str(entities[0].pk)) not in declared  # withdrawn: not frozen
    # the reason is not in the published document
    assert "亲属" not in bytes(draw.input_document).decode()


def test_rotation_uses_the_previous_draw_of_each_entity(world):
    first = drawn(world, quotas=ALL)
    before = _checks(first)
    second = drawn(world, quotas=ALL, name="第二个计划", seed="第二个种子")
    after = _checks(second)
    assert set(before) == set(after)
    assert all(not set(before[e]) & set(after[e]) for e in after)
    inputs = inputs_from_document(bytes(second.input_document), second.seed.value)
    assert {
        e: sorted(map(int, p)) for e, p in inputs.previous_assignments.items() if int(e) in before
    } == {str(e): sorted(p) for e, p in before.items()}


def test_no_eligible_inspector_left_names_the_entity_and_writes_nothing(world):
    staff = world.user("beishan_staff")
    plan = make_plan(world, quotas=ALL)
    target = entities_in("北山县").order_by("pk").first()
    pool = StaffProfile.objects.filter(division__name__in=["北山县", "示例市"]).exclude(
        certificate_number=""
    )
    for profile in pool[1:]:  # leave one: two are needed
        services.conflict_declare(actor=staff, inspector=profile.user, entity=target, reason="测试")
    seed = announce(world, plan)
    with pytest.raises(ValidationError) as exc:
        services.draw_make(actor=staff, plan=plan)
    message = exc.value.message_dict["inspector_pool"][0]
    assert target.name in message and "少于每次检查所需的 2 人" in message
    assert (
        not Draw.objects.filter(plan=plan).exists() and not Draw.objects.filter(seed=seed).exists()
    )


@pytest.mark.parametrize(
    "quotas, field, words",
    [
        ([{"category": "key", "share": 120}], "quotas", "重点排污单位抽查比例"),
        ([{"category": "key", "share": 10, "count": 2}], "quotas", "只填一个"),
        ([], "quotas", "至少为一个监管类别"),
    ],
)
def test_bad_plan_quotas_are_refused_by_field(world, quotas, field, words):
    with pytest.raises(ValidationError) as exc:
        make_plan(world, quotas=quotas)
    assert any(words in m for m in exc.value.message_dict[field]), exc.value.message_dict
    if quotas and quotas[0].get("share") == 120:
        assert "120% 超过 100%" in exc.value.message_dict[field][0]


def test_bad_plan_fields(world):
    with pytest.raises(ValidationError) as exc:
        make_plan(world, inspectors_per_check=1)
    assert "至少应为 2 人" in exc.value.message_dict["inspectors_per_check"][0]
    with pytest.raises(ValidationError) as exc:
        make_plan(world, inspection_date=timezone.localdate().replace(year=2030))
    assert "不在检查期" in exc.value.message_dict["inspection_date"][0]


def test_pool_too_small_for_the_count(world):
    plan = make_plan(
        world, quotas=[{"category": "key", "count": 40}, {"category": "ordinary", "share": 0}]
    )
    announce(world, plan)
    with pytest.raises(ValidationError) as exc:
        services.draw_make(actor=world.user("beishan_staff"), plan=plan)
    message = exc.value.message_dict["quotas"][0]
    assert "重点排污单位" in message and "只有 3 家" in message and "40 家" in message
    assert not plan.draws.exists()


def test_a_drawn_plan_is_locked(world):
    draw = drawn(world)
    with pytest.raises(ValidationError) as exc:
        services.plan_update(
            actor=world.user("beishan_staff"), plan=draw.plan, data={"name": "改名"}
        )
    assert "已经抽取" in exc.value.message_dict["plan"][0]


def test_only_writers_in_scope_draw(world):
    plan = make_plan(world)
    announce(world, plan)
    for user in ("nanhu_staff", "viewer"):
        with pytest.raises(PermissionDenied):
            services.draw_make(actor=world.user(user), plan=plan)
    city = make_plan(world, user="leader", division="示例市", name="全市计划")
    with pytest.raises(PermissionDenied):
        services.seed_announce(
            actor=world.user("beishan_staff"),
            plan=city,
            value="x",
            source="public",
            source_note="n",
        )
    assert not ConflictDeclaration.objects.filter(reason="x").exists()


def test_ordinary_entities_found_compliant_this_year_are_not_drawn_again(world):
    import datetime as dt

    from ecogov.inspections.models import InspectionType, Outcome

    staff = world.user("beishan_staff")
    first = drawn(world, quotas=ALL)
    checks = {c.entity_id: c for c in DrawCheck.objects.filter(draw=first).select_related("entity")}
    ordinary = [c for c in checks.values() if c.entity.category == "ordinary"][:2]
    key = next(c for c in checks.values() if c.entity.category == "key")
    day = dt.date(2021, 5, 12)

    def record(check, **data):
        people = [a.inspector for a in check.assignments.order_by("position")]
        return services.inspection_record(
            actor=staff,
            inspectors=people,
            data={
                "date": day,
                "entity": check.entity,
                "type": InspectionType.RANDOM,
                "draw_check": check,
                "findings": "现场检查",
                **data,
            },
        )

    record(ordinary[0])  # compliant: left out later this year
    record(ordinary[1])  # compliant on the random check, but a later check found a problem
    services.inspection_record(
        actor=staff,
        inspectors=[staff, world.user("inspector")],
        data={
            "date": day,
            "entity": ordinary[1].entity,
            "type": InspectionType.COMPLAINT,
            "findings": "信访核查",
            "outcome": Outcome.ORDERED_FIXED,
        },
    )
    record(key)  # key units are drawn whatever the result

    def pool_of(draw):
        return {
            e.id for e in inputs_from_document(bytes(draw.input_document), draw.seed.value).entities
        }

    q3 = {
        "period_label": "2021-Q3",
        "period_start": dt.date(2021, 7, 1),
        "period_end": dt.date(2021, 9, 30),
        "inspection_date": dt.date(2021, 7, 1),
    }
    second = drawn(world, quotas=ALL, name="第三季度", seed="第三季度种子", **q3)
    everyone = {str(pk) for pk in entities_in("北山县").values_list("pk", flat=True)}
    assert pool_of(second) == everyone - {str(ordinary[0].entity_id)}
    assert second.skipped_compliant_count == 1 and second.entity_pool_size == len(everyone) - 1
    assert services.draw_verify(second).ok

    kept = drawn(
        world,
        quotas=ALL,
        name="全覆盖",
        seed="全覆盖种子",
        skip_compliant_this_year=False,
        **{**q3, "period_label": "2021-Q3b"},
    )
    assert pool_of(kept) == everyone and kept.skipped_compliant_count == 0

    next_year = drawn(
        world,
        quotas=ALL,
        name="次年",
        seed="次年种子",
        period_label="2022-Q1",
        period_start=dt.date(2022, 1, 4),
        period_end=dt.date(2022, 3, 31),
        inspection_date=dt.date(2022, 1, 4),
    )
    assert pool_of(next_year) == everyone


def test_rotation_follows_the_latest_draw_in_force_through_redraws(world):
    def previous(draw):
        inputs = inputs_from_document(bytes(draw.input_document), draw.seed.value)
        return {e: sorted(map(int, p)) for e, p in inputs.previous_assignments.items()}

    def as_previous(draw):
        return {str(e): sorted(p) for e, p in _checks(draw).items()}

    staff = world.user("beishan_staff")
    first = drawn(world, quotas=ALL)
    second = drawn(world, quotas=ALL, name="第二个计划", seed="第二个种子")
    assert previous(second) == as_previous(first)
    # the second draw is redone: rotation falls back to the first, the draw still in force
    announce(world, second.plan, value="重新抽取种子")
    redone = services.draw_redo(actor=staff, draw=second, reason="执法人员申报回避后重新抽取")
    assert previous(redone) == as_previous(first)
    latest = DrawCheck.objects.filter(is_latest=True, entity_id__in=_checks(first))
    assert set(latest.values_list("draw_id", flat=True)) == {redone.pk}
    third = drawn(world, quotas=ALL, name="第三个计划", seed="第三个种子")
    assert previous(third) == as_previous(redone)
    assert services.draw_verify(third).ok
