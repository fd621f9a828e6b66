"""What is due on the public portal, when, and what exactly is handed over (masked)."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ecogov.core.calendar import current_calendar
from ecogov.core.workdays import DayType
from ecogov.inspections import deadlines, services
from ecogov.inspections.models import (
    DrawCheck,
    InspectionRecord,
    PlanEvent,
    Publication,
    PublicationKind,
)
from ecogov.inspections.queries import overdue_items, pending_publications
from ecogov.inspections.testing import drawn


def test_result_due_counts_working_days_over_national_day(db):
    # 2020-09-25 + 20 working days: the 27 Sep and 10 Oct make-up Saturdays/Sundays count,
    # 1–8 October does not
    assert deadlines.result_due(dt.date(2020, 9, 25)).due == dt.date(2020, 10, 29)


def test_draw_list_is_due_twenty_working_days_after_the_period(world):
    draw = drawn(world)
    publication = Publication.objects.get(draw=draw)
    assert publication.kind == PublicationKind.DRAW_LIST and publication.published_on is None
    trigger = max(timezone.localdate(draw.drawn_at), draw.plan.period_end)
    assert publication.trigger_on == trigger
    assert (
        publication.due_on
        == current_calendar().deadline(trigger, 20, DayType.WORKING, allow_provisional=True).due
    )
    staff = world.user("beishan_staff")
    assert publication in pending_publications(staff)
    assert any(i.label.startswith(publication.title) for i in overdue_items(staff))
    assert publication not in pending_publications(world.user("nanhu_staff"))


def test_the_list_is_secret_until_the_checks_are_done(world):
    draw = drawn(world, period_end=dt.date(2099, 12, 31))
    publication = Publication.objects.get(draw=draw)
    staff = world.user("beishan_staff")
    with pytest.raises(ValidationError) as exc:
        services.publication_publish(actor=staff, publication=publication)
    assert "保密" in exc.value.message_dict["published_on"][0]
    for check in DrawCheck.objects.filter(draw=draw).select_related("entity"):
        services.inspection_record(
            actor=staff,
            inspectors=[a.inspector for a in check.assignments.all()],
            data={
                "date": dt.date(2021, 5, 10),
                "entity": check.entity,
                "type": "random",
                "draw_check": check,
            },
        )
    publication = services.publication_publish(actor=staff, publication=publication)
    assert publication.published_on is not None and publication.on_time


def test_published_content_is_masked_and_has_no_recusal_reason(world):
    staff = world.user("beishan_staff")
    draw = drawn(world)
    check = DrawCheck.objects.filter(draw=draw).select_related("entity").first()
    services.conflict_declare(
        actor=staff,
        inspector=world.user("nanhu_staff"),
        entity=check.entity,
        reason="与法定代表人系夫妻关系",
    )
    record = services.inspection_record(
        actor=staff,
        inspectors=[a.inspector for a in check.assignments.all()],
        data={
            "date": dt.date(2021, 5, 10),
            "entity": check.entity,
            "type": "random",
            "draw_check": check,
            "findings": "联系人13912345678称设施检修,身份证990121198001011234",
        },
    )
    result = services.publication_publish(
        actor=staff, publication=record.publication, on=dt.date(2021, 5, 20)
    )
    text = json.dumps(result.content, ensure_ascii=False)
    assert "13912345678" not in text and "139****5678" in text
    assert "990121198001011234" not in text
    assert check.entity.name in text and check.entity.credit_code in text
    assert check.entity.legal_representative not in text and check.entity.contact_phone not in text
    names = [o["name"] for o in result.content["inspectors"]]
    assert all("*" in n for n in names) and all(
        o["certificate_number"] for o in result.content["inspectors"]
    )
    assert result.on_time and record.events.filter(type="published").exists()

    listing = services.publication_publish(
        actor=staff, publication=Publication.objects.get(draw=draw)
    )
    text = json.dumps(listing.content, ensure_ascii=False)
    assert "夫妻" not in text and listing.content["draw"]["input_hash"] == draw.input_hash
    assert listing.content["seed"]["value"] == draw.seed.value
    assert {c["entity_id"] for c in listing.content["checks"]} == {
        str(e) for e in DrawCheck.objects.filter(draw=draw).values_list("entity_id", flat=True)
    }
    assert PlanEvent.objects.filter(record=draw.plan, type="list_published").exists()
    with pytest.raises(ValidationError) as exc:  # published once
        services.publication_publish(actor=staff, publication=listing)
    assert "已于" in exc.value.message_dict["published_on"][0]


def test_late_publication_is_counted_late(world):
    staff = world.user("beishan_staff")
    record = InspectionRecord.objects.filter(type="random", date__year=2020).first()
    publication = record.publication
    assert publication.published_on is not None  # the demo published it
    draw = drawn(world)
    check = DrawCheck.objects.filter(draw=draw).select_related("entity").first()
    record = services.inspection_record(
        actor=staff,
        inspectors=[a.inspector for a in check.assignments.all()],
        data={
            "date": dt.date(2021, 5, 10),
            "entity": check.entity,
            "type": "random",
            "draw_check": check,
        },
    )
    late = services.publication_publish(
        actor=staff,
        publication=record.publication,
        on=record.publication.due_on + dt.timedelta(days=1),
    )
    assert late.on_time is False


def test_campaign_inspections_need_no_publication(world):
    assert not Publication.objects.filter(inspection__type="hazard_survey").exists()
