"""Values as the public reads them: dates as 年-月-日, None as empty, text made safe for CSV."""

from __future__ import annotations

import datetime as dt

# A cell starting with one of these is read as a formula by spreadsheet programs (CSV
# injection): it is prefixed with an apostrophe, which they show as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def safe_csv(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text
