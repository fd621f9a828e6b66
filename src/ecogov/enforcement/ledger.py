"""The penalty case ledger (行政处罚案件台账) in Excel. Export only: cases change only
through the services, step by step, so there is no import door."""

from __future__ import annotations

from decimal import Decimal

from ecogov.core import services as core_services
from ecogov.core.masking import MASKERS
from ecogov.core.spreadsheet import Column, write_ledger
from ecogov.enforcement.models import CaseSource, PartyKind, PenaltyCase, PenaltyKind
from ecogov.enforcement.workflow import CaseState


def _wan(value):
    return float((Decimal(value) / 10000).quantize(Decimal("0.0001"))) if value else None


def _yes(value):
    return "是" if value else "否"


CASE_COLUMNS = [
    Column("案件编号", "number", width=22),
    Column("案由", "title", width=30),
    Column("当事人", "party_name", width=30),
    Column("统一社会信用代码或身份证号", "party_id_number", width=22),
    Column("行政区划", "division", width=12),
    Column("承办机构", "organisation", width=28),
    Column("案件来源", "source", render=lambda v: str(CaseSource(v).label) if v else ""),
    Column("状态", "state", render=lambda v: str(CaseState(v).label) if v else ""),
    Column("发现线索日期", "found_on", width=12),
    Column("立案日期", "opened_on", width=12),
    Column("告知日期", "notified_on", width=12),
    Column("听证", "hearing_held_on", render=lambda v: v or "", width=12),
    Column("法制审核", "review_passed", render=_yes, width=8),
    Column("集体讨论", "discussed_on", render=lambda v: v or "", width=12),
    Column("决定日期", "decided_on", width=12),
    Column("处罚依据", "legal_basis", width=36),
    Column(
        "处罚种类",
        "penalty_kinds",
        width=24,
        render=lambda v: "、".join(str(PenaltyKind(k).label) for k in (v or [])),
    ),
    Column("罚款(万元)", "fine", render=_wan),
    Column("已缴(万元)", "paid", render=_wan),
    Column("送达日期", "served_on", width=12),
    Column("公开日期", "published_on", width=12),
    Column("办结日期", "closed_on", width=12),
    Column("当前步骤", "step_label", width=20),
    Column("步骤期限", "step_due", width=12),
]


def export_cases(*, actor, queryset) -> bytes:
    """The scoped cases as .xlsx; a natural person's identity masked unless the actor
    handles the case."""
    rows = list(
        queryset.visible_to(actor).select_related(
            "division", "organisation", "legal_basis", "disclosure"
        )
    )
    editable = set(
        PenaltyCase.objects.editable_by(actor)
        .filter(pk__in=[r.pk for r in rows])
        .values_list("pk", flat=True)
    )
    records = []
    for case in rows:
        record = {c.field: getattr(case, c.field, None) for c in CASE_COLUMNS}
        record["division"] = case.division.name
        record["organisation"] = case.organisation.name
        record["legal_basis"] = case.legal_basis.title if case.legal_basis_id else ""
        disclosure = getattr(case, "disclosure", None)
        record["published_on"] = disclosure.published_on if disclosure else None
        if case.pk not in editable and case.party_kind == PartyKind.INDIVIDUAL:
            record["party_name"] = MASKERS["name"](case.party_name)
            record["party_id_number"] = MASKERS["id_number"](case.party_id_number)
        records.append(record)
    core_services.record_export(actor=actor, what="行政处罚案件台账", count=len(records))
    return write_ledger(CASE_COLUMNS, records, "行政处罚案件台账")
