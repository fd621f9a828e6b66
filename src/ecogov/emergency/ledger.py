"""The contingency-plan filing ledger (应急预案备案台账) in Excel: columns, import, export.

All or nothing: every row is checked first (cells, then the service's rules) and every problem
reported by row and column; then the rows are written. Rows match filings by their number, so
importing the same file twice changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ecogov.core import services as core_services
from ecogov.core.models import RegulatedEntity
from ecogov.core.scoping import can_create_in, can_edit
from ecogov.core.spreadsheet import (
    Column,
    LedgerImportError,
    RowError,
    choice_parser,
    parse_credit_code,
    parse_date,
    read_ledger,
    write_ledger,
)

from . import services
from .models import ContingencyPlan, PlanState, RiskLevel

COLUMNS = [
    Column("备案编号", "filing_number", required=True, width=22),
    Column("企业统一社会信用代码", "credit_code", required=True, width=22, parse=parse_credit_code),
    Column("企业名称", "entity_name", width=30),
    Column("预案名称", "title", required=True, width=36),
    Column(
        "环境风险等级",
        "risk_level",
        parse=choice_parser(RiskLevel.choices),
        render=lambda v: str(RiskLevel(v).label) if v else "",
        required=True,
        width=14,
    ),
    Column("签署发布日期", "issued_on", parse=parse_date, required=True, width=12),
    Column("备案日期", "filed_on", parse=parse_date, required=True, width=12),
    Column("最近回顾性评估日期", "reviewed_on", parse=parse_date, width=14),
]
HEADER = {c.field: c.header for c in COLUMNS}
FIELD_COLUMN = {
    **HEADER,
    "entity": HEADER["credit_code"],
    "__all__": HEADER["filing_number"],
    "expires_on": HEADER["issued_on"],
    "division": HEADER["credit_code"],
}
REQUIRED = {"filing_number", "title", "risk_level", "issued_on", "filed_on"}
DATA_FIELDS = ["filing_number", "title", "risk_level", "issued_on", "filed_on", "reviewed_on"]


def template() -> bytes:
    return write_ledger(COLUMNS, [], "应急预案备案台账")


def export_plans(*, actor, queryset) -> bytes:
    rows = [
        {
            **{f: getattr(p, f) for f in DATA_FIELDS},
            "credit_code": p.entity.credit_code,
            "entity_name": p.entity.name,
        }
        for p in queryset.visible_to(actor).select_related("entity").order_by("filing_number")
    ]
    core_services.record_export(actor=actor, what="应急预案备案台账", count=len(rows))
    return write_ledger(COLUMNS, rows, "应急预案备案台账")


def _row_errors(number: int, exc: ValidationError) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(number, HEADER["filing_number"], m) for m in exc.messages]
    return [
        RowError(number, FIELD_COLUMN.get(field, HEADER["filing_number"]), message)
        for field, messages in exc.message_dict.items()
        for message in messages
    ]


def _check(actor, number, data, current) -> list[RowError]:
    entity = data["entity"]
    if current is None:
        if not can_create_in(actor, entity.division):
            return [
                RowError(
                    number,
                    HEADER["credit_code"],
                    f"“{entity.division}”超出您的数据范围或您只有查看权限。",
                )
            ]
        candidate = ContingencyPlan(**data)
    else:
        if current.entity_id != entity.pk:
            return [
                RowError(
                    number,
                    HEADER["credit_code"],
                    f"备案编号{current.filing_number}属于{current.entity.name},不能改为其他企业。",
                )
            ]
        if current.state != PlanState.FILED:
            return [RowError(number, HEADER["filing_number"], "该备案已失效,不能再修改。")]
        if not can_edit(actor, current):
            return [RowError(number, HEADER["filing_number"], "该备案不在您的可编辑范围内。")]
        candidate = ContingencyPlan.objects.get(pk=current.pk)
        for key, value in data.items():
            setattr(candidate, key, value)
    errors: dict = {}
    services._plan_check(candidate, errors)
    try:
        services._clean(candidate, errors, validate_unique=current is None)
    except ValidationError as exc:
        return _row_errors(number, exc)
    return []


def import_plans(*, actor, source, source_name: str = "") -> dict[str, int]:
    rows, errors = read_ledger(source, COLUMNS)
    codes = [str(r.get("credit_code", "")).strip().upper() for _n, r in rows]
    entities = {
        e.credit_code: e
        for e in RegulatedEntity.objects.filter(credit_code__in=codes).select_related("division")
    }
    existing = {
        p.filing_number: p
        for p in ContingencyPlan.objects.filter(
            filing_number__in=[r.get("filing_number") for _n, r in rows]
        ).select_related("entity")
    }
    seen: dict = {}
    plans = []
    for number, row in rows:
        code = str(row.get("credit_code", "")).strip().upper()
        entity = entities.get(code)
        if code and entity is None:
            errors.append(
                RowError(
                    number,
                    HEADER["credit_code"],
                    f"企业“{code}”未在排污单位名录中登记,请先登记该单位。",
                )
            )
        if entity is None or not REQUIRED <= {k for k, v in row.items() if v not in (None, "")}:
            continue
        if row["filing_number"] in seen:
            errors.append(
                RowError(
                    number,
                    HEADER["filing_number"],
                    f"与第{seen[row['filing_number']]}行的备案编号重复。",
                )
            )
            continue
        seen[row["filing_number"]] = number
        data = {f: row.get(f) for f in DATA_FIELDS}
        data["entity"] = entity
        current = existing.get(row["filing_number"])
        if current is not None and all(getattr(current, f) == data[f] for f in DATA_FIELDS):
            plans.append((number, data, current, False))
            continue
        problems = _check(actor, number, data, current)
        errors.extend(problems)
        if not problems:
            plans.append((number, data, current, True))
    if errors:
        raise LedgerImportError(sorted(errors, key=lambda e: (e.row, e.column)))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for number, data, current, write in sorted(plans, key=lambda p: p[1]["filed_on"]):
            if not write:
                counts["unchanged"] += 1
                continue
            try:
                if current is None:
                    services.plan_file(actor=actor, data=data, source=source_name)
                    counts["created"] += 1
                else:
                    change = {f: data[f] for f in DATA_FIELDS if f != "filing_number"}
                    services.plan_update(actor=actor, plan=current, data=change)
                    counts["updated"] += 1
            except ValidationError as exc:  # another writer got in between: all rolled back
                raise LedgerImportError(_row_errors(number, exc)) from exc
            except PermissionDenied as exc:
                raise LedgerImportError(
                    [RowError(number, HEADER["filing_number"], str(exc))]
                ) from exc
    return counts
