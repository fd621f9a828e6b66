"""Build 示例市 into the database, and look its people and places up by name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ecogov.core import creditcode
from ecogov.core.models import (
    Division,
    DivisionLevel,
    EntityCategory,
    EntityEvent,
    Organisation,
    OrganisationKind,
    RegulatedEntity,
    SecurityPolicy,
    StaffProfile,
)
from ecogov.core.roles import Role, sync_roles

from . import data

DEMO_PASSWORD = "ecogov-demo-2026"

# username: (full name, organisation, division name or None, roles, certificate expiry)
USERS = {
    "sysadmin": ("系统管理员", "办公室", None, [Role.SYSTEM_ADMIN], None),
    "secadmin": ("安全管理员", "办公室", None, [Role.SECURITY_ADMIN], None),
    "auditadmin": ("审计管理员", "办公室", None, [Role.AUDIT_ADMIN], None),
    "leader": ("王建国", data.BUREAU, "示例市", [Role.LEADER], None),
    "eia_staff": ("李海燕", "环境影响评价与排放管理科", "示例市", [Role.SECTION_STAFF], None),
    "legal": ("张志强", "法规与标准科", "示例市", [Role.LEGAL_REVIEWER], None),
    "inspector": (
        "陈军",
        "示例市生态环境保护综合行政执法支队",
        "示例市",
        [Role.SECTION_STAFF],
        dt.date(2028, 6, 30),
    ),
    "beishan_staff": (
        "刘敏",
        "示例市生态环境局北山分局",
        "北山县",
        [Role.SUB_BUREAU_STAFF],
        dt.date(2027, 3, 31),
    ),
    "nanhu_staff": (
        "杨磊",
        "示例市生态环境局南湖分局",
        "南湖县",
        [Role.SUB_BUREAU_STAFF],
        dt.date(2026, 12, 15),
    ),
    "zone_staff": (
        "黄静",
        "示例市生态环境局开发区分局",
        "示例经济开发区",
        [Role.SUB_BUREAU_STAFF],
        None,
    ),
    "housing_reporter": ("赵洋", "市住房和城乡建设局", None, [Role.DEPARTMENT_REPORTER], None),
    "viewer": ("吴艳", "办公室", "示例市", [Role.VIEWER], None),
}


@transaction.atomic
def build(entities: int = 300) -> None:
    """Create 示例市 (idempotent: an existing world is left as it is)."""
    if Division.objects.filter(code=data.CITY[0]).exists():
        return
    sync_roles()
    SecurityPolicy.objects.get_or_create(pk=1)
    province = Division.objects.create(
        code=data.PROVINCE[0], name=data.PROVINCE[1], level=DivisionLevel.PROVINCE
    )
    city = Division.objects.create(
        code=data.CITY[0], name=data.CITY[1], level=DivisionLevel.CITY, parent=province
    )
    counties = [
        Division.objects.create(code=c, name=n, level=DivisionLevel.COUNTY, parent=city)
        for c, n, _short in data.COUNTIES
    ]
    zone_code, zone_name, _zone_short = data.SPECIAL_ZONE
    counties.append(
        Division.objects.create(
            code=zone_code,
            name=zone_name,
            parent=city,
            level=DivisionLevel.SPECIAL_ZONE,
            is_standard=False,
        )
    )
    shorts = [short for _c, _n, short in data.COUNTIES] + [data.SPECIAL_ZONE[2]]

    bureau = Organisation.objects.create(
        name=data.BUREAU, short_name="示环", kind=OrganisationKind.BUREAU, division=city
    )
    for name in data.SECTIONS:
        Organisation.objects.create(
            name=name, kind=OrganisationKind.SECTION, parent=bureau, division=city
        )
    for name in data.ATTACHED_UNITS:
        Organisation.objects.create(
            name=name, kind=OrganisationKind.ATTACHED_UNIT, parent=bureau, division=city
        )
    for county, short in zip(counties, shorts, strict=True):
        Organisation.objects.create(
            name=f"示例市生态环境局{short}分局",
            kind=OrganisationKind.SUB_BUREAU,
            parent=bureau,
            division=county,
        )
        government = "管理委员会" if county.level == DivisionLevel.SPECIAL_ZONE else "人民政府"
        Organisation.objects.create(
            name=f"{county.name}{government}",
            kind=OrganisationKind.COUNTY_GOVERNMENT,
            division=county,
        )
    for name in data.CITY_DEPARTMENTS:
        Organisation.objects.create(name=name, kind=OrganisationKind.CITY_DEPARTMENT, division=city)
    for name, kind in data.OUTSIDE_BODIES:
        Organisation.objects.create(
            name=name, kind=OrganisationKind.OUTSIDE_BODY, outside_kind=kind, division=city
        )

    _build_entities(counties, shorts, entities)
    _build_users()
    from ecogov.core.areas import AREAS

    for area in AREAS.values():  # each landed area adds its ledgers (seed figures) to 示例市
        for builder in area.demo:
            builder()


def _build_entities(counties, shorts, count: int) -> None:
    rows = []
    for i in range(count):
        county, short = counties[i % len(counties)], shorts[i % len(counties)]
        code, industry = data.INDUSTRIES[i % len(data.INDUSTRIES)]
        word = data.WORDS[(i // len(counties)) % len(data.WORDS)]
        key = i % 7 == 0
        organisation_code = f"{700000000 + i * 7919:09d}"[-9:]
        rows.append(
            RegulatedEntity(
                name=f"{short}{word}{industry}有限公司"
                + (f"({i // 300 + 1}厂)" if i >= 300 else ""),
                credit_code=creditcode.make(f"91{county.code}{organisation_code}"),
                address=f"{county.name}工业园{i % 40 + 1}号",
                division=county,
                industry_code=code,
                longitude=(Decimal("109.5") + Decimal(i % 97) / 97).quantize(Decimal("0.000001")),
                latitude=(Decimal("27.0") + Decimal(i % 89) / 89).quantize(Decimal("0.000001")),
                category=EntityCategory.KEY
                if key
                else (EntityCategory.SPECIAL if i % 31 == 5 else EntityCategory.ORDINARY),
                is_key_discharger=key,
                is_special_supervision=i % 31 == 5,
                legal_representative=data.SURNAMES[i % len(data.SURNAMES)]
                + data.GIVEN[i % len(data.GIVEN)],
                contact_phone=f"1{3 + i % 6}{i * 104729 % 10**9:09d}",
            )
        )
    for entity in rows:
        entity.full_clean(validate_unique=False)
    created = bulk_create_with_history(rows, RegulatedEntity)
    now = timezone.now()
    EntityEvent.objects.bulk_create(
        [
            EntityEvent(
                record=entity,
                type=EntityEvent.Type.IMPORTED,
                occurred_at=now,
                to_state=entity.status,
                payload={"source": "示例市演示数据"},
            )
            for entity in created
        ]
    )


def _build_users() -> None:
    organisations = {o.name: o for o in Organisation.objects.all()}
    divisions = {d.name: d for d in Division.objects.all()}
    groups = {g.name: g for g in Group.objects.all()}
    for username, (full_name, org, division, roles, expiry) in USERS.items():
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, is_staff=True)
        StaffProfile.objects.create(
            user=user,
            full_name=full_name,
            organisation=organisations[org],
            division=divisions[division] if division else None,
            certificate_number=f"示执{sum(map(ord, username)) * 7919 % 10**8:08d}"
            if expiry
            else "",
            certificate_expiry=expiry,
        )
        user.groups.set([groups[r] for r in roles])


class World:
    """Look 示例市 up by name in tests: `world.user("beishan_staff")`, `world.division("北山县")`."""

    def user(self, username: str) -> User:
        return User.objects.select_related("staff").get(username=username)

    def division(self, name: str) -> Division:
        return Division.objects.get(name=name)

    def organisation(self, name: str) -> Organisation:
        return Organisation.objects.get(name=name)

    def entity_in(self, division_name: str) -> RegulatedEntity:
        return RegulatedEntity.objects.filter(division__name=division_name).order_by("pk").first()
