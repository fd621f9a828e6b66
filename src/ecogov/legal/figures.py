"""The legal area's figures for the annual summary and the rule-of-law report, each counted
from the records in the user's scope by the legal date of the act, with `records` exactly the
records counted (ecogov.core.figures). Keys and definitions: docs/legal.md "Figures".
"""

from __future__ import annotations

from django.db.models import F

from ecogov.core.figures import Figure, Kind, Period, count_figure, ratio
from ecogov.legal.models import (
    CORRECTED,
    Bill,
    BillMilestone,
    CleanupItem,
    ContractReview,
    CounselOpinion,
    DisputeCase,
    DisputeKind,
    GroupMeeting,
    LeaderDuty,
    MilestoneKind,
    NormativeDocument,
    PolicyReview,
    ReviewKind,
    ReviewOutcome,
    ReviewState,
    StudySession,
    Verdict,
)
from ecogov.legal.queries import document_in_force_q

DOC = "legal.NormativeDocument"
REVIEW = "legal.PolicyReview"
DISPUTE = "legal.DisputeCase"


def _in(period: Period, field: str) -> dict:
    return {f"{field}__gte": period.start, f"{field}__lte": period.end}


def _count(key, label, records, unit, model, definition) -> Figure:
    return count_figure(key, label, records, unit, model, definition=definition)


def legal_figures(user, period: Period | int) -> list[Figure]:
    if isinstance(period, int):
        period = Period.of_year(period)
    return [
        *_document_figures(user, period),
        *_cleanup_figures(user, period),
        *_dispute_figures(user, period),
        *_other_figures(user, period),
    ]


def _document_figures(user, p: Period) -> list[Figure]:
    when = p.label
    documents = NormativeDocument.objects.visible_to(user)
    reviews = PolicyReview.objects.visible_to(user).filter(
        state=ReviewState.DONE, **_in(p, "reviewed_on")
    )
    legality = reviews.filter(kind__code=ReviewKind.LEGALITY, document__isnull=False)
    reviewed = documents.filter(pk__in=legality.values("document_id"))
    issued = documents.filter(**_in(p, "issued_on"))
    in_force = documents.filter(document_in_force_q(p.end))
    filed = documents.filter(**_in(p, "filed_on"))
    filed_on_time = filed.filter(filed_on__lte=F("filing_due"))
    fair = reviews.filter(kind__code=ReviewKind.FAIR_COMPETITION)
    figures = [
        _count(
            "normative_docs.reviewed",
            f"{when}进行合法性审核的规范性文件",
            reviewed,
            "件",
            DOC,
            "期间内作出合法性审核结论的规范性文件(同一文件多次审核计一件)",
        ),
        _count(
            "normative_docs.issued",
            f"{when}统一印发的规范性文件",
            issued,
            "件",
            DOC,
            "印发日期在期间内的规范性文件",
        ),
        _count(
            "normative_docs.in_force",
            f"截至{p.end:%Y年%m月%d日}现行有效的规范性文件",
            in_force,
            "件",
            DOC,
            "期末已公开、已施行、未过有效期且未被修改、废止或宣布失效的规范性文件",
        ),
        _count(
            "normative_docs.filed",
            f"{when}报送备案的规范性文件",
            filed,
            "件",
            DOC,
            "报送备案日期在期间内的规范性文件",
        ),
        _count(
            "normative_docs.filed_on_time",
            f"{when}按期报送备案的规范性文件",
            filed_on_time,
            "件",
            DOC,
            "期间内报送备案且未超过备案期限的规范性文件",
        ),
        _count(
            "fair_competition.reviewed",
            f"{when}完成公平竞争审查",
            fair,
            "件",
            REVIEW,
            "期间内作出公平竞争审查结论的审查(文件和政策措施)",
        ),
    ]
    for outcome in (ReviewOutcome.COMPLIANT, ReviewOutcome.EXCEPTION, ReviewOutcome.NOT_TO_ISSUE):
        figures.append(
            _count(
                f"fair_competition.{outcome.value}",
                f"其中{outcome.label}",
                fair.filter(outcome=outcome),
                "件",
                REVIEW,
                f"公平竞争审查结论为“{outcome.label}”的",
            )
        )
    return figures


def _cleanup_figures(user, p: Period) -> list[Figure]:
    items = CleanupItem.objects.visible_to(user).exclude(verdict="").filter(**_in(p, "decided_on"))
    figures = [
        _count(
            "cleanup.documents",
            f"{p.label}清理的规范性文件和政策措施",
            items,
            "件",
            "legal.CleanupItem",
            "期间内作出清理结论的清理目录条目(一次清理中的一件文件计一条)",
        )
    ]
    for verdict in Verdict:
        figures.append(
            _count(
                f"cleanup.documents.{verdict.value}",
                f"其中{verdict.label}",
                items.filter(verdict=verdict),
                "件",
                "legal.CleanupItem",
                f"清理结论为“{verdict.label}”的",
            )
        )
    return figures


def _dispute_figures(user, p: Period) -> list[Figure]:
    cases = DisputeCase.objects.visible_to(user)
    recon = cases.filter(kind=DisputeKind.RECONSIDERATION)
    lit = cases.filter(kind=DisputeKind.LITIGATION)
    decided = cases.filter(**_in(p, "decided_on"))
    recon_decided = decided.filter(kind=DisputeKind.RECONSIDERATION)
    lit_decided = decided.filter(kind=DisputeKind.LITIGATION)
    hearings = lit.filter(**_in(p, "hearing_on"))
    f = {
        "recon": _count(
            "reconsideration.cases",
            f"{p.label}行政复议案件(本局为被申请人)",
            recon.filter(**_in(p, "received_on")),
            "件",
            DISPUTE,
            "期间内收到复议申请书副本的案件",
        ),
        "lit": _count(
            "litigation.cases",
            f"{p.label}行政诉讼案件(本局为被告)",
            lit.filter(**_in(p, "received_on")),
            "件",
            DISPUTE,
            "期间内收到起诉状副本的案件",
        ),
        "decided": _count(
            "legal.decided",
            f"{p.label}审结的行政复议和行政诉讼案件",
            decided,
            "件",
            DISPUTE,
            "期间内审结的复议和诉讼案件,含撤回、调解结案",
        ),
        "corrected": _count(
            "legal.corrected",
            "其中被撤销、变更或确认违法",
            decided.filter(outcome__in=CORRECTED),
            "件",
            DISPUTE,
            "审结结果为撤销、变更或确认违法的",
        ),
        "recon_decided": _count(
            "reconsideration.decided",
            f"{p.label}审结的行政复议案件",
            recon_decided,
            "件",
            DISPUTE,
            "期间内审结的复议案件",
        ),
        "recon_corrected": _count(
            "reconsideration.corrected",
            "其中被纠错",
            recon_decided.filter(outcome__in=CORRECTED),
            "件",
            DISPUTE,
            "复议决定撤销、变更或确认违法的",
        ),
        "lit_decided": _count(
            "litigation.decided",
            f"{p.label}审结的行政诉讼案件",
            lit_decided,
            "件",
            DISPUTE,
            "期间内审结的诉讼案件",
        ),
        "lit_lost": _count(
            "litigation.lost",
            "其中败诉",
            lit_decided.filter(outcome__in=CORRECTED),
            "件",
            DISPUTE,
            "判决撤销、变更或确认违法的",
        ),
        "hearings": _count(
            "litigation.hearings",
            f"{p.label}开庭审理的行政诉讼案件",
            hearings,
            "件",
            DISPUTE,
            "开庭日期在期间内的诉讼案件",
        ),
        "appeared": _count(
            "litigation.appearances",
            "其中负责人出庭应诉",
            hearings.filter(principal_appeared=True),
            "件",
            DISPUTE,
            "开庭时本局负责人出庭应诉的",
        ),
    }
    return [
        *f.values(),
        ratio(
            "legal.correction_rate",
            "行政复议和行政诉讼纠错率",
            f["corrected"],
            f["decided"],
            definition="被撤销、变更、确认违法的案件 ÷ 审结案件(复议和诉讼合计)",
        ),
        ratio(
            "reconsideration.correction_rate",
            "行政复议纠错率",
            f["recon_corrected"],
            f["recon_decided"],
            definition="复议被撤销、变更、确认违法的案件 ÷ 审结的复议案件",
        ),
        ratio(
            "legal.loss_rate",
            "行政诉讼败诉率",
            f["lit_lost"],
            f["lit_decided"],
            definition="判决撤销、变更、确认违法的诉讼案件 ÷ 审结的诉讼案件",
        ),
        ratio(
            "litigation.appearance_rate",
            "负责人出庭应诉率",
            f["appeared"],
            f["hearings"],
            definition="负责人出庭应诉的开庭案件 ÷ 开庭审理的诉讼案件",
        ),
    ]


def _other_figures(user, p: Period) -> list[Figure]:
    passed = BillMilestone.objects.filter(kind=MilestoneKind.PASSED, **_in(p, "on"))
    approved = BillMilestone.objects.filter(kind=MilestoneKind.APPROVED, **_in(p, "on"))
    bills = Bill.objects.visible_to(user)
    studies = StudySession.objects.visible_to(user).filter(**_in(p, "held_on"))
    return [
        _count(
            "legislation.passed",
            f"{p.label}通过的地方性法规和规章",
            bills.filter(pk__in=passed.values("bill_id")),
            "部",
            "legal.Bill",
            "“人大常委会表决通过”环节在期间内的立法项目",
        ),
        _count(
            "legislation.approved",
            f"{p.label}经省人大常委会批准的地方性法规",
            bills.filter(pk__in=approved.values("bill_id")),
            "部",
            "legal.Bill",
            "“省人大常委会批准”环节在期间内的立法项目",
        ),
        _count(
            "counsel.opinions",
            f"{p.label}法律顾问出具意见",
            CounselOpinion.objects.visible_to(user).filter(**_in(p, "given_on")),
            "件",
            "legal.CounselOpinion",
            "出具日期在期间内的法律顾问意见",
        ),
        _count(
            "legal.contracts_reviewed",
            f"{p.label}审查合同",
            ContractReview.objects.visible_to(user).filter(**_in(p, "reviewed_on")),
            "件",
            "legal.ContractReview",
            "法规科审查日期在期间内的合同",
        ),
        _count(
            "study.sessions",
            f"{p.label}集中学法",
            studies,
            "次",
            "legal.StudySession",
            "日期在期间内的集中学法",
        ),
        Figure(
            "study.attendances",
            f"{p.label}集中学法参加人次",
            sum(studies.values_list("attendee_count", flat=True)),
            "人次",
            "legal.StudySession",
            kind=Kind.SUM,
            records=studies,
            field="attendee_count",
            definition="期间内各次集中学法参加人数之和",
        ),
        _count(
            "leading_group.meetings",
            f"{p.label}法治建设领导小组会议",
            GroupMeeting.objects.visible_to(user).filter(**_in(p, "held_on")),
            "次",
            "legal.GroupMeeting",
            "日期在期间内的领导小组会议",
        ),
        _count(
            "leader_duties.done",
            f"{p.label}主要负责人履行第一责任人职责事项",
            LeaderDuty.objects.visible_to(user).filter(**_in(p, "done_on")),
            "项",
            "legal.LeaderDuty",
            "完成日期在期间内的第一责任人职责事项",
        ),
    ]
