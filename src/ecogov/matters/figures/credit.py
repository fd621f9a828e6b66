"""Whose credit a user's figures take, and the share of it each matter carries.

A matter's active units' shares add up to 1. `Matter.credit_organisation` names the unit that
holds the whole credit (the usual case), so whole credits are counted in the same scan as the
counts; only the few shared matters (NULL there: 0.5 + 0.5) read their units.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import cached_property

from django.db.models import Case, Count, DecimalField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from ecogov.core.models import Organisation
from ecogov.core.scoping import scope_for
from ecogov.matters.models import MatterUnit

MODEL = "matters.Matter"
ZERO = Decimal("0")
# a sum of shares outgrows the column's 5 digits (SQLite quantizes to the field's precision)
SHARE = DecimalField(max_digits=20, decimal_places=4)


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


class Credits:
    """The credit a user's figures take, looked up once per provider call."""

    def __init__(self, user):
        self.inside = credit_organisations(user)
        self.holder = self._holder_in_scope()

    def _holder_in_scope(self) -> Q:
        """Matters whose whole credit is held by a unit the user's figures credit."""
        if self.inside is None:
            return Q(credit_organisation__isnull=False)
        outside = set(Organisation.objects.exclude(pk__in=self.inside).values_list("pk", flat=True))
        if len(outside) < len(self.inside):  # the shorter list of the two
            return Q(credit_organisation__isnull=False) & ~Q(credit_organisation_id__in=outside)
        return Q(credit_organisation_id__in=self.inside)

    def _units(self, **lookups):
        units = MatterUnit.objects.filter(is_active=True, **lookups)
        if self.inside is not None:
            units = units.filter(organisation_id__in=self.inside)
        return units.order_by()

    def with_share(self, matters):
        """The matters that carry a share of credit for the scope, annotated `share`: 1 when a
        unit of the scope holds the whole credit, else the shares of the scope's units summed
        (0.5 of a matter closed jointly with a unit outside it). Matters without one drop out."""
        return matters.annotate(share=self.share).filter(share__gt=0)

    @cached_property
    def share(self) -> Case:
        """The share expression, built once (each credit figure's records annotate it)."""
        shared = Subquery(
            self._units(matter=OuterRef("pk"))
            .values("matter")
            .annotate(total=Sum("share"))
            .values("total"),
            output_field=SHARE,
        )
        return Case(
            When(self.holder, then=Value(Decimal(1))),
            When(credit_organisation__isnull=True, then=Coalesce(shared, Value(ZERO))),
            default=Value(ZERO),
            output_field=SHARE,
        )

    def whole(self, **conditions: Q) -> dict:
        """Annotations `<name>_whole` counting, per condition, the matters whose whole credit
        the scope takes; callers add them to their own counting query (one scan)."""
        return {
            f"{name}_whole": Count("pk", filter=condition & self.holder)
            for name, condition in conditions.items()
        }

    def shared(self, matters, by: list[str], **conditions: Q) -> dict:
        """{group: {name: Σ share}} over the shared matters among `matters` (few), grouped by
        the matter fields `by`: the shares of the scope's units, summed in SQL."""
        units = self._units(
            matter__in=matters.filter(credit_organisation__isnull=True).order_by().values("pk")
        )
        columns = [f"matter__{field}" for field in by]
        sums: dict = defaultdict(dict)
        for row in units.values(*columns).annotate(
            **{
                name: Sum("share", filter=through(condition, "matter__"), output_field=SHARE)
                for name, condition in conditions.items()
            }
        ):
            key = tuple(row[c] for c in columns)
            for name in conditions:
                sums[key][name] = row[name] or ZERO
        return sums

    @staticmethod
    def total(counts_row: dict, shared: dict, key: tuple, name: str) -> Decimal:
        """A group's credit: its whole credits counted plus its shared ones summed."""
        return Decimal(counts_row.get(f"{name}_whole") or 0) + shared.get(key, {}).get(name, ZERO)


def through(condition: Q, prefix: str) -> Q:
    """The same condition on a related model's rows: Q(done_on__lte=d) → Q(matter__done_on__lte=d)."""
    clone = Q()
    clone.connector, clone.negated = condition.connector, condition.negated
    clone.children = [
        through(c, prefix) if isinstance(c, Q) else (prefix + c[0], c[1])
        for c in condition.children
    ]
    return clone


def plain(value) -> Decimal:
    """128.0000 → 128, 147.5000 → 147.5: a credit as the summary writes it."""
    value = Decimal(value or 0)
    return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


def not_by(field: str, end) -> Q:
    """Not (yet) done by `end`: no date, or a date after it."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": end})
