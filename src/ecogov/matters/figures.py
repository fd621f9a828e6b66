"""The annual summary's figures on assigned matters, counted from the records in a user's scope.

Counts of matters are counts; "closed" and "rectified" are credits: the sum of the shares of
the responsible units the figure is about (a matter closed jointly by two units counts 0.5
to each; seed 2020: "147.5 closed"). Dates are the acts' dates, so a year's figures stay the
same when they are computed again later: "closed in 2020" means a closing date ≤ 2020-12-31.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q

from ecogov.core.figures import Figure
from ecogov.core.models import Organisation, OrganisationKind
from ecogov.core.scoping import scope_for
from ecogov.matters.models import Aspect, Matter, MatterUnit, Measure, Source, UnitRole
from ecogov.matters.workflow import Kind

MODEL = "matters.Matter"
ZERO = Decimal("0")
# how the seed groups a tour's matters
GROUPS = {"petition": "petitions", "supervised": "supervised", "feedback": "problems",
          "assigned": "problems", "listed": "problems", "transfer": "transfers"}
GROUP_LABELS = {"petitions": "信访交办件", "supervised": "交办督办件", "problems": "问题",
                "transfers": "重点移交问题"}


def matters_figures(user, year: int) -> list[Figure]:
    return [*rectification_figures(user, year), *petition_figures(user, year),
            *proposal_figures(user, year), *campaign_figures(user, year)]


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def credit_organisations(user) -> set[int] | None:
    """Whose shares count in the user's figures: the units of his territory, and his own unit.
    None: every unit (installation superuser)."""
    scope = scope_for(user)
    if scope.everything:
        return None
    condition = Q(pk__in=[])
    if scope.organisation_id:
        condition |= Q(pk=scope.organisation_id)
    if scope.division_path:
        condition |= Q(division__path__startswith=scope.division_path)
    return set(Organisation.objects.filter(condition).values_list("pk", flat=True))


def holder_in_scope(user) -> Q:
    """Matters whose whole credit is held by a unit the user's figures credit."""
    inside = credit_organisations(user)
    if inside is None:
        return Q(credit_organisation__isnull=False)
    outside = set(Organisation.objects.exclude(pk__in=inside).values_list("pk", flat=True))
    if len(outside) < len(inside):
        return Q(credit_organisation__isnull=False) & ~Q(credit_organisation_id__in=outside)
    return Q(credit_organisation_id__in=inside)


def whole_credits(user, end: dt.date, **fields) -> dict:
    """Annotations counting, per condition "<field> ≤ end", the matters whose whole credit the
    user's figures take; callers add them to their own counting query (one scan)."""
    holder = holder_in_scope(user)
    return {f"{name}_whole": Count("pk", filter=Q(**{f"{field}__lte": end}) & holder)
            for name, field in fields.items()}


def shared_credits(user, matters, by: list[str], end: dt.date, **fields) -> dict:
    """{group: {name: credit}} from the matters whose credit is shared between units (few):
    the shares of the units the user's figures take (0.5 of a jointly closed matter)."""
    inside = credit_organisations(user)
    rows = {r["pk"]: r for r in matters.filter(credit_organisation__isnull=True).values(
        "pk", *by, *fields.values())}
    ids, sums = list(rows), defaultdict(lambda: defaultdict(Decimal))
    for start in range(0, len(ids), 5000):
        units = MatterUnit.objects.filter(matter_id__in=ids[start:start + 5000], is_active=True)
        if inside is not None:
            units = units.filter(organisation_id__in=inside)
        for matter_id, share in units.values_list("matter_id", "share"):
            row = rows[matter_id]
            for name, field in fields.items():
                if row[field] is not None and row[field] <= end:
                    sums[tuple(row[b] for b in by)][name] += share
    return sums


def _credit(counts_row: dict, shared: dict, key: tuple, name: str) -> Decimal:
    return Decimal(counts_row.get(f"{name}_whole") or 0) + shared.get(key, {}).get(name, ZERO)


def _d(value) -> Decimal:
    value = Decimal(value or 0)
    return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


# --- inspection-tour rectification (seed 一(三)5) -----------------------------------------------
def rectification_figures(user, year: int) -> list[Figure]:
    """Each tour batch still being rectified in the year (begun by its end, with a matter open
    at some point of the year), its matters grouped as the seed counts them."""
    start, end = _year(year)
    # open at some point of the year: two ranges of the (source, closed_on) index
    batch = Matter.objects.filter(source=OuterRef("pk"), received_on__lte=end)
    live_sources = list(Source.objects.filter(kind=Kind.RECTIFICATION, year__lte=year).filter(
        Exists(batch.filter(closed_on__isnull=True)) | Exists(batch.filter(closed_on__gte=start)))
        .values_list("pk", flat=True))
    # every batch's counts in one range of the figures index; the closed batches are dropped
    # here, not in SQL (a source filter would make SQLite read the rows instead of the index)
    live_sources = set(live_sources)
    visible = Matter.objects.visible_to(user).filter(kind=Kind.RECTIFICATION,
                                                     received_on__lte=end)
    counts = {(r["source_id"], r["category"]): r for r in visible.values(
        "source_id", "category").annotate(
        total=Count("pk"),
        not_done=Count("pk", filter=Q(done_on__isnull=True) | Q(done_on__gt=end)),
        **whole_credits(user, end, done="done_on", closed="closed_on"))
        if r["source_id"] in live_sources}
    shared = shared_credits(user, visible, ["source_id", "category"], end, done="done_on",
                            closed="closed_on")
    sources = Source.objects.in_bulk(list({key[0] for key in counts}))
    grouped: dict = defaultdict(lambda: defaultdict(lambda: {"total": 0, "not_done": 0,
                                                             "done": ZERO, "closed": ZERO,
                                                             "categories": []}))
    for row in counts.values():
        entry = grouped[row["source_id"]][GROUPS[row["category"]]]
        entry["total"] += row["total"]
        entry["not_done"] += row["not_done"]
        entry["categories"].append(row["category"])
        key = (row["source_id"], row["category"])
        entry["done"] += _credit(row, shared, key, "done")
        entry["closed"] += _credit(row, shared, key, "closed")
    figures = []
    for source in sorted(sources.values(), key=lambda s: (s.year, s.started_on or end, s.pk)):
        figures.extend(_source_figures(source, grouped[source.pk], end))
    return figures


def _source_figures(source, groups: dict, end: dt.date) -> list[Figure]:
    figures, closed_total, petition_like = [], ZERO, False
    for group in ["petitions", "supervised", "problems", "transfers"]:
        if group not in groups:
            continue
        entry = groups[group]
        key = f"rectify.{source.code}.{group}"
        base = {"kind": Kind.RECTIFICATION, "source__code": source.code,
                "category__in": sorted(entry["categories"])}
        label = source.name + ("" if group == "problems" and source.name.endswith("问题")
                               else GROUP_LABELS[group])
        figures.append(Figure(key, f"{label}(交办)", entry["total"], "件", MODEL, base))
        done_filter = {**base, "done_on__lte": end}
        closed_filter = {**base, "closed_on__lte": end}
        if group in ("petitions", "supervised"):
            petition_like = True
            closed_total += entry["closed"]
            figures.append(Figure(f"{key}.closed", f"{label}已办结", _d(entry["closed"]), "件",
                                  MODEL, closed_filter))
            continue
        figures.append(Figure(f"{key}.rectified", f"{label}已完成整改", _d(entry["done"]), "个",
                              MODEL, done_filter))
        listed = entry["categories"] == ["listed"]
        name, label_closed = ("delisted", "已摘牌") if listed else ("written_off", "已销号")
        figures.append(Figure(f"{key}.{name}", f"{label}{label_closed}", _d(entry["closed"]),
                              "个", MODEL, closed_filter))
        if listed:
            figures.append(Figure(f"{key}.rectified_not_delisted", f"{label}已整改未摘牌",
                                  _d(entry["done"] - entry["closed"]), "个", MODEL,
                                  {**done_filter, "state": "rectified"}))
        figures.append(Figure(f"{key}.open", f"{label}未完成整改", entry["not_done"], "个",
                              MODEL, {**base, "done_on__isnull": True}))
    if petition_like:
        figures.append(Figure(f"rectify.{source.code}.closed", f"{source.name}已办结(合计)",
                              _d(closed_total), "件", MODEL,
                              {"kind": Kind.RECTIFICATION, "source__code": source.code,
                               "category__in": ["petition", "supervised"],
                               "closed_on__lte": end}))
    return figures


# --- petitions (seed 一(三)8) -----------------------------------------------------------------
def petition_figures(user, year: int) -> list[Figure]:
    start, end = _year(year)
    received = Matter.objects.visible_to(user).filter(kind=Kind.PETITION,
                                                      received_on__range=(start, end))
    counts = received.aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done_on__lte=end)),
        **whole_credits(user, end, closed="closed_on"),
        late=Count("pk", filter=Q(done_on__lte=end, done_late=True)),
        duplicates=Count("pk", filter=Q(duplicate_of__isnull=False)),
        rated=Count("pk", filter=~Q(feedback="")),
        satisfied=Count("pk", filter=Q(feedback__in=["satisfied", "basic"])))
    shared = shared_credits(user, received, ["kind"], end, closed="closed_on")
    closed = _d(_credit(counts, shared, (Kind.PETITION,), "closed"))
    total = counts["total"]
    base = {"kind": Kind.PETITION, "received_on__year": year}
    figures = [
        Figure("petitions.received", f"{year}年受理环境信访", total, "件", MODEL, base),
        Figure("petitions.closed", "已办结", closed, "件", MODEL, {**base, "closed_on__lte": end}),
        Figure("petitions.open", "办理中", _d(total - closed), "件", MODEL,
               {**base, "closed_on__isnull": True}),
        Figure("petitions.closure_rate", "办结率", _rate(closed, total), "%", MODEL, base),
        Figure("petitions.on_time_rate", "按期答复率", _rate(counts["done"] - counts["late"],
                                                             counts["done"]), "%", MODEL,
               {**base, "done_late": False}),
        Figure("petitions.duplicates", "重复信访件", counts["duplicates"], "件", MODEL,
               {**base, "duplicate_of__isnull": False}),
    ]
    if counts["rated"]:
        figures.append(Figure("petitions.satisfaction_rate", "满意率(含基本满意)",
                              _rate(counts["satisfied"], counts["rated"]), "%", MODEL,
                              {**base, "feedback__in": ["satisfied", "basic"]}))
    return figures


def _rate(part, whole) -> Decimal:
    if not whole:
        return ZERO
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- NPC suggestions and CPPCC proposals (seed 一(三)9) ------------------------------------------
def own_units(user) -> set[int]:
    """The units that are "us" for proposals: the bureau's own organisations in the user's scope
    (lead or co-handler is counted from the bureau's side), or the user's own unit."""
    scope = scope_for(user)
    bureau = Q(kind=OrganisationKind.BUREAU) | Q(parent__kind=OrganisationKind.BUREAU)
    condition = Q(pk__in=[])
    if scope.everything:
        condition = bureau
    if scope.organisation_id:
        condition |= Q(pk=scope.organisation_id)
    if scope.division_path:
        condition |= bureau & Q(division__path__startswith=scope.division_path)
    return set(Organisation.objects.filter(condition).values_list("pk", flat=True))


def _unit_kinds(source, tasks, visible: int) -> dict[str, int]:
    """How many distinct organisations of each kind the user's visible tasks were given to."""
    units = MatterUnit.objects.filter(source=source, is_active=True).order_by()
    if visible != Matter.objects.filter(source=source).count():  # a part of the campaign
        ids = list(tasks.values_list("pk", flat=True))
        organisations = set()
        for start in range(0, len(ids), 5000):
            organisations.update(units.filter(matter_id__in=ids[start:start + 5000])
                                 .values_list("organisation_id", flat=True).distinct())
    else:  # the whole campaign: one index range (source, organisation)
        organisations = set(units.values_list("organisation_id", flat=True).distinct())
    kinds: dict[str, int] = defaultdict(int)
    for kind in Organisation.objects.filter(pk__in=organisations).values_list("kind", flat=True):
        kinds[kind] += 1
    return kinds


def proposal_figures(user, year: int) -> list[Figure]:
    start, end = _year(year)
    proposals = Matter.objects.visible_to(user).filter(kind=Kind.PROPOSAL,
                                                       received_on__range=(start, end))
    ours = (MatterUnit.objects.filter(organisation_id__in=own_units(user), is_active=True,
                                      matter__in=proposals)
            .values_list("matter_id", "matter__category", "role", "matter__done_on"))
    roles: dict[int, tuple] = {}
    for matter_id, category, role, done_on in ours:
        if role == UnitRole.LEAD or matter_id not in roles:
            roles[matter_id] = (category, role, done_on)
    figures = [Figure("proposals.total", f"{year}年承办建议提案", len(roles), "件", MODEL,
                      {"kind": Kind.PROPOSAL, "received_on__year": year})]
    for category, label in [("npc", "人大代表建议"), ("cppcc", "政协提案")]:
        base = {"kind": Kind.PROPOSAL, "category": category, "received_on__year": year}
        mine = [r for r in roles.values() if r[0] == category]
        figures += [
            Figure(f"proposals.{category}", label, len(mine), "件", MODEL, base),
            Figure(f"proposals.{category}.lead", f"{label}(主办)",
                   sum(1 for r in mine if r[1] == UnitRole.LEAD), "件", MODEL,
                   {**base, "units__role": UnitRole.LEAD}),
            Figure(f"proposals.{category}.co", f"{label}(会办)",
                   sum(1 for r in mine if r[1] == UnitRole.CO), "件", MODEL,
                   {**base, "units__role": UnitRole.CO}),
            Figure(f"proposals.{category}.replied", f"{label}已答复",
                   sum(1 for r in mine if r[2] and r[2] <= end), "件", MODEL,
                   {**base, "done_on__lte": end}),
        ]
    return figures


# --- campaign tasks (seed 一(三)4) ------------------------------------------------------------
def campaign_figures(user, year: int) -> list[Figure]:
    start, end = _year(year)
    figures = []
    for source in Source.objects.filter(kind=Kind.TASK, year=year).order_by("pk"):
        key, base = f"campaign.{source.code}", {"kind": Kind.TASK, "source__code": source.code}
        tasks = Matter.objects.visible_to(user).filter(kind=Kind.TASK, source=source)
        counts = tasks.aggregate(total=Count("pk"), done=Count("pk", filter=Q(closed_on__lte=end)),
                                 categories=Count("category", distinct=True))
        by_kind = _unit_kinds(source, tasks, counts["total"])
        figures += [
            Figure(f"{key}.aspects", f"{source.name}方面", Aspect.objects.filter(
                source=source).count(), "个", "matters.Aspect", {"source__code": source.code}),
            Figure(f"{key}.measures", f"{source.name}具体措施", Measure.objects.filter(
                aspect__source=source).count(), "条", "matters.Measure",
                {"aspect__source__code": source.code}),
            Figure(f"{key}.tasks", f"{source.name}任务", counts["total"], "个", MODEL, base),
            Figure(f"{key}.task_categories", "任务类别", counts["categories"], "类", MODEL, base),
            Figure(f"{key}.tasks.completed", "已完成任务", counts["done"], "个", MODEL,
                   {**base, "closed_on__lte": end}),
            Figure(f"{key}.units.counties", "承担任务的县市区", by_kind.get(
                OrganisationKind.COUNTY_GOVERNMENT, 0), "个", MODEL,
                {**base, "units__organisation__kind": OrganisationKind.COUNTY_GOVERNMENT}),
            Figure(f"{key}.units.departments", "承担任务的市直部门", by_kind.get(
                OrganisationKind.CITY_DEPARTMENT, 0), "个", MODEL,
                {**base, "units__organisation__kind": OrganisationKind.CITY_DEPARTMENT}),
        ]
    return figures

