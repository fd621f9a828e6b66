"""Excel ledgers (台账) of the four kinds and the progress-call summary; columns in columns.py."""

from .calls import export_call_summary
from .columns import COLUMNS, TITLES
from .exporting import export_matters, export_rows
from .importing import import_matters, template

__all__ = [
    "COLUMNS",
    "TITLES",
    "export_call_summary",
    "export_matters",
    "export_rows",
    "import_matters",
    "template",
]
