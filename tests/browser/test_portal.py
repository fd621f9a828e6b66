"""The public portal in a real browser: axe-core finds no serious or critical accessibility
violation on any page, on a desktop and on a phone-sized screen, and the pages read without
script (issue 13). axe-core comes from the installed `axe-playwright-python` package (its
bundled axe.min.js), so the check runs offline.

With ECOGOV_SCREENS=1 the run also saves docs/screens/portal-desktop.png and
portal-phone.png (the README shows them)."""

import os
import re
from importlib.resources import files
from pathlib import Path

import pytest

from ecogov.portal.lists import LISTS

pytestmark = pytest.mark.browser

AXE = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _axe(page) -> list[dict]:
    page.evaluate(AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _urls(page, base) -> list[str]:
    urls = ["/portal/", "/portal/draws/verify/", "/portal/airquality/?year=2020"]
    for item in LISTS:
        urls.append(f"/portal/{item.key}/")
        page.goto(base + f"/portal/{item.key}/")
        first = re.search(rf'href="(/portal/{item.key}/\d+/)"', page.content())
        if first:
            urls.append(first.group(1))
    return urls


@pytest.fixture
def portal(browser, live_server):
    from ecogov.core.demo import build

    build()  # a live-server test runs in a flushed database
    contexts = []

    def _open(viewport, javascript=True):
        context = browser.new_context(
            locale="zh-CN", viewport=viewport, java_script_enabled=javascript
        )
        contexts.append(context)
        return context.new_page()

    yield live_server.url, _open
    for context in contexts:
        context.close()


def test_every_portal_page_passes_axe_on_desktop_and_phone_and_reads_without_script(portal):
    base, open_page = portal
    desktop, phone = open_page(DESKTOP), open_page(PHONE)
    urls = _urls(desktop, base)
    assert len(urls) > len(LISTS) + 3  # records were reached too
    problems = {}
    for page, screen in ((desktop, "desktop"), (phone, "phone")):
        for url in urls:
            response = page.goto(base + url)
            assert response.status == 200, url
            found = _axe(page)
            if found:
                problems[f"{screen} {url}"] = found
            # nothing overflows a phone's width (the tables stack)
            if screen == "phone":
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"] + 1, (url, width)
    assert problems == {}
    if os.environ.get("ECOGOV_SCREENS"):
        desktop.goto(base + "/portal/inspections/")
        desktop.screenshot(path=str(SCREENS / "portal-desktop.png"), full_page=False)
        phone.goto(base + "/portal/draws/")
        phone.screenshot(path=str(SCREENS / "portal-phone.png"), full_page=False)

    # the pages read, search and page without script (one live server: the demo is built once)
    page = open_page(DESKTOP, javascript=False)
    page.goto(base + "/portal/inspections/")
    assert page.locator("table tbody tr").count() == 20
    page.click("nav.pager >> text=下一页")
    assert "第 2 / " in page.inner_text("nav.pager")
    page.fill("#f-q", "不存在的单位名称")
    page.click("form.filters button")
    assert "没有符合条件的公开信息" in page.inner_text("main")
