"""One scoping mechanism for every area: who sees and who edits which records.

A model declares how it is scoped with `scope = ScopeSpec(division="<path to a Division>")`
and uses `ScopedQuerySet`. Every door — admin, API, exports, figures, search — reads through
`Model.objects.visible_to(user)` and writes only what `editable_by(user)` returns.

A user sees the records of his territory (his StaffProfile.division and everything below
it) plus the records explicitly assigned to his organisation or to himself
(`RecordAssignment`: handler, co-handler, reader, approver); he edits his territory's
records and the ones he is the handler of, unless his roles are read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Q

from ecogov.core.roles import ADMIN_ROLES, WRITER_ROLES, AssignmentRole, roles_of

# The models give their querysets this module (ScopedQuerySet), so it does not import them:
# it reads Division and RecordAssignment from the app registry (the dependency runs one way,
# tests/core/test_dependencies.py).


@dataclass(frozen=True)
class ScopeSpec:
    division: str | None = "division"  # lookup path from the model to its Division


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    organisation_id: int | None
    division_path: str | None  # None: no territory, only assignments
    everything: bool = False  # superuser (installation only; not given to staff)
    sees_ledgers: bool = True
    read_only: bool = True

    @cached_property
    def division_ids(self) -> tuple[int, ...]:
        """The territory's divisions (its own and every one below it), read once for the scope,
        which lives as long as its user object (one request). Rows are filtered by
        `division_id IN (…)`: a join to every row's division to test its path made the count of
        a city's 100,000 matters twice as slow (docs/benchmarks.md, API under load)."""
        if not self.division_path:
            return ()
        return tuple(
            apps.get_model("core", "Division")
            .objects.filter(path__startswith=self.division_path)
            .values_list("pk", flat=True)
        )

    def covers_division(self, division) -> bool:
        if self.everything:
            return True
        return bool(
            self.sees_ledgers
            and self.division_path
            and division is not None
            and division.path.startswith(self.division_path)
        )


NOBODY = Scope(user_id=None, organisation_id=None, division_path=None, sees_ledgers=False)


def scope_for(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    cached = getattr(user, "_ecogov_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(user.pk, None, None, everything=True, read_only=False)
    else:
        roles = roles_of(user)
        profile = getattr(user, "staff", None)
        business_roles = roles - ADMIN_ROLES
        if profile is None or not business_roles:
            scope = Scope(user.pk, None, None, sees_ledgers=False)
        else:
            scope = Scope(
                user_id=user.pk,
                organisation_id=profile.organisation_id,
                division_path=profile.division.path if profile.division_id else None,
                read_only=not (business_roles & WRITER_ROLES),
            )
    user._ecogov_scope = scope
    return scope


def _assigned(model, scope: Scope, roles=None) -> Q:
    """The records assigned to the user or to his organisation, as a condition on `pk`.

    `pk IN (… WHERE user_id = u UNION ALL … WHERE organisation_id = o)`: one lookup per
    assignee column, each one range of its own partial index of `RecordAssignment`
    (content_type, user | organisation, is_active, role, object_id), read without the table.
    A single `user_id = u OR organisation_id = o` subquery is answered by SQLite by reading
    every assignment of the content type (1.4 million in the matters bench, ~270 ms a query)
    and by PostgreSQL from the table rows. The union keeps one `IN`, which PostgreSQL can still
    turn into a join for the users who see assigned records only (two `IN`s joined by OR it
    cannot: it then filters every row of the model). On PostgreSQL the condition is
    `pk = ANY(ARRAY(…))` instead (`AnyOf` below): joined by OR to the territory's
    `division_id IN (…)`, `pk IN (…)` made it test the subquery on every row of the ledger.
    """
    if scope.user_id is None and not scope.organisation_id:
        return Q(pk__in=[])  # a scope narrowed to a division (figures): its territory only
    content_type_id = ContentType.objects.get_for_model(model).pk
    return _assigned_condition(
        content_type_id,
        scope.user_id,
        scope.organisation_id,
        tuple(roles) if roles is not None else None,
    )


@lru_cache(maxsize=2048)
def _assigned_condition(content_type_id, user_id, organisation_id, roles) -> Q:
    # Built once per key: a dashboard asks ~40 times a request and building the union costs
    # ~0.5 ms each (docs/benchmarks.md, back-office pages). The key holds every value the
    # condition embeds, so nothing cached goes stale; the subquery is cloned where it is used.
    assignments = apps.get_model("core", "RecordAssignment").objects.filter(
        content_type_id=content_type_id, is_active=True
    )
    if roles is not None:
        assignments = assignments.filter(role__in=roles)
    ids = assignments.filter(user_id=user_id).values("object_id")
    if organisation_id:
        ids = ids.union(
            assignments.filter(organisation_id=organisation_id).values("object_id"), all=True
        )
    if connection.vendor == "postgresql":
        return Q(pk__any_of=ids)
    return Q(pk__in=ids)


@models.Field.register_lookup
class AnyOf(models.Lookup):
    """`pk = ANY(ARRAY(<subquery>))` (PostgreSQL): the subquery runs once, before the scan, and
    its keys are one array a B-tree can look up. Joined by OR to the territory's
    `division_id IN (…)`, PostgreSQL reads both through their indexes (a BitmapOr); with
    `pk IN (<subquery>)` instead it can only test the subquery's hash on every row of the
    table, a Seq Scan of the whole ledger for every county user's list (docs/indexes.md)."""

    lookup_name = "any_of"

    def get_prep_lookup(self):
        return self.rhs  # a query of one column; compiled as the subquery

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY({rhs}))", (*lhs_params, *rhs_params)


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> ScopedQuerySet:
        scope = scope_for(user)
        if scope.everything:
            return self
        if not scope.sees_ledgers:
            return self.none()
        condition = _assigned(self.model, scope)
        division = self.model.scope.division
        if division and scope.division_path:
            condition |= Q(**{f"{division}__in": scope.division_ids})
        return self.filter(condition)

    def editable_by(self, user) -> ScopedQuerySet:
        scope = scope_for(user)
        if scope.everything:
            return self
        if scope.read_only or not scope.sees_ledgers:
            return self.none()
        condition = _assigned(self.model, scope, roles=[AssignmentRole.HANDLER])
        division = self.model.scope.division
        if division and scope.division_path:
            condition |= Q(**{f"{division}__in": scope.division_ids})
        return self.filter(condition)


def can_view(user, obj) -> bool:
    return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()


def can_edit(user, obj) -> bool:
    return type(obj).objects.editable_by(user).filter(pk=obj.pk).exists()


def can_create_in(user, division) -> bool:
    scope = scope_for(user)
    return not scope.read_only and scope.covers_division(division)
