"""Back-office screens of the random-inspection area (Django admin with django-unfold)."""

from . import draws, plans, records  # noqa: F401  (registration)
