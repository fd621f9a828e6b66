"""After the decision: service, public disclosure (personal data masked), execution,
payments and closing the case."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.masking import mask_id_number, mask_name, mask_text
from ecogov.enforcement import events
from ecogov.enforcement.bulk import DIRECT, CaseWriter
from ecogov.enforcement.deadlines import (
    payment_deadline,
    public_notice_served_on,
    refresh_step,
)
from ecogov.enforcement.models import (
    CaseEvent,
    PartyKind,
    Payment,
    PenaltyCase,
    PenaltyKind,
    ServiceMethod,
)

from .common import (
    advance,
    check_date,
    ensure_handler,
    jsonable,
    lock,
    require,
    required_text,
    today,
)
from .compulsory import amount_due

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def case_serve(
    *,
    actor: User,
    case: PenaltyCase,
    method: str,
    served_on: dt.date | None = None,
    notice_issued_on: dt.date | None = None,
    consent: bool = False,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """送达. Electronic service needs the party's signed consent; service by public notice
    counts as made `public_notice_service_days` (30) after the notice was issued."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "serve")
    if method not in ServiceMethod.values:
        raise ValidationError({"method": _("未知的送达方式“%s”。") % method})
    policy = writer.policy()
    if method == ServiceMethod.ELECTRONIC and not consent:
        raise ValidationError({"method": _("电子送达须经当事人同意并签订送达地址确认书。")})
    if method == ServiceMethod.PUBLIC_NOTICE:
        if notice_issued_on is None:
            raise ValidationError({"notice_issued_on": _("公告送达须填写公告发布日期。")})
        served_on = public_notice_served_on(notice_issued_on, policy)
        if served_on > today():
            raise ValidationError(
                {
                    "notice_issued_on": _(
                        "公告发布于%(issued)s,至%(served)s方视为送达,届时再登记送达。"
                    )
                    % {"issued": notice_issued_on.isoformat(), "served": served_on.isoformat()}
                }
            )
    on = check_date(case, served_on, field="served_on", label=_("送达"))
    case.served_on, case.service_method = on, method
    owes = bool(case.fine or case.confiscation)
    case.payment_due = payment_deadline(on, policy).due if owes else None
    late = case.step_due is not None and on > case.step_due
    advance(
        case,
        writer=writer,
        actor=actor,
        action="serve",
        event_type=CaseEvent.Type.SERVED,
        on=on,
        policy=policy,
        payload={
            "method": method,
            "notice_issued_on": notice_issued_on,
            "late": late,
            "payment_due": case.payment_due,
        },
    )
    return case


def disclosure_text(case: PenaltyCase) -> tuple[str, str]:
    """The public notice of the decision: natural persons' names, ID and phone numbers masked."""
    assert case.decided_on is not None  # called for a decided case only (disclosure, change)
    individual = case.party_kind == PartyKind.INDIVIDUAL
    names = [n for n in (case.party_representative, case.party_name if individual else "") if n]

    def clean(text: str) -> str:
        text = mask_text(text or "")
        for name in sorted(names, key=len, reverse=True):
            text = text.replace(name, mask_name(name))
        return text

    party = mask_name(case.party_name) if individual else case.party_name
    kinds = "、".join(str(PenaltyKind(k).label) for k in case.penalty_kinds)
    amount = f",罚款人民币{case.fine:,.2f}元" if case.fine else ""
    lines = [
        _("行政处罚决定书文号:%s") % case.number,
        _("当事人:%s") % party,
        (_("身份证号:%s") % mask_id_number(case.party_id_number))
        if individual
        else (_("统一社会信用代码:%s") % case.party_id_number),
        _("主要违法事实:%s") % clean(case.facts),
        _("处罚依据:%s") % (case.legal_basis.title if case.legal_basis else ""),
        _("处罚内容:%(kinds)s%(amount)s") % {"kinds": kinds, "amount": amount},
        _("作出决定日期:%s") % case.decided_on.isoformat(),
        _("作出决定机关:%s") % settings.ECOGOV_BUREAU_NAME,
    ]
    if case.decision_text:
        lines.insert(6, _("决定内容:%s") % clean(case.decision_text))
    title = _("%(party)s环境违法行政处罚决定(%(number)s)") % {"party": party, "number": case.number}
    return title, "\n".join(lines)


@transaction.atomic
def case_disclose(
    *,
    actor: User,
    case: PenaltyCase,
    published_on: dt.date | None = None,
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """Publish the decision (行政执法公示) within the period; the record says if on time."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "disclose")
    disclosure = getattr(case, "disclosure", None)
    if not case.public_impact or disclosure is None:
        raise ValidationError({"published_on": _("本案处罚决定未列为须公开的决定,无需公开。")})
    on = check_date(case, published_on, field="published_on", label=_("公开"))
    assert case.decided_on is not None  # a served case was decided: case_decide set the day
    if on < case.decided_on:
        raise ValidationError({"published_on": _("公开日期早于决定日期。")})
    disclosure.title, disclosure.content = disclosure_text(case)
    disclosure.published_on = on
    disclosure.save()
    advance(
        case,
        writer=writer,
        actor=actor,
        action="disclose",
        event_type=CaseEvent.Type.DISCLOSED,
        on=on,
        payload={
            "due": disclosure.due_on,
            "on_time": on <= disclosure.due_on,
            "content_sha256": hashlib.sha256(disclosure.content.encode()).hexdigest(),
        },
    )
    return case


@transaction.atomic
def case_execute(
    *, actor: User, case: PenaltyCase, on: dt.date | None = None, writer: CaseWriter = DIRECT
) -> PenaltyCase:
    case = lock(case, writer)
    ensure_handler(actor, case)
    if case.public_impact and case.state == "served":
        raise ValidationError({"on": _("本案处罚决定须公开,请先公开再转入执行。")})
    require(case, "execute")
    on = check_date(case, on, field="on", label=_("开始执行"))
    case.execution_started_on = on
    advance(
        case,
        writer=writer,
        actor=actor,
        action="execute",
        event_type=CaseEvent.Type.EXECUTION_STARTED,
        on=on,
    )
    return case


@transaction.atomic
def case_record_payment(
    *,
    actor: User,
    case: PenaltyCase,
    amount: Decimal,
    paid_on: dt.date | None = None,
    receipt_number: str = "",
    writer: CaseWriter = DIRECT,
) -> Payment:
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "record_payment")
    on = check_date(case, paid_on, field="paid_on", label=_("缴款"))
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("缴款金额须大于零。")})
    ceiling = amount_due(case, on)
    if case.paid + amount > ceiling:
        raise ValidationError(
            {
                "amount": _("累计缴款%(total)s元将超过应缴金额%(due)s元(罚没款加滞纳金)。")
                % {"total": case.paid + amount, "due": ceiling}
            }
        )
    payment = Payment.objects.create(
        case=case, paid_on=on, amount=amount, receipt_number=receipt_number
    )
    case.paid += amount
    case.last_step_on = on
    refresh_step(case, writer.policy())
    writer.save(case)
    events.append(
        case,
        writer=writer,
        actor=actor,
        type=CaseEvent.Type.PAYMENT_RECEIVED,
        on=on,
        payload=jsonable(
            {
                "payment": payment.pk,
                "amount": amount,
                "receipt_number": receipt_number,
                "paid_total": case.paid,
            }
        ),
    )
    return payment


@transaction.atomic
def case_close(
    *,
    actor: User,
    case: PenaltyCase,
    closed_on: dt.date | None = None,
    note: str = "",
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """结案. Unpaid money needs the reason on record (court enforcement, instalments …)."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "close")
    on = check_date(case, closed_on, field="closed_on", label=_("结案"))
    owed = (case.fine or Decimal(0)) + (case.confiscation or Decimal(0))
    if case.paid < owed:
        note = required_text(
            note,
            "note",
            _(
                "罚没款尚未缴清(应缴%(owed)s元,已缴%(paid)s元),结案须说明理由(如已申请法院强制执行)。"
            )
            % {"owed": owed, "paid": case.paid},
        )
    case.closed_on, case.ending_reason = on, note
    advance(
        case,
        writer=writer,
        actor=actor,
        action="close",
        event_type=CaseEvent.Type.CLOSED,
        on=on,
        reason=note,
        payload={"paid": case.paid, "owed": owed},
    )
    return case
