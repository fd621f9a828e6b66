"""Back-office screens of the EIA app (Django admin with django-unfold); they call the services."""

from . import after, projects, zoning  # noqa: F401  (registration)
