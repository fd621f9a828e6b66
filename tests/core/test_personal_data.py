"""Personal data encrypted at rest (issue 15): the petitioners of matters, the parties of penalty
cases and the applicants of dispute cases are AES-GCM tokens in the database and in the history
tables, read back by the application, found through their blind indexes by who handles them,
masked for the others, never in the event tables or the security log, re-encrypted on key
rotation, and the hash chains still verify. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from ecogov.core import crypto, personal_data
from ecogov.core.models import AuditLogEntry
from ecogov.core.scoping import can_edit
from ecogov.enforcement import services as enforcement
from ecogov.enforcement.chain import cases_check, verify_case
from ecogov.enforcement.models import CaseEvent, PartyKind, PenaltyCase
from ecogov.enforcement.queries import cases_for
from ecogov.legal.models import DisputeCase
from ecogov.matters.models import Matter
from ecogov.matters.queries import matters_for

OTHER_KEY = "another-field-key-for-the-rotation-0123456789"


def _raw(model, pk, column, *, history=False) -> list[str]:
    """The column as the database holds it (no field conversion)."""
    table = (model.history.model if history else model)._meta.db_table
    key = "id"
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {q(column)} FROM {q(table)} WHERE {q(key)} = %s", [pk])
        return [row[0] for row in cursor.fetchall()]


def _petition() -> Matter:
    return Matter.objects.exclude(complainant_id_number="").order_by("pk").first()


def _individual_case() -> PenaltyCase:
    return PenaltyCase.objects.filter(party_kind=PartyKind.INDIVIDUAL).order_by("pk").first()


def _running_case(world) -> PenaltyCase:
    from ecogov.enforcement.workflow import TERMINAL

    return PenaltyCase.objects.exclude(state__in=TERMINAL).order_by("pk").first()


# --- at rest ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "model, pick, columns",
    [
        (Matter, _petition, ["complainant_name", "complainant_phone", "complainant_id_number"]),
        (
            PenaltyCase,
            _individual_case,
            ["party_name", "party_id_number", "party_phone", "party_address"],
        ),
        (
            DisputeCase,
            lambda: DisputeCase.objects.exclude(applicant_id_number="").order_by("pk").first(),
            ["applicant_name", "applicant_id_number", "applicant_phone"],
        ),
    ],
)
def test_the_column_holds_a_token_and_the_application_reads_the_value(world, model, pick, columns):
    record = pick()
    assert record is not None, "the demo has such a record"
    for column in columns:
        value = getattr(record, column)
        assert value and not crypto.is_token(value)  # read back as the plaintext
        (stored,) = _raw(model, record.pk, column)
        assert crypto.is_token(stored) and value not in stored
        assert crypto.token_key_id(stored) == crypto.key_ids()[0]
        # the history rows too (simple-history copies the field)
        history = _raw(model, record.pk, column, history=True)
        assert history and all(crypto.is_token(v) for v in history if v)
        assert {h for h in record.history.values_list(column, flat=True)} >= {value}


def test_a_token_copied_into_another_column_or_altered_does_not_decrypt(world):
    matter = _petition()
    (phone,) = _raw(Matter, matter.pk, "complainant_phone")
    with pytest.raises(crypto.DecryptionError, match="值被改动,或被复制自别处"):
        crypto.decrypt(phone, context="complainant_name")
    altered = phone[:-3] + ("AAA" if not phone.endswith("AAA") else "BBB")
    with pytest.raises(crypto.DecryptionError, match="值被改动"):
        crypto.decrypt(altered, context="complainant_phone")
    with pytest.raises(crypto.DecryptionError, match="不是加密值"):
        crypto.decrypt("13900000001", context="complainant_phone")


def test_two_saves_of_one_value_give_two_tokens_but_one_blind_index(world):
    a, b = (crypto.encrypt("13912345678", context="x") for _ in range(2))
    assert a != b
    assert crypto.blind_index("139 1234 5678", "phone") == crypto.blind_index(
        "13912345678", "phone"
    )
    assert crypto.blind_index("99012119800101123x", "id_number") == crypto.blind_index(
        "99012119800101123X", "id_number"
    )


def test_a_lookup_by_value_is_refused_instead_of_matching_nothing(world):
    with pytest.raises(FieldError, match="盲索引"):
        list(Matter.objects.filter(complainant_name="某甲某"))
    with pytest.raises(FieldError):
        list(PenaltyCase.objects.filter(party_name__icontains="王"))
    assert Matter.objects.filter(complainant_name="").exists()  # "no petitioner" still works


# --- keys -------------------------------------------------------------------------------------
def test_another_key_cannot_read_and_says_which_key_is_missing(world, settings):
    pk = _petition().pk
    used = crypto.key_ids()[0]
    settings.ECOGOV_FIELD_KEY = OTHER_KEY
    with pytest.raises(crypto.DecryptionError) as info:
        Matter.objects.get(pk=pk)
    assert used in str(info.value) and "ECOGOV_FIELD_KEY" in str(info.value)


def test_a_missing_short_or_open_key_fails_clearly(world, settings, tmp_path):
    settings.ECOGOV_FIELD_KEY = ""
    settings.ECOGOV_FIELD_KEY_FILE = tmp_path / "field.key"
    settings.ECOGOV_FIELD_KEY_CREATE = False
    with pytest.raises(ImproperlyConfigured, match="没有个人信息加密密钥"):
        crypto.keys()
    settings.ECOGOV_FIELD_KEY_CREATE = True  # outside production: made on first use, mode 0600
    assert len(crypto.keys()) == 1
    assert settings.ECOGOV_FIELD_KEY_FILE.stat().st_mode & 0o777 == 0o600
    settings.ECOGOV_FIELD_KEY_FILE.chmod(0o644)
    settings.ECOGOV_FIELD_KEY_FILE = settings.ECOGOV_FIELD_KEY_FILE  # forget the cached keys
    crypto.keys.cache_clear()
    with pytest.raises(ImproperlyConfigured, match="chmod 600"):
        crypto.keys()
    settings.ECOGOV_FIELD_KEY = "short"
    with pytest.raises(ImproperlyConfigured, match="太短"):
        crypto.keys()


def test_production_refuses_to_start_without_a_field_key(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecogov.settings.production",
        "SECRET_KEY": "k" * 20 + "Zx9!q@w#e$r%t^y&u*i(o)p_a+s-d=f" + "0123456789",
        "ALLOWED_HOSTS": "ecogov.example.gov.cn",
        "ECOGOV_VAR_DIR": str(tmp_path),
    }
    env.pop("ECOGOV_FIELD_KEY", None)
    env.pop("ECOGOV_FIELD_KEY_FILE", None)
    result = subprocess.run(
        [sys.executable, "-m", "ecogov", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "个人信息加密密钥未设置" in result.stderr
    assert not (tmp_path / "field.key").exists()  # production never makes its own


def test_rotation_reencrypts_every_value_and_index_with_the_newest_key(world, settings):
    matter, case = _petition(), _individual_case()
    name, phone, party = matter.complainant_name, matter.complainant_phone, case.party_id_number
    old = crypto.key_ids()[0]
    settings.ECOGOV_FIELD_KEY = f"{OTHER_KEY},{settings.ECOGOV_FIELD_KEY}"  # new key first
    new = crypto.key_ids()[0]
    assert new != old
    # before the rotation: old tokens still read, and found through the old indexes
    assert Matter.objects.get(pk=matter.pk).complainant_phone == phone
    leader = world.user("leader")
    out = io.StringIO()
    call_command("fieldkey", "rotate", stdout=out)
    assert "已改用最新密钥" in out.getvalue()
    for column in ["complainant_name", "complainant_phone", "complainant_id_number"]:
        (stored,) = _raw(Matter, matter.pk, column)
        assert crypto.token_key_id(stored) == new
    assert all(
        crypto.token_key_id(v) == new
        for v in _raw(Matter, matter.pk, "complainant_phone", history=True)
        if v
    )
    in_use = personal_data.keys_in_use()
    assert all(set(counts) <= {new} for counts in in_use.values()), in_use
    settings.ECOGOV_FIELD_KEY = OTHER_KEY  # the old key dropped: everything still reads
    matter = Matter.objects.get(pk=matter.pk)
    assert (matter.complainant_name, matter.complainant_phone) == (name, phone)
    assert PenaltyCase.objects.get(pk=case.pk).party_id_number == party
    assert matters_for(leader, search=phone).filter(pk=matter.pk).exists() or not can_edit(
        leader, matter
    )
    assert cases_check().ok  # the chains digest plaintext: rotation leaves them intact


def test_the_encrypting_migration_runs_both_ways_and_the_case_records_still_verify(world):
    """The migrations' step (personal_data.migration) on the demo's rows: decrypted back to
    plaintext (the reverse), encrypted again (forward); every case record verifies after."""
    encrypt, decrypt = personal_data.migration(
        [t for t in personal_data.tables() if t.name.startswith("enforcement_")]
    )
    case = _individual_case()
    party = case.party_id_number

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    decrypt(None, editor)
    (stored,) = _raw(PenaltyCase, case.pk, "party_id_number")
    assert stored == party  # plaintext again
    (bidx,) = _raw(PenaltyCase, case.pk, "party_id_number_bidx")
    assert bidx == ""
    encrypt(None, editor)
    encrypt(None, editor)  # twice: tokens are left as they are
    (stored,) = _raw(PenaltyCase, case.pk, "party_id_number")
    assert crypto.is_token(stored)
    assert PenaltyCase.objects.get(pk=case.pk).party_id_number == party
    assert PenaltyCase.objects.filter(party_id_number_bidx=crypto.blind_index(party, "id_number"))
    assert verify_case(case).ok


def test_the_restore_check_names_a_value_that_does_not_decrypt(world):
    matter = _petition()
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q('matters_matter')} SET {q('complainant_phone')} = %s WHERE id = %s",
            [crypto.encrypt("13900000000", context="complainant_name"), matter.pk],
        )
    result = personal_data.check()
    assert not result.ok and "1 个无法解密" in result.summary
    assert any(f"matters_matter #{matter.pk} complainant_phone" in p for p in result.problems)


# --- search and masking -----------------------------------------------------------------------
def test_a_handler_finds_a_petitioner_by_phone_id_or_name_and_others_do_not(world, login):
    matter = _petition()
    handler = next(
        u
        for u in ("leader", "beishan_staff", "nanhu_staff", "zone_staff")
        if can_edit(world.user(u), matter)
    )
    for term in (
        matter.complainant_phone,
        matter.complainant_id_number.lower(),
        f" {matter.complainant_name} ",
    ):
        assert matters_for(world.user(handler), search=term).filter(pk=matter.pk).exists()
    viewer = world.user("viewer")
    assert Matter.objects.visible_to(viewer).filter(pk=matter.pk).exists()
    assert not matters_for(viewer, search=matter.complainant_phone).filter(pk=matter.pk).exists()
    # the back office's search box
    client = login(handler)
    page = client.get("/admin/matters/petition/", {"q": matter.complainant_id_number})
    assert page.status_code == 200 and f"/{matter.pk}/change/" in page.content.decode()
    other = Matter.objects.filter(kind=matter.kind).exclude(pk=matter.pk).first()
    assert f"/{other.pk}/change/" not in page.content.decode()


def test_a_changed_phone_moves_the_blind_index_with_it(world):
    from ecogov.matters import services as matters

    matter = _petition()
    handler = next(
        world.user(u)
        for u in ("leader", "beishan_staff", "nanhu_staff", "zone_staff")
        if can_edit(world.user(u), matter)
    )
    old = matter.complainant_phone
    matters.matter_update(actor=handler, matter=matter, data={"complainant_phone": "13700001111"})
    assert matters_for(handler, search="137 0000 1111").filter(pk=matter.pk).exists()
    assert not matters_for(handler, search=old).filter(pk=matter.pk).exists()
    (stored,) = _raw(Matter, matter.pk, "complainant_phone_bidx")
    assert stored == crypto.blind_index("13700001111", "phone")


def test_a_case_party_is_found_by_name_id_or_phone_and_masked_for_the_others(world, login):
    case = _individual_case()
    handler = next(
        u
        for u in ("leader", "legal", "inspector", "beishan_staff")
        if can_edit(world.user(u), case)
    )
    for term in (case.party_name, case.party_id_number, case.party_phone):
        assert cases_for(world.user(handler), search=term).filter(pk=case.pk).exists()
    assert not cases_for(world.user("viewer"), search=case.party_id_number).exists()
    page = login(handler).get("/admin/enforcement/penaltycase/", {"q": case.party_phone})
    assert page.status_code == 200 and f"/{case.pk}/" in page.content.decode()
    data = login("viewer").get(f"/api/enforcement/cases/{case.pk}/").json()
    assert case.party_id_number not in json.dumps(data, ensure_ascii=False)
    assert data["party_address"] != case.party_address and data["party_address"].endswith("*")
    assert "party_id_number_bidx" not in data


def test_the_change_history_with_personal_data_is_for_handlers_only(world, login):
    case = _individual_case()
    dispute = DisputeCase.objects.exclude(applicant_id_number="").order_by("pk").first()
    for url, record in (
        (f"/admin/enforcement/penaltycase/{case.pk}/history/", case),
        (f"/admin/legal/disputecase/{dispute.pk}/history/", dispute),
    ):
        handler = next(
            u
            for u in ("leader", "legal", "inspector", "beishan_staff")
            if can_edit(world.user(u), record)
        )
        assert login(handler).get(url).status_code == 200
        assert type(record).objects.visible_to(world.user("viewer")).filter(pk=record.pk).exists()
        assert login("viewer").get(url).status_code == 403


# --- never in logs ----------------------------------------------------------------------------
def test_a_party_change_is_recorded_masked_and_no_personal_data_is_in_the_logs(world):
    case = _running_case(world)
    handler = next(
        world.user(u)
        for u in ("leader", "legal", "inspector", "beishan_staff")
        if can_edit(world.user(u), case)
    )
    enforcement.case_update(
        actor=handler,
        case=case,
        data={"party_phone": "13812345678", "party_address": "北山县新村路8号"},
        reason="当事人更换联系方式",
    )
    event = case.events.order_by("-seq").first()
    assert event.type == CaseEvent.Type.UPDATED
    text = json.dumps(event.payload, ensure_ascii=False)
    assert "13812345678" not in text and "新村路8号" not in text
    assert event.payload["party_phone"] == {
        "before": event.payload["party_phone"]["before"],
        "after": "138****5678",
        "masked": True,
    }
    assert verify_case(case).ok
    # every individual party's and petitioner's ID and phone: in no event and no log entry
    secrets = set()
    for c in PenaltyCase.objects.filter(party_kind=PartyKind.INDIVIDUAL):
        secrets |= {c.party_id_number, c.party_phone} - {""}
    for m in Matter.objects.exclude(complainant_id_number="")[:200]:
        secrets |= {m.complainant_id_number, m.complainant_phone} - {""}
    q = connection.ops.quote_name
    tables = [CaseEvent._meta.db_table, AuditLogEntry._meta.db_table, "matters_matterevent"]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {q(table)}")
            dump = repr(cursor.fetchall())
            leaked = [s for s in secrets if s in dump]
            assert not leaked, (table, leaked[:3])
