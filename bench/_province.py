"""A province-scale database for the figures bench: 示例市 plus ≥ 1,000,000 generated records.

    from _province import generate
    generate(1_000_000)   # after setup_django(...) and ecogov.core.demo.build()

A thin wrapper around the product's synthetic data (`ecogov synth`, ecogov.core.synth,
docs/synth.md): the city scale's shapes with `records` as the target, spread over 2016–2026
(the bench reads 2020) and over 示例市's divisions. One seeded generator per area (the same
records on both databases), COPY on PostgreSQL, executemany on SQLite, ids from BASE up, so
that a kept database (--reuse) is recognised and left as it is.
"""

from __future__ import annotations

from ecogov.core.synth import BASE  # noqa: F401  (bench_figures counts the rows from it)

FIRST_YEAR, LAST_YEAR = 2016, 2026


def generate(records: int = 1_000_000, seed: int = 1) -> dict[str, int]:
    """Add the records unless a kept database already holds them; {table label: rows}."""
    from django.apps import apps

    from ecogov.core.synth import present, run

    if present():
        labels = {m._meta.label: m for m in apps.get_models()}
        counts = {
            label: n
            for label, model in labels.items()
            if not model._meta.proxy
            and model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField")
            and (n := model._base_manager.filter(pk__gte=BASE).count())
        }
        return counts
    counts = run(
        "city",
        seed=seed,
        year=LAST_YEAR,
        records=records,
        years=LAST_YEAR - FIRST_YEAR + 1,
        out=print,
    )
    counts.pop("seconds", None)
    return counts
