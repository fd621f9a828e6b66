"""Every screen as every demo role uses it, in the real browser (issue 10).

For each demo account: open every sidebar page and every admin list the account may view, the
first record's change page and its history page of every list, every add page; submit every
change form unchanged and once with one field changed. Each page must:
- answer below 500 (and below 400 when the sidebar offers it),
- save (or show the refusal as a message; a read-only role is offered no form),
- show no untranslated English from the packages and no raw code of a model's choices,
- fit a 1,366 px screen (no horizontal overflow).
New screens are covered without editing this test: it reads the sidebar and the admin registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

ROLES = [
    "leader",
    "eia_staff",
    "legal",
    "inspector",
    "beishan_staff",
    "housing_reporter",
    "viewer",
    "sysadmin",
    "secadmin",
    "auditadmin",
]
PASSWORD = "ecogov-demo-2026"
WIDTH = 1366
MARK = "核"  # appended to a text field to prove a change is saved

# English that the installed packages show when their zh-Hans catalogue lacks a string.
ENGLISH = [
    "Search apps and models",
    "Type to search",
    "Select value",
    "No results found",
    "This page yielded into no results",
    "Reset filters",
    "Go back",
    "Light",
    "Dark",
    "System",
    "True",
    "False",
    "Django REST framework",
    "matches the given query",
    "Unauthorized",
    "object (",
    "Filters",
    "Clear all filters",
    "Select all",
    "Submit",
    "Cancel",
    "Delete",
    "History",
    "Change",
    "Add ",
    "Save",
    "Close",
    "Actions",
    "Run",
    "records",
    "Yes",
    "No",
    "Unknown",
    "None",
    "Today",
    "Now",
    "Choose",
    "Remove",
    "Show",
    "Hide",
    "Welcome",
    "Log out",
    "View site",
    "Home",
    "Page",
    "of ",
    "results",
    "Search",
    "Filter",
    "Not set",
    "Locked Out",
    "Attempt Remaining",
    "Form Data",
    "Meta Data",
]
_ENGLISH_RE = re.compile(
    "|".join(r"(?<![A-Za-z])" + re.escape(s.strip()) + r"(?![a-z])" for s in ENGLISH)
)

VISIBLE_TEXT_JS = """() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    // code: keys shown on purpose to those who write outline templates; textarea: typed data
    if (!el || el.closest('script,style,template,noscript,code,textarea,.material-symbols-outlined')) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    if (node.textContent.trim()) parts.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('[placeholder],[title],[aria-label]')) {
    for (const name of ['placeholder', 'title', 'aria-label']) {
      const value = el.getAttribute(name);
      if (value && el.checkVisibility()) parts.push(value);
    }
  }
  return parts.join('\\n');
}"""


def raw_codes() -> set[str]:
    """The stored codes of every choices field of the project's models (e.g. `no_problem`).

    Login names are left out: the user list and the audit log show them on purpose, and a demo
    login (`leader`) happens to spell a role's code.
    """
    from django.apps import apps
    from django.contrib.auth.models import User

    codes = set()
    for model in apps.get_models():
        if not model.__module__.startswith("ecogov"):
            continue
        for f in model._meta.get_fields():
            if getattr(f, "choices", None):
                for value, _label in f.flatchoices:
                    if isinstance(value, str) and len(value) >= 3 and re.search("[a-z]", value):
                        codes.add(value)
    return codes - set(User.objects.values_list("username", flat=True))


@dataclass
class Crawl:
    page: object
    base: str
    username: str
    codes: set[str]
    problems: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def problem(self, url: str, what: str) -> None:
        self.problems.append(f"{self.username} {url}: {what}")

    def check_page(self, url: str, status: int | None, *, offered: bool) -> None:
        if status is None or status >= 500:
            self.problem(url, f"HTTP {status}")
            return
        if offered and status >= 400:
            self.problem(url, f"HTTP {status} on a page the back office offers")
        text = self.page.evaluate(VISIBLE_TEXT_JS)
        english = sorted({m.group(0) for m in _ENGLISH_RE.finditer(text)})
        if english:
            self.problem(url, f"English: {english}")
        # a word alone (not part of a path, a key like a.b.c, or a {placeholder})
        tokens = set(
            re.findall(r"(?<![A-Za-z0-9_./:{-])[a-z][a-z0-9_]*[a-z0-9](?![A-Za-z0-9_/.}-])", text)
        )
        leaked = sorted(tokens & self.codes)
        if leaked:
            self.problem(url, f"raw codes: {leaked}")
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH + 1:
            self.problem(url, f"{width} px wide at {WIDTH} px")

    def visit(self, url: str, *, offered: bool = False) -> int | None:
        try:
            response = self.page.goto(self.base + url)
        except Exception as exc:  # a link that downloads a file (an export) is not a page
            if "Download is starting" not in str(exc):
                raise
            status = self.page.request.get(self.base + url).status
            if status >= 400:
                self.problem(url, f"download: HTTP {status}")
            return status
        status = response.status if response else None
        self.check_page(url, status, offered=offered)
        return status

    def sign_in(self) -> None:
        self.page.goto(self.base + "/admin/login/")
        self.page.fill("input[name=username]", self.username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()

    def links(self, selector: str) -> list[str]:
        hrefs = self.page.eval_on_selector_all(selector, "els => els.map(a => a.href)")
        result = []
        for href in hrefs:
            parts = urlsplit(href)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith("/admin/") and path not in result:
                result.append(path)
        return result

    # --- forms ---------------------------------------------------------------------------------
    def save_form(self, url: str) -> None:
        """Submit the change form unchanged, then with one text field changed."""
        form = self.page.query_selector(
            "form[id$=_form] button[name=_save], button[name=_save][form$=_form]"
        )
        if form is None:
            return
        self._submit(url, changed=None)
        self.page.goto(self.base + url)
        target = self._editable_text_field()
        if target is not None:
            self._submit(url, changed=target)

    def _editable_text_field(self) -> str | None:
        return self.page.evaluate("""() => {
          const form = document.querySelector('form[id$=_form]');
          if (!form) return null;
          const fields = [...form.querySelectorAll('textarea, input[type=text]')].filter(el =>
            el.name && !el.name.includes('-') && !el.readOnly && !el.disabled &&
            el.checkVisibility() && !el.closest('.related-widget-wrapper') &&
            !/code|number|reference|credit|date|time|coordinates|location|facts|lon|lat/i.test(el.name));
          const preferred = fields.find(el => el.tagName === 'TEXTAREA') || fields[0];
          return preferred ? preferred.name : null;
        }""")

    def _submit(self, url: str, changed: str | None) -> None:
        if changed is not None:
            locator = self.page.locator(f"form[id$=_form] [name='{changed}']").first
            value = locator.input_value()
            locator.fill(value + MARK)
        with self.page.expect_navigation():
            self.page.click("button[name=_save]")
        status_ok = (
            "/change/" not in self.page.url
            or self.page.url.split("?")[0] != (self.base + url).split("?")[0]
        )
        errors = self.page.query_selector(".errornote, .errorlist, ul.errorlist")
        what = f"saving {'with “' + changed + '” changed' if changed else 'unchanged'}"
        self.check_page(url + f" [{what}]", 200, offered=False)
        if errors is not None or not status_ok:
            message = errors.inner_text().strip() if errors else "no redirect after saving"
            self.problem(url, f"{what} refused: {message[:300]}")
            return
        if changed is not None:
            self.page.goto(self.base + url)
            value = self.page.locator(f"[name='{changed}']").first
            if value.count() and MARK not in (
                value.input_value() if value.is_editable() else value.inner_text()
            ):
                self.problem(url, f"“{changed}” changed, saved, but not kept")

    # --- the crawl -----------------------------------------------------------------------------
    def run(self, registry_lists: list[str]) -> list[str]:
        self.sign_in()
        self.visit("/admin/", offered=True)
        sidebar = self.links("#nav-sidebar a[href]")
        for url in [*sidebar, *[u for u in registry_lists if u not in sidebar]]:
            if url in self.seen or url.rstrip("/").endswith(("/logout", "/password_change")):
                continue
            self.seen.add(url)
            status = self.visit(url, offered=True)
            if status != 200 or not self.page.query_selector("#result_list"):
                continue
            adds = [u for u in self.links("a[href$='/add/']") if u.startswith(url)]
            for add in adds[:1]:
                self.visit(add, offered=True)
            rows = [
                u
                for u in self.links("#result_list tbody a[href]")
                if re.search(r"/\d+/change/$", u.split("?")[0])
            ]
            if not rows:
                continue
            change = rows[0].split("?")[0]
            if self.visit(change, offered=True) != 200:
                continue
            details = [
                u
                for u in self.links("a[href]")
                if u.startswith(change.replace("/change/", "/"))
                and u.split("?")[0] != change
                and "/history/" not in u
            ]
            history = change.replace("/change/", "/history/")
            offered_history = history in self.links("a[href]")
            self.save_form(change)
            if offered_history:
                self.visit(history, offered=True)
            for detail in details[:12]:
                self.visit(detail, offered=True)
        return self.problems


def registry_lists_for(username: str) -> list[str]:
    """The changelists of every screen this user may view, from the admin registry."""
    from django.contrib import admin
    from django.contrib.auth.models import User
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(username=username)
    return [
        model["admin_url"]
        for app in admin.site.get_app_list(request)
        for model in app["models"]
        if model.get("admin_url")
    ]


def test_every_screen_works_for_every_role(browser, page):
    """One test for all roles: the demo is built once (a live-server test starts flushed)."""
    codes, problems = raw_codes(), []
    for username in ROLES:
        context = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": 900})
        try:
            crawl = Crawl(context.new_page(), page.base_url, username, codes)
            problems += crawl.run(registry_lists_for(username))
            assert crawl.seen, f"the crawl opened nothing for {username}"
        finally:
            context.close()
    assert problems == [], "\n".join(problems)
