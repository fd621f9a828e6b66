"""Progress bars on the command line (ecogov.core.progress; docs/jobs.md) and
`ecogov import_ledger KIND FILE`, the import screens' run on the command line."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from rich.console import Console

from ecogov.core import creditcode, jobs, progress
from ecogov.core.admin.imports import LedgerImportMixin
from ecogov.core.models import RegulatedEntity

BAR = "━"  # rich's bar


class Terminal(io.StringIO):
    """A stream that says it is a terminal (what a person's shell gives a command)."""

    def isatty(self):
        return True


@pytest.fixture(autouse=True)
def a_real_terminal_type(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


def test_reports_draw_a_bar_on_a_terminal():
    shown = io.StringIO()
    console = Console(file=shown, force_terminal=True, width=100)
    with progress.bar(console=console):
        jobs.report("核对", 0, 40)
        jobs.report("核对", 30, 40)
        jobs.report("写入", 7, 8)
    text = shown.getvalue()
    assert BAR in text and "核对" in text and "写入" in text
    assert "40/40" in text  # the stage before was finished when the next began
    assert "8/8" in text  # and the last one when the work ended
    jobs.report("核对", 1, 2)  # after the block: nowhere (no job, no bar)
    assert shown.getvalue() == text


def test_nothing_of_the_bar_is_written_when_not_a_terminal():
    stream = io.StringIO()
    with progress.bar(stream):
        jobs.report("核对", 3, 40)
    assert stream.getvalue() == ""


def _ledger(path, first: int, count: int, *, bad_row: int | None = None):
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["单位名称", "统一社会信用代码", "行政区划代码", "监管类别", "状态"])
    for n in range(first, first + count):
        code = creditcode.make(f"91990121MA{n:07d}")
        district = "990199" if n == bad_row else "990121"  # no such division
        sheet.append([f"命令行导入公司{n}", code, district, "一般排污单位", "在产"])
    book.save(path)
    return str(path)


def _imported() -> int:
    return RegulatedEntity.objects.filter(name__startswith="命令行导入公司").count()


def test_import_ledger_imports_and_draws_its_bar_on_a_terminal(world, tmp_path):
    path = _ledger(tmp_path / "entities.xlsx", 1, 30)
    out, err = io.StringIO(), Terminal()
    call_command("import_ledger", "entities", path, user="beishan_staff", stdout=out, stderr=err)
    assert _imported() == 30
    assert "新增 30 家" in out.getvalue() and "未变 0 家" in out.getvalue()
    assert BAR in err.getvalue() and "写入" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()  # again, not on a terminal: the same rows unchanged
    call_command("import_ledger", "entities", path, user="beishan_staff", stdout=out, stderr=err)
    assert "新增 0 家" in out.getvalue() and "未变 30 家" in out.getvalue()
    assert err.getvalue() == "" and _imported() == 30


def test_import_ledger_refuses_the_whole_file_naming_row_and_column(world, tmp_path):
    path = _ledger(tmp_path / "entities.xlsx", 1, 20, bad_row=7)
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现 1 处错误,未写入任何数据") as refused:
        call_command("import_ledger", "entities", path, user="beishan_staff", stderr=err)
    assert refused.value.returncode == 1
    assert "第8行“行政区划代码”" in err.getvalue()  # row 7 of data is the sheet's 8th
    assert _imported() == 0
    text = tmp_path / "entities.csv"
    text.write_text("单位名称,统一社会信用代码\n")
    with pytest.raises(CommandError) as refused:
        call_command("import_ledger", "entities", str(text), user="beishan_staff", stderr=err)
    assert refused.value.returncode == 1 and "entities.csv" in err.getvalue()
    with pytest.raises(CommandError, match="不存在") as refused:
        call_command("import_ledger", "entities", path, user="nobody")
    assert refused.value.returncode == 2


def test_import_ledger_checks_the_users_rights(world, tmp_path):
    path = _ledger(tmp_path / "entities.xlsx", 1, 3)
    with pytest.raises(CommandError) as refused:
        call_command("import_ledger", "entities", path, user="viewer", stderr=io.StringIO())
    assert refused.value.returncode == 1 and _imported() == 0


def test_every_import_screen_has_a_kind_on_the_command_line(db):
    from django.contrib import admin

    from ecogov.core.management.commands.import_ledger import KINDS, screens

    with_import = {
        m._meta.label_lower
        for m, a in admin.site._registry.items()
        if isinstance(a, LedgerImportMixin)
    }
    assert with_import == set(KINDS.values())
    assert set(screens()) == set(KINDS)
