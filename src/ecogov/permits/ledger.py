"""The permit and registration ledgers in Excel: columns (docs/permits.md), import, export.

All or nothing: every row is checked first (cells, then the services' rules), every problem
reported by row and column, then the rows are written. Rows match existing records by
permit or registration number, so importing the same file twice changes nothing.
"""

from __future__ import annotations

from functools import partial

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
    parse_bool,
    parse_credit_code,
    parse_date,
    parse_text,
    write_ledger,
)

from .models import (
    ManagementClass,
    Permit,
    PermitState,
    Registration,
    RegistrationState,
    site_key,
)
from .services import records

_SEP = ";"
_POLLUTANT_KEYS = ["pollutant", "outlet", "limit", "unit", "annual_tonnes"]


def _label(choices):
    return lambda v: str(dict(choices).get(v, v or ""))


def _items(text: str) -> list[str]:
    return [p.strip() for p in parse_text(text).replace("；", _SEP).split(_SEP) if p.strip()]


def parse_pollutants(value) -> list[dict]:
    """`二氧化硫|DA001|35|mg/m³|12.5;氮氧化物|DA001|50|mg/m³|20` (污染物|排放口|浓度限值|单位|年许可量吨)."""
    found = []
    for item in _items(value):
        parts = [p.strip() for p in item.split("|")]
        if len(parts) > len(_POLLUTANT_KEYS) or not parts[0]:
            raise CellError(
                f"“{item}”应写成“污染物|排放口|浓度限值|单位|年许可量(吨)”,多项以分号分隔。"
            )
        found.append({k: v for k, v in zip(_POLLUTANT_KEYS, parts) if v})
    return found


def render_pollutants(value) -> str:
    return _SEP.join(
        "|".join(str(p.get(k, "")) for k in _POLLUTANT_KEYS).rstrip("|") for p in value or []
    )


def _yes(v):
    return "是" if v else "否"


def parse_count(value) -> int:
    text = parse_text(value)
    if not text:
        return 0
    if not text.isdigit():
        raise CellError(f"“{text}”不是非负整数。")
    return int(text)


PERMIT_COLUMNS = [
    Column("许可证编号", "permit_number", required=True, width=26),
    Column("单位统一社会信用代码", "entity_code", required=True, width=22),
    Column("单位名称", "entity_name", width=28),
    Column("场所所在区划代码", "division_code", required=True, width=12),
    Column("生产经营场所地址", "site", required=True, width=30),
    Column(
        "管理类别",
        "management_class",
        parse=choice_parser(ManagementClass.choices),
        render=_label(ManagementClass.choices),
        required=True,
        width=10,
    ),
    Column("行业代码", "industry_code", width=10),
    Column("发证日期", "issued_on", parse=parse_date, required=True, width=12),
    Column("有效期至", "valid_until", parse=parse_date, required=True, width=12),
    Column(
        "许可排放污染物", "pollutants", parse=parse_pollutants, render=render_pollutants, width=40
    ),
    Column("许可条件", "conditions", width=30),
    Column("附整改通知书", "with_rectification", parse=parse_bool, render=_yes, width=10),
    Column(
        "整改事项",
        "rectification_items",
        parse=_items,
        render=lambda v: _SEP.join(v or []),
        width=30,
    ),
    Column("整改期限", "rectification_deadline", parse=parse_date, width=12),
    Column("整改完成日期", "rectification_closed_on", parse=parse_date, width=12),
    Column("延续申请日期", "renewal_applied_on", parse=parse_date, width=12),
    Column("已延续次数", "renewal_count", parse=parse_count, width=8),
    Column(
        "状态",
        "state",
        parse=choice_parser(PermitState.choices),
        render=_label(PermitState.choices),
        required=True,
        width=8,
    ),
    Column("撤销或注销日期", "ended_on", parse=parse_date, width=12),
    Column("撤销或注销理由", "end_reason", width=24),
    Column("执行报告跟踪起始日", "reports_tracked_from", parse=parse_date, width=12),
]
REGISTRATION_COLUMNS = [
    Column("登记编号", "registration_number", required=True, width=26),
    Column("单位名称", "unit_name", required=True, width=28),
    Column("统一社会信用代码", "credit_code", required=True, width=22, parse=parse_credit_code),
    Column("所在区划代码", "division_code", required=True, width=12),
    Column("生产经营场所地址", "address", required=True, width=30),
    Column("行业代码", "industry_code", width=10),
    Column("登记日期", "filed_on", parse=parse_date, required=True, width=12),
    Column("有效期至", "valid_until", parse=parse_date, required=True, width=12),
    Column("最近变更日期", "changed_on", parse=parse_date, width=12),
    Column(
        "状态",
        "state",
        parse=choice_parser(RegistrationState.choices),
        render=_label(RegistrationState.choices),
        required=True,
        width=8,
    ),
    Column("注销日期", "cancelled_on", parse=parse_date, width=12),
]
_PERMIT_HEADER = {c.field: c.header for c in PERMIT_COLUMNS}
_PERMIT_FIELD_COLUMN = {
    "entity": _PERMIT_HEADER["entity_code"],
    "division": _PERMIT_HEADER["division_code"],
}
_REG_HEADER = {c.field: c.header for c in REGISTRATION_COLUMNS}
_REG_FIELD_COLUMN = {"division": _REG_HEADER["division_code"]}


def export_permits(*, actor, queryset) -> bytes:
    rows = queryset.visible_to(actor).select_related("entity", "division").order_by("permit_number")
    out = []
    for permit in rows:
        record = {c.field: getattr(permit, c.field, None) for c in PERMIT_COLUMNS}
        record.update(
            entity_code=permit.entity.credit_code,
            entity_name=permit.entity.name,
            division_code=permit.division.code,
        )
        out.append(record)
    core_services.record_export(actor=actor, what="排污许可证台账", count=len(out))
    return write_ledger(PERMIT_COLUMNS, out, "排污许可证台账")


def export_registrations(*, actor, queryset) -> bytes:
    rows = queryset.visible_to(actor).select_related("division").order_by("registration_number")
    out = []
    for registration in rows:
        record = {c.field: getattr(registration, c.field, None) for c in REGISTRATION_COLUMNS}
        record["division_code"] = registration.division.code
        out.append(record)
    core_services.record_export(actor=actor, what="排污登记台账", count=len(out))
    return write_ledger(REGISTRATION_COLUMNS, out, "排污登记台账")


class _RecordImport(LedgerImport):
    """The permit and registration imports: rows matched by their number, checked by the
    services' own rules, written by the services."""

    denied_column = "division_code"
    model: type

    def prepare(self, rows):
        self.divisions = {d.code: d for d in Division.objects.all()}
        self.existing = self.existing_by_key(self.model.objects.all(), rows)
        self.row_data = self.data_reader()

    # a row's data: (number, row, divisions, errors) → the record's data, or None (errors
    # recorded); two live rows for one owner and site (`live_state`, `owner`, `place`) refused
    row_data_of = staticmethod(lambda number, row, divisions, errors: None)
    live_state = ""
    owner = staticmethod(lambda data: None)
    place = ""

    def data_reader(self):
        header = {c.field: c.header for c in self.columns}
        return _once_per_site(
            self.row_data_of, self.live_state, self.owner, self.place, header, self.place
        )

    def check(self, data: dict, current) -> None:
        """The services' checks of the record the row makes (`current`: a fresh copy of the
        record it updates, or None); raise ValidationError or PermissionDenied."""
        raise NotImplementedError

    def plan(self, number, row):
        data = self.row_data(number, row, self.divisions, self.errors)
        if data is None:
            return None
        current = self.existing.get(row[self.key])
        if current is not None and all(getattr(current, k) == v for k, v in data.items()):
            return Plan(number, data, current, write=False)
        self.check(data, None if current is None else self.model.objects.get(pk=current.pk))
        return Plan(number, data, current)


def _division(number, row, divisions, errors, header):
    division = divisions.get(row.get("division_code", ""))
    if row.get("division_code") and division is None:
        errors.append(
            RowError(
                number, header["division_code"], f"行政区划代码“{row['division_code']}”不存在。"
            )
        )
    return division


def _entity_code(row) -> str:
    return str(row.get("entity_code", "")).strip().upper()


def _permit_data(number, row, divisions, errors, *, entities):
    division = _division(number, row, divisions, errors, _PERMIT_HEADER)
    code = _entity_code(row)
    entity = entities.get(code)
    if code and entity is None:  # unknown, or another county's: one answer (docs/security.md)
        errors.append(RowError(number, _PERMIT_HEADER["entity_code"], not_found("排污单位", code)))
    if division is None or entity is None or "permit_number" not in row or "state" not in row:
        return None
    data = {k: v for k, v in row.items() if k in records.PERMIT_RECORD_FIELDS}
    data.update(entity=entity, division=division)
    if data.get("reports_tracked_from") is None:  # left empty: the date it is recorded
        data.pop("reports_tracked_from", None)
    for field in ("pollutants", "rectification_items"):
        data.setdefault(field, [])
    return data


def _once_per_site(to_data, live_state, owner, place, header, column):
    """Two rows of one file for the same unit and site, both live: the second is refused
    (the database would refuse it too, but as an error without a row number)."""
    seen: dict = {}

    def checked(number, row, divisions, errors):
        data = to_data(number, row, divisions, errors)
        if data is None or data.get("state") != live_state:
            return data
        key = (owner(data), site_key(data.get(place, "")))
        if key in seen:
            errors.append(
                RowError(
                    number,
                    header[column],
                    f"与第{seen[key]}行为同一单位的同一生产经营场所,不能同时有效。",
                )
            )
            return None
        seen[key] = number
        return data

    return checked


class PermitImport(_RecordImport):
    columns = PERMIT_COLUMNS
    title = "排污许可证台账"
    key = "permit_number"
    field_column = _PERMIT_FIELD_COLUMN
    model = Permit

    row_data_of = staticmethod(_permit_data)
    live_state = PermitState.IN_FORCE
    owner = staticmethod(lambda data: data["entity"].pk)
    place = "site"

    def prepare(self, rows):
        codes = (_entity_code(row) for _n, row in rows)
        entities = resolve(RegulatedEntity.objects.all(), "credit_code", codes, self.actor)
        self.row_data_of = partial(_permit_data, entities=entities)
        super().prepare(rows)

    def check(self, data, current):
        candidate = records.prepare_permit(data, current)
        records.check_permit(self.actor, candidate, existing=current is not None)

    def write(self, plan):
        records.permit_record(
            actor=self.actor, data=plan.data, source=self.source_name, permit=plan.current
        )


def import_permits(*, actor, source, source_name: str = "") -> dict[str, int]:
    return PermitImport(actor=actor, source_name=source_name).run(source)


def _registration_data(number, row, divisions, errors):
    division = _division(number, row, divisions, errors, _REG_HEADER)
    if division is None or "registration_number" not in row or "state" not in row:
        return None
    data = {k: v for k, v in row.items() if k in records.REGISTRATION_RECORD_FIELDS}
    data["division"] = division
    data["credit_code"] = str(data.get("credit_code", "")).strip().upper()
    return data


class RegistrationImport(_RecordImport):
    columns = REGISTRATION_COLUMNS
    title = "排污登记台账"
    key = "registration_number"
    field_column = _REG_FIELD_COLUMN
    model = Registration

    row_data_of = staticmethod(_registration_data)
    live_state = RegistrationState.FILED
    owner = staticmethod(lambda data: data["credit_code"])
    place = "address"

    def check(self, data, current):
        candidate = records.prepare_registration(data, current)
        records.check_registration(self.actor, candidate, existing=current is not None)

    def write(self, plan):
        records.registration_record(
            actor=self.actor, data=plan.data, source=self.source_name, registration=plan.current
        )


def import_registrations(*, actor, source, source_name: str = "") -> dict[str, int]:
    return RegistrationImport(actor=actor, source_name=source_name).run(source)


def permit_template() -> bytes:
    """The empty permit ledger (its headers) to fill in and import."""
    return imports.template(PERMIT_COLUMNS, PermitImport.title)


def registration_template() -> bytes:
    """The empty registration ledger (its headers) to fill in and import."""
    return imports.template(REGISTRATION_COLUMNS, RegistrationImport.title)
