"""The regulated-entity ledger (排污单位名录) in Excel: the bureau's columns, import and export."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ecogov.core import services
from ecogov.core.models import Division, EntityCategory, EntityStatus, RegulatedEntity
from ecogov.core.scoping import can_create_in
from ecogov.core.spreadsheet import (
    Column,
    LedgerImportError,
    RowError,
    choice_parser,
    parse_bool,
    parse_decimal,
    read_ledger,
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
_MODEL_TO_COLUMN = {**_HEADER, "division": _HEADER["division_code"]}


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


def import_entities(*, actor, source, source_name: str = "") -> dict[str, int]:
    """All or nothing: every row validated first; re-importing the same file changes nothing.

    Rows are matched to existing entities by credit code. Returns counts of created,
    updated and unchanged rows; raises LedgerImportError listing every bad cell.
    """
    rows, errors = read_ledger(source, ENTITY_COLUMNS)
    divisions = {d.code: d for d in Division.objects.all()}
    existing = {
        e.credit_code: e
        for e in RegulatedEntity.objects.filter(
            credit_code__in=[str(r.get("credit_code", "")).upper() for _n, r in rows]
        )
    }
    seen: dict[str, int] = {}
    plans = []
    for number, row in rows:
        row_errors = _validate_row(actor, number, row, divisions, existing, seen)
        errors.extend(row_errors)
        if not row_errors:
            plans.append((number, row))
    if errors:
        raise LedgerImportError(sorted(errors, key=lambda e: (e.row, e.column)))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for number, row in plans:
            data = _model_data(row, divisions)
            current = existing.get(data["credit_code"])
            try:
                if current is None:
                    services.entity_create(
                        actor=actor, data={**data, "_source": source_name}, event="imported"
                    )
                    counts["created"] += 1
                elif _differs(current, data):
                    services.entity_update(
                        actor=actor, entity=current, data=data, reason=f"台账导入 {source_name}"
                    )
                    counts["updated"] += 1
                else:
                    counts["unchanged"] += 1
            except ValidationError as exc:  # only a race with another writer lands here
                raise LedgerImportError(_row_errors(number, exc)) from exc
    return counts


def _model_data(row: dict, divisions) -> dict:
    data = {k: v for k, v in row.items() if k != "division_code"}
    data["credit_code"] = data["credit_code"].upper()
    data["division"] = divisions[row["division_code"]]
    data.setdefault("category", EntityCategory.ORDINARY)
    data.setdefault("status", EntityStatus.OPERATING)
    return data


def _differs(entity: RegulatedEntity, data: dict) -> bool:
    return any(getattr(entity, k) != v for k, v in data.items())


def _validate_row(actor, number, row, divisions, existing, seen) -> list[RowError]:
    errors: list[RowError] = []
    code = str(row.get("credit_code", "")).strip().upper()
    division = divisions.get(row.get("division_code", ""))
    if row.get("division_code") and division is None:
        errors.append(
            RowError(
                number, _HEADER["division_code"], f"行政区划代码“{row['division_code']}”不存在。"
            )
        )
    elif division is not None and not can_create_in(actor, division):
        errors.append(RowError(number, _HEADER["division_code"], f"“{division}”超出您的数据范围。"))
    if code in seen:
        errors.append(
            RowError(number, _HEADER["credit_code"], f"与第{seen[code]}行的统一社会信用代码重复。")
        )
    elif code:
        seen[code] = number
    if errors or "credit_code" not in row or "name" not in row:
        return errors
    current = existing.get(code)
    data = _model_data(row, divisions)
    candidate = RegulatedEntity(**data) if current is None else _copy_with(current, data)
    if current is not None and _differs(current, data):
        from ecogov.core.scoping import can_edit

        if not can_edit(actor, current):
            return [
                RowError(number, _HEADER["credit_code"], "该单位已存在且不在您的可编辑范围内。")
            ]
    try:
        candidate.full_clean(validate_unique=current is None)
    except ValidationError as exc:
        errors.extend(_row_errors(number, exc))
    except PermissionDenied as exc:
        errors.append(RowError(number, "", str(exc)))
    return errors


def _copy_with(entity: RegulatedEntity, data: dict) -> RegulatedEntity:
    clone = RegulatedEntity.objects.get(pk=entity.pk)
    for key, value in data.items():
        setattr(clone, key, value)
    return clone


def _row_errors(number: int, exc: ValidationError) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        return [RowError(number, "", m) for m in exc.messages]
    return [
        RowError(number, _MODEL_TO_COLUMN.get(field, field), message)
        for field, messages in exc.message_dict.items()
        for message in messages
    ]
