"""`ecogov airquality evaluate` (files, no database; or --from-db) and `… import`."""

import datetime as dt
import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

POLS = ("SO2", "NO2", "CO", "O3", "PM10", "PM2.5")
LEVEL = {"SO2": "10", "NO2": "30", "CO": "0.8", "O3": "100", "PM10": "60", "PM2.5": "30"}


@pytest.fixture
def year_csv(write_csv):
    """Station A: constant values for all of 2024; station B: PM2.5 90 (above the limit)."""
    start = dt.datetime(2024, 1, 1)
    rows = []
    for h in range(24 * 366):
        t = (start + dt.timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M")
        for p in POLS:
            rows.append(["A", t, p, LEVEL[p]])
            rows.append(["B", t, p, "90" if p == "PM2.5" else LEVEL[p]])
    return write_csv("hourly.csv", ["station", "time", "pollutant", "value"], rows)


def test_evaluate_files_without_a_database(year_csv, tmp_path):
    # No `db` fixture: pytest-django refuses any database access in this test.
    out = tmp_path / "r.json"
    call_command(
        "airquality",
        "evaluate",
        "--input",
        str(year_csv),
        "--year",
        "2024",
        "--format",
        "json",
        "--out",
        str(out),
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert (doc["edition"], doc["limit_set"], doc["method"]) == ("2012", "GB3095-2012", "bulletin")
    a, b = doc["stations"]["A"], doc["stations"]["B"]
    assert a["attained"] is True and a["pollutants"]["PM10"]["annual_mean"] == 60
    assert a["days"][0] == {
        "date": "2024-01-01",
        "aqi": 55,
        "category": "良",
        "color": "#FFFF00",
        "primary": ["PM10"],
    }
    assert b["attained"] is False and b["pollutants"]["PM2.5"]["attained"] is False
    assert doc["city"]["pollutants"]["PM2.5"]["annual_mean"] == 60  # mean of 30 and 90


def test_evaluate_csv_and_edition_choice(year_csv, tmp_path):
    out = tmp_path / "r.csv"
    call_command(
        "airquality",
        "evaluate",
        "--input",
        str(year_csv),
        "--year",
        "2024",
        "--edition",
        "2026",
        "--method",
        "strict",
        "--format",
        "csv",
        "--out",
        str(out),
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("year,edition,limit_set,method,scope,id,pollutant")
    assert "2024,2026,GB3095-2026-transition,strict,city,city,ALL" in "\n".join(lines)


def test_evaluate_bad_arguments_exit_2(tmp_path, capsys):
    with pytest.raises(CommandError) as err:
        call_command(
            "airquality",
            "evaluate",
            "--input",
            str(tmp_path / "none.csv"),
            "--year",
            "2024",
            "--format",
            "json",
            "--out",
            str(tmp_path / "x.json"),
        )
    assert err.value.returncode == 2
    assert "找不到输入文件" in capsys.readouterr().err


def test_the_console_command_needs_no_database(year_csv, tmp_path):
    out = tmp_path / "r.json"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecogov.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/no_such_database",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ecogov",
            "airquality",
            "evaluate",
            "--input",
            str(year_csv),
            "--year",
            "2024",
            "--format",
            "json",
            "--out",
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["stations"]["A"]["attained"] is True


def test_evaluate_from_the_database(world, tmp_path, capsys):
    out = tmp_path / "db.json"
    call_command(
        "airquality",
        "evaluate",
        "--from-db",
        "--year",
        "2020",
        "--format",
        "json",
        "--out",
        str(out),
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {"edition", "limit_set", "method", "stations", "city"} <= doc.keys()
    assert doc["city"]["attained"] is True
    assert all(d["attained"] for d in doc["city"]["pollutants"].values())
    assert set(doc["stations"]) == {"9901A", "9902A", "9903A", "9904A", "9905B"}
    assert len(doc["city"]["days"]) == 366
    assert "六项污染物全部达标" in capsys.readouterr().err
    csv_out = tmp_path / "db.csv"
    call_command(
        "airquality",
        "evaluate",
        "--from-db",
        "--year",
        "2019",
        "--city",
        "990100",
        "--format",
        "csv",
        "--out",
        str(csv_out),
    )
    rows = [r.split(",") for r in csv_out.read_text(encoding="utf-8").splitlines()]
    pm25 = next(r for r in rows if r[4] == "city" and r[6] == "PM2.5")
    assert pm25[11] == "false"  # 2019 is the dirtier demo year
    with pytest.raises(CommandError):
        call_command(
            "airquality",
            "evaluate",
            "--from-db",
            "--year",
            "1999",
            "--format",
            "json",
            "--out",
            str(out),
        )


def test_import_command_reports_rows_and_exit_status(world, stations, write_csv, capsys):
    good = write_csv(
        "good.csv",
        ["station", "time", "pollutant", "value"],
        [["T1", "2024-07-01T00:00", "O3", "70"]],
    )
    call_command("airquality", "import", str(good))
    assert "新增 1 个数值" in capsys.readouterr().out
    bad = write_csv(
        "bad.csv",
        ["station", "time", "pollutant", "value"],
        [["T1", "2024-07-01T01:00", "O3", "71"], ["QQ", "2024-07-01T01:00", "O3", "1"]],
    )
    with pytest.raises(CommandError) as err:
        call_command("airquality", "import", str(bad), "--user", "leader")
    assert err.value.returncode == 1
    out = capsys.readouterr().out
    assert "新增 1 个数值" in out and "第 3 行 字段 station" in out and "'QQ' 未登记" in out
    with pytest.raises(CommandError) as err:
        call_command("airquality", "import", str(good), "--user", "viewer")
    assert err.value.returncode == 2


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_import_command_draws_a_progress_bar_only_on_a_terminal(
    world, stations, write_csv, monkeypatch
):
    monkeypatch.setenv("TERM", "xterm-256color")
    rows = [["T1", f"2024-08-01T{h:02d}:00", "O3", str(50 + h)] for h in range(24)]
    path = write_csv("day.csv", ["station", "time", "pollutant", "value"], rows)
    err = _Terminal()
    call_command("airquality", "import", str(path), stdout=io.StringIO(), stderr=err)
    assert "━" in err.getvalue() and "核对" in err.getvalue() and "24/24" in err.getvalue()
    err = io.StringIO()
    call_command("airquality", "import", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""
