"""Back-office screens of the permits app (Django admin with django-unfold); they call the services."""

from . import screens  # noqa: F401  (registration)
