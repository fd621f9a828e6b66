"""Back-office screens of the EIA app (Django admin with django-unfold); they call the services."""

from . import projects, zoning  # noqa: F401  (registration)
