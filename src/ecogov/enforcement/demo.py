"""示例市's penalty cases of 2020, made through the services (every event and hash as in
real use), so that the 2020 figures come out as the seed says: 137 cases handled.

The mix (deterministic from the case's index): 128 penalty decisions, 4 no-penalty decisions,
3 transfers to the police, 2 withdrawals; hearings where the party asked; legal review and
collective discussion where the thresholds require them; a few disclosures late and a few
fines still being collected. The resulting figures are listed in docs/enforcement.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import Group, User
from django.db import transaction

from ecogov.core.demo import DEMO_PASSWORD
from ecogov.core.models import Division, Organisation, RegulatedEntity, StaffProfile
from ecogov.core.roles import Role
from ecogov.enforcement import demo_story as story
from ecogov.enforcement import services as s
from ecogov.enforcement.bulk import BulkWriter
from ecogov.enforcement.deadlines import earliest_hearing_on
from ecogov.enforcement.defaults import ensure_defaults
from ecogov.enforcement.models import (
    CaseSource,
    EnforcementPolicy,
    LegalBasis,
    PartyKind,
    PenaltyCase,
    PenaltyKind,
    ServiceMethod,
)

CASES_2020 = 137
START = dt.date(2020, 1, 6)
# Provisions and ranges as the demo's legal section entered them (the bureau confirms its own).
BASES = [
    (
        "大气法99",
        "《中华人民共和国大气污染防治法》第九十九条",
        "超过大气污染物排放标准排放大气污染物",
        100000,
        1000000,
    ),
    (
        "大气法108",
        "《中华人民共和国大气污染防治法》第一百零八条",
        "未按规定采取挥发性有机物污染防治措施",
        20000,
        200000,
    ),
    (
        "大气法115",
        "《中华人民共和国大气污染防治法》第一百一十五条",
        "施工工地未采取扬尘污染防治措施",
        10000,
        100000,
    ),
    (
        "水法83",
        "《中华人民共和国水污染防治法》第八十三条",
        "超过水污染物排放标准排放水污染物",
        100000,
        1000000,
    ),
    (
        "排污许可条例33",
        "《排污许可管理条例》第三十三条",
        "未取得排污许可证排放污染物",
        200000,
        1000000,
    ),
    (
        "建设项目条例23",
        "《建设项目环境保护管理条例》第二十三条",
        "配套环境保护设施未经验收即投入生产",
        200000,
        1000000,
    ),
]
NO_PENALTY = {17, 58, 96, 121}
TRANSFERRED = {33, 88, 130}
WITHDRAWN = {45, 110}
INDIVIDUALS = {12, 64, 115}
LATE_DISCLOSURE = {9, 51, 99}
UNPAID = {131, 133, 135}


def build_demo() -> None:
    if PenaltyCase.objects.exists():
        return
    ensure_defaults()
    policy = EnforcementPolicy.current()
    policy.number_prefix = "示环罚"
    policy.save()
    bases = {
        code: LegalBasis.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "violation": violation,
                "fine_min": Decimal(low),
                "fine_max": Decimal(high),
            },
        )[0]
        for code, title, violation, low, high in BASES
    }
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["leader", "legal", "inspector", "beishan_staff", "nanhu_staff"]
        )
    }
    people["zhidui_officer"] = _detachment_officer()
    entities = list(RegulatedEntity.objects.select_related("division").order_by("pk"))
    findings = _random_findings(people["inspector"])
    with BulkWriter() as writer:  # rows and events written once at the end (enforcement.bulk)
        for i in range(CASES_2020):
            with transaction.atomic():
                entity = entities[(i * 7) % len(entities)]
                _one_case(i, entity, bases, people, policy, findings, writer)


def _random_findings(handler) -> list:
    """The random checks of 2020 that found a problem (the inspections area, when installed):
    cases from random inspections are opened from them, so the full-process record starts
    at the inspection."""
    if not apps.is_installed("ecogov.inspections"):
        return []
    from ecogov.inspections.queries import inspections_for

    return list(
        inspections_for(handler, year=2020)
        .filter(type="random", outcome="ordered_fixed")
        .order_by("date", "pk")
    )


def _finding_before(findings: list, day: dt.date):
    """The latest unused finding of the 20 days up to `day`, taken off the list."""
    for k in range(len(findings) - 1, -1, -1):
        if day - dt.timedelta(days=20) <= findings[k].date <= day:
            return findings.pop(k)
    return None


def _detachment_officer() -> User:
    """A second certified officer of the city detachment (cases need two; APL art. 42)."""
    user = User.objects.filter(username="zhidui_officer").first()
    if user is not None:
        return user
    user = User.objects.create_user(
        username="zhidui_officer", password=DEMO_PASSWORD, is_staff=True
    )
    StaffProfile.objects.create(
        user=user,
        full_name="周勇",
        organisation=Organisation.objects.get(name="示例市生态环境保护综合行政执法支队"),
        division=Division.objects.get(code="990100"),
        certificate_number="示执20180417",
        certificate_expiry=dt.date(2030, 12, 31),
    )
    user.groups.set([Group.objects.get(name=Role.SECTION_STAFF)])
    return user


def _officers(division, people):
    if division.name == "北山县":
        return [people["beishan_staff"], people["inspector"]]
    if division.name == "南湖县":
        return [people["nanhu_staff"], people["inspector"]]
    return [people["inspector"], people["zhidui_officer"]]


def _one_case(i: int, entity, bases, people, policy, findings, writer) -> None:
    handler, leader, legal = people["inspector"], people["leader"], people["legal"]
    found = START + dt.timedelta(days=i * 355 // CASES_2020)
    party = {}
    if i in INDIVIDUALS:  # a natural person (e.g. a private building site): masked when published
        party = {
            "party_kind": PartyKind.INDIVIDUAL,
            "party_name": f"{'王李张'[i % 3]}某{i}",
            "party_id_number": f"990121198{i % 10}0101{i:03d}{i % 10}",
            "party_phone": f"139{i:08d}",
            "party_address": f"{entity.division.name}某村",
        }
    basis = bases["大气法115"] if i in INDIVIDUALS else bases[BASES[i % len(BASES)][0]]
    source = [
        CaseSource.RANDOM_INSPECTION,
        CaseSource.COMPLAINT,
        CaseSource.SPECIAL_INSPECTION,
        CaseSource.MONITORING,
    ][i % 4]
    finding = (
        _finding_before(findings, found)
        if source == CaseSource.RANDOM_INSPECTION and not party
        else None
    )
    if finding is not None:  # opened in one step from the check that found it
        from ecogov.inspections.services import inspection_open_case

        case = inspection_open_case(
            opener_options={"writer": writer},  # to services.case_open_for_finding
            actor=handler,
            record=finding,
            facts=f"经双随机抽查,当事人{basis.violation}。",
            title=f"{basis.violation}案",
            opened_on=found + dt.timedelta(days=3),
        )
    else:  # no inspection_ref: a reference to an unrelated record would be a false link
        case = s.case_open(
            writer=writer,
            actor=handler,
            entity=None if i in INDIVIDUALS else entity,
            division=entity.division,
            source=source,
            facts=f"经现场检查,当事人{basis.violation}。",
            title=f"{basis.violation}案",
            found_on=found,
            opened_on=found + dt.timedelta(days=3),
            officers=_officers(entity.division, people),
            **party,
        )
    case = s.case_investigate(
        writer=writer, actor=handler, case=case, on=found + dt.timedelta(days=4)
    )
    story.during_investigation(i, case, people, found, writer)
    if i in TRANSFERRED:
        s.case_transfer(
            writer=writer,
            actor=handler,
            case=case,
            to="示例市公安局",
            on=found + dt.timedelta(days=20),
            reason="涉嫌环境污染犯罪,移送公安机关",
        )
        return
    if i in WITHDRAWN:
        s.case_withdraw(
            writer=writer,
            actor=leader,
            case=case,
            on=found + dt.timedelta(days=15),
            reason="经调查违法事实不能成立",
        )
        return
    if i in NO_PENALTY:
        s.case_decide_no_penalty(
            writer=writer,
            actor=leader,
            case=case,
            decided_on=found + dt.timedelta(days=30),
            reason="违法行为轻微并及时改正,没有造成危害后果",
        )
        return
    step = (basis.fine_max - basis.fine_min) / 10
    fine = (basis.fine_min + step * (i % 4)).quantize(Decimal("1"))
    kinds = [PenaltyKind.FINE]
    notified = found + dt.timedelta(days=28)
    case = s.case_notify(
        writer=writer,
        actor=handler,
        case=case,
        legal_basis=basis,
        penalty_kinds=kinds,
        fine=fine,
        notified_on=notified,
    )
    # the decision waits for the party's windows (and their holiday-lengthened ends)
    day = max(
        notified + dt.timedelta(days=12),
        *(d + dt.timedelta(days=1) for d in (case.statement_due, case.hearing_request_due) if d),
    )
    if case.hearing_offered and i % 3 == 0:
        case = s.case_request_hearing(
            writer=writer, actor=handler, case=case, requested_on=notified + dt.timedelta(days=2)
        )
        notice = notified + dt.timedelta(days=3)
        hearing = max(notified + dt.timedelta(days=16), earliest_hearing_on(notice, policy))
        officers = _officers(case.division, people)
        chair = next(
            u for u in (people["nanhu_staff"], people["beishan_staff"]) if u not in officers
        )
        case = s.case_schedule_hearing(
            writer=writer,
            actor=handler,
            case=case,
            chair=chair,
            notice_on=notice,
            hearing_on=hearing,
        )
        case = s.case_hold_hearing(
            writer=writer,
            actor=handler,
            case=case,
            held_on=hearing,
            summary="当事人对违法事实无异议,请求从轻处罚。",
        )
        day = hearing + dt.timedelta(days=2)
    if case.review_required:
        case = s.case_submit_review(
            writer=writer, actor=handler, case=case, reviewer=legal, submitted_on=day
        )
        case = s.case_legal_review(
            writer=writer,
            actor=legal,
            case=case,
            passed=True,
            reviewed_on=day + dt.timedelta(days=3),
            opinion="事实清楚,证据确凿,适用依据正确,程序合法,裁量适当。",
        )
        day += dt.timedelta(days=4)
    if case.collective_required:
        case = s.case_discuss(
            writer=writer,
            actor=leader,
            case=case,
            discussed_on=day,
            conclusion="同意按拟处罚意见作出处罚决定。",
        )
    decided = day + dt.timedelta(days=1)
    case = s.case_decide(
        writer=writer,
        actor=leader,
        case=case,
        penalty_kinds=kinds,
        fine=fine,
        decided_on=decided,
        decision_text=f"罚款人民币{fine}元。",
    )
    case = s.case_serve(
        writer=writer,
        actor=handler,
        case=case,
        method=ServiceMethod.DIRECT,
        served_on=decided + dt.timedelta(days=2),
    )
    published = decided + dt.timedelta(days=25 if i in LATE_DISCLOSURE else 4)
    case = s.case_disclose(writer=writer, actor=handler, case=case, published_on=published)
    case = s.case_execute(writer=writer, actor=handler, case=case, on=published)
    story.after_execution(i, case, people, published, writer)
    if i in UNPAID:
        if i % 2:
            s.case_record_payment(
                writer=writer,
                actor=handler,
                case=case,
                amount=fine / 2,
                paid_on=published + dt.timedelta(days=6),
                receipt_number=f"FS2020{i:04d}",
            )
        story.unpaid(i, case, people, published, writer)
        return
    s.case_record_payment(
        writer=writer,
        actor=handler,
        case=case,
        amount=fine,
        paid_on=published + dt.timedelta(days=6),
        receipt_number=f"FS2020{i:04d}",
    )
    case = s.case_close(
        writer=writer, actor=handler, case=case, closed_on=published + dt.timedelta(days=10)
    )
    story.after_closing(i, case, people, published + dt.timedelta(days=10), writer)
