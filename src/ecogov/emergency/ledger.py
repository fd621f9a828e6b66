"""The contingency-plan filing ledger (应急预案备案台账) in Excel: columns, import, export.

All or nothing: every row is checked first (cells, then the service's rules) and every problem
reported by row and column; then the rows are written. Rows match filings by their number, so
importing the same file twice changes nothing.
"""

from __future__ import annotations

from ecogov.core import imports
from ecogov.core import services as core_services
from ecogov.core.imports import LedgerImport, Plan
from ecogov.core.models import RegulatedEntity
from ecogov.core.references import not_found, resolve
from ecogov.core.scoping import can_create_in, can_edit
from ecogov.core.spreadsheet import (
    Column,
    RowError,
    choice_parser,
    parse_credit_code,
    parse_date,
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
    return imports.template(COLUMNS, PlanImport.title)


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
    services._clean(candidate, errors, validate_unique=current is None)  # raises: by column
    return []


class PlanImport(LedgerImport):
    """Rows matched to filings by their number; written in the order they were filed."""

    columns = COLUMNS
    title = "应急预案备案台账"
    key = "filing_number"
    key_label = "备案编号"
    field_column = FIELD_COLUMN
    denied_column = other_column = "filing_number"

    def prepare(self, rows):
        codes = (str(r.get("credit_code", "")).strip().upper() for _n, r in rows)
        entities = RegulatedEntity.objects.select_related("division")
        self.entities = resolve(entities, "credit_code", codes, self.actor)
        self.existing = self.existing_by_key(ContingencyPlan.objects.select_related("entity"), rows)

    def plan(self, number, row):
        code = str(row.get("credit_code", "")).strip().upper()
        entity = self.entities.get(code)
        if code and entity is None:
            # unknown, or another county's: one answer (docs/security.md, “引用的范围”)
            self.error(number, "credit_code", not_found("排污单位", code))
        if entity is None or not REQUIRED <= {k for k, v in row.items() if v not in (None, "")}:
            return None
        data = {f: row.get(f) for f in DATA_FIELDS}
        data["entity"] = entity
        current = self.existing.get(row["filing_number"])
        if current is not None and all(getattr(current, f) == data[f] for f in DATA_FIELDS):
            return Plan(number, data, current, write=False)
        problems = _check(self.actor, number, data, current)
        self.errors.extend(problems)
        return None if problems else Plan(number, data, current)

    def write_all(self, plans):
        return super().write_all(sorted(plans, key=lambda p: p.data["filed_on"]))

    def write(self, plan):
        if plan.current is None:
            services.plan_file(actor=self.actor, data=plan.data, source=self.source_name)
        else:
            change = {f: plan.data[f] for f in DATA_FIELDS if f != "filing_number"}
            services.plan_update(actor=self.actor, plan=plan.current, data=change)


def import_plans(*, actor, source, source_name: str = "") -> dict[str, int]:
    return PlanImport(actor=actor, source_name=source_name).run(source)
