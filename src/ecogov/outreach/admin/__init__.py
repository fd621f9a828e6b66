from . import publicity, screens  # noqa: F401  (registers the screens)
