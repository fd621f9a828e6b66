"""A service's problems collected by field and reported all at once (docs/architecture.md):
each check adds the field's Chinese message to `errors`, `raise_if` raises them together as one
ValidationError, which the doors show beside the fields (admin) or as 400 by field (API)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def required(errors: dict, field: str, label: StrOrPromise, value: Any) -> None:
    if value in (None, "", [], {}):
        add(errors, field, _("请填写%(label)s。") % {"label": label})


def not_in_future(errors: dict, field: str, label: StrOrPromise, value: Any) -> None:
    if value is not None and value > timezone.localdate():
        add(
            errors,
            field,
            _("%(label)s(%(value)s)不能晚于今天。") % {"label": label, "value": value},
        )


def not_before(
    errors: dict, field: str, label: StrOrPromise, value: Any, other_label: str, other: Any
) -> None:
    if value is not None and other is not None and value < other:
        add(
            errors,
            field,
            _("%(label)s(%(value)s)早于%(other_label)s(%(other)s)。")
            % {"label": label, "value": value, "other_label": other_label, "other": other},
        )


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def full_clean_into(instance: Model, errors: dict, **kwargs: Any) -> dict:
    """full_clean's field errors merged with the service's own (all reported at once)."""
    merged = {k: list(v) for k, v in errors.items()}
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        source = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        for field, messages in source.items():
            target = merged.setdefault(field, [])
            target.extend(m for m in messages if m not in target)
    return merged
