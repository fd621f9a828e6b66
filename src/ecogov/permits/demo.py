"""示例市's permits and registrations: the 2020 ledger (seed 一(三)7) and a few live permits.

The historical ledger is recorded in bulk with the `imported` event the ledger import writes,
so that the 2020 figures equal the seed by construction: 571 permits issued in 2020, 133 of
them with a rectification notice; 727 issued up to 2020-12-31 (累计发证: the 571 plus 156
issued before 2020), 133 with rectification; 3116 registrations filed in 2020. Of the 156,
147 (issued 2017–2019) are still in force at 2020-12-31 — 718 in force then — and nine are
not: cancelled or revoked before the end of 2020, and three issued on 2015-12-31 whose five
years ran out on 2020-12-30. 150 registrations were filed in 2019. Live permits (renewal due,
rectification overdue, execution reports) go through the services.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ecogov.core import creditcode
from ecogov.core.dates import add_months, add_years
from ecogov.core.models import Division, DivisionLevel, RegulatedEntity

from .models import (
    ManagementClass,
    Permit,
    PermitEvent,
    PermitState,
    Registration,
    RegistrationEvent,
    RegistrationState,
    in_force_until,
    site_key,
)
from .services.common import permit_validity_end, registration_validity_end

SOURCE = "示例市排污许可台账(演示数据)"
ISSUED_2020, RECTIFICATION_2020, IN_FORCE_BEFORE_2020 = 571, 133, 147  # + 9 ended: 727 issued
REGISTRATIONS_2020, REGISTRATIONS_2019 = 3116, 150
SITES = ["厂区一", "厂区二", "厂区三"]
SMALL_UNITS = [
    "汽车维修店",
    "洗车场",
    "餐饮店",
    "印刷社",
    "木材加工厂",
    "食品加工坊",
    "洗涤店",
    "加油站",
    "家具厂",
    "石材加工厂",
]


def _pollutants(key: bool) -> list[dict]:
    if key:
        return [
            {
                "pollutant": "二氧化硫",
                "outlet": "DA001",
                "limit": "35",
                "unit": "mg/m³",
                "annual_tonnes": "12.5",
            },
            {
                "pollutant": "氮氧化物",
                "outlet": "DA001",
                "limit": "50",
                "unit": "mg/m³",
                "annual_tonnes": "20",
            },
        ]
    return [{"pollutant": "化学需氧量", "outlet": "DW001", "limit": "100", "unit": "mg/L"}]


def _permit(
    j: int,
    entities,
    issued_on: dt.date,
    *,
    state=PermitState.EXPIRED,
    ended_on=None,
    end_reason="",
    rectification=False,
    tracked_from,
) -> Permit:
    entity = entities[j % len(entities)]
    key = entity.is_key_discharger or j % 5 == 0
    valid_until = permit_validity_end(issued_on)
    permit = Permit(
        permit_number=f"{entity.credit_code}{j // len(entities) + 1:03d}P",
        entity=entity,
        division=entity.division,
        site=f"{entity.address}{SITES[j // len(entities)]}",
        management_class=ManagementClass.KEY if key else ManagementClass.SIMPLIFIED,
        industry_code=entity.industry_code,
        issued_on=issued_on,
        valid_until=valid_until,
        pollutants=_pollutants(key),
        conditions="按许可证载明的排放口、污染物和限值排放,开展自行监测",
        state=state,
        ended_on=ended_on,
        end_reason=end_reason,
        reports_tracked_from=tracked_from,
    )
    if rectification:
        permit.with_rectification = True
        permit.rectification_items = ["完善自行监测方案并安装在线监测设施", "规范排放口设置和标识"]
        permit.rectification_deadline = add_months(issued_on, 6)
        permit.rectification_closed_on = permit.rectification_deadline - dt.timedelta(days=10)
    permit.site_key = site_key(permit.site)
    permit.in_force_until = in_force_until(permit.valid_until, permit.ended_on)
    return permit


def build() -> None:
    today = timezone.localdate()
    entities = list(RegulatedEntity.objects.select_related("division").order_by("pk"))
    rows: list[Permit] = []

    def add(issued_on, **kwargs):
        rows.append(_permit(len(rows), entities, issued_on, tracked_from=today, **kwargs))

    for k in range(IN_FORCE_BEFORE_2020):
        add(dt.date(2017, 6, 1) + dt.timedelta(days=(k * 97) % 940))
    for k in range(ISSUED_2020):
        add(
            dt.date(2020, 1, 2) + dt.timedelta(days=(k * 7) % 363),
            rectification=k < RECTIFICATION_2020,
        )
    for k, ended in enumerate(
        [dt.date(2019, 5, 10), dt.date(2019, 11, 2), dt.date(2020, 3, 16), dt.date(2020, 12, 31)]
    ):
        add(
            dt.date(2017, 9, 1) + dt.timedelta(days=40 * k),
            state=PermitState.CANCELLED,
            ended_on=ended,
            end_reason="企业关闭,依申请注销",
        )
    for k in range(2):
        add(
            dt.date(2018, 4, 2) + dt.timedelta(days=30 * k),
            state=PermitState.REVOKED,
            ended_on=dt.date(2020, 6, 15),
            end_reason="以欺骗手段取得许可证,依法撤销",
        )
    for _k in range(3):
        add(dt.date(2015, 12, 31))  # in force through 2020-12-30 only
    for permit in rows:
        permit.full_clean(validate_unique=False, validate_constraints=False)
    created = bulk_create_with_history(rows, Permit, batch_size=500)
    now = timezone.now()
    PermitEvent.objects.bulk_create(
        [
            PermitEvent(
                record=p,
                type=PermitEvent.Type.IMPORTED,
                occurred_at=now,
                to_state=p.state,
                effective_on=p.issued_on,
                payload={"source": SOURCE, "created": True},
            )
            for p in created
        ],
        batch_size=1000,
    )
    _registrations()
    _live()


def _registrations() -> None:
    divisions = list(
        Division.objects.filter(
            level__in=[DivisionLevel.COUNTY, DivisionLevel.SPECIAL_ZONE]
        ).order_by("code")
    )
    rows = []
    for i in range(REGISTRATIONS_2020 + REGISTRATIONS_2019):
        division = divisions[i % len(divisions)]
        filed_on = (
            dt.date(2020, 1, 3) + dt.timedelta(days=(i * 11) % 360)
            if i < REGISTRATIONS_2020
            else dt.date(2019, 6, 1) + dt.timedelta(days=i % 200)
        )
        code = creditcode.make(f"92{division.code}{i:09d}")
        address = f"{division.name}{['建设路', '人民路', '工业路', '新华街'][i % 4]}{i % 500 + 1}号"
        rows.append(
            Registration(
                registration_number=f"{code}001W",
                credit_code=code,
                division=division,
                unit_name=f"{division.name[:2]}{['兴旺', '顺达', '利民', '鑫源', '宏发'][i % 5]}"
                f"{SMALL_UNITS[i % len(SMALL_UNITS)]}",
                address=address,
                site_key=site_key(address),
                filed_on=filed_on,
                valid_until=registration_validity_end(filed_on),
                state=RegistrationState.FILED,
            )
        )
    created = bulk_create_with_history(rows, Registration, batch_size=1000)
    now = timezone.now()
    RegistrationEvent.objects.bulk_create(
        [
            RegistrationEvent(
                record=r,
                type=RegistrationEvent.Type.IMPORTED,
                occurred_at=now,
                to_state=r.state,
                effective_on=r.filed_on,
                payload={"source": SOURCE, "created": True},
            )
            for r in created
        ],
        batch_size=1000,
    )


def _live() -> None:
    """Current permits through the services: one whose renewal application is overdue, one due
    soon, one with an overdue rectification and a missing execution report."""
    from ecogov.core.calendar import current_calendar

    from . import services
    from .schedule import owed_reports

    today = timezone.localdate()
    staff = User.objects.get(username="eia_staff")

    def entity(division):
        return RegulatedEntity.objects.filter(division__name=division).order_by("pk")[1]

    def issue(division, site, issued_on, key=True, **extra):
        return services.permit_issue(
            actor=staff,
            data={
                "entity": entity(division),
                "site": site,
                "issued_on": issued_on,
                "management_class": ManagementClass.KEY if key else ManagementClass.SIMPLIFIED,
                "pollutants": _pollutants(key),
                **extra,
            },
        )

    renew = issue("北山县", "北山县工业园A区8号", add_years(today, -5) + dt.timedelta(days=40))
    soon = issue(
        "南湖县", "南湖县滨湖路12号", add_years(today, -5) + dt.timedelta(days=80), key=False
    )
    issued = today - dt.timedelta(days=200)
    fixing = issue(
        "北山县",
        "北山县工业园B区3号",
        issued,
        with_rectification=True,
        rectification_items=["安装废气在线监测设施并联网"],
        rectification_deadline=add_months(issued, 6),
    )
    calendar = current_calendar()
    for permit in (renew, soon, fixing):
        owed = owed_reports(permit, calendar, due_by=today)
        if permit is fixing:
            owed = owed[:1]  # the later ones stay missing: the overdue list shows them
        for report in owed:
            services.execution_report_submit(
                actor=staff,
                permit=permit,
                year=report.year,
                period=report.period,
                submitted_on=min(report.due, today) - dt.timedelta(days=2),
            )
