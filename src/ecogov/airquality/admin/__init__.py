"""Back-office screens of the air-quality area (django-unfold)."""

from . import data, patrols, report, stations, targets  # noqa: F401  (registers the ModelAdmins)
