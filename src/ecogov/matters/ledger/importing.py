"""Import a kind's Excel ledger: every row validated first, every bad cell reported by row and
column, nothing written unless all rows are valid; rows are matched by reference number, so
importing the same file again changes nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from ecogov.core import imports
from ecogov.core.imports import LedgerImport, Plan, records_by
from ecogov.core.masking import MASKERS
from ecogov.core.models import Division, Organisation, RegulatedEntity
from ecogov.core.references import not_found, resolve
from ecogov.core.scoping import can_create_in
from ecogov.core.spreadsheet import RowError
from ecogov.matters.models import Matter, Measure, Source
from ecogov.matters.services import MatterPlan, matters_bulk_write, plan_units
from ecogov.matters.services.bulk import changes, current_units
from ecogov.matters.services.validation import field_errors, state_errors
from ecogov.matters.workflow import Kind, State, flow_for

from .columns import COLUMNS, FIELD_COLUMN, TITLES

CHUNK = 5000
_PLAIN = [
    "reference",
    "title",
    "content",
    "received_on",
    "due_on",
    "state",
    "channel",
    "complainant_name",
    "complainant_phone",
    "complainant_id_number",
    "subject_name",
    "accepted_on",
    "done_on",
    "closed_on",
    "result",
    "evidence",
    "deputy",
    "reply_category",
    "feedback",
]


class _Context:
    """Everything a row is checked against, looked up once for the whole file."""

    def __init__(self, actor, kind: str, rows):
        self.actor, self.kind = actor, kind
        self.sources = {s.name: s for s in Source.objects.filter(kind=kind)}
        self.divisions = {d.code: d for d in Division.objects.all()}
        self.organisations = {o.name: o for o in Organisation.objects.filter(is_active=True)}
        references = sorted({str(r.get("reference") or "").strip() for _n, r in rows} - {""})
        self.file_references = set(references)
        self.existing = _by_reference(kind, references)
        self.editable = set()
        ids = [m.pk for m in self.existing.values()]
        for start in range(0, len(ids), CHUNK):
            self.editable.update(
                Matter.objects.editable_by(actor)
                .filter(pk__in=ids[start : start + CHUNK])
                .values_list("pk", flat=True)
            )
        self.units = current_units(ids)
        self.in_scope = {code: can_create_in(actor, d) for code, d in self.divisions.items()}
        self.entities, self.measures, self.originals = {}, {}, {}
        if kind == Kind.PETITION:
            codes = (str(r.get("subject_code") or "").strip().upper() for _n, r in rows)
            self.entities = resolve(RegulatedEntity.objects.all(), "credit_code", codes, actor)
            wanted = {str(r.get("duplicate_ref") or "").strip() for _n, r in rows} - {""}
            self.originals = _by_reference(kind, sorted(wanted - set(references)))
        if kind == Kind.TASK:
            for measure in Measure.objects.filter(aspect__source__kind=Kind.TASK).select_related(
                "aspect"
            ):
                key = (measure.aspect.source_id, f"{measure.aspect.number}.{measure.number}")
                self.measures[key] = measure


def _by_reference(kind: str, references: list[str]) -> dict[str, Matter]:
    return records_by(Matter.objects.filter(kind=kind), "reference", references)


class MatterImport(LedgerImport):
    """A kind's ledger; rows matched by reference number, written in bulk."""

    key = "reference"

    def __init__(self, *, actor, kind: str, source_name: str = ""):
        super().__init__(actor=actor, source_name=source_name)
        self.kind = kind
        self.columns = COLUMNS[kind]
        self.title = TITLES[kind]
        self.field_column = FIELD_COLUMN[kind]
        self.duplicates: list[tuple[str, str]] = []

    def prepare(self, rows):
        self.context = _Context(self.actor, self.kind, rows)

    def plan(self, number, row):
        row_errors, plan = _plan_row(self.context, number, row)
        if row_errors:
            self.errors.extend(row_errors)
            return None
        if plan is None:
            return Plan(number, None, write=False)
        if "_link_to" in plan.data:
            self.duplicates.append((plan.data.pop("_link_to"), plan.data["reference"]))
        return Plan(number, plan, plan.existing)

    def write_all(self, plans):
        counts = matters_bulk_write(
            actor=self.actor,
            plans=[p.data for p in plans if p.write],
            source_name=self.source_name,
        )
        _link_duplicates(self.actor, self.kind, self.duplicates)
        counts["unchanged"] += sum(not p.write for p in plans)
        return counts


def import_matters(*, actor, kind: str, source, source_name: str = "") -> dict[str, int]:
    """{"created", "updated", "unchanged"}; raises LedgerImportError listing every bad cell."""
    return MatterImport(actor=actor, kind=kind, source_name=source_name).run(source)


def template(kind: str) -> bytes:
    """A kind's empty ledger (its headers) to fill in and import."""
    return imports.template(COLUMNS[kind], TITLES[kind])


def _plan_row(context: _Context, number: int, row: dict):
    """(errors, plan): plan is None for an existing matter the row does not change."""
    kind, headers = context.kind, FIELD_COLUMN[context.kind]
    errors: dict[str, str] = {}
    data = {k: row[k] for k in _PLAIN if k in row}
    data["reference"] = str(data.get("reference") or "").strip()
    source = context.sources.get(row.get("source", ""))
    if source is None and row.get("source"):
        errors["source"] = f"来源批次“{row['source']}”不存在,请先在“交办批次与方案”中登记。"
    division = context.divisions.get(str(row.get("division_code") or ""))
    if division is None and row.get("division_code"):
        errors["division"] = f"行政区划代码“{row['division_code']}”不存在。"
    data["division"] = division
    category = row.get("category") or ""
    units = _units(context, row, errors)
    _kind_fields(context, source, row, data, errors)
    existing = context.existing.get(data["reference"])
    if existing is not None and existing.pk not in context.editable:
        for field, masker in Matter.personal_fields.items():
            if field in data and data[field] == MASKERS[masker](getattr(existing, field) or ""):
                del data[field]  # a masked export coming back is not a change
    _fill_same_day(kind, category, data)
    if source is not None:
        errors.update(
            {k: v for k, v in field_errors(kind, category, source, data).items() if k not in errors}
        )
    if (
        "category" not in errors
        and "state" not in errors
        and (source is not None or kind != Kind.TASK)
    ):
        errors.update(
            {k: v for k, v in state_errors(kind, category, data).items() if k not in errors}
        )
    plan = None
    if not errors:
        if existing is None:
            if not context.in_scope[division.code]:
                errors["division"] = f"“{division}”超出您的数据范围。"
            plan = MatterPlan(source=source, category=category, data=data, units=units, row=number)
        else:
            plan = _plan_update(context, existing, source, category, data, units, errors)
            if plan is not None:
                plan.row = number
    row_errors = [
        RowError(number, headers.get(field, field), message) for field, message in errors.items()
    ]
    return row_errors, (None if row_errors else plan)


def _units(context: _Context, row: dict, errors: dict):
    lead, co = row.get("lead") or [], row.get("co_units") or []
    if len(lead) > 1:
        errors["lead"] = "主办单位只能填一个;其他单位请填入“会办单位”。"
        return None
    for field, names in (("lead", lead), ("co_units", co)):
        missing = [name for name, _s in names if name not in context.organisations]
        if missing:
            errors[field] = "机构“%s”不存在(须与“机构”名录中的名称一致)。" % "、".join(missing)
    if "lead" in errors or "co_units" in errors:
        return None
    if not lead:
        return None  # read_ledger already reported the empty required cell
    shares = {context.organisations[n].pk: s for n, s in [*lead, *co] if s is not None}
    try:
        return plan_units(
            context.organisations[lead[0][0]],
            [context.organisations[n] for n, _s in co],
            shares or None,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors[field if field != "shares" else "lead"] = messages[0]
        return None


def _kind_fields(context: _Context, source, row: dict, data: dict, errors: dict) -> None:
    if context.kind == Kind.PETITION:
        code = str(row.get("subject_code") or "").strip().upper()
        data["subject_entity"] = context.entities.get(code) if code else None
        if code and data["subject_entity"] is None:
            errors["subject_entity"] = not_found("排污单位", code)  # or another county's
        data["complainant_id_number"] = str(data.get("complainant_id_number") or "").upper()
        _duplicate(context, row, data, errors)
    if context.kind == Kind.TASK:
        ref = str(row.get("measure_ref") or "").strip()
        data["measure"] = None
        if ref and source is not None:
            data["measure"] = context.measures.get((source.pk, ref))
            if data["measure"] is None:
                errors["measure"] = f"方案中没有第“{ref}”条措施(格式:方面序号.措施序号)。"


def _duplicate(context: _Context, row: dict, data: dict, errors: dict) -> None:
    ref = str(row.get("duplicate_ref") or "").strip()
    if not ref:
        if "duplicate_ref" in row:
            data["duplicate_of"] = None
        return
    if ref == data["reference"]:
        errors["duplicate_of"] = "不能把信访件关联为它自己的重复件。"
        return
    original = context.existing.get(ref) or context.originals.get(ref)
    if original is not None:  # always point at the first complaint
        data["duplicate_of"] = (
            Matter(pk=original.duplicate_of_id) if original.duplicate_of_id else original
        )
    elif ref in context.file_references:
        data["_link_to"] = ref  # created by this same file: linked after it is written
    else:
        errors["duplicate_of"] = f"原件编号“{ref}”不存在。"


def _fill_same_day(kind: str, category: str, data: dict) -> None:
    """A step that both completes and closes (办结, 完成) has one date: either column will do."""
    try:
        flow = flow_for(kind, category)
        path = flow.path_to(data.get("state") or flow.initial)
    except (KeyError, ValueError):
        return
    if any({"done", "closed"} <= set(step.sets) for step in path):
        data["done_on"] = data.get("done_on") or data.get("closed_on")
        data["closed_on"] = data.get("closed_on") or data.get("done_on")


def _plan_update(context, existing: Matter, source, category, data, units, errors):
    if existing.source_id != source.pk:
        errors["source"] = f"编号“{existing.reference}”已登记在其他批次下,不能改换批次。"
        return None
    if existing.category != category:
        errors["category"] = "已登记事项不能修改类别。"
        return None
    state = data.get("state")
    if state and state != existing.state:
        try:
            existing.flow.path_to(state, start=existing.state)
        except ValueError:
            errors["state"] = (
                f"不能从“{State(existing.state).label}”改为“{State(state).label}”"
                "(办理状态只能向前推进)。"
            )
            return None
    editable = existing.pk in context.editable
    division = data.get("division")
    if (
        division is not None
        and division.pk != existing.division_id
        and not context.in_scope[division.code]
    ):
        errors["division"] = f"“{division}”超出您的数据范围。"
        return None
    change = changes(existing, data, context.units.get(existing.pk), units)
    if not any(change.values()):
        return None
    if not editable:
        errors["reference"] = "该事项不在您的可办理范围内(或贵单位只是会办单位),不能修改。"
        return None
    return MatterPlan(source=source, category=category, data=data, units=units, existing=existing)


def _link_duplicates(actor, kind: str, pairs) -> None:
    """Link repeats whose first complaint arrived in the same file (now written)."""
    from ecogov.matters import events

    if not pairs:
        return
    matters = _by_reference(kind, sorted({ref for pair in pairs for ref in pair}))
    for original_ref, reference in pairs:
        original, matter = matters[original_ref], matters[reference]
        first_id = original.duplicate_of_id or original.pk
        if first_id == matter.pk:
            continue  # the two rows name each other: keep the earlier as the original
        Matter.objects.filter(pk=matter.pk).update(duplicate_of_id=first_id)
        events.matter_duplicate_linked_event(
            matter=matter, actor=actor, original=Matter.objects.get(pk=first_id)
        )
