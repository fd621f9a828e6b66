"""Inspection-tour rectification (seed 一(三)5): each tour batch still being rectified in the
period, its matters grouped as the seed counts them."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q

from ecogov.core.figures import Figure, Kind, Period
from ecogov.matters.models import Matter, Source
from ecogov.matters.workflow import Kind as MatterKind

from .credit import MODEL, ZERO, Credits, not_by, plain

# how the seed groups a tour's matters
GROUPS = {
    "petition": "petitions",
    "supervised": "supervised",
    "feedback": "problems",
    "assigned": "problems",
    "listed": "problems",
    "transfer": "transfers",
}
GROUP_LABELS = {
    "petitions": "信访交办件",
    "supervised": "交办督办件",
    "problems": "问题",
    "transfers": "重点移交问题",
}
SHARE_NOTE = "按本范围内责任单位的计分份额计(与他单位共同办结的计0.5)"


def rectification_figures(user, period: Period) -> list[Figure]:
    start, end = period.start, period.end
    # a batch is in the period's figures when begun by its end with a matter open at some point
    # of it: two ranges of the (source, closed_on) index
    batch = Matter.objects.filter(source=OuterRef("pk"), received_on__lte=end)
    live_sources = set(
        Source.objects.filter(kind=MatterKind.RECTIFICATION, year__lte=end.year)
        .filter(
            Exists(batch.filter(closed_on__isnull=True))
            | Exists(batch.filter(closed_on__gte=start))
        )
        .values_list("pk", flat=True)
    )
    visible = Matter.objects.visible_to(user).filter(
        kind=MatterKind.RECTIFICATION, received_on__lte=end
    )
    scope = Credits(user)
    credits = {
        "done": Q(done_on__lte=end),
        "closed": Q(closed_on__lte=end),
        "done_not_closed": Q(done_on__lte=end) & not_by("closed_on", end),
    }
    # every batch's counts in one range of the figures index; the closed batches are dropped
    # here, not in SQL (a source filter would make SQLite read the rows instead of the index)
    counts = {
        (r["source_id"], r["category"]): r
        for r in visible.order_by()
        .values("source_id", "category")
        .annotate(
            total=Count("pk"),
            not_done=Count("pk", filter=not_by("done_on", end)),
            **scope.whole(**credits),
        )
        if r["source_id"] in live_sources
    }
    shared = scope.shared(visible, ["source_id", "category"], **credits)
    grouped: dict = defaultdict(dict)
    for (source_id, category), row in counts.items():
        entry = grouped[source_id].setdefault(
            GROUPS[category],
            {"total": 0, "not_done": 0, "categories": [], **{name: ZERO for name in credits}},
        )
        entry["total"] += row["total"]
        entry["not_done"] += row["not_done"]
        entry["categories"].append(category)
        for name in credits:
            entry[name] += scope.total(row, shared, (source_id, category), name)
    figures = []
    sources = Source.objects.in_bulk(list(grouped))
    for source in sorted(sources.values(), key=lambda s: (s.year, s.started_on or end, s.pk)):
        figures.extend(_source_figures(scope, source, grouped[source.pk], visible, end))
    return figures


def _source_figures(scope: Credits, source, groups: dict, visible, end) -> list[Figure]:
    figures = []

    def credited(key, label, value, unit, records, definition):
        figures.append(
            Figure(
                key,
                label,
                plain(value),
                unit,
                MODEL,
                kind=Kind.CREDIT,
                records=scope.with_share(records),
                field="share",
                definition=f"{definition},{SHARE_NOTE}",
            )
        )

    batch = visible.filter(source=source)
    petition_like = []
    for group in ["petitions", "supervised", "problems", "transfers"]:
        if group not in groups:
            continue
        entry = groups[group]
        key = f"rectify.{source.code}.{group}"
        matters = batch.filter(category__in=sorted(entry["categories"]))
        label = source.name + (
            "" if group == "problems" and source.name.endswith("问题") else GROUP_LABELS[group]
        )
        unit = "件" if group in ("petitions", "supervised") else "个"
        figures.append(
            Figure(
                key,
                f"{label}(交办)",
                entry["total"],
                unit,
                MODEL,
                records=matters,
                definition=f"“{source.name}”期末前交办的{GROUP_LABELS[group]}",
            )
        )
        done = matters.filter(done_on__lte=end)
        closed = matters.filter(closed_on__lte=end)
        if group in ("petitions", "supervised"):
            petition_like += entry["categories"]
            credited(
                f"{key}.closed",
                f"{label}已办结",
                entry["closed"],
                "件",
                closed,
                "办结日期不晚于期末的",
            )
            continue
        credited(
            f"{key}.rectified",
            f"{label}已完成整改",
            entry["done"],
            "个",
            done,
            "完成整改日期不晚于期末的",
        )
        listed = entry["categories"] == ["listed"]
        name, act = ("delisted", "已摘牌") if listed else ("written_off", "已销号")
        credited(
            f"{key}.{name}",
            f"{label}{act}",
            entry["closed"],
            "个",
            closed,
            f"{act[1:]}日期不晚于期末的",
        )
        if listed:
            credited(
                f"{key}.rectified_not_delisted",
                f"{label}已整改未摘牌",
                entry["done_not_closed"],
                "个",
                done.filter(not_by("closed_on", end)),
                "期末前已完成整改、期末时尚未摘牌的",
            )
        figures.append(
            Figure(
                f"{key}.open",
                f"{label}未完成整改",
                entry["not_done"],
                "个",
                MODEL,
                records=matters.filter(not_by("done_on", end)),
                definition="期末时尚未完成整改的(此后完成的仍计入)",
            )
        )
    if petition_like:
        total = sum((groups[g]["closed"] for g in ("petitions", "supervised") if g in groups), ZERO)
        credited(
            f"rectify.{source.code}.closed",
            f"{source.name}已办结(合计)",
            total,
            "件",
            batch.filter(category__in=sorted(petition_like), closed_on__lte=end),
            "信访交办件和交办督办件中办结日期不晚于期末的",
        )
    return figures
