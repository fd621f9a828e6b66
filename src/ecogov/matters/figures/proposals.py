"""NPC suggestions and CPPCC proposals (seed 一(三)9), counted from the bureau's side: a
proposal is the bureau's to lead when one of its units leads it, else co-handled when one of
its units co-handles it (a proposal a city department leads is still "co" for the bureau)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q

from ecogov.core.figures import Figure, Period
from ecogov.core.models import Organisation, OrganisationKind
from ecogov.core.scoping import scope_for
from ecogov.matters.models import Matter, MatterUnit, UnitRole
from ecogov.matters.workflow import Kind as MatterKind

from .credit import MODEL


def own_units(user):
    """The units that are "us" for proposals: the bureau's own organisations in the user's scope,
    or the user's own unit (a subquery of organisation ids)."""
    scope = scope_for(user)
    bureau = Q(kind=OrganisationKind.BUREAU) | Q(parent__kind=OrganisationKind.BUREAU)
    condition = Q(pk__in=[])
    if scope.everything:
        condition = bureau
    if scope.organisation_id:
        condition |= Q(pk=scope.organisation_id)
    if scope.division_path:
        condition |= bureau & Q(division__path__startswith=scope.division_path)
    return Organisation.objects.filter(condition).values("pk")


def proposal_figures(user, period: Period) -> list[Figure]:
    end = period.end
    ours = MatterUnit.objects.filter(
        matter=OuterRef("pk"), is_active=True, organisation__in=own_units(user)
    )
    handled = Q(Exists(ours))
    lead = Q(Exists(ours.filter(role=UnitRole.LEAD)))
    proposals = Matter.objects.visible_to(user).filter(
        handled, kind=MatterKind.PROPOSAL, received_on__gte=period.start, received_on__lte=end
    )
    conditions: dict[str, Q] = {}
    for category in ("npc", "cppcc"):
        here = Q(category=category)
        conditions |= {
            category: here,
            f"{category}.lead": here & lead,
            f"{category}.co": here & ~lead,
            f"{category}.replied": here & Q(done_on__lte=end),
        }
    names = {f"n{i}": name for i, name in enumerate(conditions)}  # keys without dots
    counts = proposals.aggregate(
        total=Count("pk"),
        **{alias: Count("pk", filter=conditions[name]) for alias, name in names.items()},
    )
    values = {name: counts[alias] for alias, name in names.items()}
    figures = [
        Figure(
            "proposals.total",
            f"{period.label}承办建议提案",
            counts["total"],
            "件",
            MODEL,
            records=proposals,
            definition="期间内交办、本局单位主办或会办的人大代表建议和政协提案",
        )
    ]
    for category, label in [("npc", "人大代表建议"), ("cppcc", "政协提案")]:
        for suffix, text, definition in [
            ("", label, f"其中{label}"),
            (".lead", f"{label}(主办)", f"{label}中本局单位主办的"),
            (".co", f"{label}(会办)", f"{label}中本局单位会办、不由本局单位主办的"),
            (".replied", f"{label}已答复", f"{label}中答复日期不晚于期末的"),
        ]:
            name = f"{category}{suffix}"
            figures.append(
                Figure(
                    f"proposals.{name}",
                    text,
                    values[name],
                    "件",
                    MODEL,
                    records=proposals.filter(conditions[name]),
                    definition=definition,
                )
            )
    return figures
