"""Back-office screens of the penalty cases."""

from . import cases, config, measures  # noqa: F401  (registration)
