"""Faster change lists under django-unfold 0.91 (issue 10): the same HTML, less work per row.

unfold's `items_for_result` rebuilds every column header for each row (`result_headers(cl)`:
labels, sort links, and the select-all checkbox rendered through the form template engine) only
to read the header's text, and renders each row's checkbox through the template engine as well:
two template renders and a dozen header computations per row, half of a 100-row page's time.
Here a list's headers are built once per request and the row checkbox is rendered once per
language and then filled in with the row's key. unfold's row template also asks each row twice
for `cl.model_admin.list_sections`, an attribute its ModelAdmin does not define: every miss makes
Django's template engine list the admin's attributes (`dir`) to tell a missing attribute from a
failing property; an empty default answers at once. The output is byte for byte what unfold writes
(tests/core/test_query_counts.py renders pages both ways). `install()` runs when the admin loads;
unfold is pinned below 0.92 (pyproject.toml), and `install` refuses a version it was not written
for instead of patching blindly.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

SENTINEL = "ecogov-row-key-0"
_installed: dict = {}


def _headers_once(original):
    def result_headers(cl):
        cached = cl.__dict__.get("_ecogov_headers")
        if cached is None:
            cached = cl._ecogov_headers = list(original(cl))
        return iter(cached)

    result_headers.ecogov_original = original
    return result_headers


class RowCheckbox:
    """Stands in for unfold.admin.checkbox: renders once per (name, language), then substitutes."""

    def __init__(self, widget):
        self.widget = widget
        self._rendered: dict[tuple, str] = {}

    def render(self, name, value, attrs=None, renderer=None):
        if attrs is not None or renderer is not None:
            return self.widget.render(name, value, attrs, renderer)
        key = (name, get_language())
        html = self._rendered.get(key)
        if html is None:
            html = self._rendered[key] = str(self.widget.render(name, SENTINEL))
        return mark_safe(html.replace(f'value="{SENTINEL}"', f'value="{escape(value)}"'))

    def __getattr__(self, name):
        return getattr(self.widget, name)


def install() -> None:
    if _installed:
        return
    import unfold
    import unfold.admin
    from unfold.templatetags import unfold_list

    version = getattr(unfold, "__version__", "") or _version()
    if not version.startswith("0.91"):
        return  # written for 0.91: a newer unfold is measured again before anything is patched
    if not hasattr(unfold.admin.ModelAdmin, "list_sections"):
        unfold.admin.ModelAdmin.list_sections = ()
        _installed["list_sections"] = True
    _installed["result_headers"] = unfold_list.result_headers
    _installed["checkbox"] = unfold.admin.checkbox
    unfold_list.result_headers = _headers_once(unfold_list.result_headers)
    unfold.admin.checkbox = RowCheckbox(unfold.admin.checkbox)


def uninstall() -> None:
    """Unfold as it ships (the tests compare both)."""
    if not _installed:
        return
    import unfold.admin
    from unfold.templatetags import unfold_list

    if _installed.pop("list_sections", False):
        del unfold.admin.ModelAdmin.list_sections
    unfold_list.result_headers = _installed.pop("result_headers")
    unfold.admin.checkbox = _installed.pop("checkbox")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("django-unfold")
    except PackageNotFoundError:
        return ""
