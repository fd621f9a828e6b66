"""Keyed hash chains and signed anchors (issue 15, item 3): a penalty case's full-process record.

The same forger as the security log's (tests/core/chain_forgery.py): he rewrites an event of a
case and recomputes the case's chain without the key, with a wrong one, or with the key.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ecogov.core import append_only, audit, services
from ecogov.core.models import ChainAnchor, ChainAnchorHead
from ecogov.enforcement import services as s
from ecogov.enforcement.chain import verify_case
from ecogov.enforcement.models import PenaltyCase
from tests.core.chain_forgery import plain_sha256, rewrite_case, with_the_key, wrong_key


@pytest.fixture
def case(flow):
    return PenaltyCase.objects.get(pk=flow.simple().pk)


def test_the_case_chain_is_keyed(case):
    rewrite_case(case, 2, with_the_key, reason=case.events.get(seq=2).reason)
    assert verify_case(case).ok  # recomputing with the key gives the stored hashes back


def test_an_event_rewritten_and_rehashed_with_plain_sha256_is_caught(case):
    rewrite_case(case, 2, plain_sha256)
    report = verify_case(case)
    assert not report.ok and report.broken_seq == 2 and "不带密钥的 sha256" in report.reason
    with pytest.raises(CommandError, match="第 2 条记录"):
        call_command("case", "verify", case.number)


def test_an_event_rehashed_with_a_wrong_key_is_caught(case):
    rewrite_case(case, 2, wrong_key)
    report = verify_case(case)
    assert not report.ok and report.broken_seq == 2 and "内容与哈希不符" in report.reason


def test_a_rewrite_with_the_key_before_an_anchor_is_caught_by_the_anchor(case, flow):
    length = case.chain_length
    anchor = services.anchor_make(actor=None)
    head = anchor.heads.get(chain="enforcement.cases", link=str(case.pk))
    assert (head.position, head.hash) == (length, case.chain_hash)
    # the case goes on after the anchor: its later steps leave the anchor intact
    case = s.case_decide(
        actor=flow.p.leader,
        case=case,
        penalty_kinds=["fine"],
        fine=Decimal("50000"),
        decided_on=dt.date(2025, 4, 15),
    )
    assert verify_case(case).ok and audit.verify().ok
    rewrite_case(case, 2, with_the_key)
    report = verify_case(case)
    assert not report.ok and report.broken_seq == length
    assert f"第 {anchor.seq} 号锚点" in report.reason and "锚定后被改写" in report.reason
    whole = audit.verify()
    assert not whole.ok and f"案件 {case.number}的全过程记录第 {length} 条的哈希" in whole.reason


def test_without_an_anchor_a_rewrite_with_the_key_is_not_caught(case):
    """What the anchors are for: the chain alone cannot catch someone who holds the key."""
    rewrite_case(case, 2, with_the_key)
    assert verify_case(case).ok


def test_a_case_whose_events_after_the_anchor_were_cut_off_is_caught(case):
    services.anchor_make(actor=None)
    with append_only.suspended(), connection.cursor() as cursor:  # the owner lifts the guard
        cursor.execute(
            "DELETE FROM enforcement_caseevent WHERE record_id = %s AND seq = %s",
            [case.pk, case.chain_length],
        )
    before = case.events.order_by("-seq").first()
    PenaltyCase.objects.filter(pk=case.pk).update(chain_length=before.seq, chain_hash=before.hash)
    report = verify_case(case)
    assert not report.ok and "锚定时有" in report.reason and "末尾记录被删除" in report.reason


def test_the_exported_anchor_catches_a_case_rewritten_and_anchors_rebuilt(case, tmp_path):
    path = tmp_path / "anchor.json"
    call_command("audit", "anchor", "--output", str(path))
    call_command("audit", "verify", "--anchor", str(path))
    rewrite_case(case, 1, with_the_key)
    with connection.cursor() as cursor:  # the key holder rebuilds the anchors too
        cursor.execute(f"DELETE FROM {ChainAnchorHead._meta.db_table}")
        cursor.execute(f"DELETE FROM {ChainAnchor._meta.db_table}")
    services.anchor_make(actor=None)
    assert verify_case(case).ok and audit.verify().ok
    with pytest.raises(CommandError, match="锚点记录被改写"):
        call_command("audit", "verify", "--anchor", str(path))


def test_no_anchor_is_made_while_a_moved_case_chain_is_broken(case):
    rewrite_case(case, 2, plain_sha256)
    with pytest.raises(CommandError, match=f"未生成锚点:案件 {case.number} 的全过程记录"):
        call_command("audit", "anchor")
