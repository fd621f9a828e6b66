"""示例市's emergency records: the 2020-05-20 flood-season drill hosted by an enterprise in the
development zone (seed 一(三)3: 200+ participants), no incident in 2020, one general incident
in 2021, and a few filed contingency plans, one of them due for review soon."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from ecogov.core.dates import add_years
from ecogov.core.models import Division, Organisation, RegulatedEntity

from . import rules, services
from .models import IncidentGrade, RiskLevel

ZONE = "示例经济开发区"


def build() -> None:
    staff = User.objects.get(username="inspector")
    zone = Division.objects.get(name=ZONE)
    host = (
        RegulatedEntity.objects.filter(division=zone, name__contains="恒光").first()
        or RegulatedEntity.objects.filter(division=zone).order_by("pk").first()
    )
    services.drill_record(
        actor=staff,
        data={
            "division": zone,
            "held_on": dt.date(2020, 5, 20),
            "title": "2020年汛期突发环境事件应急演练",
            "organiser": Organisation.objects.get(name=f"{ZONE}管理委员会"),
            "guided_by_bureau": True,
            "host_entity": host,
            "scenario": "汛期暴雨致厂区危险化学品储罐泄漏,污染物经雨水排口进入河流",
            "participating_units": "开发区管委会、示例市生态环境局及开发区分局、应急管理、消防救援、水利等部门和园区企业",
            "participants": 210,
            "lessons": "雨水排口应急闸门关闭用时偏长;园区应急物资台账与实物不一致",
            "follow_up": "企业增设雨水排口自动切换阀;园区一个月内完成应急物资清点",
        },
    )
    today = timezone.localdate()
    _plans(staff, today)
    learned = timezone.make_aware(dt.datetime(2021, 7, 3, 9, 30))
    services.incident_record(
        actor=staff,
        data={
            "division": Division.objects.get(name="北山县"),
            "title": "北山县运输车辆侧翻柴油泄漏事件",
            "place": "北山县G209国道K1203处",
            "occurred_at": learned - dt.timedelta(minutes=40),
            "learned_at": learned,
            "grade": IncidentGrade.GENERAL,
            "initial_report_at": learned + dt.timedelta(hours=2, minutes=10),
            "reported_to": "北山县人民政府、示例市生态环境局",
            "response": "筑坝拦截、吸油毡吸附,下游断面加密监测",
            "closed_on": dt.date(2021, 7, 5),
            "closure_summary": "泄漏柴油全部回收,下游断面监测达标",
        },
    )


def _plans(staff, today: dt.date) -> None:
    entities = list(RegulatedEntity.objects.filter(is_key_discharger=True).order_by("pk")[:6])
    soon = add_years(today, -rules.REVIEW_YEARS) + dt.timedelta(days=30)
    dates = [
        (dt.date(2020, 3, 2), dt.date(2020, 3, 20)),
        (dt.date(2020, 6, 8), dt.date(2020, 6, 30)),
        (dt.date(2020, 9, 1), dt.date(2020, 11, 16)),  # filed late (beyond 20 working days)
        (dt.date(2018, 4, 10), dt.date(2018, 4, 28)),
        (soon, soon + dt.timedelta(days=10)),  # review due within the reminder window
        (dt.date(2017, 5, 5), dt.date(2017, 5, 20)),
    ]
    for number, (entity, (issued, filed)) in enumerate(zip(entities, dates, strict=True), 1):
        services.plan_file(
            actor=staff,
            data={
                "entity": entity,
                "title": f"{entity.name}突发环境事件应急预案",
                "filing_number": f"{entity.division.code}-{filed.year}-{number:03d}-"
                f"{'H' if entity.is_key_discharger else 'L'}",
                "risk_level": [RiskLevel.LARGER, RiskLevel.GENERAL, RiskLevel.MAJOR][number % 3],
                "issued_on": issued,
                "filed_on": filed,
            },
        )
    # the 2017 plan was reviewed in 2020 (next review 2023); the 2018 one replaced in 2021
    services.plan_review(actor=staff, plan=_plan(entities[5]), reviewed_on=dt.date(2020, 5, 6))
    services.plan_file(
        actor=staff,
        data={
            "entity": entities[3],
            "title": f"{entities[3].name}突发环境事件应急预案(2021年修订)",
            "filing_number": f"{entities[3].division.code}-2021-007-H",
            "risk_level": RiskLevel.LARGER,
            "issued_on": dt.date(2021, 3, 1),
            "filed_on": dt.date(2021, 3, 15),
        },
    )


def _plan(entity):
    from .models import ContingencyPlan

    return ContingencyPlan.objects.get(entity=entity, state="filed")
