"""The EIA approval ledger (环评审批台账) in Excel: columns (docs/eia.md), import, export.

Import is all or nothing: every row is checked first (cells, then the same rules as the
services: investment, order of dates, state, location in the division, scope), every problem
reported by row and column; then the rows are written. Rows match existing projects by 受理编号,
so importing the same file twice changes nothing. Export writes the same columns back.
"""

from __future__ import annotations

import json

from ecogov.core import imports
from ecogov.core import services as core_services
from ecogov.core.imports import LedgerImport, Plan
from ecogov.core.models import Division, RegulatedEntity
from ecogov.core.references import not_found, resolve
from ecogov.core.spreadsheet import (
    CellError,
    Column,
    RowError,
    choice_parser,
    parse_credit_code,
    parse_date,
    parse_decimal,
    parse_text,
    write_ledger,
)

from .models import ApprovalLevel, DocumentType, EiaProject, Procedure, ProjectState
from .services import records


def _label(choices):
    return lambda v: str(dict(choices).get(v, v or ""))


def _optional_choice(choices):
    parse = choice_parser(choices)
    return lambda v: "" if parse_text(v) == "" else parse(v)


def parse_geojson(value):
    text = parse_text(value)
    if not text:
        return None
    try:
        geometry = json.loads(text)
    except ValueError as exc:
        raise CellError(f"不是有效的 GeoJSON:{exc}") from None
    if not isinstance(geometry, dict) or "type" not in geometry:
        raise CellError('应为 GeoJSON 几何对象,如 {"type": "Polygon", "coordinates": …}。')
    return geometry


def parse_facts(value) -> dict:
    """`total_emission_ok=是;offset_secured=否` → {"total_emission_ok": True, …}."""
    facts = {}
    for part in filter(None, (p.strip() for p in parse_text(value).replace("；", ";").split(";"))):
        name, sep, answer = part.partition("=")
        if not sep or answer.strip() not in ("是", "否"):
            raise CellError(f"“{part}”应写成“事实名=是”或“事实名=否”,多项以分号分隔。")
        facts[name.strip()] = answer.strip() == "是"
    return facts


def render_facts(facts) -> str:
    return ";".join(f"{k}={'是' if v else '否'}" for k, v in sorted((facts or {}).items()))


def _float(v):
    return float(v) if v is not None else None


PROJECT_COLUMNS = [
    Column("受理编号", "reference", required=True, width=22),
    Column("项目名称", "name", required=True, width=36),
    Column(
        "建设单位统一社会信用代码", "builder_code", required=True, width=22, parse=parse_credit_code
    ),
    Column("建设单位", "builder_name", width=28),
    Column("项目所在区划代码", "division_code", required=True, width=12),
    Column("行业代码", "industry_code", width=10),
    Column("名录条目", "catalogue_item", width=12),
    Column(
        "环评文件类型",
        "document_type",
        parse=_optional_choice(DocumentType.choices),
        render=_label(DocumentType.choices),
        width=10,
    ),
    Column(
        "审批层级",
        "level",
        parse=choice_parser(ApprovalLevel.choices),
        render=_label(ApprovalLevel.choices),
        required=True,
        width=10,
    ),
    Column(
        "审批方式",
        "procedure",
        parse=choice_parser(Procedure.choices),
        render=_label(Procedure.choices),
        required=True,
        width=12,
    ),
    Column("经度", "longitude", parse=parse_decimal, render=_float, width=11),
    Column("纬度", "latitude", parse=parse_decimal, render=_float, width=11),
    Column(
        "用地范围(GeoJSON)",
        "geometry",
        parse=parse_geojson,
        render=lambda v: json.dumps(v, ensure_ascii=False) if v else None,
        width=30,
    ),
    Column("总投资(万元)", "total_investment", parse=parse_decimal, render=_float, width=12),
    Column("环保投资(万元)", "env_investment", parse=parse_decimal, render=_float, width=12),
    Column("审查事实", "facts", parse=parse_facts, render=render_facts, width=24),
    Column(
        "状态",
        "state",
        parse=choice_parser(ProjectState.choices),
        render=_label(ProjectState.choices),
        required=True,
        width=10,
    ),
    Column("申请日期", "submitted_on", parse=parse_date, width=12),
    Column("受理日期", "accepted_on", parse=parse_date, width=12),
    Column("拟审批公示日期", "proposed_on", parse=parse_date, width=12),
    Column("暂缓审批日期", "deferred_on", parse=parse_date, width=12),
    Column("暂缓理由", "deferral_reasons", width=24),
    Column("决定日期", "decided_on", parse=parse_date, width=12),
    Column("决定公开日期", "decision_published_on", parse=parse_date, width=12),
    Column("撤销日期", "revoked_on", parse=parse_date, width=12),
    Column("批复文号", "decision_number", width=20),
    Column("决定理由", "decision_reasons", width=30),
    Column("备案回执号", "receipt_number", width=20),
]
_HEADER = {c.field: c.header for c in PROJECT_COLUMNS}
# Model fields whose errors belong to another column.
_FIELD_COLUMN = {
    "builder": _HEADER["builder_code"],
    "division": _HEADER["division_code"],
    "location": _HEADER["geometry"],
    "decision": _HEADER["state"],
    "screening": _HEADER["state"],
}


def _record(project: EiaProject) -> dict:
    record = {c.field: getattr(project, c.field, None) for c in PROJECT_COLUMNS}
    record["builder_code"] = project.builder.credit_code
    record["builder_name"] = project.builder.name
    record["division_code"] = project.division.code
    location = project.location
    if location and location.get("type") == "Point":
        record["longitude"], record["latitude"] = location["coordinates"][:2]
        record["geometry"] = None
    else:
        record["longitude"] = record["latitude"] = None
        record["geometry"] = location
    return record


def export_projects(*, actor, queryset) -> bytes:
    rows = queryset.visible_to(actor).select_related("builder", "division").order_by("reference")
    records = [_record(p) for p in rows]
    core_services.record_export(actor=actor, what="环评审批台账", count=len(records))
    return write_ledger(PROJECT_COLUMNS, records, "环评审批台账")


def _data(row: dict, number: int, divisions, builders, errors: list[RowError]) -> dict | None:
    data = {
        k: v
        for k, v in row.items()
        if k in records.RECORD_FIELDS and k not in ("division", "builder")
    }
    code = row.get("division_code", "")
    data["division"] = divisions.get(code)
    if code and data["division"] is None:
        errors.append(RowError(number, _HEADER["division_code"], f"行政区划代码“{code}”不存在。"))
    credit = str(row.get("builder_code", "")).strip().upper()
    data["builder"] = builders.get(credit)
    if credit and data["builder"] is None:
        # unknown, or another county's: one answer (docs/security.md, “引用的范围”)
        errors.append(RowError(number, _HEADER["builder_code"], not_found("建设单位", credit)))
    lon, lat = row.get("longitude"), row.get("latitude")
    if row.get("geometry"):
        data["location"] = row["geometry"]
        if lon is not None or lat is not None:
            errors.append(RowError(number, _HEADER["geometry"], "经纬度与用地范围只填其一。"))
    elif (lon is None) != (lat is None):
        errors.append(RowError(number, _HEADER["longitude"], "经度和纬度须同时填写。"))
    elif lon is not None:
        data["location"] = {"type": "Point", "coordinates": [float(lon), float(lat)]}
    else:
        data["location"] = None
    for money in ("total_investment", "env_investment"):
        if data.get(money) is None:
            data.pop(money, None)
    data.setdefault("facts", {})
    return None if data["division"] is None or data["builder"] is None else data


def _differs(project: EiaProject, data: dict) -> bool:
    return any(getattr(project, k) != v for k, v in data.items() if k != "reference")


class ProjectImport(LedgerImport):
    """Rows matched to existing projects by 受理编号, checked by the services' own rules."""

    columns = PROJECT_COLUMNS
    title = "环评审批台账"
    key = "reference"
    key_label = "受理编号"
    field_column = _FIELD_COLUMN
    denied_column = "division_code"

    def prepare(self, rows):
        self.divisions = {d.code: d for d in Division.objects.all()}
        codes = (str(r.get("builder_code", "")).strip().upper() for _n, r in rows)
        self.builders = resolve(RegulatedEntity.objects.all(), "credit_code", codes, self.actor)
        self.existing = self.existing_by_key(EiaProject.objects.select_related("division"), rows)

    def plan(self, number, row):
        data = _data(row, number, self.divisions, self.builders, self.errors)
        if data is None or "state" not in row:
            return None
        current = self.existing.get(row.get("reference", ""))
        if current is not None and not _differs(current, data):
            return Plan(number, data, current, write=False)
        candidate = records.prepare(
            data, None if current is None else EiaProject.objects.get(pk=current.pk)
        )
        records.check(self.actor, candidate, existing=current is not None)
        return Plan(number, data, current)

    def write(self, plan):
        records.project_record(
            actor=self.actor, data=plan.data, source=self.source_name, project=plan.current
        )


def import_projects(*, actor, source, source_name: str = "") -> dict[str, int]:
    """All or nothing (the module's docstring); {"created", "updated", "unchanged"}."""
    return ProjectImport(actor=actor, source_name=source_name).run(source)


def template() -> bytes:
    """The empty EIA ledger (its headers) to fill in and import."""
    return imports.template(PROJECT_COLUMNS, ProjectImport.title)
