"""References resolve within the user's scope, in every door (issue 15; docs/security.md,
“引用的范围”).

Input that names another record — an entity by its credit code, a plan or a check by its id —
is looked up only among the records the user sees (`Model.objects.visible_to(user)`), never in
the whole table. A record the user may not see answers exactly as a record that does not exist:
one message, “排污单位“…”不存在或不在您的权限范围内。”, so that no door — the API, a
back-office form, a ledger import — tells whether a code exists in another county. A city-wide
user sees every county, and so resolves every record.

- API: `reference(model, slug_field=…)` (or `ScopedSlugRelatedField`,
  `ScopedPrimaryKeyRelatedField`); the relation fields a ModelSerializer builds from the
  model's foreign keys are `ScopedPrimaryKeyRelatedField` for every serializer
  (`CoreConfig.ready`). A test walks every serializer of the API and refuses a writable
  relation to a scoped model that is not one of these (tests/core/test_scoped_references.py).
- Back office: `AdminBase.formfield_for_foreignkey` / `_manytomany` narrow every choice of a
  scoped model (select, autocomplete, raw id) with `narrow`; an edit form keeps the
  references its record already has (`keep_current`); a hand-made form narrows its own choice
  fields (`narrow(field, user)`, or `visible_to(user)`).
- Ledger imports: `resolve(queryset, field, values, user)` and `not_found(label, value)`.

Models without a scope (divisions, organisations, sources, staff) are reference data every
signed-in user may name; they resolve as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers

from ecogov.core.scoping import ScopedQuerySet, ScopeSpec


def is_scoped(model) -> bool:
    """Whether the model's records are scoped (a ScopeSpec and a ScopedQuerySet manager)."""
    return isinstance(getattr(model, "scope", None), ScopeSpec) and isinstance(
        model._default_manager.all(), ScopedQuerySet
    )


def in_scope(queryset: models.QuerySet, user) -> models.QuerySet:
    """The records of `queryset` the user may name: those he sees for a scoped model (none
    without a user), all of them for reference data."""
    if isinstance(queryset, ScopedQuerySet) or is_scoped(queryset.model):
        if not isinstance(queryset, ScopedQuerySet):
            queryset = queryset.model._default_manager.filter(pk__in=queryset.values("pk"))
        return queryset.visible_to(user)
    return queryset


def not_found(label: Any, value: Any) -> str:
    """The one answer for a record that does not exist and one the user may not see."""
    return _("%(label)s“%(value)s”不存在或不在您的权限范围内。") % {
        "label": label,
        "value": value,
    }


def resolve(queryset: models.QuerySet, field: str, values: Iterable, user) -> dict[Any, Any]:
    """{value: record} for the records in the user's scope whose `field` is one of `values`
    (a ledger import's lookups for the whole file)."""
    from ecogov.core.imports import records_by

    return records_by(in_scope(queryset, user), field, values)


def narrow(field, user):
    """A form's choice field of a scoped model, narrowed to the records the user sees."""
    queryset = getattr(field, "queryset", None)
    if isinstance(field, forms.ModelChoiceField) and queryset is not None:
        if is_scoped(queryset.model):
            field.queryset = in_scope(queryset, user)
    return field


def keep_current(form) -> None:
    """Let a bound model form keep the references its record already has, in scope or not."""
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if not isinstance(field, forms.ModelChoiceField) or queryset is None:
            continue
        if not is_scoped(queryset.model):
            continue
        try:
            current = form.initial.get(name)
        except AttributeError:
            continue
        if isinstance(field, forms.ModelMultipleChoiceField):
            ids = [getattr(v, "pk", v) for v in (current or [])]
        else:
            ids = [getattr(current, "pk", current)] if current not in (None, "") else []
        if ids:
            field.queryset = queryset | queryset.model._default_manager.filter(pk__in=ids)


def _request_user(field: serializers.Field):
    request = field.context.get("request")  # none outside a request: nothing scoped resolves
    return getattr(request, "user", None)


class _Scoped:
    """A DRF relation whose records are looked up in the requesting user's scope."""

    scoped_reference = True

    def _label(self):
        model = self.queryset.model if self.queryset is not None else None
        return model._meta.verbose_name if model is not None else self.label

    def get_queryset(self):
        return in_scope(super().get_queryset(), _request_user(self))


class ScopedSlugRelatedField(_Scoped, serializers.SlugRelatedField):
    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if _codes(exc) & {"does_not_exist"}:
                raise serializers.ValidationError(
                    not_found(self._label(), data), code="does_not_exist"
                ) from None
            raise


class ScopedPrimaryKeyRelatedField(_Scoped, serializers.PrimaryKeyRelatedField):
    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if _codes(exc) & {"does_not_exist"}:
                raise serializers.ValidationError(
                    not_found(self._label(), data), code="does_not_exist"
                ) from None
            raise


def _codes(exc: serializers.ValidationError) -> set[str]:
    codes = exc.get_codes()
    return set(codes if isinstance(codes, list) else [codes])


def reference(model, slug_field: str | None = None, **kwargs) -> serializers.RelatedField:
    """A writable reference to `model`'s records, by `slug_field` (by id if None), resolved in
    the user's scope when the model is scoped. `queryset` narrows further (active only, …)."""
    kwargs.setdefault("queryset", model._default_manager.all())
    if slug_field is None:
        return ScopedPrimaryKeyRelatedField(**kwargs)
    return ScopedSlugRelatedField(slug_field=slug_field, **kwargs)
