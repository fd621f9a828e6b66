"""Back-office screens of the penalty cases."""

from . import cases, config  # noqa: F401  (registration)
