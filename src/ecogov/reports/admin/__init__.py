"""Back-office screens of the reports area (registration)."""

from . import narratives, outlines, published  # noqa: F401
