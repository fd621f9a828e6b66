"""示例市's outreach records for 2020 (seed 一(一)3, 一(五)), written through the services so
that the figures come out of the records: 1,525 items on the two social-media accounts and 696
website articles (monthly counts as the channels export them), the 6·5 event with 5,000
booklets, the 12·4 event, 4 trainings on the revised solid-waste law (598 attendees), the
staff law exam, the national honour and the demonstration counties (4 provincial, 1 national).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User

from ecogov.core.models import Division, Organisation

from . import services
from .models import (
    ActivityKind,
    Channel,
    CreationKind,
    CreationState,
    Law,
    Level,
    MaterialKind,
    RecipientKind,
    StudyKind,
)

CITY = "990100"
SOURCE = "示例市宣传渠道月度统计(演示数据)"
MONTHLY_2020 = {Channel.WECHAT: 1025, Channel.WEIBO: 500, Channel.WEBSITE: 696}
SOLID_WASTE_BATCHES = [
    (dt.date(2020, 9, 8), 150, "城东区"),
    (dt.date(2020, 9, 22), 160, "北山县"),
    (dt.date(2020, 10, 13), 140, "南湖县"),
    (dt.date(2020, 11, 3), 148, "梅江市"),
]
PROVINCIAL_COUNTIES = ["城东区", "北山县", "南湖县", "梅江市"]  # 第二批省级示范县
NATIONAL_COUNTY = "桃源县"  # 第四批国家级示范县
# scores of the 2020 exam by username (the other staff: 75–94); None: did not sit (reason)
SCORES = {
    "leader": 96,
    "eia_staff": 92,
    "legal": 98,
    "inspector": 88,
    "beishan_staff": 90,
    "nanhu_staff": 85,
    "zone_staff": None,
    "viewer": 91,
    "sysadmin": 87,
    "secadmin": 83,
    "auditadmin": 89,
}


def _monthly(total: int) -> list[int]:
    base, extra = divmod(total, 12)
    return [base + (1 if m < extra else 0) for m in range(12)]


def build() -> None:
    city = Division.objects.get(code=CITY)
    legal = User.objects.get(username="legal")
    section = Organisation.objects.get(name="法规与标准科")
    office = Organisation.objects.get(name="办公室")
    solid = Organisation.objects.get(name="固体废物与化学品科")
    _duty_lists(legal, city, section, office, solid)
    _publicity(legal, city)
    _items(legal, city)
    _activities(legal, city, section, office)
    _trainings(legal, city, solid)
    _exam(legal, city)
    _honours(legal, city)


def _duty_lists(actor, city, section, office, solid):
    first = services.duty_list_issue(
        actor=actor,
        data={
            "division": city,
            "title": "示例市生态环境局普法责任清单",
            "year": 2019,
            "issued_on": dt.date(2019, 3, 15),
            "basis": "示例市生态环境局2019年度普法依法治理工作计划",
        },
        items=[
            {
                "order": 1,
                "laws": "《中华人民共和国宪法》",
                "audience": "全局干部职工、社会公众",
                "responsible": section,
                "measures": "12·4国家宪法日集中宣传",
            },
            {
                "order": 2,
                "laws": "《中华人民共和国环境保护法》",
                "audience": "排污单位、社会公众",
                "responsible": office,
                "measures": "6·5世界环境日宣传、双微平台推送",
            },
        ],
    )
    services.duty_list_issue(
        actor=actor,
        data={
            "division": city,
            "title": "示例市生态环境局普法责任清单",
            "year": 2020,
            "issued_on": dt.date(2020, 3, 20),
            "basis": "示例市生态环境局2020年度普法依法治理工作计划",
            "adjustment": "纳入习近平总书记关于全面依法治国的重要论述、《土壤污染防治法》和修订后的《固体废物污染环境防治法》",
        },
        items=[
            {
                "order": 1,
                "laws": "习近平总书记关于全面依法治国的重要论述;《中华人民共和国宪法》",
                "audience": "全局干部职工、社会公众",
                "responsible": section,
                "measures": "12·4国家宪法日集中宣传、学法考法",
            },
            {
                "order": 2,
                "laws": "《中华人民共和国环境保护法》《中华人民共和国土壤污染防治法》",
                "audience": "排污单位、社会公众",
                "responsible": office,
                "measures": "6·5世界环境日宣传、新闻通气会、双微平台推送",
            },
            {
                "order": 3,
                "laws": "《中华人民共和国固体废物污染环境防治法》",
                "audience": "县市区政府及相关部门、产废企业负责人",
                "responsible": solid,
                "measures": "新法实施后分批举办培训",
            },
        ],
    )
    assert first.pk  # the first version stays, superseded by the second


def _publicity(actor, city):
    for channel, total in MONTHLY_2020.items():
        for month, count in enumerate(_monthly(total), start=1):
            services.publicity_count_import(
                actor=actor,
                division=city,
                channel=channel,
                month=dt.date(2020, month, 1),
                count=count,
                source_name=SOURCE,
            )


def _items(actor, city):
    """A few items entered one by one: details of months whose count the channel export gave."""
    for day, channel, title in (
        (dt.date(2020, 6, 5), Channel.WECHAT, "六五环境日|共建清洁美丽世界"),
        (dt.date(2020, 6, 5), Channel.WEBSITE, "我市开展2020年六五环境日主题宣传活动"),
        (dt.date(2020, 12, 4), Channel.WEIBO, "国家宪法日:尊崇宪法 学习宪法 遵守宪法"),
    ):
        services.publicity_item_publish(
            actor=actor,
            data={"division": city, "channel": channel, "published_on": day, "title": title},
        )


def _duty_items(duty_order: int):
    from .models import DutyItem

    return list(
        DutyItem.objects.filter(
            duty_list__division__code=CITY, duty_list__state="in_force", order=duty_order
        )
    )


def _activities(actor, city, section, office):
    services.activity_record(
        actor=actor,
        data={
            "division": city,
            "kind": ActivityKind.ENVIRONMENT_DAY,
            "held_on": dt.date(2020, 6, 5),
            "title": "2020年六五环境日主题宣传活动",
            "place": "示例市人民广场",
            "audience": "过往群众",
            "audience_count": 1200,
            "organiser": office,
            "duty_items": _duty_items(2),
            "summary": "设立咨询台,发放宣传手册,引导群众参与生态环境事务",
        },
        materials=[
            {"kind": MaterialKind.BOOKLET, "title": "保护野生动植物", "quantity": 2500},
            {"kind": MaterialKind.BOOKLET, "title": "公民生态环境十条行为规范", "quantity": 2500},
            {"kind": MaterialKind.GIFT, "title": "环保购物袋", "quantity": 600},
        ],
    )
    services.activity_record(
        actor=actor,
        data={
            "division": city,
            "kind": ActivityKind.CONSTITUTION_DAY,
            "held_on": dt.date(2020, 12, 4),
            "title": "2020年国家宪法日宣传活动",
            "place": "示例市步行街",
            "audience": "过往群众",
            "organiser": section,
            "duty_items": _duty_items(1),
            "summary": "设立生态环境咨询台,发放宣传资料,解答群众提出的问题",
        },
        materials=[{"kind": MaterialKind.LEAFLET, "title": "宪法宣传折页", "quantity": 800}],
    )
    services.activity_record(
        actor=actor,
        data={
            "division": city,
            "kind": ActivityKind.PRESS_CONFERENCE,
            "held_on": dt.date(2020, 7, 16),
            "title": "聚焦问题整治抓攻坚 增强群众环境获得感——示例市生态环境系统2020年新闻通气会",
            "place": "示例市生态环境局会议室",
            "audience": "新闻媒体记者",
            "audience_count": 30,
            "organiser": office,
            "duty_items": _duty_items(2),
        },
    )


def _trainings(actor, city, solid):
    for number, (day, attendees, where) in enumerate(SOLID_WASTE_BATCHES, start=1):
        services.training_record(
            actor=actor,
            data={
                "division": city,
                "law": Law.SOLID_WASTE,
                "held_on": day,
                "topic": f"《固体废物污染环境防治法》及固体废物规范化管理培训(第{number}批)",
                "place": f"{where}会议中心",
                "organiser": solid,
                "attendee_count": attendees,
                "audience_units": f"{where}政府及其生态环境、工信、应急管理、自然资源、交通运输、公安等部门,相关企业负责人",
                "duty_items": _duty_items(3),
            },
        )


def _exam(actor, city):
    services.study_record(
        actor=actor,
        data={
            "division": city,
            "kind": StudyKind.LAW_TRAINING,
            "held_on": dt.date(2020, 10, 15),
            "topic": "《中华人民共和国民法典》专题学习",
            "hours": Decimal("3"),
            "attendees": list(services.bureau_staff(city)),
        },
    )
    exam = services.law_exam_create(
        actor=actor,
        data={
            "division": city,
            "title": "2020年度领导干部职工学法考法考试",
            "held_on": dt.date(2020, 11, 20),
            "organiser": "示例市全面依法治市委员会办公室",
        },
    )
    by_user = {r.staff.user.username: r for r in exam.results.select_related("staff__user")}
    rows = []
    for result in by_user.values():
        score = SCORES.get(result.staff.user.username, 75 + result.staff.pk % 20)
        rows.append(
            {
                "pk": result.pk,
                "score": Decimal(score) if score is not None else None,
                "absence_reason": "" if score is not None else "外出学习",
            }
        )
    services.law_exam_update(actor=actor, exam=exam, data={}, results=rows)


def _honours(actor, city):
    services.honour_record(
        actor=actor,
        data={
            "division": city,
            "title": "全国第二次污染源普查表现突出集体",
            "level": Level.NATIONAL,
            "awarding_body": "国务院第二次全国污染源普查领导小组办公室",
            "awarded_on": dt.date(2020, 9, 15),
            "recipient_kind": RecipientKind.BUREAU,
        },
    )
    divisions = {d.name: d for d in Division.objects.filter(parent__code=CITY)}
    for name in PROVINCIAL_COUNTIES:
        services.creation_record(
            actor=actor,
            data={
                "division": divisions[name],
                "kind": CreationKind.COUNTY,
                "name": name,
                "level": Level.PROVINCIAL,
                "batch": "第二批",
                "awarding_body": "示例省生态环境厅",
                "started_on": dt.date(2018, 5, 1),
                "awarded_on": dt.date(2020, 10, 30),
                "state": CreationState.AWARDED,
            },
        )
    services.creation_record(
        actor=actor,
        data={
            "division": divisions[NATIONAL_COUNTY],
            "kind": CreationKind.COUNTY,
            "name": NATIONAL_COUNTY,
            "level": Level.NATIONAL,
            "batch": "第四批",
            "awarding_body": "生态环境部",
            "started_on": dt.date(2017, 6, 1),
            "awarded_on": dt.date(2020, 10, 9),
            "state": CreationState.AWARDED,
        },
    )
    services.creation_record(
        actor=actor,
        data={
            "division": divisions["青石县"],
            "kind": CreationKind.COUNTY,
            "name": "青石县",
            "level": Level.PROVINCIAL,
            "started_on": dt.date(2020, 4, 1),
            "state": CreationState.RUNNING,
        },
    )
