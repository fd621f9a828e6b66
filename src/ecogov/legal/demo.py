"""示例市's legal work of 2020, made through the services (every event as in real use), so
that the seed's figures come out of records: 1 local regulation passed (the dust-control
regulation, 2020-10-29, approved 2020-11-27), 5 normative documents given a legality review
and issued as 示环规〔2020〕1–5号, the cleanups (the catalogue and the wildlife cleanup), and the
counsel contract with the law firm (seed 一(二), 一(四), 一(一)). Older documents (2016–2019)
are what the cleanups review. The figures are listed in docs/legal.md "Demo".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from ecogov.core.models import Division, Organisation
from ecogov.legal import services as s
from ecogov.legal.defaults import ensure_defaults
from ecogov.legal.demo_data import (
    BILLS,
    CONTRACT_REVIEWS,
    DISPUTES,
    DOCUMENTS_2020,
    DUTIES,
    GROUP,
    MEASURES,
    MEETINGS,
    MEMBERS,
    OLD_DOCUMENTS,
    OPINIONS,
    STUDIES,
)
from ecogov.legal.models import (
    Bill,
    CleanupKind,
    CounselContract,
    CounselOpinion,
    GroupMeeting,
    GroupMember,
    LeaderDuty,
    LeadingGroup,
    LegalPolicy,
    NormativeDocument,
    ReviewKind,
    StudySession,
    Theme,
)


def build_demo() -> None:
    if NormativeDocument.objects.exists():
        return
    ensure_defaults()
    policy = LegalPolicy.current()
    policy.number_prefix = "示环规"
    policy.save()
    w = _World()
    with transaction.atomic():
        docs = {spec["key"]: _walk(w, spec) for spec in OLD_DOCUMENTS + DOCUMENTS_2020}
        # evaluated before its validity ended and renewed (the others of 2020 have lapsed)
        s.document_evaluate(
            actor=w.legal,
            document=docs["zoning"],
            evaluated_on=dt.date(2025, 1, 10),
            conclusion="实施效果良好,与上位法一致,继续施行。",
            extend_until=dt.date(2030, 7, 2),
        )
        measures = {spec["key"]: _measure(w, spec) for spec in MEASURES}
        _cleanups(w, docs, measures)
        _bills(w)
        _disputes(w)
        _counsel(w)
        _leadership(w)


class _World:
    def __init__(self):
        self.legal = User.objects.get(username="legal")
        self.leader = User.objects.get(username="leader")
        self.city = Division.objects.get(code="990100")
        self.units = {o.name: o for o in Organisation.objects.all()}
        self.themes = {t.code: t for t in Theme.objects.all()}
        self.fair = ReviewKind.objects.get(code=ReviewKind.FAIR_COMPETITION)

    def unit(self, name):
        return self.units[name]


def _walk(w: _World, spec: dict) -> NormativeDocument:
    """A document from its draft as far as the spec's dates go (through the services)."""
    a, dates = w.legal, spec["dates"]
    doc = s.document_draft(
        actor=a,
        title=spec["title"],
        drafting_unit=w.unit(spec["unit"]),
        division=w.city,
        drafted_on=dates["drafted"],
        is_trial=spec.get("trial", False),
        affects_market=spec.get("market", False),
        summary=spec.get("summary", ""),
        themes=[w.themes[t] for t in spec.get("themes", [])],
    )
    if "consult" in dates:
        start, end = dates["consult"]
        doc = s.document_start_consultation(
            actor=a, document=doc, started_on=start, channel="示例市人民政府门户网站"
        )
        doc = s.document_close_consultation(
            actor=a,
            document=doc,
            ended_on=end,
            opinions=spec.get("opinions", 0),
            adopted=spec.get("adopted", "已逐条研究,合理意见予以采纳。"),
        )
    else:
        doc = s.document_waive_consultation(
            actor=a,
            document=doc,
            reason=spec.get("waiver", "属内部管理规范,不直接涉及公民、法人和其他组织权利义务"),
        )
    fairs = spec.get("fair") or (
        [
            {
                "on": spec["legality"][0]["on"],
                "done": spec["legality"][0]["on"] + dt.timedelta(days=3),
                "outcome": "compliant",
            }
        ]
        if spec.get("market")
        else []
    )
    for fair in fairs:
        review = s.review_submit(actor=a, subject=doc, kind=w.fair, submitted_on=fair["on"])
        s.review_record(
            actor=a,
            review=review,
            outcome=fair["outcome"],
            opinion=fair.get("opinion", "未发现排除、限制竞争的内容。"),
            exception_ground=fair.get("ground", ""),
            reviewed_on=fair["done"],
        )
    for legality in spec["legality"]:
        doc = s.document_submit_review(
            actor=a, document=doc, submitted_on=legality["on"], reviewer=w.legal
        )
        if "done" not in legality:
            return doc  # still with the legal section
        review = doc.reviews.get(kind__code=ReviewKind.LEGALITY, state="pending")
        s.review_record(
            actor=a,
            review=review,
            outcome=legality["outcome"],
            opinion=legality.get("opinion", "符合法律、法规、规章规定,同意提请集体审议。"),
            issues_found=legality.get("issues", ""),
            reviewed_on=legality["done"],
        )
        if legality.get("resolved"):
            s.review_resolve(
                actor=a,
                review=review,
                resolution=legality["resolution"],
                resolved_on=legality["resolved"],
            )
        doc = NormativeDocument.objects.get(pk=doc.pk)
    doc = s.document_deliberate(
        actor=a,
        document=doc,
        meeting=spec.get("meeting", "局党组会"),
        conclusion="原则同意,按合法性审核意见修改后印发。",
        deliberated_on=dates["deliberated"],
    )
    doc = s.document_register(actor=a, document=doc, registered_on=dates["registered"])
    doc = s.document_issue(
        actor=a, document=doc, issued_on=dates["issued"], effective_from=dates.get("effective")
    )
    doc = s.document_publish(
        actor=a, document=doc, published_on=dates["published"], channel="示例市人民政府门户网站"
    )
    return s.document_file(
        actor=a, document=doc, filed_on=dates["filed"], reference=spec.get("filing_ref", "")
    )


def _measure(w: _World, spec: dict):
    a = w.legal
    measure = s.measure_create(
        actor=a,
        data={
            "title": spec["title"],
            "kind": spec["kind"],
            "drafting_unit": w.unit(spec["unit"]),
            "division": w.city,
            "affects_market": spec["market"],
            "drafted_on": spec["drafted"],
        },
        themes=[w.themes[t] for t in spec.get("themes", [])],
    )
    if "fair" in spec:
        fair = spec["fair"]
        review = s.review_submit(actor=a, subject=measure, kind=w.fair, submitted_on=fair["on"])
        s.review_record(
            actor=a,
            review=review,
            outcome=fair["outcome"],
            opinion=fair.get("opinion", "未发现排除、限制竞争的内容。"),
            exception_ground=fair.get("ground", ""),
            reviewed_on=fair["done"],
        )
    if "abandoned" in spec:
        return s.measure_abandon(
            actor=a, measure=measure, reason=spec["abandon_reason"], on=spec["abandoned"]
        )
    return s.measure_issue(
        actor=a, measure=measure, issued_on=spec["issued"], reference=spec.get("reference", "")
    )


def _cleanups(w: _World, docs: dict, measures: dict) -> None:
    a = w.legal
    # 1. wildlife (after the NPC Standing Committee's decision of 2020-02-24)
    wildlife = s.campaign_start(
        actor=a,
        title="涉及野生动物保护的规范性文件专项清理",
        kind=CleanupKind.SPECIAL,
        started_on=dt.date(2020, 3, 2),
        due_on=dt.date(2020, 3, 31),
        division=w.city,
        basis="全国人民代表大会常务委员会关于全面禁止非法野生动物交易、革除滥食野生动物陋习、"
        "切实保障人民群众生命健康安全的决定;省司法厅专项清理通知",
    )
    s.campaign_select(actor=a, campaign=wildlife, themes=[w.themes["wildlife"]])
    _verdicts(
        a,
        wildlife,
        docs,
        {
            "habitat": ("amend", "与全国人大常委会决定不一致的条款需修改", dt.date(2020, 3, 16)),
            "breeding": (
                "repeal",
                "允许以食用为目的人工繁育的规定与决定相抵触",
                dt.date(2020, 3, 16),
            ),
        },
    )
    s.campaign_finish(
        actor=a, campaign=wildlife, finished_on=dt.date(2020, 3, 31), submitted_to="市司法局"
    )
    # 2. documents and measures touching market entities (优化营商环境)
    market = s.campaign_start(
        actor=a,
        title="涉及市场主体的规范性文件和政策措施专项清理",
        kind=CleanupKind.SPECIAL,
        started_on=dt.date(2020, 6, 1),
        division=w.city,
        basis="优化营商环境条例;市司法局通知",
    )
    s.campaign_select(
        actor=a, campaign=market, in_force_on=dt.date(2020, 5, 31), affects_market=True
    )
    _verdicts(
        a,
        market,
        docs,
        {
            key: ("keep", "未发现违反公平竞争、妨碍市场主体平等准入的内容", dt.date(2020, 6, 22))
            for key in docs
        },
        measures=measures,
    )
    s.campaign_finish(actor=a, campaign=market, finished_on=dt.date(2020, 6, 30))
    # 3. the full cleanup of 2020: the catalogue sent to the justice bureau
    full = s.campaign_start(
        actor=a,
        title="2020年规范性文件全面清理",
        kind=CleanupKind.FULL,
        started_on=dt.date(2020, 9, 1),
        due_on=dt.date(2020, 11, 30),
        division=w.city,
        basis="市人民政府办公室关于开展规范性文件全面清理工作的通知",
    )
    s.campaign_select(actor=a, campaign=full, in_force_on=dt.date(2020, 8, 31))
    verdicts = {key: ("keep", "符合上位法规定,继续有效", dt.date(2020, 10, 28)) for key in docs}
    verdicts.update(
        {
            "discretion2016": ("repeal", "已由示环规〔2020〕3号替代", dt.date(2020, 10, 28)),
            "permit2017": ("lapse", "上位法已作全面规定,调整对象已消失", dt.date(2020, 10, 28)),
            "petition2019": ("amend", "需与举报奖励办法衔接", dt.date(2020, 10, 28)),
            "habitat": ("amend", "专项清理确定的修改尚未完成", dt.date(2020, 10, 28)),
        }
    )
    _verdicts(a, full, docs, verdicts, measures=measures)
    s.campaign_finish(
        actor=a, campaign=full, finished_on=dt.date(2020, 11, 20), submitted_to="市司法局"
    )


def _verdicts(actor, campaign, docs, verdicts, measures=None) -> None:
    by_doc = {d.pk: key for key, d in docs.items()}
    by_measure = {m.pk: key for key, m in (measures or {}).items()}
    for item in campaign.items.all():
        key = by_doc.get(item.document_id) or by_measure.get(item.measure_id)
        verdict, reason, on = verdicts.get(key) or (
            "keep",
            "继续有效",
            campaign.started_on + dt.timedelta(days=14),
        )
        s.item_verdict(actor=actor, item=item, verdict=verdict, reason=reason, decided_on=on)


def _bills(w: _World) -> None:
    for spec in BILLS:
        bill = s.ledger_save(
            actor=w.legal,
            instance=Bill(
                title=spec["title"],
                kind=spec["kind"],
                drafting_unit=w.unit("法规与标准科"),
                division=w.city,
                summary=spec.get("summary", ""),
            ),
        )
        for kind, on, body in spec["milestones"]:
            s.milestone_record(actor=w.legal, bill=bill, kind=kind, on=on, body=body)


def _disputes(w: _World) -> None:
    for spec in DISPUTES:
        data = {k: v for k, v in spec.items() if k in s.disputes.FIELDS}
        act = None
        if spec.get("act_number"):
            try:
                act = s.resolve_act(
                    actor=w.legal, act_kind=spec["act_kind"], number=spec["act_number"]
                )
            except ValidationError:
                act = None  # the enforcement area is not installed: the description stands
        case = s.dispute_register(
            actor=w.legal,
            data={**data, "division": w.city, "handling_unit": w.unit("法规与标准科")},
            act_record=act,
        )
        if spec.get("answered"):
            case = s.dispute_answer(actor=w.legal, case=case, answered_on=spec["answered"])
        if spec.get("hearing"):
            on, appeared, person = spec["hearing"]
            case = s.dispute_hearing(
                actor=w.legal,
                case=case,
                hearing_on=on,
                principal_appeared=appeared,
                appearing_person=person,
            )
        if spec.get("decided"):
            on, outcome, note = spec["decided"]
            s.dispute_decide(actor=w.legal, case=case, outcome=outcome, decided_on=on, note=note)


def _counsel(w: _World) -> None:
    contract = s.ledger_save(
        actor=w.legal,
        instance=CounselContract(
            firm=w.unit("示例律师事务所"),
            title="常年法律顾问服务合同",
            division=w.city,
            signed_on=dt.date(2020, 1, 6),
            term_start=dt.date(2020, 1, 1),
            term_end=dt.date(2020, 12, 31),
            fee_wan=Decimal("8.0000"),
            lawyers="李明 14399202010000001\n赵丽 14399201510000002",
            scope_of_service="为依法行政和规范执法提供法律意见;审查合同;代理行政复议和行政诉讼",
        ),
    )
    for kind, subject, on, lawyer in OPINIONS:
        s.ledger_save(
            actor=w.legal,
            instance=CounselOpinion(
                contract=contract,
                matter_kind=kind,
                subject=subject,
                given_on=on,
                lawyer=lawyer,
                summary="意见已书面出具并归档。",
            ),
        )
    for spec in CONTRACT_REVIEWS:
        review = s.contract_review_submit(
            actor=w.legal,
            data={
                "title": spec["title"],
                "counterparty": spec["counterparty"],
                "amount_wan": spec["amount"],
                "submitting_unit": w.unit(spec["unit"]),
                "division": w.city,
                "submitted_on": spec["submitted"],
            },
        )
        if spec.get("reviewed"):
            s.contract_review_record(
                actor=w.legal,
                review=review,
                passed=True,
                opinion=spec["opinion"],
                reviewed_on=spec["reviewed"],
            )


def _leadership(w: _World) -> None:
    group = s.ledger_save(actor=w.legal, instance=LeadingGroup(division=w.city, **GROUP))
    for name, position, role, joined, left, note in MEMBERS:
        s.ledger_save(
            actor=w.legal,
            instance=GroupMember(
                group=group,
                name=name,
                position=position,
                role=role,
                joined_on=joined,
                left_on=left,
                note=note,
            ),
        )
    for held_on, title, topics, decisions in MEETINGS:
        s.ledger_save(
            actor=w.legal,
            instance=GroupMeeting(
                group=group,
                held_on=held_on,
                title=title,
                chaired_by="王建国",
                topics=topics,
                decisions=decisions,
                attendees="领导小组全体成员",
            ),
        )
    for kind, duty, due, done, note in DUTIES:
        s.ledger_save(
            actor=w.legal,
            instance=LeaderDuty(
                division=w.city,
                year=2020,
                leader_name="王建国",
                kind=kind,
                duty=duty,
                due_on=due,
                done_on=done,
                note=note,
            ),
        )
    for held_on, kind, topic, lecturer, count in STUDIES:
        s.ledger_save(
            actor=w.legal,
            instance=StudySession(
                division=w.city,
                held_on=held_on,
                kind=kind,
                topic=topic,
                lecturer=lecturer,
                attendees="局领导班子成员、各科室和直属单位负责人",
                attendee_count=count,
            ),
        )
