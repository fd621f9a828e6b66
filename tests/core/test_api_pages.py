"""The API's own pages speak Chinese too (issue 10)."""


def test_a_missing_record_is_a_chinese_404(world, login):
    response = login("leader").get("/api/enforcement/cases/999999/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到该记录,或该记录不在您的数据范围内。"


def test_the_browsable_api_names_pages_in_chinese(world, login):
    html = login("leader").get("/api/enforcement/cases/", HTTP_ACCEPT="text/html").content.decode()
    assert "Django REST framework" not in html and "Case List" not in html
    assert "行政处罚案件列表" in html


def test_the_api_docs_send_a_stranger_to_the_login_page(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    schema = client.get("/api/schema/")
    assert schema.status_code == 401 and "身份认证信息未提供" in schema.content.decode()
