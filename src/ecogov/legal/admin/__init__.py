"""Back-office screens of the legal area."""

from . import cases, documents, ledgers  # noqa: F401  (registration)
