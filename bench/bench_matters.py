"""Benchmark of the assigned-matter engine (issue 4, "Performance"). Not a test.

1,000,000 matters across 200 responsible units (2016–2026, the four kinds), on a database of
its own (never var/ecogov.sqlite3), built by the product's synthetic data, the matters alone
(`ecogov synth --only matters`, docs/synth.md: a bureau's shapes, most closed in time):
  1. a unit's overdue list, rendered by the back office (the page, through the test client),
     for the unit's own reporter and for the city leader picking that unit   target ≤ 300 ms
  2. a 50,000-row petition ledger imported with full validation              target ≤ 60 s
  3. the year's figures for the city                                          target ≤ 1 s
Each against a naive baseline in the same run (rows loaded and filtered in Python; one service
call per row, timed on 1,000 rows and extrapolated). Medians of --runs runs.

    PYTHONPATH=src .venv/bin/python bench/bench_matters.py    # SQLite, /tmp/ecogov_bench_matters/
    PYTHONPATH=src .venv/bin/python bench/bench_matters.py \
        --database-url postgres://postgres@127.0.0.1:5432/matters_bench    # PostgreSQL
Options: --matters N --units N --import-rows N --runs N --reuse (keep a generated database;
its missing migrations are applied) --skip-import (the reads only). Set-up: bench/_db.py.
The background matters are bulk-written with their units and assignments, without history rows
or events (no measured path reads them); the imports measured write everything the services
write (history, assignments, events).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import time

from _db import setup_django
from _report import Report, met


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: SQLite, /tmp/ecogov_bench_matters/")
    parser.add_argument("--matters", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--import-rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep an already generated database")
    parser.add_argument("--skip-import", action="store_true", help="measure the reads only")
    return parser.parse_args()


ARGS = parse_args()
GENERATED = setup_django("matters", ARGS.database_url, reuse=ARGS.reuse)  # a database of its own

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

TODAY = dt.date.today()
YEAR = 2025


def timed(fn, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


# --- generation ----------------------------------------------------------------------------
FIRST_YEAR, LAST_YEAR = 2016, 2026


def generate(n: int, units: int) -> None:
    """The matters through the product's synthetic data, one area alone (docs/synth.md):
    `ecogov synth --only matters`, with `units` responsible units, over 2016–2026."""
    from ecogov.core.synth import run

    run(
        only="matters",
        records=n,
        volumes={"units": units},
        seed=4,
        year=LAST_YEAR,
        years=LAST_YEAR - FIRST_YEAR + 1,
        out=print,
    )


def bench_units():
    """The synthetic responsible units and the reporter of the eighth (a user of the bench)."""
    from ecogov.core.models import Organisation, StaffProfile
    from ecogov.core.synth import BASE

    units = list(
        Organisation.objects.filter(pk__gte=BASE, name__startswith="合成责任单位").order_by("pk")
    )
    user, created = User.objects.get_or_create(
        username="bench_reporter", defaults={"is_staff": True}
    )
    if created:
        StaffProfile.objects.create(user=user, full_name="基准填报员", organisation=units[7])
        user.groups.set([Group.objects.get(name="department_reporter")])
    return units, user


def analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# --- 1. a unit's overdue list --------------------------------------------------------------
def bench_overdue(unit, reporter) -> dict:
    from ecogov.matters import queries
    from ecogov.matters.models import Matter, MatterUnit

    url = reverse("admin:matters-overdue")
    as_unit, as_leader = Client(), Client()
    as_unit.force_login(reporter)
    as_leader.force_login(User.objects.get(username="leader"))

    def page_unit():
        response = as_unit.get(url)
        assert response.status_code == 200 and b"overdue-list" in response.content

    def page_leader():
        response = as_leader.get(url, {"unit": unit.pk})
        assert response.status_code == 200 and b"overdue-list" in response.content

    def naive():  # every matter of the unit loaded, filtered and sorted in Python
        ids = set(MatterUnit.objects.filter(organisation=unit).values_list("matter_id", flat=True))
        rows = [
            m
            for m in Matter.objects.filter(pk__in=ids)
            if m.is_open and m.done_on is None and m.due_on and m.due_on < TODAY
        ]
        return sorted(rows, key=lambda m: (m.due_on, m.pk))[:100]

    def query_only():  # the list's own work, as the page does it: the scoped ordered ids once,
        # then the first page's rows
        ids = list(queries.unit_overdue(reporter, unit, today=TODAY).values_list("pk", flat=True))
        return len(ids), list(Matter.objects.in_bulk(ids[:100]).values())

    empty = reverse("admin:matters_reminderlog_changelist")

    def chrome():  # the back office's frame around any list: an empty list page
        assert as_unit.get(empty).status_code == 200

    page_unit(), page_leader(), chrome()  # warm caches, as a server would be
    total = MatterUnit.objects.filter(organisation=unit).count()
    return {
        "unit_matters": total,
        "unit_overdue": query_only()[0],
        "reporter_ms": timed(page_unit, ARGS.runs)[0] * 1000,
        "leader_ms": timed(page_leader, ARGS.runs)[0] * 1000,
        "query_ms": timed(query_only, ARGS.runs)[0] * 1000,
        "chrome_ms": timed(chrome, ARGS.runs)[0] * 1000,
        "naive_ms": timed(naive, 3)[0] * 1000,
    }


# --- 2. a 50,000-row ledger ----------------------------------------------------------------
def ledger_file(rows: int, prefix: str, source_name: str, units) -> io.BytesIO:
    import openpyxl

    from ecogov.core.models import Division, RegulatedEntity
    from ecogov.matters.ledger import COLUMNS
    from ecogov.matters.workflow import Kind

    header = [c.header for c in COLUMNS[Kind.PETITION]]
    codes = {d.pk: d.code for d in Division.objects.all()}
    entities = list(RegulatedEntity.objects.values_list("credit_code", flat=True)[:200])
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(header)
    rng = random.Random(prefix)
    for i in range(rows):
        unit = units[i % len(units)]
        received = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(250))
        state = ["已登记", "已受理", "已办结"][i % 3]
        row = {
            "编号": f"{prefix}{i:06d}",
            "来源批次": source_name,
            "类别": "信访件",
            "事项名称": f"反映噪声扰民{i}",
            "具体内容": "夜间施工噪声",
            "行政区划代码": codes[unit.division_id],
            "主办单位": unit.name,
            "会办单位": units[(i + 1) % len(units)].name if i % 10 == 0 else "",
            "交办日期": received,
            "办理状态": state,
            "来源渠道": "12369电话",
            "信访人": "某某",
            "联系电话": f"139{i:08d}",
            "身份证号": f"99012119{80 + i % 20}0101{i % 1000:03d}{i % 10}",
            "被反映单位统一社会信用代码": entities[i % len(entities)],
        }
        if state != "已登记":
            row["受理日期"] = received + dt.timedelta(days=2)
        if state == "已办结":
            row.update(
                {
                    "答复日期": received + dt.timedelta(days=20),
                    "办结日期": received + dt.timedelta(days=25),
                    "处理结果": "已查处",
                }
            )
        sheet.append([row.get(h) for h in header])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def bench_import(units) -> dict:
    from ecogov.matters import services
    from ecogov.matters.ledger import import_matters
    from ecogov.matters.models import Matter, Source
    from ecogov.matters.workflow import Kind

    leader = User.objects.get(username="leader")
    name = "基准信访台账2026"
    Source.objects.get_or_create(
        code="bimport2026", defaults={"name": name, "kind": Kind.PETITION, "year": 2026}
    )
    source = Source.objects.get(code="bimport2026")
    runs = min(ARGS.runs, 3)
    files = [
        ledger_file(ARGS.import_rows, f"IMP{run}-{time.time_ns() % 10**6}-", name, units)
        for run in range(runs)
    ]
    times = []
    for buffer in files:
        start = time.perf_counter()
        counts = import_matters(
            actor=leader, kind=Kind.PETITION, source=buffer, source_name="bench.xlsx"
        )
        times.append(time.perf_counter() - start)
        assert counts["created"] == ARGS.import_rows, counts
    files[0].seek(0)
    start = time.perf_counter()
    again = import_matters(actor=leader, kind=Kind.PETITION, source=files[0])
    reimport = time.perf_counter() - start
    assert again["unchanged"] == ARGS.import_rows, again
    # naive: one service call per row (validation + writes), 1,000 rows, extrapolated
    sample, start = 1000, time.perf_counter()
    for i in range(sample):
        unit = units[i % len(units)]
        services.matter_create(
            actor=leader,
            source=source,
            category="petition",
            data={
                "reference": f"NAIVE{time.time_ns()}{i}",
                "title": "逐条登记",
                "channel": "hotline",
                "division": unit.division,
                "received_on": dt.date(2026, 3, 2),
            },
            lead=unit,
        )
    naive = (time.perf_counter() - start) * ARGS.import_rows / sample
    return {
        "rows": ARGS.import_rows,
        "import_s": statistics.median(times),
        "all_runs_s": [round(t, 1) for t in times],
        "reimport_unchanged_s": reimport,
        "naive_extrapolated_s": naive,
        "matters_now": Matter.objects.count(),
    }


# --- 3. the year's figures -----------------------------------------------------------------
def bench_figures() -> dict:
    from ecogov.core.figures import Period
    from ecogov.matters.figures import provider
    from ecogov.matters.models import Matter, MatterUnit

    leader = User.objects.get(username="leader")

    def fast():
        return provider(leader, Period.of_year(YEAR))

    def naive():  # the year's matters and their units loaded and counted in Python
        start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
        rows = list(
            Matter.objects.filter(received_on__range=(start, end)).values(
                "pk", "kind", "category", "source_id", "done_on", "closed_on"
            )
        )
        units = {}
        for matter_id, share in MatterUnit.objects.filter(
            matter__received_on__range=(start, end)
        ).values_list("matter_id", "share"):
            units[matter_id] = units.get(matter_id, 0) + share
        counts = {}
        for row in rows:
            key = (row["kind"], row["source_id"], row["category"])
            entry = counts.setdefault(key, [0, 0])
            entry[0] += 1
            if row["closed_on"] and row["closed_on"] <= end:
                entry[1] += units.get(row["pk"], 0)
        return counts

    fast()
    return {
        "figures": len(fast()),
        "fast_ms": timed(fast, ARGS.runs)[0] * 1000,
        "naive_ms": timed(naive, 3)[0] * 1000,
    }


def main() -> None:
    started = time.perf_counter()
    from ecogov.core.demo import build
    from ecogov.core.models import Organisation
    from ecogov.core.synth import BASE, present
    from ecogov.matters.models import Matter

    if GENERATED:
        build()
    existing = Matter.objects.filter(pk__gte=BASE, pk__lt=BASE + ARGS.matters).count()
    if existing < ARGS.matters:
        if present():
            sys.exit("保留的数据库中合成事项少于 --matters:请去掉 --reuse 重新生成。")
        print(f"生成 {ARGS.matters:,} 件交办事项 / {ARGS.units} 个责任单位 …", flush=True)
        generate(ARGS.matters, ARGS.units)
        analyse()
    units, reporter = bench_units()
    setup = time.perf_counter() - started
    engine = connection.vendor
    print(
        f"负载(1/5/15 分钟):{' '.join(f'{x:.1f}' for x in os.getloadavg())},CPU {os.cpu_count()} 个"
    )
    print(
        f"数据库:{engine}({settings.DATABASES['default']['NAME']}),准备 {setup:.0f} s;"
        f"交办事项 {Matter.objects.count():,} 件,单位 {Organisation.objects.count()} 个"
    )
    overdue = bench_overdue(units[7], reporter)
    print(
        f"1. 单位逾期清单(第1页,100条/页):该单位 {overdue['unit_matters']:,} 件,逾期 "
        f"{overdue['unit_overdue']:,} 件;填报员 {overdue['reporter_ms']:.0f} ms,"
        f"局领导选该单位 {overdue['leader_ms']:.0f} ms(目标 ≤ 300 ms);其中清单查询 "
        f"{overdue['query_ms']:.0f} ms,空白后台页面 {overdue['chrome_ms']:.0f} ms;"
        f"朴素做法(查询){overdue['naive_ms']:.0f} ms",
        flush=True,
    )
    figures = bench_figures()
    print(
        f"3. {YEAR}年度统计({figures['figures']} 项):{figures['fast_ms']:.0f} ms"
        f"(目标 ≤ 1000 ms);朴素做法 {figures['naive_ms']:.0f} ms",
        flush=True,
    )
    report = Report("Assigned matters at 1,000,000, issue 4")
    report.row(
        f"a unit's overdue list page, as its reporter ({engine})",
        baseline=f"Python filtering (query only) {overdue['naive_ms']:.0f} ms",
        now=f"{overdue['reporter_ms']:.0f} ms",
        target="≤ 300 ms",
        verdict=met(overdue["reporter_ms"], 300),
    )
    report.row(
        "the same page, the city leader picking that unit",
        now=f"{overdue['leader_ms']:.0f} ms",
        target="≤ 300 ms",
        verdict=met(overdue["leader_ms"], 300),
    )
    report.row(
        f"the year's figures for the city ({figures['figures']} figures)",
        baseline=f"counting in Python {figures['naive_ms']:,.0f} ms",
        now=f"{figures['fast_ms']:,.0f} ms",
        ratio=f"{figures['naive_ms'] / figures['fast_ms']:.1f}×",
        target="≤ 1 s",
        verdict=met(figures["fast_ms"], 1000),
    )
    report.note(
        f"{Matter.objects.count():,} matters, {ARGS.units} units; the unit: "
        f"{overdue['unit_matters']:,} matters, {overdue['unit_overdue']:,} overdue; medians of "
        f"{ARGS.runs} (baselines: of 3)."
    )
    if ARGS.skip_import:
        report.emit()
        return
    imported = bench_import(units)
    analyse()
    print(f"负载:{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"2. 导入 {imported['rows']:,} 行信访台账(完整校验):中位数 {imported['import_s']:.1f} s "
        f"{imported['all_runs_s']}(目标 ≤ 60 s);重复导入(无变化){imported['reimport_unchanged_s']:.1f} s;"
        f"逐条调用服务(外推){imported['naive_extrapolated_s']:.0f} s",
        flush=True,
    )
    report.row(
        f"import of a {imported['rows']:,}-row petition ledger, full validation",
        baseline=f"one service call per row {imported['naive_extrapolated_s']:,.0f} s "
        "(extrapolated)",
        now=f"{imported['import_s']:.1f} s",
        ratio=f"{imported['naive_extrapolated_s'] / imported['import_s']:.0f}×",
        target="≤ 60 s",
        verdict=met(imported["import_s"], 60),
    )
    report.row(
        "re-import of the same file (nothing changes)",
        now=f"{imported['reimport_unchanged_s']:.1f} s",
    )
    report.emit()


if __name__ == "__main__":
    main()
