"""The configuration rows every installation starts from (post_migrate; edited afterwards by
the legal section). Values from docs/enforcement.md §5 and §6 with their confidence tags; the
bureau must confirm each before going live.
"""

import datetime as dt
from decimal import Decimal

from ecogov.enforcement.models import EnforcementPolicy, PartyKind, PenaltyKind, PenaltyRule

# APL art. 63 and 2023 办法 art. 46: heavy penalties that carry the right to a hearing [S]/[S2].
HEARING_KINDS = [
    PenaltyKind.LICENCE_SUSPENSION,
    PenaltyKind.LICENCE_REVOCATION,
    PenaltyKind.RESTRICT_PRODUCTION,
    PenaltyKind.STOP_PRODUCTION,
    PenaltyKind.CLOSURE,
]
# docs/enforcement.md §6: an ecology bureau's typical review catalogue [U].
REVIEW_KINDS = [
    PenaltyKind.LICENCE_REVOCATION,
    PenaltyKind.STOP_PRODUCTION,
    PenaltyKind.CLOSURE,
    PenaltyKind.DAILY_PENALTY,
    PenaltyKind.DETENTION_TRANSFER,
]
COLLECTIVE_KINDS = [PenaltyKind.LICENCE_REVOCATION, PenaltyKind.CLOSURE]

DEFAULT_RULES = [
    # party kind, hearing from, review from, collective from (元)
    (PartyKind.ORGANISATION, Decimal("200000"), Decimal("100000"), Decimal("200000")),
    (PartyKind.INDIVIDUAL, Decimal("5000"), Decimal("5000"), Decimal("50000")),
]
SOURCE = (
    "默认值:单位二十万元(2023办法第八十九条,S2),个人五千元(M);法制审核、集体讨论金额为"
    "本地目录 [U],须法规科确认"
)


def ensure_defaults(**_kwargs) -> None:
    """Create the policy row and the deployment-wide thresholds if none exist (idempotent)."""
    EnforcementPolicy.objects.get_or_create(pk=1)
    for kind, hearing, review, collective in DEFAULT_RULES:
        if PenaltyRule.objects.filter(division__isnull=True, party_kind=kind).exists():
            continue
        PenaltyRule.objects.create(
            # in force for every case already in the books; a newer row supersedes it
            party_kind=kind,
            effective_from=dt.date(2000, 1, 1),
            hearing_fine_from=hearing,
            review_fine_from=review,
            collective_fine_from=collective,
            hearing_kinds=[str(k) for k in HEARING_KINDS],
            review_kinds=[str(k) for k in REVIEW_KINDS],
            collective_kinds=[str(k) for k in COLLECTIVE_KINDS],
            source=SOURCE,
        )
