"""References resolve only within the user's scope (issue 15, failure 6).

A county user who names another county's entity — by credit code in the API or a ledger, by id
in the API or a back-office form — gets the very answer an unknown code gets: one message,
“不存在或不在您的权限范围内”, so no door tells whether a code exists elsewhere. A city-wide
user resolves every record. docs/security.md, “引用的范围”.
"""

import datetime as dt
import io

import openpyxl
import pytest

from ecogov.core import creditcode
from ecogov.core.models import RegulatedEntity
from ecogov.eia.demo import site_for
from ecogov.eia.models import EiaProject
from ecogov.matters import services as matter_services
from ecogov.matters.models import Matter
from ecogov.matters.workflow import Kind
from ecogov.permits.models import Registration

NOT_YOURS = "不存在或不在您的权限范围内"


def _unknown_code() -> str:
    for n in range(10_000):
        code = creditcode.make(f"91990000MA{n:07d}")
        if not RegulatedEntity.objects.filter(credit_code=code).exists():
            return code
    raise AssertionError("no free credit code")


def _same_answer(foreign, unknown, foreign_code, unknown_code):
    """The two refusals are one: same status, same body once the code named is blanked."""
    assert foreign.status_code == unknown.status_code == 400, (foreign.content, unknown.content)
    assert NOT_YOURS in foreign.content.decode()
    assert foreign.content.decode().replace(foreign_code, "?") == unknown.content.decode().replace(
        unknown_code, "?"
    )


@pytest.fixture
def codes(world):
    """(own county's entity, another county's entity, a valid code no entity carries)."""
    return world.entity_in("北山县"), world.entity_in("南湖县"), _unknown_code()


def _eia(world, builder):
    return {
        "name": "引用范围测试项目",
        "builder": builder,
        "division": "990121",
        "industry_code": "C1351",
        "document_type": "form",
        "procedure": "commitment",
        "location": site_for("北山县"),
        "total_investment": "600.00",
        "env_investment": "30.00",
        "submitted_on": "2026-03-02",
        "facts": {
            "total_emission_ok": True,
            "industry_policy_ok": True,
            "planning_eia_ok": True,
            "offset_secured": True,
        },
    }


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_eia_project_builder_resolves_in_scope_only(login, world, codes):
    own, foreign, unknown = codes
    client = login("beishan_staff")
    before = EiaProject.objects.count()
    refused = _post(client, "/api/eia/projects/", _eia(world, foreign.credit_code))
    missing = _post(client, "/api/eia/projects/", _eia(world, unknown))
    _same_answer(refused, missing, foreign.credit_code, unknown)
    assert foreign.name not in refused.content.decode()
    assert EiaProject.objects.count() == before
    created = _post(client, "/api/eia/projects/", _eia(world, own.credit_code))
    assert created.status_code == 201, created.content
    assert created.json()["builder_name"] == own.name


def test_registration_entity_resolves_in_scope_only(login, codes):
    own, foreign, unknown = codes
    client = login("beishan_staff")

    def body(code):
        return {"entity": code, "address": "北山县引用路1号", "filed_on": "2025-05-06"}

    before = Registration.objects.count()
    refused = _post(client, "/api/permits/registrations/", body(foreign.credit_code))
    missing = _post(client, "/api/permits/registrations/", body(unknown))
    _same_answer(refused, missing, foreign.credit_code, unknown)
    assert Registration.objects.count() == before
    assert _post(client, "/api/permits/registrations/", body(own.credit_code)).status_code == 201


def test_matter_subject_entity_resolves_in_scope_only(login, world, codes):
    own, foreign, unknown = codes
    matter_services.source_create(
        actor=world.user("leader"),
        data={
            "code": "ref2026",
            "name": "引用范围测试批次",
            "kind": Kind.RECTIFICATION,
            "year": 2026,
            "started_on": dt.date(2026, 3, 2),
            "level": "provincial",
        },
    )
    client = login("beishan_staff")

    def body(code, reference):
        return {
            "source": "ref2026",
            "category": "feedback",
            "reference": reference,
            "title": "企业异味",
            "division": "990121",
            "received_on": "2026-03-02",
            "lead": "北山县人民政府",
            "subject_entity": code,
        }

    refused = _post(client, "/api/matters/matters/", body(foreign.credit_code, "REF-01"))
    missing = _post(client, "/api/matters/matters/", body(unknown, "REF-01"))
    _same_answer(refused, missing, foreign.credit_code, unknown)
    assert not Matter.objects.filter(reference="REF-01").exists()
    ok = _post(client, "/api/matters/matters/", body(own.credit_code, "REF-02"))
    assert ok.status_code == 201, ok.content


def test_incident_entity_resolves_in_scope_only(login, codes):
    own, foreign, unknown = codes
    client = login("beishan_staff")

    def body(code):
        return {
            "division": "990121",
            "title": "引用测试事件",
            "place": "北山县",
            "entity": code,
            "occurred_at": "2026-03-02T08:00:00+08:00",
            "learned_at": "2026-03-02T09:00:00+08:00",
            "grade": "general",
        }

    refused = _post(client, "/api/emergency/incidents/", body(foreign.credit_code))
    missing = _post(client, "/api/emergency/incidents/", body(unknown))
    _same_answer(refused, missing, foreign.credit_code, unknown)


def test_inspection_entity_by_id_resolves_in_scope_only(login, world, codes):
    own, foreign, _unknown = codes
    client = login("beishan_staff")
    unknown_id = RegulatedEntity.objects.order_by("-pk").first().pk + 1000

    def body(pk):
        return {
            "date": "2026-03-02",
            "entity": pk,
            "type": "hazard_survey",
            "inspectors": [world.user("beishan_staff").pk],
            "findings": "无",
            "outcome": "no_problem",
        }

    refused = _post(client, "/api/inspections/records/", body(foreign.pk))
    missing = _post(client, "/api/inspections/records/", body(unknown_id))
    _same_answer(refused, missing, str(foreign.pk), str(unknown_id))


def test_a_city_wide_user_resolves_any_county(login, world, codes):
    _own, foreign, _unknown = codes
    body = _eia(world, foreign.credit_code) | {"division": foreign.division.code}
    body["location"] = site_for(foreign.division.name)
    created = _post(login("eia_staff"), "/api/eia/projects/", body)
    assert created.status_code == 201, created.content
    assert created.json()["builder_name"] == foreign.name


def _import(client, url, header, row):
    book = openpyxl.Workbook()
    book.active.append(header)
    book.active.append(row)
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "ledger.xlsx"
    return client.post(url, {"file": upload})


def test_ledger_import_resolves_codes_in_scope_only(login, codes):
    """The emergency plans ledger: another county's code reads as an unknown one."""
    from ecogov.emergency.ledger import COLUMNS

    own, foreign, unknown = codes
    client = login("beishan_staff")
    header = [c.header for c in COLUMNS]

    def row(code):
        values = {
            "credit_code": code,
            "title": "突发环境事件应急预案",
            "filing_number": "990121-2026-001-L",
            "risk_level": "一般环境风险",
            "issued_on": "2026-01-05",
            "filed_on": "2026-01-10",
        }
        return [values.get(c.field, "") for c in COLUMNS]

    refused = _import(client, "/api/emergency/plans/import/", header, row(foreign.credit_code))
    missing = _import(client, "/api/emergency/plans/import/", header, row(unknown))
    _same_answer(refused, missing, foreign.credit_code, unknown)


def test_admin_entity_choices_offer_in_scope_records_only(login, world, codes):
    own, foreign, _unknown = codes
    client = login("beishan_staff")
    page = client.get("/admin/permits/registration/add/")
    assert page.status_code == 200
    field = page.context["adminform"].form.fields["entity"]
    offered = set(field.queryset.values_list("division__name", flat=True))
    assert offered == {"北山县"}
    assert field.queryset.filter(pk=own.pk).exists()
    assert not field.queryset.filter(pk=foreign.pk).exists()
    city = login("leader").get("/admin/permits/registration/add/")
    assert city.context["adminform"].form.fields["entity"].queryset.filter(pk=foreign.pk).exists()


def _serializers():
    """Every serializer class of the project's API (the API router imports them all)."""
    from rest_framework import serializers

    import ecogov.urls  # noqa: F401  (imports every area's api module)

    found, todo = set(), [serializers.BaseSerializer]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("ecogov."):
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _relations(serializer_class):
    from rest_framework import serializers

    try:
        fields = serializer_class().fields
    except Exception:  # a serializer that needs arguments, or a list serializer
        return
    for name, field in fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ManyRelatedField):
            field = field.child_relation
        if isinstance(field, serializers.RelatedField):
            yield name, field


def test_every_api_reference_to_a_scoped_model_resolves_in_scope():
    """A new serializer that names a scoped record with DRF's plain fields fails here."""
    from ecogov.core.references import is_scoped

    classes = _serializers()
    assert len(classes) > 40  # the walk reached every area
    plain = [
        f"{c.__module__}.{c.__qualname__}.{name} → {field.queryset.model.__name__}"
        for c in classes
        for name, field in _relations(c)
        if field.queryset is not None
        and is_scoped(field.queryset.model)
        and not getattr(field, "scoped_reference", False)
    ]
    assert plain == []
