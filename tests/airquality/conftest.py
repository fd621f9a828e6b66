"""Plain pytest for the air-quality engine: no Django. Makes src/ importable when the project
is not installed (run: .venv/bin/python -m pytest tests/airquality -p no:django -q)."""

import sys
from pathlib import Path

try:
    import ecogov.airquality.engine  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
