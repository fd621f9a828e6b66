"""Air quality (issue 6). The numerics live in :mod:`ecogov.airquality.engine` (no Django)."""
