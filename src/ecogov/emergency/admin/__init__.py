from . import screens  # noqa: F401  (registers the screens)
