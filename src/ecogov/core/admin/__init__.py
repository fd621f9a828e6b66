"""Back-office screens of the core registry (Django admin with django-unfold)."""

from . import calendar, entities, registry, security  # noqa: F401  (registration)
