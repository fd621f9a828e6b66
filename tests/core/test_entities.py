"""Bad input: each a clear Chinese message naming the field, and nothing written."""

import pytest
from django.core.exceptions import ValidationError

from ecogov.core import creditcode, services
from ecogov.core.models import RegulatedEntity


def _payload(world, **overrides):
    data = {
        "name": "北山新建化工有限公司",
        "credit_code": creditcode.make("91990121MA0000077"),
        "division": world.division("北山县").code,
        "longitude": "110.1",
        "latitude": "27.5",
    }
    data.update(overrides)
    return data


def _post(client, data):
    return client.post("/api/core/entities/", data, content_type="application/json")


def test_api_creates_a_valid_entity_with_an_event(login, world):
    response = _post(login("beishan_staff"), _payload(world))
    assert response.status_code == 201, response.content
    entity = RegulatedEntity.objects.get(pk=response.json()["id"])
    assert entity.events.filter(type="registered").exists()


@pytest.mark.parametrize(
    ("override", "field", "fragment"),
    [
        ({"credit_code": "91990121MA0000077X"}, "credit_code", "第18位"),
        ({"credit_code": "91990121MAOOOOO77"}, "credit_code", "18位"),
        ({"division": "999999"}, "division", "行政区划代码“999999”不存在"),
        ({"longitude": "150.2"}, "longitude", "经度超出中国范围"),
        ({"latitude": "-5"}, "latitude", "纬度超出中国范围"),
        ({"industry_code": "X99"}, "industry_code", "GB/T 4754"),
    ],
)
def test_api_rejects_bad_input_naming_the_field(login, world, override, field, fragment):
    before = RegulatedEntity.objects.count()
    response = _post(login("beishan_staff"), _payload(world, **override))
    assert response.status_code == 400
    assert fragment in " ".join(response.json()[field])
    assert RegulatedEntity.objects.count() == before


def test_duplicate_credit_code_is_refused(login, world):
    existing = world.entity_in("北山县")
    response = _post(login("beishan_staff"), _payload(world, credit_code=existing.credit_code))
    assert response.status_code == 400
    assert "已登记" in " ".join(response.json()["credit_code"])


def test_service_refuses_half_coordinates(world):
    with pytest.raises(ValidationError, match="经度和纬度须同时填写"):
        services.entity_create(
            actor=world.user("beishan_staff"),
            data={
                "name": "某公司",
                "credit_code": creditcode.make("91990121MA0000078"),
                "division": world.division("北山县"),
                "longitude": 110,
            },
        )
    assert not RegulatedEntity.objects.filter(name="某公司").exists()


def test_admin_form_shows_the_credit_code_error(login, world):
    client = login("beishan_staff")
    response = client.post(
        "/admin/core/regulatedentity/add/",
        {
            "name": "表单测试公司",
            "credit_code": "91350100M000100Y44",
            "division": world.division("北山县").pk,
            "category": "ordinary",
            "status": "operating",
            "core-attachment-content_type-object_id-TOTAL_FORMS": 0,
            "core-attachment-content_type-object_id-INITIAL_FORMS": 0,
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "第18位(校验码)错误" in response.content.decode()
    assert not RegulatedEntity.objects.filter(name="表单测试公司").exists()


def test_admin_form_creates_through_the_service(login, world):
    client = login("beishan_staff")
    response = client.post(
        "/admin/core/regulatedentity/add/",
        {
            "name": "表单新建公司",
            "credit_code": creditcode.make("91990121MA0000079"),
            "division": world.division("北山县").pk,
            "category": "ordinary",
            "status": "operating",
            "core-attachment-content_type-object_id-TOTAL_FORMS": 0,
            "core-attachment-content_type-object_id-INITIAL_FORMS": 0,
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entity = RegulatedEntity.objects.get(name="表单新建公司")
    assert entity.events.filter(type="registered", actor__username="beishan_staff").exists()


def test_admin_form_offers_only_divisions_in_scope(login, world):
    html = login("beishan_staff").get("/admin/core/regulatedentity/add/").content.decode()
    assert "北山县" in html and "南湖县" not in html
