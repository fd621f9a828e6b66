"""The year's figures read the covering index alone (docs/matters.md; migrations 0001, 0005):
on a database built by the migrations, `matters_figures_cover` carries every column the
figures read — after its keys on SQLite, as INCLUDE columns on PostgreSQL. A migration that
makes SQLite rebuild the matters table rebuilds the index from the model state without them;
this test then fails."""

import pytest
from django.db import connection

from ecogov.matters.models.matters import FIGURES_COLUMNS


def _indexed_columns() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM pragma_index_info('matters_figures_cover')")
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE c.relname = 'matters_figures_cover'"
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_figures_index_covers_what_the_figures_read(db):
    columns = _indexed_columns()
    assert columns[:2] == ["kind", "received_on"] or {"kind", "received_on"} <= set(columns)
    missing = [c for c in FIGURES_COLUMNS if c not in columns and c != "id"]
    assert missing == [], f"matters_figures_cover lacks {missing}"


def test_the_years_figures_query_reads_only_the_index(db, world):
    """SQLite's plan names the index as covering: no matter row is read for the figures."""
    from ecogov.core.figures import Period
    from ecogov.matters.figures import rectification_figures

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL 的执行计划取决于统计信息;索引所含的列由上一项测试检查")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        rectification_figures(world.user("leader"), Period.of_year(2020))
    counts = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    assert counts, "the rectification figures count by source and category"
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + counts[0])
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX matters_figures_cover" in plan, plan
