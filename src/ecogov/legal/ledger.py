"""The legal area's ledgers in Excel: the register of normative documents (规范性文件登记
目录), the cleanup catalogue (清理目录) and the reconsideration and litigation ledger. Export
only: these records change through the services, step by step."""

from __future__ import annotations

from ecogov.core import services as core_services
from ecogov.core.masking import MASKERS
from ecogov.core.spreadsheet import Column, write_ledger
from ecogov.legal.models import (
    ApplicantKind,
    CleanupKind,
    DisputeCase,
    NormativeDocument,
    PolicyReview,
    ReviewKind,
    ReviewState,
    Verdict,
)
from ecogov.legal.workflow import DocState


def _yes(value) -> str:
    return "是" if value else "否"


def _label(choices):
    return lambda v: str(choices(v).label) if v else ""


REGISTER_COLUMNS = [
    Column("文号", "number", width=20),
    Column("文件名称", "title", width=44),
    Column("起草科室", "drafting_unit", width=22),
    Column("状态", "state", render=_label(DocState), width=14),
    Column("合法性审核日期", "legality_reviewed_on", width=14),
    Column("合法性审核结论", "legality_outcome", width=14),
    Column("公平竞争审查结论", "fair_outcome", width=16),
    Column("集体审议", "deliberation", width=28),
    Column("登记日期", "registered_on", width=12),
    Column("印发日期", "issued_on", width=12),
    Column("施行日期", "effective_from", width=12),
    Column("有效期至", "valid_until", width=12),
    Column("公开日期", "published_on", width=12),
    Column("备案期限", "filing_due", width=12),
    Column("报送备案日期", "filed_on", width=12),
    Column("按期备案", "filed_on_time", width=10),
    Column("失效日期", "ended_on", width=12),
]


def _reviews_by_document(documents) -> dict[tuple[int, str], PolicyReview]:
    latest = {}
    for review in (
        PolicyReview.objects.filter(document__in=documents, state=ReviewState.DONE)
        .select_related("kind")
        .order_by("pk")
    ):
        latest[(review.document_id, review.kind.code)] = review
    return latest


def export_register(*, actor, queryset) -> bytes:
    """The one register of normative documents, in number order."""
    rows = list(
        queryset.visible_to(actor)
        .select_related("drafting_unit")
        .order_by("number_year", "number_seq", "drafted_on", "pk")
    )
    reviews = _reviews_by_document([d.pk for d in rows])
    records = []
    for doc in rows:
        record = {c.field: getattr(doc, c.field, None) for c in REGISTER_COLUMNS}
        legality = reviews.get((doc.pk, ReviewKind.LEGALITY))
        fair = reviews.get((doc.pk, ReviewKind.FAIR_COMPETITION))
        record.update(
            number=doc.number or "(未编号)",
            title=doc.display_title,
            drafting_unit=doc.drafting_unit.name,
            legality_reviewed_on=legality.reviewed_on if legality else None,
            legality_outcome=legality.get_outcome_display() if legality else "",
            fair_outcome=fair.get_outcome_display()
            if fair
            else ("" if doc.affects_market else "不涉及"),
            deliberation=(
                f"{doc.deliberated_on} {doc.deliberation_meeting}" if doc.deliberated_on else ""
            ),
            filed_on_time="" if doc.filed_on is None else _yes(not doc.filing_late),
        )
        records.append(record)
    core_services.record_export(actor=actor, what="行政规范性文件登记目录", count=len(records))
    return write_ledger(REGISTER_COLUMNS, records, "规范性文件登记目录")


CATALOGUE_COLUMNS = [
    Column("序号", "seq", width=6),
    Column("类别", "category", width=12),
    Column("文号", "number", width=20),
    Column("名称", "title", width=44),
    Column("印发日期", "issued_on", width=12),
    Column("清理结论", "verdict", render=_label(Verdict), width=12),
    Column("理由", "reason", width=44),
    Column("结论日期", "decided_on", width=12),
]


def export_catalogue(*, actor, campaign) -> bytes:
    """The campaign's cleanup catalogue (清理目录), in the order the items were selected."""
    records = []
    for seq, item in enumerate(
        campaign.items.visible_to(actor).select_related("document", "measure").order_by("pk"),
        start=1,
    ):
        subject = item.subject
        is_doc = isinstance(subject, NormativeDocument)
        records.append(
            {
                "seq": seq,
                "category": "规范性文件" if is_doc else "政策措施",
                "number": (subject.number if is_doc else subject.reference) or "",
                "title": subject.display_title if is_doc else subject.title,
                "issued_on": subject.issued_on,
                "verdict": item.verdict,
                "reason": item.reason,
                "decided_on": item.decided_on,
            }
        )
    kind = CleanupKind(campaign.kind).label
    core_services.record_export(actor=actor, what=f"清理目录:{campaign.title}", count=len(records))
    return write_ledger(CATALOGUE_COLUMNS, records, f"清理目录({kind})")


DISPUTE_COLUMNS = [
    Column("类别", "kind", width=10),
    Column("案号", "reference", width=22),
    Column("复议机关或法院", "forum", width=24),
    Column("申请人(原告)", "applicant_name", width=24),
    Column("被诉(申请复议)行为", "act_description", width=36),
    Column("收到副本日期", "received_on", width=12),
    Column("答复(答辩)期限", "answer_due", width=12),
    Column("期限计算", "answer_day_kind", width=10),
    Column("提交答复日期", "answered_on", width=12),
    Column("开庭日期", "hearing_on", width=12),
    Column("负责人出庭", "principal_appeared", width=10),
    Column("审结日期", "decided_on", width=12),
    Column("结果", "outcome", width=14),
]


def export_disputes(*, actor, queryset) -> bytes:
    rows = list(queryset.visible_to(actor))
    editable = set(
        DisputeCase.objects.editable_by(actor)
        .filter(pk__in=[r.pk for r in rows])
        .values_list("pk", flat=True)
    )
    records = []
    for case in rows:
        name = case.applicant_name
        if case.applicant_kind == ApplicantKind.INDIVIDUAL and case.pk not in editable:
            name = MASKERS["name"](name)
        records.append(
            {
                **{c.field: getattr(case, c.field) for c in DISPUTE_COLUMNS},
                "kind": case.get_kind_display(),
                "applicant_name": name,
                "answer_day_kind": {"working": "工作日", "calendar": "自然日"}.get(
                    case.answer_day_kind, ""
                ),
                "principal_appeared": ""
                if case.principal_appeared is None
                else _yes(case.principal_appeared),
                "outcome": case.get_outcome_display() if case.outcome else "",
            }
        )
    core_services.record_export(actor=actor, what="行政复议与应诉台账", count=len(records))
    return write_ledger(DISPUTE_COLUMNS, records, "行政复议与应诉台账")
