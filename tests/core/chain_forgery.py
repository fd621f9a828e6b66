"""What someone who can write to the database does to a hash chain: rewrite rows with plain
UPDATEs and recompute every hash after them, as the issue's attacker did (11 login rows).

He holds the table owner's rights, so the append-only triggers do not stop him: he lifts them
(`append_only.suspended`, tests/core/test_append_only.py shows they stop everyone else).

`recompute(prev_hash, body) -> hash` is the forger's guess at the link hash: plain sha256 (the
chains before they were keyed), HMAC with a wrong key, or the real `link_hash` (he holds the key).
"""

import hashlib
import hmac

from django.db import connection

from ecogov.core import append_only
from ecogov.core.chains import GENESIS_HASH, canonical_json, link_hash
from ecogov.core.models import AuditChainHead, AuditLogEntry


def plain_sha256(prev_hash: str, body: bytes) -> str:
    return hashlib.sha256(prev_hash.encode() + body).hexdigest()


def wrong_key(prev_hash: str, body: bytes) -> str:
    return hmac.new(b"a-guessed-key-" * 4, prev_hash.encode() + body, hashlib.sha256).hexdigest()


with_the_key = link_hash


def rewrite_log(from_seq: int, recompute, username: str = "intruder") -> None:
    """Every entry from `from_seq` on names `username`; the chain and its head recomputed."""
    with append_only.suspended():
        _rewrite_log(from_seq, recompute, username)


def _rewrite_log(from_seq: int, recompute, username: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditLogEntry._meta.db_table} SET username = %s WHERE seq >= %s",
            [username, from_seq],
        )
    before = AuditLogEntry.objects.filter(seq=from_seq - 1).first()
    prev = before.hash if before else GENESIS_HASH
    for entry in AuditLogEntry.objects.filter(seq__gte=from_seq).order_by("seq"):
        entry.prev_hash = prev
        prev = recompute(prev, entry.canonical())
        AuditLogEntry.objects.filter(pk=entry.pk).update(prev_hash=entry.prev_hash, hash=prev)
    AuditChainHead.objects.filter(pk=1).update(hash=prev)


def rewrite_case(case, seq: int, recompute, reason: str = "改写的理由") -> None:
    """The case's event `seq` gets another reason; its chain and the case's head recomputed."""
    with append_only.suspended():
        _rewrite_case(case, seq, recompute, reason)


def _rewrite_case(case, seq: int, recompute, reason: str) -> None:
    from ecogov.enforcement.chain import event_body
    from ecogov.enforcement.models import CaseEvent, PenaltyCase

    CaseEvent.objects.filter(record=case, seq=seq).update(reason=reason)
    before = CaseEvent.objects.filter(record=case, seq=seq - 1).first()
    prev = before.hash if before else GENESIS_HASH
    for event in CaseEvent.objects.filter(record=case, seq__gte=seq).order_by("seq"):
        event.prev_hash = prev
        prev = recompute(prev, canonical_json(event_body(event)))
        CaseEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=prev)
    PenaltyCase.objects.filter(pk=case.pk).update(chain_hash=prev)
