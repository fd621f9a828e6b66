"""Petitions (信访): received → accepted → in handling → replied → closed, with extension,
review, duplicates; deadlines where the regulation says only 日; personal data masked."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.core.calendar import current_calendar
from ecogov.matters import services
from ecogov.matters.models import Matter

D = dt.date


@pytest.fixture
def petition(world, hotline, make_matter):
    return make_matter(
        hotline,
        "petition",
        "XF-0001",
        lead=world.organisation("示例市生态环境局北山分局"),
        complainant_name="钱多多",
        complainant_phone="13912345678",
        complainant_id_number="99012119800101123X",
    )


def test_acceptance_deadline_gives_both_readings_and_alerts_on_the_earlier(petition):
    # 信访工作条例 art. 23 says 15日: calendar reading 03-17, working reading 03-23
    assert (petition.due_on, petition.due_other_on) == (D(2026, 3, 17), D(2026, 3, 23))
    assert petition.due_rule == "petition.accept" and not petition.due_provisional


def test_full_handling_with_extension_and_review(world, petition, leader):
    staff = world.user("beishan_staff")
    petition = services.matter_transition(
        actor=staff, matter=petition, action="accept", on=D(2026, 3, 5)
    )
    # 60日 from acceptance: 05-04 falls in the May Day holiday, so the calendar reading is 05-06
    assert petition.due_on == D(2026, 5, 6)
    assert petition.due_other_on == current_calendar().add_workdays(D(2026, 3, 5), 60)
    with pytest.raises(PermissionDenied, match="局领导"):
        services.matter_transition(actor=staff, matter=petition, action="extend", reason="复杂")
    petition = services.matter_transition(
        actor=leader,
        matter=petition,
        action="extend",
        reason="涉及多部门,需延期",
        on=D(2026, 4, 30),
    )
    assert (petition.due_on, petition.extended) == (D(2026, 6, 5), True)  # +30日 from 05-06
    with pytest.raises(ValidationError, match="延期一次"):
        services.matter_transition(actor=leader, matter=petition, action="extend", reason="再")
    petition = services.matter_transition(
        actor=staff, matter=petition, action="reply", on=D(2026, 6, 1), result="已责令整改"
    )
    assert (petition.state, petition.done_on, petition.done_late) == (
        "replied",
        D(2026, 6, 1),
        False,
    )
    petition = services.matter_transition(
        actor=staff,
        matter=petition,
        action="request_review",
        reason="不服处理意见",
        on=D(2026, 6, 20),
    )
    assert (petition.state, petition.done_on) == ("review", None)
    assert petition.due_on == D(2026, 7, 20)  # the review is answered within 30日
    petition = services.matter_transition(
        actor=staff,
        matter=petition,
        action="review_reply",
        result="维持原处理意见",
        on=D(2026, 7, 10),
    )
    petition = services.matter_transition(
        actor=staff, matter=petition, action="close", on=D(2026, 8, 15)
    )
    assert (petition.state, petition.is_open, petition.closed_on) == (
        "closed",
        False,
        D(2026, 8, 15),
    )


def test_closing_before_replying_is_refused(petition, leader):
    for action in ("close", "reply", "request_review"):
        with pytest.raises(ValidationError):
            services.matter_transition(
                actor=leader, matter=petition, action=action, result="x", reason="x"
            )
    assert Matter.objects.get(pk=petition.pk).state == "received"


def test_not_accepted_is_closed_with_a_reason(petition, leader):
    with pytest.raises(ValidationError) as info:
        services.matter_transition(actor=leader, matter=petition, action="not_accept")
    assert "理由" in info.value.message_dict["reason"][0]
    petition = services.matter_transition(
        actor=leader, matter=petition, action="not_accept", reason="属民事纠纷,告知诉讼途径"
    )
    assert petition.state == "not_accepted" and not petition.is_open and petition.closed_on


def test_an_unknown_year_gives_a_provisional_deadline_never_a_silent_guess(
    world, hotline, make_matter
):
    matter = make_matter(
        hotline,
        "petition",
        "XF-0002",
        received=D(2026, 12, 20),
        lead=world.organisation("示例市生态环境局北山分局"),
    )
    assert matter.due_provisional is True
    assert matter.due_on == D(2027, 1, 4)  # 15 calendar days, Monday–Friday assumed


def test_channel_and_personal_data_are_validated(world, hotline, make_matter):
    with pytest.raises(ValidationError) as info:
        make_matter(
            hotline,
            "petition",
            "XF-0003",
            channel="",
            complainant_id_number="123",
            complainant_phone="abc",
        )
    errors = info.value.message_dict
    assert "来源渠道" in errors["channel"][0]
    assert "18位" in errors["complainant_id_number"][0]
    assert "格式不正确" in errors["complainant_phone"][0]


def test_duplicates_point_at_the_first_complaint(world, hotline, make_matter, leader):
    lead = world.organisation("示例市生态环境局北山分局")
    first = make_matter(hotline, "petition", "XF-0010", lead=lead)
    second = make_matter(hotline, "petition", "XF-0011", lead=lead)
    third = make_matter(hotline, "petition", "XF-0012", lead=lead)
    services.matter_link_duplicate(actor=leader, matter=second, original=first)
    services.matter_link_duplicate(actor=leader, matter=third, original=second)
    assert Matter.objects.get(pk=third.pk).duplicate_of_id == first.pk
    with pytest.raises(ValidationError):
        services.matter_link_duplicate(actor=leader, matter=first, original=first)


def test_personal_data_is_masked_for_those_who_do_not_handle_it(login, world, petition):
    url = f"/api/matters/matters/{petition.pk}/"
    handler = login("beishan_staff").get(url).json()
    assert handler["complainant_phone"] == "13912345678"
    assert handler["complainant_id_number"] == "99012119800101123X"
    viewer = login("viewer").get(url).json()
    assert viewer["complainant_phone"] == "139****5678"
    assert viewer["complainant_name"] == "钱**"
    assert viewer["complainant_id_number"] == "990121********123X"
    listing = (
        login("viewer")
        .get("/api/matters/matters/", {"kind": "petition", "source__code": "xf2026"})
        .json()
    )
    assert listing["results"][0]["complainant_phone"] == "139****5678"


def test_provisional_deadline_is_recomputed_when_the_year_is_entered(world, hotline, make_matter):
    import datetime as dt
    from io import StringIO

    from django.core.management import call_command

    from ecogov.core.models import CalendarYear, WorkdayOverride

    matter = make_matter(
        hotline,
        "petition",
        "XF-0099",
        received=D(2026, 12, 20),
        lead=world.organisation("示例市生态环境局北山分局"),
    )
    assert matter.due_provisional and matter.due_on == D(2027, 1, 4)
    # the State Council's 2027 notice is entered: say 1–5 January 2027 are holidays
    for day in range(1, 6):
        WorkdayOverride.objects.create(
            day=dt.date(2027, 1, day),
            is_workday=False,
            name="元旦",
            source_document="国办发明电〔2026〕X号",
        )
    CalendarYear.objects.create(year=2027, source_document="国办发明电〔2026〕X号")
    out = StringIO()
    call_command("remind", "--date", "2026-12-28", "--dry-run", stdout=out)
    matter.refresh_from_db()
    assert (matter.due_on, matter.due_provisional) == (D(2027, 1, 6), False)
    assert "督察整改与信访 XF-0099:暂定时限 2027-01-04 重新计算为 2027-01-06" in out.getvalue()
    assert matter.events.filter(type="deadline_changed").count() == 1
