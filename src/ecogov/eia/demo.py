"""示例市's EIA records: control units, the rules, the 2020 ledger (seed 一(三)1), a few live files.

The 2020 ledger is loaded the way a bureau loads its old ledger: rows recorded in bulk with the
`imported` event the ledger import writes. The figures then equal the seed by construction:
493 approved (187 city, 306 county; 475 review, 18 commitment), 7 exempted apart; investment
city 79.8 亿元 (env 3.6), county 138.7 亿元 (env 3.01), totals 218.5 and 6.61. The seed's own
typed totals (215.27 / 6.4) disagree with its parts; `SEED_TYPED_2020` keeps them for the
data-quality check. A few current applications go through the services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ecogov.core.models import Division, DivisionLevel, RegulatedEntity
from ecogov.eia.zoning import EXAMPLE_RULES

from .models import (
    ApprovalLevel,
    Decision,
    DocumentType,
    EiaEvent,
    EiaProject,
    NoticeKind,
    PauseKind,
    Procedure,
    ProjectState,
)

SEED_TYPED_2020 = {
    "eia.investment.total": Decimal("215.27"),
    "eia.env_investment.total": Decimal("6.4"),
}
# (level, procedure, document type, count, total 万元, environmental 万元) of the 2020 approvals.
APPROVALS_2020 = [
    (ApprovalLevel.CITY, Procedure.REVIEW, DocumentType.REPORT, 60),
    (ApprovalLevel.CITY, Procedure.REVIEW, DocumentType.FORM, 120),
    (ApprovalLevel.CITY, Procedure.COMMITMENT, DocumentType.FORM, 7),
    (ApprovalLevel.COUNTY, Procedure.REVIEW, DocumentType.FORM, 295),
    (ApprovalLevel.COUNTY, Procedure.COMMITMENT, DocumentType.FORM, 11),
]
INVESTMENT_2020 = {
    ApprovalLevel.CITY: (Decimal("798000"), Decimal("36000")),
    ApprovalLevel.COUNTY: (Decimal("1387000"), Decimal("30100")),
}
EXEMPTED_2020 = 7
SOURCE = "示例市2020年环评审批台账(演示数据)"
CELL = 0.25  # degrees: each county's square in the demo map
ORIGIN = (109.5, 27.0)


def cell_of(index: int) -> tuple[float, float]:
    return ORIGIN[0] + (index % 4) * CELL, ORIGIN[1] + (index // 4) * CELL


def _box(lon0, lat0, lon1, lat1) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]],
    }


def units_geojson(divisions: list[Division]) -> dict:
    """Three control units per county: a priority-protection strip (red line in every other
    county), a key-control industrial strip, and general control for the rest."""
    features = []
    for k, division in enumerate(divisions):
        lon, lat = cell_of(k)
        short = division.name[:2]
        features += [
            _feature(
                f"ZH{division.code}10001",
                f"{short}生态保护优先保护单元",
                "优先保护",
                _box(lon, lat, lon + 0.07, lat + CELL),
                ["red_line"] if k % 2 == 0 else [],
                [
                    {
                        "kind": "forbidden",
                        "industries": ["B", "C25", "C26", "C30", "C31", "C32"],
                        "text": "禁止新建、扩建采矿、石化、化工、建材、冶炼等项目",
                    }
                ],
            ),
            _feature(
                f"ZH{division.code}20001",
                f"{short}工业园区重点管控单元",
                "重点管控",
                _box(lon + 0.07, lat, lon + 0.16, lat + CELL),
                ["non_attainment"] if k < 2 else [],
                [
                    {
                        "kind": "restricted",
                        "industries": ["C26"],
                        "text": "化工项目须进入合规化工园区,并落实主要污染物区域削减替代",
                    }
                ],
            ),
            _feature(
                f"ZH{division.code}30001",
                f"{short}一般管控单元",
                "一般管控",
                _box(lon + 0.16, lat, lon + CELL, lat + CELL),
                [],
                [{"kind": "forbidden", "industries": ["C2511"], "text": "禁止新建原油加工项目"}],
            ),
        ]
    return {"type": "FeatureCollection", "features": features}


def _feature(code, name, unit_class, geometry, flags, access) -> dict:
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "code": code,
            "name": name,
            "class": unit_class,
            "flags": flags,
            "access": access,
        },
    }


def site_in(index: int, strip: str, i: int) -> dict:
    """A point inside a county's key-control or general-control strip."""
    lon, lat = cell_of(index)
    left, width = (0.07, 0.09) if strip == "key" else (0.16, 0.09)
    return {
        "type": "Point",
        "coordinates": [
            round(lon + left + width * (0.1 + 0.8 * ((i * 37) % 101) / 100), 6),
            round(lat + CELL * (0.1 + 0.8 * ((i * 53) % 97) / 96), 6),
        ],
    }


def site_for(division_name: str, strip: str = "general", i: int = 1) -> dict:
    """A point in the named county's key-control or general-control strip (tests, demos)."""
    index = [d.name for d in counties()].index(division_name)
    return site_in(index, strip, i)


def _split(total: Decimal, n: int, seed: int) -> list[Decimal]:
    """n amounts (2 decimals) of varied size that add up to `total` exactly."""
    weights = [Decimal(3 + (i * 7 + seed) % 17) for i in range(n)]
    scale = total / sum(weights)
    parts = [(w * scale).quantize(Decimal("0.01")) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def build() -> None:
    divisions = counties()
    leader = User.objects.get(username="leader")
    from . import services

    services.control_units_import(
        actor=leader, source=units_geojson(divisions), name="示例市三线一单成果(演示)"
    )
    services.refusal_rules_activate(
        actor=leader,
        document=EXAMPLE_RULES.read_text("utf-8"),
        name="example_rules.json",
        note="示例规则,需法规科审定",
    )
    _ledger_2020(divisions)
    _live_files(divisions)
    from . import demo_after

    demo_after.build(site_in, {d.name: k for k, d in enumerate(divisions)})


def counties() -> list[Division]:
    return list(
        Division.objects.filter(
            level__in=[DivisionLevel.COUNTY, DivisionLevel.SPECIAL_ZONE]
        ).order_by("code")
    )


def _ledger_2020(divisions: list[Division]) -> None:
    builders = {
        d.pk: list(RegulatedEntity.objects.filter(division=d).order_by("pk")) for d in divisions
    }
    rows: list[EiaProject] = []
    amounts = {}
    for level in (ApprovalLevel.CITY, ApprovalLevel.COUNTY):
        n = sum(c for lv, _p, _d, c in APPROVALS_2020 if lv == level)
        total, env = INVESTMENT_2020[level]
        totals = _split(total, n, 3 if level == ApprovalLevel.CITY else 5)
        envs = _split(env, n, 11)
        amounts[level] = list(zip(totals, envs, strict=True))
    serial = 0
    for level, procedure, document_type, count in APPROVALS_2020:
        for _i in range(count):
            total, env = amounts[level].pop()
            rows.append(
                _row(
                    serial,
                    divisions,
                    builders,
                    level=level,
                    procedure=procedure,
                    document_type=document_type,
                    total=total,
                    env=env,
                )
            )
            serial += 1
    for _i in range(EXEMPTED_2020):
        rows.append(
            _row(
                serial,
                divisions,
                builders,
                level=ApprovalLevel.COUNTY,
                procedure=Procedure.EXEMPT,
                document_type="",
                total=Decimal("120"),
                env=Decimal("0"),
            )
        )
        serial += 1
    for project in rows:
        project.full_clean(validate_unique=False)
    created = bulk_create_with_history(rows, EiaProject, batch_size=500)
    now = timezone.now()
    EiaEvent.objects.bulk_create(
        [
            EiaEvent(
                record=p,
                type=EiaEvent.Type.IMPORTED,
                occurred_at=now,
                to_state=p.state,
                effective_on=p.decided_on,
                payload={"source": SOURCE, "created": True},
            )
            for p in created
        ],
        batch_size=1000,
    )


def _row(serial: int, divisions, builders, *, level, procedure, document_type, total, env):
    k = serial % len(divisions)
    division = divisions[k]
    builder = builders[division.pk][serial // len(divisions) % len(builders[division.pk])]
    decided = dt.date(2020, 1, 3) + dt.timedelta(days=(serial * 7) % 360)
    exempt = procedure == Procedure.EXEMPT
    accepted = None if exempt else decided - dt.timedelta(days=12 + serial % 15)
    return EiaProject(
        reference=f"HP2020{division.code}{serial + 1:04d}",
        name=f"{builder.name[:-4]}{'技术改造' if serial % 3 else '新建'}项目",
        builder=builder,
        division=division,
        industry_code=builder.industry_code,
        document_type=document_type,
        level=level,
        procedure=procedure,
        location=site_in(k, "key" if document_type == DocumentType.REPORT else "general", serial),
        total_investment=total,
        env_investment=env,
        state=ProjectState.EXEMPTED if exempt else ProjectState.APPROVED,
        decision="" if exempt else Decision.APPROVED,
        decision_number="" if exempt else f"示环审〔2020〕{serial + 1}号",
        decision_reasons="不在《建设项目环境影响评价分类管理名录》内" if exempt else "",
        submitted_on=(accepted or decided) - dt.timedelta(days=3),
        accepted_on=accepted,
        proposed_on=decided - dt.timedelta(days=8) if procedure == Procedure.REVIEW else None,
        decided_on=decided,
        decision_published_on=None if exempt else decided + dt.timedelta(days=2),
    )


def _live_files(divisions: list[Division]) -> None:
    """A few applications in progress, through the services, dated back from today."""
    from . import services

    today = timezone.localdate()
    staff = User.objects.get(username="eia_staff")
    beishan = User.objects.get(username="beishan_staff")
    index = {d.name: k for k, d in enumerate(divisions)}

    def entity(name, trade):
        """The division's first entity of the trade: a project fits the company that builds it."""
        return (
            RegulatedEntity.objects.filter(division__name=name, name__contains=trade)
            .order_by("pk")
            .first()
        )

    east = divisions[index["城东区"]]
    chemicals = entity("城东区", "化工")
    chem = services.project_submit(
        actor=staff,
        data={
            "name": f"{chemicals.name.removesuffix('有限公司')}年产2万吨涂料树脂项目",
            "builder": chemicals,
            "division": east,
            "industry_code": "C2641",
            "document_type": DocumentType.REPORT,
            "procedure": Procedure.REVIEW,
            "location": site_in(index["城东区"], "key", 7),
            "total_investment": Decimal("32000"),
            "env_investment": Decimal("2100"),
            "facts": {"industry_policy_ok": True, "planning_eia_ok": True},
            "submitted_on": today - dt.timedelta(days=40),
        },
    )
    services.project_accept(actor=staff, project=chem, accepted_on=today - dt.timedelta(days=37))
    services.notice_publish(
        actor=staff,
        project=chem,
        kind=NoticeKind.ACCEPTANCE,
        start_on=today - dt.timedelta(days=36),
        end_on=today - dt.timedelta(days=20),
        where="示例市生态环境局网站",
    )
    services.pause_start(
        actor=staff,
        project=chem,
        kind=PauseKind.EXPERT_REVIEW,
        started_on=today - dt.timedelta(days=30),
        reason="组织专家技术评审",
    )
    services.pause_end(actor=staff, project=chem, ended_on=today - dt.timedelta(days=16))
    services.project_screen(actor=staff, project=chem)

    north = divisions[index["北山县"]]
    food = entity("北山县", "食品")
    services.project_submit(
        actor=beishan,
        data={
            "name": f"{food.name.removesuffix('有限公司')}扩建项目",
            "builder": food,
            "division": north,
            "industry_code": food.industry_code,
            "document_type": DocumentType.FORM,
            "procedure": Procedure.REVIEW,
            "location": site_in(index["北山县"], "general", 3),
            "total_investment": Decimal("1800"),
            "env_investment": Decimal("95"),
            "submitted_on": today - dt.timedelta(days=2),
        },
    )
