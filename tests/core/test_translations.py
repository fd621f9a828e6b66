"""The project's own zh-Hans catalogue fills what the installed packages lack (issue 10)."""

import importlib.util
from pathlib import Path

import polib
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "src/ecogov/locale/zh_Hans/LC_MESSAGES"


def _tool():
    spec = importlib.util.spec_from_file_location(
        "package_translations", ROOT / "tools/package_translations.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_catalogue_is_the_compiled_tool_output(tmp_path):
    tool = _tool()
    tool.write_catalogue(tmp_path / "django.po", tmp_path / "django.mo")
    committed = {e.msgid: e.msgstr for e in polib.mofile(str(CATALOGUE / "django.mo"))}
    fresh = {e.msgid: e.msgstr for e in polib.mofile(str(tmp_path / "django.mo"))}
    assert committed == fresh == {k: v for k, v in tool.TRANSLATIONS.items()}, (
        "run `make messages` and commit the catalogue"
    )


def test_the_theme_and_the_packages_speak_chinese():
    with translation.override("zh-hans"):
        assert translation.gettext("Search apps and models...") == "搜索功能和台账…"
        assert translation.gettext("No results found") == "没有找到记录"
        assert translation.gettext("Go back") == "返回"
        assert translation.gettext("access attempts") == "登录失败与锁定"
        # Django's own catalogue still answers what it knows
        assert translation.gettext("Save") == "保存"
