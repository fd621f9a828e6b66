"""Readers and the command line end to end (issue 6): long CSV, wide daily files, errors."""

import datetime as dt
import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from ecogov.airquality.engine.cli import main
from ecogov.airquality.engine.io import InputError, read_hourly, to_cube

POLS = ("SO2", "NO2", "CO", "O3", "PM10", "PM2.5")
A = {"SO2": 10, "NO2": 30, "CO": 0.8, "O3": 100, "PM10": 60, "PM2.5": 30}
TIMES = [dt.datetime(2024, 1, 1) + dt.timedelta(hours=h) for h in range(8784)]


def _b_series():
    """Station B: integer PM2.5 with gaps (missing hours, a few short days)."""
    rng = np.random.default_rng(7)
    v = rng.integers(5, 120, 8784).astype(float)
    v[rng.random(8784) < 0.03] = np.nan
    v[24 * 40 : 24 * 40 + 6] = np.nan  # day 40: 18 hours -> invalid
    v[24 * 41 : 24 * 41 + 4] = np.nan  # day 41: 20 hours -> valid
    return v


@pytest.fixture(scope="module")
def long_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("aq") / "hourly.csv"
    stamps = [t.strftime("%Y-%m-%dT%H:%M") for t in TIMES]
    frames = []
    b = _b_series()
    for p in POLS:
        frames.append(
            pl.DataFrame(
                {"station": "A", "time": stamps, "pollutant": p, "value": [str(A[p])] * 8784}
            )
        )
        vals = b if p == "PM2.5" else np.full(8784, A[p] / 2)
        frames.append(
            pl.DataFrame(
                {
                    "station": "B",
                    "time": stamps,
                    "pollutant": p,
                    "value": ["" if np.isnan(x) else f"{x:g}" for x in vals],
                }
            )
        )
    pl.concat(frames).write_csv(path)
    return path


def _expected_pm25_b():
    """Exact annual mean and P95 of station B (Fractions; round() on a Fraction is half-even)."""
    v = _b_series().reshape(366, 24)
    days = []
    for d in v:
        ok = d[~np.isnan(d)]
        if ok.size >= 20:
            days.append(Fraction(int(ok.sum()), ok.size))
    xs = sorted(days)
    k = Fraction(1) + Fraction(len(xs) - 1) * Fraction(95, 100)
    s = int(k)
    p95 = xs[s - 1] + (xs[s] - xs[s - 1]) * (k - s)
    return round(sum(days) / len(days)), round(p95), len(days)


def test_cli_json_end_to_end(long_csv, tmp_path, capsys):
    out = tmp_path / "r.json"
    assert (
        main(
            [
                "evaluate",
                "--input",
                str(long_csv),
                "--year",
                "2024",
                "--format",
                "json",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert {"edition", "limit_set", "method", "stations", "city"} <= doc.keys()
    assert (doc["edition"], doc["limit_set"], doc["method"]) == ("2012", "GB3095-2012", "bulletin")
    a = doc["stations"]["A"]
    assert a["pollutants"]["PM10"]["annual_mean"] == 60
    assert a["pollutants"]["CO"]["percentile"] == 0.8
    assert a["attained"] is True and a["good_days_ratio_pct"] == 100.0
    assert a["days"][0] == {
        "date": "2024-01-01",
        "aqi": 55,
        "category": "良",
        "color": "#FFFF00",
        "primary": ["PM10"],
    }
    assert len(a["days"]) == 366
    mean, p95, n = _expected_pm25_b()
    pm = doc["stations"]["B"]["pollutants"]["PM2.5"]
    assert (pm["annual_mean"], pm["percentile"], pm["valid_days"]) == (mean, p95, n)
    assert pm["attained"] is (mean <= 35)
    assert doc["city"]["pollutants"]["PM10"]["annual_mean"] == 45  # (60 + 30) / 2
    err = capsys.readouterr().err
    assert "读入 105408 行" in err


def test_cli_csv_strict_2026(long_csv, tmp_path):
    out = tmp_path / "r.csv"
    assert (
        main(
            [
                "evaluate",
                "--input",
                str(long_csv),
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
            ]
        )
        == 0
    )
    rows = pl.read_csv(out, infer_schema=False)
    assert rows.height == 3 * 7
    a = rows.filter((pl.col("id") == "A") & (pl.col("pollutant") == "PM2.5")).row(0, named=True)
    assert a["limit_set"] == "GB3095-2026-transition" and a["method"] == "strict"
    assert a["annual_mean"] == "30" and a["attained"] == "true"
    summary = rows.filter((pl.col("id") == "A") & (pl.col("pollutant") == "ALL")).row(0, named=True)
    assert summary["attained"] == "true" and summary["good_days_ratio_pct"] == "100.0"


def test_module_entry_point(long_csv, tmp_path):
    out = tmp_path / "m.json"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"))
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "ecogov.airquality.engine.cli",
            "evaluate",
            "--input",
            str(long_csv),
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
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["stations"]["A"]["attained"] is True


def _csv(tmp_path, text, name="bad.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "body, words",
    [
        ("A,2024/01/01 00:00,PM10,5\n", ["第 3 行", "time", "2024/01/01 00:00"]),
        ("A,2024-01-01T00:30,PM10,5\n", ["第 3 行", "整点"]),
        ("A,2024-02-30T00:00,PM10,5\n", ["第 3 行", "有效的日期"]),
        ("A,2024-01-01T00:00,PM1,5\n", ["第 3 行", "pollutant", "PM1"]),
        ("A,2024-01-01T00:00,PM10,abc\n", ["第 3 行", "value", "abc", "缺测请留空"]),
        ("A,2024-01-01T00:00,PM10,-3\n", ["第 3 行", "负数"]),
        (
            "A,2024-01-01T00:00,PM10,5\nA,2024-01-01T00:00,pm10,6\n",
            ["重复数据", "bad.csv:3", "bad.csv:4"],
        ),
        (",2024-01-01T00:00,PM10,5\n", ["第 3 行", "station"]),
    ],
)
def test_bad_rows_are_named(tmp_path, capsys, body, words):
    p = _csv(tmp_path, "station,time,pollutant,value\nA,2024-01-01T01:00,SO2,5\n" + body)
    # Line 1 is the header and line 2 a good row: the bad row is line 3.
    assert (
        main(
            [
                "evaluate",
                "--input",
                str(p),
                "--year",
                "2024",
                "--format",
                "json",
                "--out",
                str(tmp_path / "x.json"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    for w in words:
        w = (
            w.replace("第 3 行", "第 3 行")
            .replace("bad.csv:3", "bad.csv:4")
            .replace("bad.csv:2", "bad.csv:3")
        )
        assert w in err, err
    assert not (tmp_path / "x.json").exists()


def test_header_units_and_year_errors(tmp_path):
    with pytest.raises(InputError, match="表头"):
        read_hourly(_csv(tmp_path, "a,b\n1,2\n"))
    with pytest.raises(InputError, match="CO 应以 mg/m3 计"):
        read_hourly(
            _csv(tmp_path, "station,time,pollutant,value,unit\nA,2024-01-01T00:00,CO,800,µg/m³\n")
        )
    df, rep = read_hourly(_csv(tmp_path, "station,time,pollutant,value\nA,2023-05-01T00:00,O3,5\n"))
    with pytest.raises(InputError, match="没有 2024 年的数据"):
        to_cube(df, 2024, rep)
    assert (
        main(
            [
                "evaluate",
                "--input",
                str(tmp_path / "nope.csv"),
                "--year",
                "2024",
                "--format",
                "json",
                "--out",
                str(tmp_path / "o.json"),
            ]
        )
        == 2
    )
    assert (
        main(["evaluate", "--input", "x.csv", "--year", "2024", "--format", "xml", "--out", "o"])
        == 2
    )
    assert main([]) == 2 and main(["evaluate", "--help"]) == 0


def test_flags_offsets_units_and_warnings(tmp_path):
    p = _csv(
        tmp_path,
        "station,time,pollutant,value,flag,unit\n"
        "A,2024-01-01T00:00,PM10,50,,ug/m3\n"
        "A,2024-01-01T00:00,PM2.5,60,,µg/m³\n"  # above PM10: warned
        "A,2024-01-01T01:00:00+08:00,CO,1.2,,mg/m3\n"
        "A,2023-12-31T17:00Z,SO2,7,,\n"  # = 2024-01-01T01:00 local
        "A,2024-01-01T02:00,NO2,999,H,\n",
    )  # flagged -> missing
    df, rep = read_hourly(p)
    cube, stations = to_cube(df, 2024, rep)
    assert stations == ["A"] and rep.flagged == 1
    assert cube[0, 0, 1] == 7 and cube[0, 2, 1] == 1.2 and np.isnan(cube[0, 1, 2])
    assert any("PM2.5 大于同一小时的 PM10" in w and "A 2024-01-01T00:00" in w for w in rep.warnings)


def _wide(tmp_path, day, rows, name):
    head = "date,hour,type,1001A,1002A\n"
    return _csv(tmp_path, head + "".join(f"{day},{h},{t},{a},{b}\n" for h, t, a, b in rows), name)


def test_wide_daily_layout_shifts_hour_labels_to_starts(tmp_path):
    f1 = _wide(
        tmp_path,
        "20240101",
        [(1, "PM2.5", 10, 11), (1, "AQI", 40, 41), (1, "PM2.5_24h", 9, 9), (24, "O3", 50, "")],
        "d1.csv",
    )
    f2 = _wide(tmp_path, "20240102", [(0, "PM10", 70, 71)], "d2.csv")
    df, rep = read_hourly([f1, f2])
    assert rep.ignored_types == 2 and rep.missing == 1
    got = {(r["station"], r["time"], r["pollutant"]): r["value"] for r in df.iter_rows(named=True)}
    assert got[("1001A", dt.datetime(2024, 1, 1, 0), "PM2.5")] == 10  # 01 label = 00:00-01:00
    assert got[("1002A", dt.datetime(2024, 1, 1, 0), "PM2.5")] == 11
    assert got[("1001A", dt.datetime(2024, 1, 1, 23), "O3")] == 50  # 24 label = 23:00-24:00
    assert got[("1001A", dt.datetime(2024, 1, 1, 23), "PM10")] == 70  # day 2, label 0
    with pytest.raises(InputError, match="hour"):
        read_hourly(_wide(tmp_path, "20240101", [(25, "PM10", 1, 1)], "d3.csv"))


def test_xlsx_long_layout(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["station", "time", "pollutant", "value"])
    ws.append(["A", dt.datetime(2024, 3, 1, 5), "O3", 88])
    ws.append(["A", "2024-03-01T06:00", "O3", None])
    wb.save(tmp_path / "h.xlsx")
    df, rep = read_hourly(tmp_path / "h.xlsx")
    assert df.height == 2 and rep.missing == 1
    assert df.filter(pl.col("value").is_not_null())["time"][0] == dt.datetime(2024, 3, 1, 5)


def test_parquet_and_gbk_csv(tmp_path):
    times = [dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 1, 1)]
    pl.DataFrame(
        {"station": ["A", "A"], "time": times, "pollutant": ["PM10", "PM10"], "value": [5.0, None]}
    ).write_parquet(tmp_path / "h.parquet")
    df, rep = read_hourly(tmp_path / "h.parquet")
    assert df["value"].to_list() == [5.0, None] and rep.missing == 1
    (tmp_path / "g.csv").write_bytes(
        "station,time,pollutant,value\n城区站,2024-01-01T00:00,SO2,5\n".encode("gbk")
    )
    assert read_hourly(tmp_path / "g.csv")[0]["station"].to_list() == ["城区站"]
