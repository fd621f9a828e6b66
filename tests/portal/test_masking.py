"""The portal never shows what is not public (issue 13): personal data planted in every
masked field of every record the portal draws from appears in no page, download or feed."""

import datetime as dt

import pytest
from django.utils import timezone

from ecogov.core.masking import mask_id_number, mask_name, mask_phone
from ecogov.core.models import RegulatedEntity, StaffProfile
from ecogov.eia.models import EiaNotice
from ecogov.enforcement.models import CaseDisclosure, PenaltyCase
from ecogov.enforcement.models.config import PartyKind
from ecogov.enforcement.services import disclosure_text
from ecogov.inspections.models import ConflictDeclaration, InspectionRecord, Publication
from ecogov.inspections.services.publication import content_for
from ecogov.legal.models import CleanupItem, DisputeCase
from ecogov.matters.models import Matter
from ecogov.permits.models import Registration

ID = "110101199003071234"
PHONE = "13912345678"
REPRESENTATIVE = "欧阳隐私"
PARTY = "司马隐私"
INSPECTOR = "诸葛隐私"
COMPLAINANT = "上官隐私"
RECUSAL = "回避理由不公开"
PLANTED = [ID, PHONE, REPRESENTATIVE, PARTY, INSPECTOR, COMPLAINANT, RECUSAL]


def _plant():
    today = timezone.localdate()
    RegulatedEntity.objects.update(legal_representative=REPRESENTATIVE, contact_phone=PHONE)
    StaffProfile.objects.update(full_name=INSPECTOR)
    ConflictDeclaration.objects.update(reason=f"{RECUSAL}{ID}")
    Matter.objects.update(
        complainant_name=COMPLAINANT, complainant_phone=PHONE, complainant_id_number=ID
    )
    DisputeCase.objects.update(applicant_name=COMPLAINANT, applicant_phone=PHONE)
    DisputeCase.objects.update(applicant_id_number=ID)
    CleanupItem.objects.exclude(verdict="").update(reason=f"经办电话{PHONE},身份证{ID}")
    # inspection results: findings naming the representative, his ID card and phone; the
    # snapshots made again as publishing makes them (inspectors' names, findings)
    InspectionRecord.objects.update(
        findings=f"现场负责人{REPRESENTATIVE}(身份证号{ID},电话{PHONE})在场。"
    )
    for publication in Publication.objects.filter(published_on__isnull=False).select_related(
        "draw", "inspection"
    ):
        publication.content = content_for(publication)
        publication.save(update_fields=["content"])
    # penalty decisions: an individual party and an organisation's representative, published
    # yesterday through the area's own text (personal data in the facts and the decision)
    published = list(CaseDisclosure.objects.filter(published_on__isnull=False)[:4])
    assert len(published) >= 2, "the demo publishes penalty decisions"
    for n, disclosure in enumerate(published):
        individual = n % 2 == 0
        PenaltyCase.objects.filter(pk=disclosure.case_id).update(
            party_kind=PartyKind.INDIVIDUAL if individual else PartyKind.ORGANISATION,
            party_name=PARTY if individual else "示例隐私测试有限公司",
            party_id_number=ID if individual else "91110000MA0000000X",
            party_phone=PHONE,
            party_representative=REPRESENTATIVE,
            facts=(f"当事人{PARTY}" if individual else "当事人法定代表人")
            + f"{REPRESENTATIVE}(身份证号{ID},手机{PHONE})违法排污。",
            decision_text=f"责令{REPRESENTATIVE}改正,联系电话{PHONE}。",
        )
        title, content = disclosure_text(PenaltyCase.objects.get(pk=disclosure.case_id))
        CaseDisclosure.objects.filter(pk=disclosure.pk).update(
            title=title, content=content, published_on=today - dt.timedelta(days=1)
        )
    # EIA notices and registrations running today
    EiaNotice.objects.filter(pk__in=EiaNotice.objects.values("pk")[:5]).update(
        start_on=today - dt.timedelta(days=2), end_on=today + dt.timedelta(days=8)
    )
    Registration.objects.filter(pk__in=Registration.objects.values("pk")[:5]).update(
        state="filed", valid_until=today + dt.timedelta(days=365)
    )


@pytest.mark.django_db
def test_planted_personal_data_appears_in_no_page_download_or_feed(world, client, everything):
    _plant()
    seen = everything()
    lists = {url for url, _text in seen}
    for key in ("penalties", "inspections", "draws", "eia", "permits", "registrations"):
        assert any(url.startswith(f"/portal/{key}/") and url[-2].isdigit() for url in lists), key
    leaks = [(url, secret) for url, text in seen for secret in PLANTED if secret in text]
    assert leaks == [], sorted({u for u, _s in leaks})[:10]
    # …and the records carrying them were shown, masked
    everything_text = "".join(text for _url, text in seen)
    assert mask_id_number(ID) in everything_text  # an individual party's ID card number
    assert mask_name(PARTY) in everything_text
    assert mask_name(REPRESENTATIVE) in everything_text  # in the facts and the findings
    assert mask_name(INSPECTOR) in everything_text  # the inspectors, by surname
    assert mask_phone(PHONE) in everything_text  # in the facts and the cleanup reasons


@pytest.mark.django_db
def test_search_matches_only_public_text(world, client):
    _plant()
    for secret in (ID, PHONE, PARTY, REPRESENTATIVE):
        for key in ("penalties", "inspections", "draws", "permits", "eia"):
            response = client.get(f"/portal/{key}/", {"q": secret})
            assert response.context["page"].paginator.count == 0, (key, secret)
