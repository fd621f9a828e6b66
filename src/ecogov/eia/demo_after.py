"""示例市 after approval: a regional suspension in force (桃源县) and a past one (云岭县), a
provincial approval (城西区), a deferred application (白溪县), re-reviews and completion
acceptances with spot checks of 2020 approvals (青石县). Everything through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from ecogov.core.calendar import current_calendar
from ecogov.core.dates import add_months
from ecogov.core.models import Division, RegulatedEntity

from .models import DocumentType, EiaProject, Procedure, SpotCheckResult

DAY = dt.timedelta(days=1)


def build(site_in, index: dict[str, int]) -> None:
    from . import services

    today = timezone.localdate()
    leader = User.objects.get(username="leader")
    staff = User.objects.get(username="eia_staff")
    division = {d.name: d for d in Division.objects.filter(name__in=index)}

    # 区域限批: one in force, one past (extended once, then checked on site)
    start = today - dt.timedelta(days=30)
    services.suspension_record(
        actor=staff,
        data={
            "division": division["桃源县"],
            "authority": "示例省生态环境厅",
            "document_number": f"示环函〔{start.year}〕18号",
            "reason": "桃源河断面水质连续未达到考核目标,未完成整治任务",
            "starts_on": start,
            "ends_on": add_months(start, 6) - DAY,
        },
    )
    past = services.suspension_record(
        actor=staff,
        data={
            "division": division["云岭县"],
            "authority": "示例省生态环境厅",
            "document_number": "示环函〔2021〕7号",
            "reason": "未按期完成主要污染物总量减排任务",
            "starts_on": dt.date(2021, 3, 1),
            "ends_on": dt.date(2021, 8, 31),
        },
    )
    services.suspension_extend(
        actor=staff, suspension=past, until=dt.date(2021, 12, 31), number="示环函〔2021〕30号"
    )
    services.suspension_site_check(
        actor=staff,
        suspension=past,
        checked_on=dt.date(2022, 1, 20),
        note="减排工程已建成运行,建议不再延长",
    )

    # a provincial approval recorded for a project in the city
    west = RegulatedEntity.objects.filter(division=division["城西区"]).order_by("pk").first()
    services.project_record_provincial(
        actor=leader,
        data={
            "name": "示例市城西220千伏输变电工程",
            "builder": west,
            "division": division["城西区"],
            "document_type": DocumentType.REPORT,
            "location": site_in(index["城西区"], "general", 5),
            "total_investment": Decimal("46000"),
            "env_investment": Decimal("900"),
        },
        decided_on=today - dt.timedelta(days=60),
        decision_number=f"示省环审〔{(today - dt.timedelta(days=60)).year}〕21号",
    )

    # an application deferred (暂缓), not refused
    creek = RegulatedEntity.objects.filter(division=division["白溪县"]).order_by("pk").first()
    deferred = services.project_submit(
        actor=staff,
        data={
            "name": f"{creek.name.removesuffix('有限公司')}技术改造项目",
            "builder": creek,
            "division": division["白溪县"],
            "industry_code": creek.industry_code,
            "document_type": DocumentType.FORM,
            "procedure": Procedure.COMMITMENT,
            "location": site_in(index["白溪县"], "general", 4),
            "total_investment": Decimal("2600"),
            "env_investment": Decimal("140"),
            "facts": {"industry_policy_ok": True},
            "submitted_on": today - dt.timedelta(days=20),
        },
    )
    services.project_accept(
        actor=staff, project=deferred, accepted_on=today - dt.timedelta(days=18)
    )
    services.project_defer(
        actor=staff,
        project=deferred,
        deferred_on=today - dt.timedelta(days=5),
        reasons="区域污染物削减替代方案尚未落实,暂缓审批,待方案落实后再行审查",
    )

    # after the 2020 approvals of 青石县: re-reviews, acceptances, spot checks
    old = list(
        EiaProject.objects.filter(
            division=division["青石县"], decision="approved", decided_on__year=2020
        ).order_by("pk")[:4]
    )
    answered = services.rereview_request(
        actor=staff,
        project=old[0],
        received_on=today - dt.timedelta(days=40),
        construction_starts_on=today + dt.timedelta(days=30),
    )
    services.rereview_answer(
        actor=staff,
        rereview=answered,
        outcome="agreed",
        answered_on=today - dt.timedelta(days=35),
        number=f"示环函〔{today.year}〕52号",
    )
    services.rereview_request(
        actor=staff,
        project=old[1],
        received_on=today - dt.timedelta(days=2),
        construction_starts_on=today + dt.timedelta(days=60),
    )
    calendar = current_calendar()
    for k, project in enumerate(old[2:]):
        published = dt.date(2021, 5, 12 + k)
        acceptance = services.acceptance_record(
            actor=staff,
            project=project,
            data={
                "completed_on": dt.date(2021, 3, 1),
                "concluded_on": dt.date(2021, 5, 10 + k),
                "passed": True,
                "published_from": published,
                "published_until": calendar.add_workdays(published - DAY, 20),
                "where": "建设单位网站;全国建设项目竣工环境保护验收信息系统",
            },
        )
        services.spot_check_record(
            actor=staff,
            acceptance=acceptance,
            checked_on=dt.date(2021, 9, 15 + k),
            result=SpotCheckResult.PROBLEMS if k else SpotCheckResult.COMPLIANT,
            findings="验收监测报告缺少无组织排放监测数据" if k else "",
            follow_up="责令补充监测并重新公开验收报告" if k else "",
        )
