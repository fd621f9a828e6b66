"""`ecogov draw verify <id>` recomputes a stored draw and catches rows changed in the database."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ecogov.core.models import RegulatedEntity
from ecogov.inspections.draw import result_document
from ecogov.inspections.models import Draw, DrawAssignment, DrawCheck
from ecogov.inspections.services import stored_result
from ecogov.inspections.testing import drawn


def _verify(draw):
    out = StringIO()
    call_command("draw", "verify", str(draw.pk), stdout=out)
    return out.getvalue()


def test_verify_passes_on_an_untouched_draw(world):
    draw = drawn(world)
    text = _verify(draw)
    assert "复核通过" in text and draw.input_hash in text and draw.seed.value in text
    assert "重点排污单位:范围内 3 家,抽取 2 家" in text


def test_verify_catches_a_swapped_entity(world):
    draw = drawn(world)
    check = DrawCheck.objects.filter(draw=draw).order_by("category", "rank").first()
    other = (
        RegulatedEntity.objects.filter(division=check.division)
        .exclude(pk__in=DrawCheck.objects.filter(draw=draw).values("entity"))
        .first()
    )
    DrawCheck.objects.filter(pk=check.pk).update(entity=other)  # behind the services' back
    with pytest.raises(CommandError) as exc:
        _verify(draw)
    assert "复核不通过" in str(exc.value) and "checks[0]" in str(exc.value)
    assert str(other.pk) in str(exc.value) and str(check.entity_id) in str(exc.value)


def test_verify_catches_a_swapped_inspector(world):
    draw = drawn(world)
    assignment = DrawAssignment.objects.filter(draw_check__draw=draw).order_by("pk").last()
    stranger = world.user("nanhu_staff")
    DrawAssignment.objects.filter(pk=assignment.pk).update(inspector=stranger)
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("draw", "verify", str(draw.pk), stdout=out)
    assert "inspector_ids" in out.getvalue() and "复核不通过" in str(exc.value)


def test_verify_catches_a_tampered_frozen_pool(world):
    draw = drawn(world)
    document = bytes(draw.input_document)
    # still a canonical document: one entity's category changed in place
    line = next(
        ln for ln in document.split(b"\n") if ln.startswith(b"entity\t") and b"\tordinary\t" in ln
    )
    tampered = document.replace(line, line.replace(b"\tordinary\t", b"\tkey\t"))
    Draw.objects.filter(pk=draw.pk).update(input_document=tampered)
    with pytest.raises(CommandError) as exc:
        _verify(draw)
    assert "输入哈希" in str(exc.value)
    # the attacker also rewrites the stored input hash: the recomputed result then differs
    Draw.objects.filter(pk=draw.pk).update(input_hash=hashlib.sha256(tampered).hexdigest())
    with pytest.raises(CommandError) as exc:
        _verify(draw)
    assert "复核不通过" in str(exc.value)
    # a document that is no longer canonical can not even be read back
    Draw.objects.filter(pk=draw.pk).update(input_document=document + b"entity\tX\tkey\t990121\n")
    with pytest.raises(CommandError) as exc:
        _verify(draw)
    assert "已被改动或损坏" in str(exc.value)


def test_verify_catches_a_changed_seed_or_tally(world):
    draw = drawn(world)
    type(draw.seed).objects.filter(pk=draw.seed_id).update(value="事后换的种子")
    with pytest.raises(CommandError):
        _verify(draw)
    type(draw.seed).objects.filter(pk=draw.seed_id).update(value=draw.seed.value)
    tallies = [dict(t, drawn=t["drawn"] + (t["category"] == "key")) for t in draw.tallies]
    Draw.objects.filter(pk=draw.pk).update(tallies=tallies)
    with pytest.raises(CommandError) as exc:
        _verify(draw)
    assert "tallies" in str(exc.value)


def test_published_files_let_anyone_recompute(world, capsysbinary):
    """The document and result written by the command hash to the stored hashes."""
    draw = drawn(world)
    call_command("draw", "document", str(draw.pk))
    document = capsysbinary.readouterr().out
    assert hashlib.sha256(document).hexdigest() == draw.input_hash
    call_command("draw", "result", str(draw.pk))
    result = capsysbinary.readouterr().out
    assert hashlib.sha256(result).hexdigest() == draw.result_hash
    assert result == result_document(stored_result(draw))


def test_every_demo_draw_verifies(world):
    draws = Draw.objects.filter(drawn_at__year=2020)
    assert draws.count() == 5  # four quarters and one redraw
    for draw in draws:
        assert "复核通过" in _verify(draw)


def test_unknown_draw(world):
    with pytest.raises(CommandError) as exc:
        call_command("draw", "verify", "999999")
    assert "不存在" in str(exc.value)


class _Terminal(StringIO):
    def isatty(self):
        return True


def test_verify_draws_a_progress_bar_only_on_a_terminal(world, monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    draw = drawn(world)
    err = _Terminal()
    call_command("draw", "verify", str(draw.pk), stdout=StringIO(), stderr=err)
    assert "━" in err.getvalue() and "复核" in err.getvalue() and "2/2" in err.getvalue()
    err = StringIO()
    call_command("draw", "verify", str(draw.pk), stdout=StringIO(), stderr=err)
    assert err.getvalue() == ""
