"""Every API error is one JSON object with a Chinese `detail`; bad input is a 400 naming the
field in Chinese, never a 500 (issue 15; docs/security.md, “错误输入”)."""

import pytest
from django.test import RequestFactory

from ecogov.core import api_errors

YEARS = ["-5", "0", "10000", "12345678901234567890", "二〇二〇", "2020.0"]
YEAR_ENDPOINTS = [
    "/api/figures/",
    "/api/airquality/evaluation/",
]


@pytest.mark.parametrize("url", YEAR_ENDPOINTS)
def test_a_year_out_of_range_is_a_400_naming_the_year(login, world, url):
    client = login("leader")
    for year in YEARS:
        response = client.get(url, {"year": year})
        assert response.status_code == 400, (year, response.content)
        body = response.json()
        assert set(body) == {"detail", "year"} and "年度" in body["detail"], year
        assert "2000至2100" in body["year"][0]


def test_a_cut_off_day_is_named_as_itself(login, world):
    client, url = login("leader"), "/api/figures/"
    for until in ["2020-13-01", "0001-01-01", "2021-01-01"]:
        body = client.get(url, {"year": "2020", "until": until}).json()
        assert set(body) == {"detail", "until"} and "until(统计截止日)" in body["detail"]
    assert client.get(url, {"year": "2020", "until": "2020-11-30"}).status_code == 200


def test_hourly_data_from_a_day_outside_the_years_is_a_400(login, world):
    client = login("leader")
    for day in ["0001-01-01", "9999-12-31", "2020-02-30"]:
        response = client.get("/api/airquality/observations/", {"from": day})
        assert response.status_code == 400 and response.json()["detail"].startswith("起始日期:")


def test_bad_json_is_named_in_chinese_with_its_place(login, world):
    response = login("leader").post(
        "/api/core/entities/", '{"name": "甲公司",\n "division": }', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON(第 2 行第 14 列有误)。"}
    nan = login("leader").post(
        "/api/core/entities/", '{"longitude": NaN}', content_type="application/json"
    )
    assert nan.status_code == 400 and "NaN" in nan.json()["detail"]


def test_field_errors_are_kept_and_summed_up_with_their_chinese_labels(login, world):
    response = login("leader").post(
        "/api/core/entities/",
        {"credit_code": "91990102MA0000001X", "division": "990102", "longitude": "东经"},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["name"] == ["该字段是必填项。"] and body["longitude"] == ["请填写合法的数字。"]
    assert "单位名称:该字段是必填项" in body["detail"] and "经度:请填写合法的数字" in body["detail"]


def test_a_services_refusal_names_the_field_by_the_models_label(login, world):
    entity = world.entity_in("北山县")
    response = login("leader").patch(
        f"/api/core/entities/{entity.pk}/",
        {"credit_code": "91990121MA0000001"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("统一社会信用代码")


def test_a_filter_value_that_is_no_choice_names_the_field(login, world):
    body = login("leader").get("/api/enforcement/cases/", {"state": "不存在"}).json()
    assert body["state"][0].startswith("选择一个有效的选项") and body["detail"].startswith("状态:")


def test_an_unknown_api_address_is_a_json_404(login, world):
    response = login("leader").get("/api/enforcement/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "没有这个接口地址,请查看 /api/docs/。"}
    page = login("leader").get("/admin/nothing-here/")
    assert page.status_code == 404 and "text/html" in page["Content-Type"]


def test_a_body_over_the_size_limit_is_a_json_400(login, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = login("leader").post(
        "/api/core/entities/", {"name": "甲" * 2000}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["detail"].startswith("请求体过大")


def test_a_crash_under_the_api_is_a_json_500_and_a_page_elsewhere():
    request = RequestFactory().get("/api/core/entities/")
    response = api_errors.server_error(request)
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert "服务器内部错误" in response.content.decode()
    page = api_errors.server_error(RequestFactory().get("/admin/"))
    assert page.status_code == 500 and "text/html" in page["Content-Type"]


def test_an_english_message_a_package_left_becomes_chinese():
    from rest_framework import exceptions

    body = api_errors.error_body(
        exceptions.ValidationError(["No data provided"]), ["No data provided"], 400
    )
    assert body == {
        "detail": "请求无效,请检查请求体和参数。",
        "non_field_errors": ["请求无效,请检查请求体和参数。"],
    }
    parse = api_errors.error_body(exceptions.ParseError("Malformed request."), {"detail": "x"}, 400)
    assert parse == {"detail": "请求无效,请检查请求体和参数。"}
