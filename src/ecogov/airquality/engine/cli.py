"""Command line: ``evaluate`` a year of hourly data without a database (issue 6).

    python -m ecogov.airquality.engine.cli evaluate --input FILE [FILE ...] --year YYYY
        [--edition auto|2012|2026] [--method bulletin|strict] --format json|csv --out PATH

Exit status: 0 done, 2 bad arguments or bad input (messages in Chinese on stderr).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

from .annual import PCT_RANK, evaluate, result_to_dict
from .editions import POLLUTANTS
from .io import InputError, read_hourly, to_cube
from .options import Options

CSV_COLUMNS = (
    "year",
    "edition",
    "limit_set",
    "method",
    "scope",
    "id",
    "pollutant",
    "annual_mean",
    "percentile",
    "percentile_rank",
    "valid",
    "attained",
    "exceedance_pct",
    "reduction_needed_pct",
    "good_days_ratio_pct",
    "composite_index",
)


class _Parser(argparse.ArgumentParser):
    def error(
        self, message: str
    ) -> NoReturn:  # argparse's own message, with our exit status and a Chinese lead
        self.print_usage(sys.stderr)
        sys.stderr.write(f"参数错误：{message}\n")
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="ecogov airquality", description="环境空气质量评价（HJ 633 / HJ 663）")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("evaluate", help="按年评价站点和城市的环境空气质量")
    e.error = p.error  # type: ignore[method-assign]
    e.add_argument(
        "--input",
        nargs="+",
        required=True,
        metavar="FILE",
        help="小时数据文件：长表 CSV（station,time,pollutant,value）或日发布宽表",
    )
    e.add_argument("--year", type=int, required=True, metavar="YYYY", help="评价年份")
    e.add_argument(
        "--edition",
        choices=("auto", "2012", "2026"),
        default="auto",
        help="标准版本：auto 按数据日期（默认）、2012 或 2026",
    )
    e.add_argument(
        "--method",
        choices=("bulletin", "strict"),
        default="bulletin",
        help="达标判定：bulletin 公报口径（默认）或 strict 年均值与百分位数均达标",
    )
    e.add_argument("--format", choices=("json", "csv"), required=True, help="输出格式")
    e.add_argument("--out", required=True, metavar="PATH", help="输出文件路径，- 为标准输出")
    return p


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _csv_rows(doc: dict) -> Iterator[list[str]]:
    head = [doc["year"], doc["edition"], doc["limit_set"], doc["method"]]
    scopes = [("station", k, v) for k, v in doc["stations"].items()]
    if "city" in doc:
        scopes.append(("city", "city", doc["city"]))
    for scope, sid, r in scopes:
        for j, p in enumerate(POLLUTANTS):
            d = r["pollutants"][p]
            yield head + [
                scope,
                sid,
                p,
                d.get("annual_mean"),
                d["percentile"],
                int(PCT_RANK[j]),
                d["valid"],
                d["attained"],
                d["exceedance_pct"],
                d["reduction_needed_pct"],
                None,
                None,
            ]
        # One summary row per scope: overall attainment, good-day ratio, composite index.
        yield head + [
            scope,
            sid,
            "ALL",
            None,
            None,
            None,
            None,
            r["attained"],
            None,
            None,
            r["good_days_ratio_pct"],
            r["composite_index"],
        ]


def _write(doc: dict, fmt: str, out: str) -> None:
    stream = sys.stdout if out == "-" else open(out, "w", encoding="utf-8", newline="")
    try:
        if fmt == "json":
            # Compact: indent would switch json to its pure-Python encoder (10x slower).
            json.dump(doc, stream, ensure_ascii=False, separators=(",", ":"))
            stream.write("\n")
        else:
            w = csv.writer(stream, lineterminator="\n")
            w.writerow(CSV_COLUMNS)
            for row in _csv_rows(doc):
                w.writerow([_fmt(v) for v in row])
    finally:
        if stream is not sys.stdout:
            stream.close()


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:  # --help (0) or bad arguments (2): return, do not exit the caller
        return int(e.code or 0)
    try:
        if args.out != "-" and not Path(args.out).parent.is_dir():
            raise InputError(f"输出目录不存在：{Path(args.out).parent}")
        df, rep = read_hourly(args.input)
        cube, stations = to_cube(df, args.year, rep)
        res = evaluate(cube, stations, args.year, args.edition, Options(method=args.method))
        doc = result_to_dict(res, with_days=(args.format == "json"))
        _write(doc, args.format, args.out)
    except (InputError, ValueError, OSError) as e:
        sys.stderr.write(f"错误：{e}\n")
        return 2
    for w in rep.warnings:
        sys.stderr.write(f"警告：{w}\n")
    notes = [f"读入 {rep.rows} 行"]
    if rep.missing:
        notes.append(f"{rep.missing} 个缺测值")
    if rep.flagged:
        notes.append(f"{rep.flagged} 个标记为无效的值按缺测处理")
    if rep.outside_year:
        notes.append(f"{rep.outside_year} 行不在 {args.year} 年内，未参与评价")
    if rep.ignored_types:
        notes.append(f"宽表中 {rep.ignored_types} 行非六项污染物小时值（如 AQI、24h 值），已忽略")
    sys.stderr.write("；".join(notes) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
