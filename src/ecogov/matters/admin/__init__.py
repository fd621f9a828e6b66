"""Back-office screens of the assigned-matter engine (django-unfold)."""

from . import calls, matters, sources  # noqa: F401  (registration)
