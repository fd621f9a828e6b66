"""The regulated-entity ledger (排污单位名录) in Excel: the bureau's columns, import and export."""

from __future__ import annotations

from ecogov.core import imports, services
from ecogov.core.imports import LedgerImport, Plan
from ecogov.core.models import Division, EntityCategory, EntityStatus, RegulatedEntity
from ecogov.core.scoping import can_create_in, can_edit
from ecogov.core.spreadsheet import (
    Column,
    choice_parser,
    parse_bool,
    parse_decimal,
    write_ledger,
)

ENTITY_COLUMNS = [
    Column("单位名称", "name", required=True, width=36),
    Column("统一社会信用代码", "credit_code", required=True, width=22),
    Column("行政区划代码", "division_code", required=True, width=12),
    Column("地址", "address", width=40),
    Column("行业代码", "industry_code", width=10),
    Column(
        "经度",
        "longitude",
        parse=parse_decimal,
        render=lambda v: float(v) if v is not None else None,
    ),
    Column(
        "纬度",
        "latitude",
        parse=parse_decimal,
        render=lambda v: float(v) if v is not None else None,
    ),
    Column(
        "监管类别",
        "category",
        parse=choice_parser(EntityCategory.choices),
        render=lambda v: str(EntityCategory(v).label) if v else "",
    ),
    Column(
        "重点排污单位", "is_key_discharger", parse=parse_bool, render=lambda v: "是" if v else "否"
    ),
    Column(
        "特殊监管对象",
        "is_special_supervision",
        parse=parse_bool,
        render=lambda v: "是" if v else "否",
    ),
    Column(
        "状态",
        "status",
        parse=choice_parser(EntityStatus.choices),
        render=lambda v: str(EntityStatus(v).label) if v else "",
    ),
    Column("法定代表人", "legal_representative"),
    Column("联系电话", "contact_phone"),
]
_HEADER = {c.field: c.header for c in ENTITY_COLUMNS}


def export_entities(*, actor, queryset) -> bytes:
    """The scoped entities as .xlsx; personal data masked on rows the actor does not handle."""
    from ecogov.core.masking import masked

    rows = list(queryset.visible_to(actor).select_related("division"))
    editable = set(
        queryset.model.objects.editable_by(actor)
        .filter(pk__in=[r.pk for r in rows])
        .values_list("pk", flat=True)
    )
    records = []
    for entity in rows:
        reveal = entity.pk in editable
        record = {c.field: getattr(entity, c.field, None) for c in ENTITY_COLUMNS}
        record["division_code"] = entity.division.code
        for field, kind in RegulatedEntity.personal_fields.items():
            record[field] = masked(entity, field, kind, reveal)
        records.append(record)
    services.record_export(actor=actor, what="排污单位名录", count=len(records))
    return write_ledger(ENTITY_COLUMNS, records, "排污单位名录")


class EntityImport(LedgerImport):
    """Rows matched to existing entities by credit code; re-importing the same file changes
    nothing."""

    columns = ENTITY_COLUMNS
    title = "排污单位名录"
    key = "credit_code"
    key_label = "统一社会信用代码"
    field_column = {"division": _HEADER["division_code"]}

    def key_of(self, row: dict) -> str:
        return super().key_of(row).upper()

    def prepare(self, rows):
        self.divisions = {d.code: d for d in Division.objects.all()}
        self.existing = self.existing_by_key(RegulatedEntity.objects.all(), rows)

    def plan(self, number, row):
        division = self.divisions.get(row.get("division_code", ""))
        if row.get("division_code") and division is None:
            self.error(number, "division_code", f"行政区划代码“{row['division_code']}”不存在。")
            return None
        if division is not None and not can_create_in(self.actor, division):
            self.error(number, "division_code", f"“{division}”超出您的数据范围。")
            return None
        if "credit_code" not in row or "name" not in row:
            return None  # read_ledger has reported the empty cell
        data = _model_data(row, self.divisions)
        current = self.existing.get(data["credit_code"])
        if current is not None and not _differs(current, data):
            return Plan(number, data, current, write=False)
        if current is not None and not can_edit(self.actor, current):
            self.error(number, "credit_code", "该单位已存在且不在您的可编辑范围内。")
            return None
        candidate = RegulatedEntity(**data) if current is None else _copy_with(current, data)
        candidate.full_clean(validate_unique=current is None)
        return Plan(number, data, current)

    def write(self, plan):
        if plan.current is None:
            services.entity_create(
                actor=self.actor, data={**plan.data, "_source": self.source_name}, event="imported"
            )
        else:
            services.entity_update(
                actor=self.actor,
                entity=plan.current,
                data=plan.data,
                reason=f"台账导入 {self.source_name}",
            )


def import_entities(*, actor, source, source_name: str = "") -> dict[str, int]:
    """All or nothing: every row validated first; re-importing the same file changes nothing.

    Returns counts of created, updated and unchanged rows; raises LedgerImportError listing
    every bad cell.
    """
    return EntityImport(actor=actor, source_name=source_name).run(source)


def template() -> bytes:
    """The empty entity ledger (its headers) to fill in and import."""
    return imports.template(ENTITY_COLUMNS, EntityImport.title)


def _model_data(row: dict, divisions) -> dict:
    data = {k: v for k, v in row.items() if k != "division_code"}
    data["credit_code"] = data["credit_code"].upper()
    data["division"] = divisions[row["division_code"]]
    data.setdefault("category", EntityCategory.ORDINARY)
    data.setdefault("status", EntityStatus.OPERATING)
    return data


def _differs(entity: RegulatedEntity, data: dict) -> bool:
    return any(getattr(entity, k) != v for k, v in data.items())


def _copy_with(entity: RegulatedEntity, data: dict) -> RegulatedEntity:
    clone = RegulatedEntity.objects.get(pk=entity.pk)
    for key, value in data.items():
        setattr(clone, key, value)
    return clone
