"""Row-tolerant reading of hourly files for the database import (issue 6).

The engine's readers (engine/io.py) are all or nothing, which suits a batch evaluation. The
import is row-tolerant, as the issue asks: it keeps every valid value and reports every
problem by file, line and field. Both use the engine's table reader (CSV in UTF-8 or
GB18030, .xlsx, .parquet), its pollutant names and its time pattern. A value is stored as it
was received, or it is rejected and reported. Nothing is changed.

Output: one cell per (station, hour, pollutant). `hour` is the naive local START of the hour.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl

from .engine.io import _ALIASES, _TIME_RE, _UNITS, InputError, read_table

__all__ = ["InputError", "Parsed", "Problem", "parse_file"]

FLAG_MAX = 8
_META = ("date", "hour", "type", "_file", "_line")
_HOUR_FMT = "%Y-%m-%dT%H:%M"


@dataclass
class Problem:
    file: str
    line: int  # line 1 is the header
    field: str
    message: str
    kind: str = "error"  # error: not imported; warning: imported, see the message

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Parsed:
    cells: pl.DataFrame  # station, hour, pollutant, value, flag, _file, _line
    layout: str  # "long" or "wide"
    rows: int = 0
    missing: int = 0  # empty values without a flag: nothing to store
    ignored: int = 0  # wide rows that are not hourly values of the six pollutants
    rejected: int = 0  # values not imported because of an error
    problems: list = field(default_factory=list)


def _emit(parsed: Parsed, df: pl.DataFrame, checks) -> pl.DataFrame:
    """Report every failed check of every row; return the rows that passed all of them.

    ``checks``: (condition, field, message template over the row's columns). A row with
    several problems gets one message per problem, so one correction pass fixes the file.
    """
    conds = [c.fill_null(False) for c, _f, _m in checks]
    if not conds:
        return df
    df = df.with_columns([c.alias(f"_bad{i}") for i, c in enumerate(conds)])
    for i, (_c, fld, msg) in enumerate(checks):
        for r in df.filter(pl.col(f"_bad{i}")).iter_rows(named=True):
            parsed.problems.append(
                Problem(r["_file"], r["_line"], fld.format(**r), msg.format(**r))
            )
    bad = pl.any_horizontal([pl.col(f"_bad{i}") for i in range(len(conds))])
    parsed.rejected += df.filter(bad).height
    return df.filter(~bad).drop([f"_bad{i}" for i in range(len(conds))])


def _value_checks(column: str, field_name: str):
    v = pl.col("value")
    raw = pl.col(column)
    return [
        (
            (raw != "") & (v.is_null() | ~v.is_finite()),
            field_name,
            "值 '{%s}' 不是数字(缺测请留空)" % column,
        ),
        (v < 0, field_name, "值 {%s} 为负数:浓度不能为负,未导入(无效数据请留空或加标记)" % column),
    ]


def _long(df: pl.DataFrame, parsed: Parsed, known: set, outside: set) -> pl.DataFrame:
    g = pl.col("time").str.extract_groups(_TIME_RE)
    df = df.with_columns(
        [g.struct.field(k).alias(f"_{k}") for k in ("y", "mo", "d", "h", "mi", "s", "f", "tz")]
    )
    zero = lambda c: pl.col(c).is_null() | (pl.col(c).str.strip_chars("0") == "")  # noqa: E731
    stamp = (
        pl.concat_str([pl.col("_y"), pl.col("_mo"), pl.col("_d")], separator="-")
        + " "
        + pl.col("_h")
        + ":00"
    ).str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M", strict=False)
    tz = pl.col("_tz").str.replace(":", "")
    offset = (
        pl.when(tz.is_null())
        .then(480)
        .when(tz == "Z")
        .then(0)
        .otherwise(
            (tz.str.slice(1, 2).cast(pl.Int32) * 60 + tz.str.slice(3, 2).cast(pl.Int32))
            * pl.when(tz.str.starts_with("-")).then(-1).otherwise(1)
        )
    )
    df = df.with_columns(_stamp=stamp, _off=offset)
    df = df.with_columns(
        hour=pl.col("_stamp") + pl.duration(minutes=480 - pl.col("_off")),  # to local time
        pollutant=pl.col("pollutant")
        .str.to_uppercase()
        .str.replace_all(" ", "")
        .replace_strict(_ALIASES, default=None),
        value=pl.col("value").cast(pl.Float64, strict=False),
        flag=pl.col("flag") if "flag" in df.columns else pl.lit(""),
        _raw_pollutant=pl.col("pollutant"),
        _raw_value=pl.col("value"),
    )
    parsed_time = pl.col("_y").is_not_null()
    on_hour = zero("_mi") & zero("_s") & zero("_f")
    checks = [
        (
            ~parsed_time,
            "time",
            "值 '{time}' 无法解析(应为 ISO 8601 本地整点时间,如 2024-01-01T00:00)",
        ),
        (parsed_time & ~on_hour, "time", "值 '{time}' 不是整点(应为小时的起始时刻)"),
        (
            parsed_time & on_hour & pl.col("_stamp").is_null(),
            "time",
            "值 '{time}' 不是有效的日期时间",
        ),
        (
            pl.col("pollutant").is_null(),
            "pollutant",
            "值 '{_raw_pollutant}' 未知(应为 SO2、NO2、CO、O3、PM10、PM2.5 之一)",
        ),
        (pl.col("station") == "", "station", "站点为空"),
        (
            (pl.col("station") != "") & pl.col("station").is_in(list(outside)),
            "station",
            "站点 '{station}' 不属于您可导入的城市(只有该市的市级人员可导入)",
        ),
        (
            (pl.col("station") != "") & ~pl.col("station").is_in(list(known | outside)),
            "station",
            "站点 '{station}' 未登记(请先在“监测站点”中登记)",
        ),
        (
            pl.col("flag").str.len_chars() > FLAG_MAX,
            "flag",
            "标记 '{flag}' 超过 %d 个字符" % FLAG_MAX,
        ),
        *_value_checks("_raw_value", "value"),
    ]
    if "unit" in df.columns:
        unit = (
            pl.col("unit")
            .str.to_lowercase()
            .str.replace("³", "3")
            .replace_strict(_UNITS, default=None)
        )
        want = pl.when(pl.col("pollutant") == "CO").then(pl.lit("mg/m3")).otherwise(pl.lit("µg/m3"))
        df = df.with_columns(_want=want)
        checks.append(
            (
                (pl.col("unit") != "")
                & pl.col("pollutant").is_not_null()
                & (unit.is_null() | (unit != want)),
                "unit",
                "单位 '{unit}' 不符:{pollutant} 应以 {_want} 计",
            )
        )
    return _emit(parsed, df, checks)


def _wide(df: pl.DataFrame, parsed: Parsed, known: set, outside: set) -> pl.DataFrame:
    columns = [c for c in df.columns if c not in _META]
    df = df.with_columns(
        pollutant=pl.col("type")
        .str.to_uppercase()
        .str.replace_all(" ", "")
        .replace_strict(_ALIASES, default=None)
    )
    other = df.filter(pl.col("pollutant").is_null())
    if other.height:  # AQI, *_24h, O3_8h rows: not hourly values, counted and reported
        parsed.ignored += other.height
        kinds = "、".join(sorted(set(other["type"].to_list()))[:8])
        parsed.problems.append(
            Problem(
                str(other["_file"][0]),
                int(other["_line"][0]),
                "type",
                f"{other.height} 行不是六项污染物的小时值({kinds}),按规定不导入",
                "warning",
            )
        )
    df = df.filter(pl.col("pollutant").is_not_null())
    filled = {c: df.filter(pl.col(c) != "").height for c in columns}
    columns = [c for c in columns if filled[c] or c in known]  # drop empty trailing columns
    for c in columns:
        if c not in known:
            why = (
                "不属于您可导入的城市(只有该市的市级人员可导入)"
                if c in outside
                else "未登记(请先在“监测站点”中登记)"
            )
            parsed.problems.append(
                Problem(
                    str(df["_file"][0]), 1, c, f"站点列 '{c}' {why},该列 {filled[c]} 个数值未导入"
                )
            )
            parsed.rejected += filled[c]
    stations = [c for c in columns if c in known]
    day = (
        pl.col("date")
        .str.slice(0, 10)
        .str.replace_all("-", "")
        .str.strptime(pl.Date, "%Y%m%d", strict=False)
    )
    h = pl.col("hour").cast(pl.Float64, strict=False)  # Excel gives 1.0 for 1
    df = df.with_columns(
        _day=day,
        _h=pl.when(h == h.floor()).then(h).cast(pl.Int32),
        _cells=pl.sum_horizontal(
            [(pl.col(c) != "").cast(pl.Int32) for c in stations] or [pl.lit(0)]
        ),
    )
    bad_day = pl.col("_day").is_null()
    bad_hour = pl.col("_h").is_null() | (pl.col("_h") < 0) | (pl.col("_h") > 24)
    for r in df.filter(bad_day | bad_hour).iter_rows(named=True):
        if r["_day"] is None:
            parsed.problems.append(
                Problem(
                    r["_file"],
                    r["_line"],
                    "date",
                    f"值 '{r['date']}' 无法解析(应为 YYYYMMDD),本行未导入",
                )
            )
        if r["_h"] is None or not 0 <= r["_h"] <= 24:
            parsed.problems.append(
                Problem(
                    r["_file"],
                    r["_line"],
                    "hour",
                    f"值 '{r['hour']}' 无效(应为 0–24 的整数,表示小时的结束时刻),本行未导入",
                )
            )
        parsed.rejected += r["_cells"]
    df = df.filter(~(bad_day | bad_hour))
    # The label is the END of the hour (issue 6, spec §3.1): start = label - 1 h.
    df = df.with_columns(
        hour=pl.col("_day").cast(pl.Datetime("us")) + pl.duration(hours=pl.col("_h") - 1)
    )
    if not stations:
        return df.head(0).with_columns(
            station=pl.lit(""), value=pl.lit(None, pl.Float64), flag=pl.lit(""), _raw=pl.lit("")
        )
    cells = df.unpivot(
        on=stations,
        index=["hour", "pollutant", "_file", "_line"],
        variable_name="station",
        value_name="_raw",
    )
    cells = cells.with_columns(value=pl.col("_raw").cast(pl.Float64, strict=False), flag=pl.lit(""))
    return _emit(parsed, cells, _value_checks("_raw", "{station}"))


def _duplicates(cells: pl.DataFrame, parsed: Parsed) -> pl.DataFrame:
    """Identical copies are imported once (warning); differing copies are all rejected."""
    key = ["station", "hour", "pollutant"]
    dup = cells.filter(pl.struct(key).is_duplicated())
    if not dup.height:
        return cells
    groups = dup.group_by(key, maintain_order=True).agg(
        lines=pl.col("_line").sort(),
        file=pl.col("_file").first(),
        same=pl.struct("value", "flag").n_unique() == 1,
    )
    conflict = []
    for r in groups.iter_rows(named=True):
        what = f"站点 {r['station']} {r['hour']:{_HOUR_FMT}} {r['pollutant']}"
        lines = "、".join(map(str, r["lines"]))
        if r["same"]:
            for line in r["lines"][1:]:
                parsed.problems.append(
                    Problem(
                        r["file"],
                        line,
                        "",
                        f"{what} 与第 {r['lines'][0]} 行重复(数值相同),只导入一次",
                        "warning",
                    )
                )
        else:
            conflict.append(r)
            for line in r["lines"]:
                parsed.problems.append(
                    Problem(
                        r["file"], line, "", f"{what} 在第 {lines} 行重复出现且数值不同,均未导入"
                    )
                )
            parsed.rejected += len(r["lines"])
    if conflict:
        bad = pl.DataFrame(conflict).select(key)
        cells = cells.join(bad, on=key, how="anti")
    return cells.unique(subset=key, keep="first", maintain_order=True)


def parse_file(path: str | Path, name: str | None = None, *, known=(), outside=()) -> Parsed:
    """Read one file of either layout (told apart by its header) into valid cells + problems.

    ``known``: station codes the importer may write; ``outside``: registered stations he may
    not (reported differently from unknown codes). Raises InputError for an unreadable file.
    """
    name = name or Path(path).name
    table = read_table(path, name)
    table = table.with_columns(_file=pl.lit(name))
    cols = set(table.columns)
    known, outside = set(known), set(outside) - set(known)
    if {"station", "time", "pollutant", "value"} <= cols:
        parsed = Parsed(pl.DataFrame(), "long", rows=table.height)
        cells = _long(table, parsed, known, outside)
    elif {"date", "hour", "type"} <= cols:
        parsed = Parsed(pl.DataFrame(), "wide", rows=table.height)
        cells = _wide(table, parsed, known, outside)
    else:
        raise InputError(
            f"文件 {name}:表头应含 station,time,pollutant,value(长表)"
            f"或 date,hour,type(日发布宽表),实际为 {', '.join(table.columns)}"
        )
    cells = cells.select(
        "station", "hour", "pollutant", "value", pl.col("flag").fill_null(""), "_file", "_line"
    )
    empty = cells["value"].is_null() & (cells["flag"] == "")
    parsed.missing = int(empty.sum())
    cells = _duplicates(cells.filter(~empty), parsed)
    parsed.cells = cells
    parsed.problems.sort(key=lambda p: (p.line, p.field))
    return parsed
