"""Readers for hourly monitoring data, producing the dense cube the engine evaluates.

Long layout (CSV / .xlsx / .parquet): columns ``station,time,pollutant,value`` and optional
``flag`` (non-empty = invalid, treated as missing) and ``unit``. ``time`` is ISO 8601, the
local (Asia/Shanghai) START of the hour; an explicit offset is converted to local time.
Empty ``value`` = missing. Wide daily publishing layout (one file per day): columns
``date,hour,type`` then one column per station; ``type`` rows other than the six pollutants
(AQI, PM2.5_24h, O3_8h, ...) are ignored; ``hour`` labels the END of the hour, so an hour
labelled h on day D starts at D h:00 minus one hour (spec §3.1 [M]).

Bad input raises :class:`InputError` naming file, line and field, in Chinese. Nothing is
changed silently: suspicious values (PM2.5 above PM10, CO that looks like µg/m³) are kept and
reported as warnings.
"""

from __future__ import annotations

import datetime as dt
import io as _io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from .editions import POLLUTANTS

_ALIASES = {p.upper(): p for p in POLLUTANTS} | {"PM25": "PM2.5", "PM2_5": "PM2.5"}
_UNITS = {"ug/m3": "µg/m3", "µg/m3": "µg/m3", "μg/m3": "µg/m3", "mg/m3": "mg/m3"}
_TIME_RE = (
    r"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})[T ](?<h>\d{2})"
    r"(?::(?<mi>\d{2})(?::(?<s>\d{2})(?:\.(?<f>\d+))?)?)?\s*(?<tz>Z|[+-]\d{2}:?\d{2})?$"
)
_MAX_SHOWN = 10


class InputError(ValueError):
    """Input data that cannot be evaluated; the message lists the offending rows."""


@dataclass
class ReadReport:
    rows: int = 0
    missing: int = 0
    flagged: int = 0
    outside_year: int = 0
    ignored_types: int = 0
    warnings: list = field(default_factory=list)


def _fail(problems: pl.DataFrame, what: str) -> None:
    """Raise with up to _MAX_SHOWN offending rows (columns _file, _line, and the shown text)."""
    n = problems.height
    if not n:
        return
    lines = [
        f"文件 {r['_file']} 第 {r['_line']} 行：{what.format(**r)}"
        for r in problems.head(_MAX_SHOWN).iter_rows(named=True)
    ]
    if n > _MAX_SHOWN:
        lines.append(f"……共 {n} 处")
    raise InputError("\n".join(lines))


def read_table(path: str | Path, name: str | None = None) -> pl.DataFrame:
    """All cells as text, with ``_file`` and ``_line`` (line 1 is the header). ``name``: the
    file's name in messages (an upload's own name, not its temporary file's)."""
    p = Path(path)
    shown = name or p.name
    if not p.is_file():
        raise InputError(f"找不到输入文件：{p}")
    suffix = p.suffix.lower()
    if suffix == ".parquet":
        try:
            df = pl.read_parquet(p)
        except pl.exceptions.PolarsError:
            raise InputError(f"文件 {shown} 不是有效的 Parquet 文件（可能已损坏）") from None
        df = df.with_columns(pl.all().cast(pl.String))
    elif suffix == ".xlsx":
        from ecogov.core.spreadsheet import WorkbookError, iter_rows  # the project's reader

        try:
            lines = dict(iter_rows(p))
        except WorkbookError as e:
            raise InputError(f"文件 {shown} 无法读取为 Excel(.xlsx)文件：{e.reason}") from None
        width = max(map(len, lines.values()), default=0)
        rows = []
        for n in range(1, max(lines, default=0) + 1):  # every line from 1, empty ones too
            cells = ["" if c is None else str(c) for c in lines.get(n, ())]
            rows.append(cells + [""] * (width - len(cells)))
        if not rows:
            raise InputError(f"文件 {shown} 是空的")
        header = [h.strip() for h in rows[0]]
        body = [r + [""] * (len(header) - len(r)) for r in rows[1:]]
        df = (
            pl.DataFrame(body, schema=header, orient="row")
            if body
            else pl.DataFrame(schema={h: pl.String for h in header})
        )
    elif suffix in (".csv", ".txt"):
        raw = p.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")  # files saved by Chinese Excel
            except UnicodeDecodeError:
                raise InputError(
                    f"文件 {shown} 不是 UTF-8 或 GB18030 编码的文本（可能已损坏，或是改了扩展名的"
                    "其他文件）：请在 Excel 中另存为“CSV UTF-8”后再导入"
                ) from None
        try:
            df = pl.read_csv(_io.StringIO(text), infer_schema=False)
        except pl.exceptions.PolarsError:
            raise InputError(f"文件 {shown} 不是有效的 CSV（各行列数不一致或引号未闭合）") from None
    else:
        raise InputError(f"文件 {shown} 的格式不受支持：请用 .csv、.xlsx 或 .parquet")
    df = df.rename(
        {
            c: c.strip().lower()
            if c.strip().lower()
            in ("station", "time", "pollutant", "value", "flag", "unit", "date", "hour", "type")
            else c.strip()
            for c in df.columns
        }
    )
    return df.with_columns(pl.all().fill_null("").str.strip_chars()).with_columns(
        _file=pl.lit(p.name), _line=pl.int_range(2, df.height + 2, dtype=pl.Int64)
    )


def _parse_values(df: pl.DataFrame, rep: ReadReport) -> pl.DataFrame:
    df = df.with_columns(value=pl.col("_raw").cast(pl.Float64, strict=False))
    _fail(
        df.filter(
            (pl.col("_raw") != "") & (pl.col("value").is_null() | ~pl.col("value").is_finite())
        ),
        "字段 {_field} 的值 '{_raw}' 不是数字（缺测请留空）",
    )
    _fail(df.filter(pl.col("value") < 0), "字段 {_field} 的值 {_raw} 为负数，浓度不能为负")
    rep.missing += df.filter(pl.col("value").is_null()).height
    return df


def _long(df: pl.DataFrame, rep: ReadReport) -> pl.DataFrame:
    g = pl.col("_t").str.extract_groups(_TIME_RE).alias("_g")
    df = df.with_columns(_t=pl.col("time")).with_columns(g).unnest("_g")
    _fail(
        df.filter(pl.col("y").is_null()).with_columns(_v=pl.col("time")),
        "字段 time 的值 '{_v}' 无法解析（应为 ISO 8601 本地整点时间，如 2024-01-01T00:00）",
    )
    zero = lambda c: pl.col(c).is_null() | (pl.col(c).str.strip_chars("0") == "")  # noqa: E731
    _fail(
        df.filter(~(zero("mi") & zero("s") & zero("f"))).with_columns(_v=pl.col("time")),
        "字段 time 的值 '{_v}' 不是整点（应为小时的起始时刻）",
    )
    tz = pl.col("tz").str.replace(":", "")
    off = (
        pl.when(tz.is_null())
        .then(480)
        .when(tz == "Z")
        .then(0)
        .otherwise(
            (tz.str.slice(1, 2).cast(pl.Int32) * 60 + tz.str.slice(3, 2).cast(pl.Int32))
            * pl.when(tz.str.starts_with("-")).then(-1).otherwise(1)
        )
    )
    stamp = (
        pl.concat_str([pl.col("y"), pl.col("mo"), pl.col("d")], separator="-")
        + " "
        + pl.col("h")
        + ":00"
    )
    df = df.with_columns(
        _time=stamp.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M", strict=False), _off=off
    )
    _fail(
        df.filter(pl.col("_time").is_null()).with_columns(_v=pl.col("time")),
        "字段 time 的值 '{_v}' 不是有效的日期时间",
    )
    df = df.with_columns(time=pl.col("_time") + pl.duration(minutes=480 - pl.col("_off")))
    df = df.with_columns(_p=pl.col("pollutant").str.to_uppercase().str.replace_all(" ", ""))
    df = df.with_columns(pollutant=pl.col("_p").replace_strict(_ALIASES, default=None))
    _fail(
        df.filter(pl.col("pollutant").is_null()).with_columns(_v=pl.col("_p")),
        "字段 pollutant 的值 '{_v}' 未知（应为 SO2、NO2、CO、O3、PM10、PM2.5 之一）",
    )
    _fail(df.filter(pl.col("station") == ""), "字段 station 为空")
    if "unit" in df.columns:
        u = (
            pl.col("unit")
            .str.to_lowercase()
            .str.replace("³", "3")
            .replace_strict(_UNITS, default=None)
        )
        want = pl.when(pl.col("pollutant") == "CO").then(pl.lit("mg/m3")).otherwise(pl.lit("µg/m3"))
        _fail(
            df.filter((pl.col("unit") != "") & (u.is_null() | (u != want))).with_columns(_w=want),
            "字段 unit 的值 '{unit}' 不符：{pollutant} 应以 {_w} 计",
        )
    df = df.with_columns(_raw=pl.col("value"), _field=pl.lit("value"))
    df = _parse_values(df, rep)
    if "flag" in df.columns:
        flagged = (pl.col("flag") != "") & pl.col("value").is_not_null()
        rep.flagged += df.filter(flagged).height
        df = df.with_columns(
            value=pl.when(pl.col("flag") != "").then(None).otherwise(pl.col("value"))
        )
    return df.select("station", "time", "pollutant", "value", "_file", "_line", "_field")


def _wide(df: pl.DataFrame, rep: ReadReport) -> pl.DataFrame:
    stations = [c for c in df.columns if c not in ("date", "hour", "type", "_file", "_line")]
    if not stations:
        raise InputError(f"文件 {df['_file'][0]}：没有站点列")
    d = pl.col("date").str.slice(0, 10).str.replace_all("-", "")
    hour = pl.col("hour").cast(pl.Float64, strict=False)  # Excel gives 1.0 for 1
    df = df.with_columns(
        _day=d.str.strptime(pl.Date, "%Y%m%d", strict=False),
        _hour=pl.when(hour == hour.floor()).then(hour).cast(pl.Int32),
    )
    _fail(df.filter(pl.col("_day").is_null()), "字段 date 的值 '{date}' 无法解析（应为 YYYYMMDD）")
    _fail(
        df.filter(pl.col("_hour").is_null() | (pl.col("_hour") < 0) | (pl.col("_hour") > 24)),
        "字段 hour 的值 '{hour}' 无效（应为 0–24 的整数，表示小时的结束时刻）",
    )
    df = df.with_columns(
        pollutant=pl.col("type").str.to_uppercase().replace_strict(_ALIASES, default=None)
    )
    rep.ignored_types += df.filter(pl.col("pollutant").is_null()).height
    df = df.filter(pl.col("pollutant").is_not_null())
    # The label is the END of the hour (issue 6, spec §3.1): start = label - 1 h.
    df = df.with_columns(
        time=pl.col("_day").cast(pl.Datetime("us")) + pl.duration(hours=pl.col("_hour") - 1)
    )
    long = df.unpivot(
        on=stations,
        index=["time", "pollutant", "_file", "_line"],
        variable_name="station",
        value_name="_raw",
    )
    long = long.with_columns(_field=pl.col("station"))
    long = _parse_values(long, rep)
    return long.select("station", "time", "pollutant", "value", "_file", "_line", "_field")


def read_hourly(paths: Any, known_stations: Any = None) -> tuple[pl.DataFrame, ReadReport]:
    """Read long or wide files (detected by header) into one long frame, validated."""
    rep = ReadReport()
    parts = []
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        t = read_table(path)
        cols = set(t.columns)
        if {"station", "time", "pollutant", "value"} <= cols:
            parts.append(_long(t, rep))
        elif {"date", "hour", "type"} <= cols:
            parts.append(_wide(t, rep))
        else:
            raise InputError(
                f"文件 {Path(path).name}：表头应含 station,time,pollutant,value"
                f"（长表）或 date,hour,type（日发布宽表），实际为 {', '.join(t.columns)}"
            )
    df = pl.concat(parts) if parts else pl.DataFrame()
    rep.rows = df.height
    if known_stations is not None:
        _fail(
            df.filter(~pl.col("station").is_in(list(known_stations))).with_columns(
                _v=pl.col("station")
            ),
            "站点 '{_v}' 未登记",
        )
    dup = df.filter(pl.struct("station", "time", "pollutant").is_duplicated())
    if dup.height:
        first = (
            dup.group_by("station", "time", "pollutant", maintain_order=True)
            .agg(
                pl.concat_str(
                    [pl.col("_file"), pl.col("_line").cast(pl.String)], separator=":"
                ).alias("_where")
            )
            .head(_MAX_SHOWN)
        )
        lines = [
            f"重复数据：站点 {r['station']} {r['time']:%Y-%m-%dT%H:%M} {r['pollutant']} "
            f"出现于 {', '.join(r['_where'])}"
            for r in first.iter_rows(named=True)
        ]
        raise InputError("\n".join(lines))
    return df, rep


def to_cube(
    df: pl.DataFrame, year: int, rep: ReadReport | None = None
) -> tuple[np.ndarray, list[str]]:
    """Dense (stations, 6, hours of ``year``) float64 cube, NaN = missing; stations sorted."""
    rep = rep or ReadReport()
    start = dt.datetime(year, 1, 1)
    hours = int((dt.datetime(year + 1, 1, 1) - start).total_seconds() // 3600)
    inyear = df.filter(pl.col("time").dt.year() == year)
    rep.outside_year += df.height - inyear.height
    if not inyear.height:
        raise InputError(f"输入中没有 {year} 年的数据")
    stations = sorted(inyear["station"].unique().to_list())
    idx = inyear.select(
        s=pl.col("station").cast(pl.Enum(stations)).to_physical().cast(pl.Int64),
        p=pl.col("pollutant").cast(pl.Enum(list(POLLUTANTS))).to_physical().cast(pl.Int64),
        h=((pl.col("time") - pl.lit(start)).dt.total_hours()).cast(pl.Int64),
        v=pl.col("value").fill_null(np.nan),
    )
    cube = np.full((len(stations), 6, hours), np.nan)
    cube[idx["s"].to_numpy(), idx["p"].to_numpy(), idx["h"].to_numpy()] = idx["v"].to_numpy()
    _check_plausible(cube, stations, start, rep)
    return cube, stations


def _check_plausible(
    cube: np.ndarray, stations: Sequence[str], start: Any, rep: ReadReport
) -> None:
    """Warnings only: flag, do not drop (issue 6)."""
    with np.errstate(invalid="ignore"):
        bad_pm = cube[:, 5] > cube[:, 4]
        bad_co = cube[:, 2] > 100.0  # above the CO 1h table top (150) territory: µg/m³?
    for mask, what in (
        (bad_pm, "PM2.5 大于同一小时的 PM10"),
        (bad_co, "CO 超过 100 mg/m³，疑似以 µg/m³ 填报"),
    ):
        n = int(mask.sum())
        if n:
            s, h = np.nonzero(mask)
            where = "、".join(
                f"{stations[a]} {start + dt.timedelta(hours=int(b)):%Y-%m-%dT%H:%M}"
                for a, b in zip(s[:5], h[:5])
            )
            rep.warnings.append(f"{n} 个小时 {what}（已保留，未修改），例如：{where}")
