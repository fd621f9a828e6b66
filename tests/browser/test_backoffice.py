"""A person signs in to the back office in a real browser."""

import pytest

pytestmark = pytest.mark.browser


def _sign_in(page, username):
    page.goto(page.base_url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "ecogov-demo-2026")
    page.click("button[type=submit]")


def test_city_user_signs_in_and_sees_the_dashboard(page, tmp_path):
    page.goto(page.base_url + "/admin/")  # "/" is the public portal
    assert "登录" in page.content() and "用户名" in page.content()
    _sign_in(page, "leader")
    page.wait_for_selector("#ecogov-areas")
    text = page.inner_text("#ecogov-dashboard")
    assert "数据范围:示例市" in text and "排污单位" in text and "300" in text
    assert "环评审批" in page.inner_text("body")  # the sidebar groups by work area
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)


def test_county_user_sees_only_his_county_in_the_list(page):
    from ecogov.core.models import RegulatedEntity

    _sign_in(page, "beishan_staff")
    page.wait_for_selector("#ecogov-areas")
    page.goto(page.base_url + "/admin/core/regulatedentity/?all=")
    body = page.inner_text("body")
    own = RegulatedEntity.objects.filter(division__name="北山县").first()
    other = RegulatedEntity.objects.filter(division__name="南湖县").first()
    assert own.name in body and other.name not in body


def test_wrong_password_gives_a_chinese_message(page):
    page.goto(page.base_url + "/admin/login/")
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", "wrong-password-1")
    page.click("button[type=submit]")
    assert "请输入一个正确的" in page.content()


def test_a_bad_ledger_upload_lists_its_errors_and_writes_nothing(page, tmp_path):
    """The one import page in a real browser: CSRF-protected upload, every error by row and
    column, nothing written."""
    import openpyxl

    from ecogov.core.models import RegulatedEntity

    book = openpyxl.Workbook()
    book.active.append(["单位名称", "统一社会信用代码", "行政区划代码"])
    book.active.append(["浏览器导入公司", "91350100M000100Y44", "990121"])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    before = RegulatedEntity.objects.count()
    _sign_in(page, "beishan_staff")
    page.wait_for_selector("#ecogov-areas")
    page.goto(page.base_url + "/admin/core/regulatedentity/import-xlsx/")
    assert "按统一社会信用代码匹配已有单位" in page.inner_text("body")
    page.set_input_files("input[name=file]", str(path))
    page.click("form[enctype] button[type=submit]")
    errors = page.wait_for_selector("#import-errors").inner_text()
    assert "未写入任何数据" in errors and "第2行“统一社会信用代码”" in errors
    assert RegulatedEntity.objects.count() == before
