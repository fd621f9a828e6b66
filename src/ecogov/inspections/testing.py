"""Helpers for the random-inspection tests (plans, seeds and draws in 示例市, briefly)."""

import datetime as dt

from django.utils import timezone

from ecogov.core.models import RegulatedEntity
from ecogov.inspections import services
from ecogov.inspections.models import SeedSource

START = dt.date(2021, 4, 1)
END = dt.date(2021, 6, 30)
ALL = [
    {"category": "key", "share": 100},
    {"category": "ordinary", "share": 100},
    {"category": "special", "share": 100},
]


def make_plan(world, *, user="beishan_staff", division="北山县", quotas=None, **data):
    fields = {
        "name": "北山县2021年第二季度双随机抽查",
        "period_label": "2021-Q2",
        "period_start": START,
        "period_end": END,
        "division": world.division(division),
        "inspection_date": START,
        "inspectors_per_check": 2,
        **data,
    }
    return services.plan_create(
        actor=world.user(user),
        data=fields,
        quotas=quotas
        if quotas is not None
        else [
            {"category": "key", "share": 50},
            {"category": "ordinary", "share": "12.5"},
            {"category": "special", "count": 1},
        ],
    )


def announce(world, plan, *, user="beishan_staff", value="2021-04-01 示例种子", ago_minutes=60):
    return services.seed_announce(
        actor=world.user(user),
        plan=plan,
        value=value,
        source=SeedSource.PUBLIC,
        source_note="测试:公开来源",
        now=timezone.now() - dt.timedelta(minutes=ago_minutes),
    )


def drawn(world, *, user="beishan_staff", seed="2021-04-01 示例种子", **plan_kwargs):
    plan = make_plan(world, user=user, **plan_kwargs)
    announce(world, plan, user=user, value=seed)
    return services.draw_make(actor=world.user(user), plan=plan)


def entities_in(division_name):
    return RegulatedEntity.objects.filter(division__name=division_name, status="operating")
