"""Which procedure a penalty needs: hearing right, legal review, collective discussion,
and whether a fine lies in the statutory range. All thresholds come from the tables in
models/config.py (the bureau's configuration), none from code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from ecogov.enforcement.models import LegalBasis, PenaltyKind, PenaltyRule


def rule_for(*, division, party_kind: str, on: dt.date, memo: dict | None = None) -> PenaltyRule:
    """The thresholds in force on `on`: the most local jurisdiction's row, then the newest.
    `memo` (a bulk job's, ecogov.enforcement.bulk) keeps the rows read for the next steps."""
    key = ("rules", division.pk, party_kind)
    if memo is None:
        candidates = _candidates(division, party_kind)
    else:
        if key not in memo:
            memo[key] = _candidates(division, party_kind)
        candidates = memo[key]
    in_force = [r for r in candidates if r.effective_from <= on]
    if not in_force:
        raise ValidationError(
            _(
                "未配置%(date)s适用于“%(division)s”的听证与法制审核标准,请法规科在“听证与审核标准”中维护。"
            )
            % {"date": on.isoformat(), "division": division.name}
        )
    return max(
        in_force, key=lambda r: (len(r.division.path) if r.division_id else 0, r.effective_from)
    )


def _candidates(division, party_kind) -> list[PenaltyRule]:
    ancestors = [code for code in division.path.split("/") if code]
    return list(
        PenaltyRule.objects.filter(
            Q(division__isnull=True) | Q(division__code__in=ancestors),
            party_kind=party_kind,
        ).select_related("division")
    )


@dataclass(frozen=True)
class Requirements:
    hearing: bool
    review: bool
    collective: bool
    reasons: tuple[str, ...]


def requirements(
    *,
    rule: PenaltyRule,
    kinds: list[str],
    fine: Decimal | None,
    confiscation: Decimal | None,
    is_complex: bool,
    major_public_interest: bool,
    hearing_held: bool = False,
) -> Requirements:
    """What the intended (or decided) penalty requires, with the reasons in Chinese.

    APL art. 63 (hearing), art. 58 and 118号 (legal review of major decisions), art. 57
    (collective discussion of complex or grave cases).
    """
    amount = max(fine or Decimal(0), confiscation or Decimal(0))
    kinds = set(kinds)
    reasons: list[str] = []

    def by_kind(configured) -> list[str]:
        return [str(PenaltyKind(k).label) for k in kinds & set(configured)]

    hearing_kinds = by_kind(rule.hearing_kinds)
    hearing = amount >= rule.hearing_fine_from or bool(hearing_kinds)
    if hearing:
        reasons.append(
            _("应告知听证权利:罚没金额%(amount)s元达到%(limit)s元,或处罚种类为%(kinds)s")
            % {
                "amount": _yuan(amount),
                "limit": _yuan(rule.hearing_fine_from),
                "kinds": "、".join(hearing_kinds) or "—",
            }
        )
    review_kinds = by_kind(rule.review_kinds)
    review_why = []
    if amount >= rule.review_fine_from:
        review_why.append(
            _("罚没金额%(amount)s元达到%(limit)s元")
            % {"amount": _yuan(amount), "limit": _yuan(rule.review_fine_from)}
        )
    if review_kinds:
        review_why.append(_("处罚种类为%s") % "、".join(review_kinds))
    if hearing_held:
        review_why.append(_("经过听证"))
    if is_complex:
        review_why.append(_("案情复杂"))
    if major_public_interest:
        review_why.append(_("涉及重大公共利益"))
    if review_why:
        reasons.append(_("属重大执法决定,须法制审核:%s") % ";".join(review_why))
    collective_kinds = by_kind(rule.collective_kinds)
    collective = amount >= rule.collective_fine_from or bool(collective_kinds) or is_complex
    if collective:
        reasons.append(_("须负责人集体讨论"))
    return Requirements(hearing, bool(review_why), collective, tuple(reasons))


def check_fine(
    *, basis: LegalBasis | None, kinds: list[str], fine: Decimal | None, field: str = "fine"
) -> None:
    """A fine is given only with the kind 罚款, and lies inside the provision's range."""
    if basis is None:
        raise ValidationError({"legal_basis": _("请选择处罚依据。")})
    basis = LegalBasis.objects.get(pk=basis.pk)  # the range as the legal section keeps it now
    if not basis.is_active:
        raise ValidationError({"legal_basis": _("处罚依据“%s”已停用。") % basis.title})
    if not kinds:
        raise ValidationError({"penalty_kinds": _("请选择处罚种类。")})
    unknown = set(kinds) - set(PenaltyKind.values)
    if unknown:
        raise ValidationError(
            {"penalty_kinds": _("未知的处罚种类:%s") % "、".join(sorted(unknown))}
        )
    if PenaltyKind.FINE not in kinds:
        if fine:
            raise ValidationError({field: _("处罚种类不含罚款,罚款金额应为空。")})
        return
    if fine is None or fine <= 0:
        raise ValidationError({field: _("处罚种类含罚款,请填写罚款金额。")})
    if fine < basis.fine_min or (basis.fine_max is not None and fine > basis.fine_max):
        raise ValidationError(
            {
                field: _("罚款%(fine)s元超出法定幅度:%(title)s规定%(range)s的罚款。")
                % {"fine": _yuan(fine), "title": basis.title, "range": basis.range_label()}
            }
        )


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}".rstrip("0").rstrip(".")
