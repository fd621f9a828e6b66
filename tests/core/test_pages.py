"""The back office in Chinese, the dashboard, the placeholder areas, the API schema and docs."""

import os
import subprocess
import sys

from django.urls import reverse


def test_login_page_is_chinese(client, db):
    html = client.get("/admin/login/").content.decode()
    assert "用户名" in html and "密码" in html and "登录" in html


def test_dashboard_for_a_city_user(login, world):
    html = login("leader").get("/admin/").content.decode()
    assert "各业务领域" in html and "排污单位" in html and "数据范围:示例市" in html
    assert "环评审批" in html and "建设中" in html
    # the city user's certificate-expiry list shows the inspector whose certificate lapses soon
    assert "杨磊 执法证到期" in html


def test_dashboard_counts_follow_scope(login, world):
    from ecogov.core.models import RegulatedEntity

    html = login("beishan_staff").get("/admin/").content.decode()
    count = RegulatedEntity.objects.filter(division__name="北山县").count()
    assert f'<strong class="ecogov-count">{count}</strong>' in html


def test_english_is_switchable(login, world):
    client = login("leader")
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    html = client.get("/admin/").content.decode()
    assert "Log out" in html or "Sign out" in html


def test_placeholder_area(login, world):
    response = login("leader").get(reverse("ecogov-area", args=["eia"]))
    assert response.status_code == 200 and "建设中" in response.content.decode()
    assert login("leader").get(reverse("ecogov-area", args=["nope"])).status_code == 404


def test_api_schema_and_docs_are_offline(login, world):
    client = login("leader")
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/core/entities/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower() and "http://" not in docs


def test_token_auth(client, world):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=world.user("beishan_staff"))
    response = client.get("/api/core/entities/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and response.json()["count"] > 0
    assert client.get("/api/core/entities/").status_code in (401, 403)


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecogov.settings.production",
        "SECRET_KEY": "k" * 20 + "Zx9!q@w#e$r%t^y&u*i(o)p_a+s-d=f" + "0123456789",
        "ALLOWED_HOSTS": "ecogov.example.gov.cn",
        "ECOGOV_VAR_DIR": str(tmp_path),
        "ECOGOV_FIELD_KEY": "production-field-key-for-the-check-0123456789",  # required there
    }
    env.pop("DATABASE_URL", None)
    env.pop(
        "DJANGO_ALLOW_ASYNC_UNSAFE", None
    )  # set by the browser tests; check --deploy warns on it
    result = subprocess.run(
        [sys.executable, "-m", "ecogov", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_chinese_even_for_an_english_browser(client, db):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "用户名" in html and 'lang="zh-hans"' in html


IMPORT_PAGES = [  # (user, admin url name, words of the page's own hint)
    ("beishan_staff", "admin:core_regulatedentity_import_xlsx", "按统一社会信用代码匹配已有单位"),
    ("leader", "admin:matters_rectification_import_xlsx", "办理状态只能向前推进"),
    ("beishan_staff", "admin:eia_eiaproject_import_xlsx", "按受理编号匹配已有项目"),
    ("beishan_staff", "admin:permits_permit_import_xlsx", "按编号匹配已有记录"),
    ("beishan_staff", "admin:permits_registration_import_xlsx", "按编号匹配已有记录"),
]


def _bad_ledger():
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["不相干的列"])
    book.active.append(["x"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "bad.xlsx"
    return buffer


def test_every_ledger_import_page_is_the_one_page(login, world):
    """One template (core/ledger_import.html) for every area's Excel import: its own hint, the
    columns (* = required), CSRF, and every error by row and column with nothing written."""
    for user, name, hint in IMPORT_PAGES:
        client = login(user)
        page = client.get(reverse(name))
        html = page.content.decode()
        assert page.status_code == 200, name
        assert [t.name for t in page.templates][0] == "core/ledger_import.html", name
        assert hint in html and "列:" in html and "*、" in html, name
        assert 'name="csrfmiddlewaretoken"' in html and 'accept=".xlsx"' in html, name
        assert 'type="submit"' in html and "导入" in html, name
        # the file runs as a background job, whose page lists the errors (docs/jobs.md)
        html = client.post(reverse(name), {"file": _bad_ledger()}, follow=True).content.decode()
        assert "未写入任何数据" in html and "第1行“" in html and "缺少该列" in html, name
        assert 'id="import-errors"' in html, name


def test_the_air_quality_upload_is_the_same_page_with_its_own_parts(login, world):
    client = login("leader")
    url = reverse("admin:airquality_importbatch_upload")
    page = client.get(url)
    html = page.content.decode()
    assert "core/ledger_import.html" in [t.name for t in page.templates]
    assert 'accept=".csv,.xlsx" multiple required' in html and 'name="replace"' in html
    assert "日发布宽表" in html and 'name="csrfmiddlewaretoken"' in html and "列:" not in html
    html = client.post(url, {}).content.decode()
    assert "请选择要导入的文件(.csv 或 .xlsx)。" in html and "未写入任何数据" not in html
