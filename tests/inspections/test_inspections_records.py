"""Inspection records: validation, numbering, evidence, and the one-step penalty case."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ecogov.core.models import StaffProfile
from ecogov.inspections import services
from ecogov.inspections.models import (
    DrawCheck,
    InspectionEvent,
    InspectionRecord,
    InspectionType,
    Outcome,
    Publication,
)
from ecogov.inspections.testing import drawn, entities_in

DAY = dt.date(2021, 5, 12)


def _drawn_check(world):
    draw = drawn(world)
    check = DrawCheck.objects.filter(draw=draw).select_related("entity").order_by("pk").first()
    return check, [a.inspector for a in check.assignments.order_by("position")]


def _random(world, check, inspectors, **data):
    return services.inspection_record(
        actor=world.user("beishan_staff"),
        inspectors=inspectors,
        data={
            "date": DAY,
            "entity": check.entity,
            "type": InspectionType.RANDOM,
            "draw_check": check,
            "findings": "现场检查",
            **data,
        },
    )


def _campaign(world, user="beishan_staff", inspectors=None, **data):
    entity = entities_in("北山县").order_by("pk").first()
    people = (
        inspectors
        if inspectors is not None
        else [world.user("beishan_staff"), world.user("inspector")]
    )
    return services.inspection_record(
        actor=world.user(user),
        inspectors=people,
        data={
            "date": DAY,
            "entity": entity,
            "type": InspectionType.HEAVY_METAL,
            "findings": "涉重金属企业环境风险排查",
            **data,
        },
    )


def test_random_inspection_of_a_drawn_check(world):
    check, inspectors = _drawn_check(world)
    record = _random(world, check, inspectors)
    assert record.number.startswith("示环检〔2021〕") and record.number.endswith("号")
    assert record.division == check.entity.division and record.outcome == Outcome.NO_PROBLEM
    assert set(record.inspectors.all()) == set(inspectors)
    event = InspectionEvent.objects.get(record=record)
    assert event.type == "recorded" and event.payload["number"] == record.number
    # the result is due on the portal within 20 working days (docs/inspections.md §5)
    publication = Publication.objects.get(inspection=record)
    assert publication.due_on == dt.date(2021, 6, 9) and not publication.due_provisional
    with pytest.raises(ValidationError) as exc:  # one record per drawn check
        _random(world, check, inspectors)
    assert "已有检查记录" in exc.value.message_dict["draw_check"][0]


def test_numbers_run_per_year(world):
    first = _campaign(world)
    second = _campaign(world)
    assert int(second.number[9:-1]) == int(first.number[9:-1]) + 1


def test_inspection_date_outside_the_plan_period(world):
    check, inspectors = _drawn_check(world)
    with pytest.raises(ValidationError) as exc:
        _random(world, check, inspectors, date=dt.date(2021, 7, 2))
    assert "不在抽查计划" in exc.value.message_dict["date"][0]
    assert not InspectionRecord.objects.filter(draw_check=check).exists()


def test_other_inspectors_than_drawn_need_a_reason(world):
    check, inspectors = _drawn_check(world)
    others = [u for u in (world.user("beishan_staff"), world.user("inspector"))]
    if set(others) == set(inspectors):
        pytest.skip("the draw happened to pick exactly these two")
    with pytest.raises(ValidationError) as exc:
        _random(world, check, others)
    assert "人员变更理由" in exc.value.message_dict["substitution_reason"][0]
    record = _random(world, check, others, substitution_reason="原抽取人员病假")
    assert record.substitution_reason == "原抽取人员病假"


def test_fewer_than_two_inspectors(world):
    with pytest.raises(ValidationError) as exc:
        _campaign(world, inspectors=[world.user("beishan_staff")])
    assert "不得少于 2 人" in exc.value.message_dict["inspectors"][0]
    with pytest.raises(ValidationError) as exc:  # the same person twice is one person
        _campaign(world, inspectors=[world.user("beishan_staff")] * 2)
    assert "只填写了 1 人" in exc.value.message_dict["inspectors"][0]


def test_inspectors_need_a_valid_certificate(world):
    StaffProfile.objects.filter(user=world.user("inspector")).update(
        certificate_expiry=dt.date(2021, 1, 31)
    )
    with pytest.raises(ValidationError) as exc:
        _campaign(
            world,
            inspectors=[world.user("beishan_staff"), world.user("inspector"), world.user("leader")],
        )
    message = exc.value.message_dict["inspectors"][0]
    assert "陈军(有效期至 2021-01-31)" in message and "王建国(未持执法证)" in message


def test_date_in_the_future_and_scope(world):
    with pytest.raises(ValidationError) as exc:
        _campaign(world, date=dt.date(2099, 1, 1))
    assert "晚于今天" in exc.value.message_dict["date"][0]
    with pytest.raises(PermissionDenied):
        _campaign(world, user="nanhu_staff")


def test_evidence_attachment_is_hashed_and_recorded(world):
    record = _campaign(world)
    photo = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    attachment = services.inspection_attach(
        actor=world.user("beishan_staff"), record=record, uploaded_file=photo, description="排污口"
    )
    assert len(attachment.sha256) == 64 and attachment.record == record
    assert InspectionEvent.objects.filter(record=record, type="attachment_added").exists()
    with pytest.raises(ValidationError):
        services.inspection_attach(
            actor=world.user("beishan_staff"),
            record=record,
            uploaded_file=SimpleUploadedFile("x.exe", b"MZ...."),
        )


def test_update_rules(world):
    record = _campaign(world)
    staff = world.user("beishan_staff")
    record = services.inspection_update(
        actor=staff,
        record=record,
        data={"outcome": Outcome.ORDERED_FIXED, "findings": "雨污分流不彻底,责令整改"},
    )
    assert record.outcome == Outcome.ORDERED_FIXED
    event = InspectionEvent.objects.filter(record=record, type="updated").get()
    assert event.from_state == "no_problem" and event.to_state == "ordered_fixed"
    with pytest.raises(ValidationError) as exc:
        services.inspection_update(actor=staff, record=record, data={"date": DAY})
    assert "date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.inspection_update(actor=staff, record=record, data={"outcome": "case_opened"})
    assert "一键立案" in exc.value.message_dict["outcome"][0]


def test_an_inspection_in_violation_opens_a_case_in_one_step(world):
    pytest.importorskip("ecogov.enforcement.services")
    from ecogov.enforcement.models import PenaltyCase

    check, inspectors = _drawn_check(world)
    record = _random(world, check, inspectors, findings="废水超标排放")
    case = services.inspection_open_case(
        actor=world.user("beishan_staff"),
        record=record,
        facts="经现场检查,当事人超标排放水污染物。",
        opened_on=DAY + dt.timedelta(days=2),
    )
    record.refresh_from_db()
    assert record.outcome == Outcome.CASE_OPENED and record.case_number == case.number
    assert case.inspection_ref == record.number and case.entity == record.entity
    assert case.source == "random_inspection" and set(case.officers.all()) == set(inspectors)
    assert PenaltyCase.objects.filter(inspection_ref=record.number).count() == 1
    assert InspectionEvent.objects.filter(record=record, type="case_opened").exists()
    with pytest.raises(ValidationError) as exc:
        services.inspection_open_case(
            actor=world.user("beishan_staff"), record=record, facts="再次"
        )
    assert "已立案" in exc.value.message_dict["outcome"][0]


def test_a_refused_case_leaves_the_record_as_it_was(world):
    pytest.importorskip("ecogov.enforcement.services")
    from ecogov.enforcement.models import PenaltyCase

    record = _campaign(world)
    before = PenaltyCase.objects.count()
    with pytest.raises(ValidationError):  # opening date in the future: refused by enforcement
        services.inspection_open_case(
            actor=world.user("beishan_staff"),
            record=record,
            facts="违法事实",
            opened_on=dt.date(2099, 1, 1),
        )
    record.refresh_from_db()
    assert record.outcome == Outcome.NO_PROBLEM and record.case_number == ""
    assert PenaltyCase.objects.count() == before
