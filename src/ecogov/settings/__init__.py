"""Settings split by environment: base, dev, production, test (cookiecutter-django style)."""
