"""A finding that opens a penalty case, without the finding's area knowing the enforcement area.

An inspection found in violation asks for a case (立案) in one step; the enforcement area, when
installed, registers how it opens one in its AppConfig.ready. So the dependency runs one way:
enforcement may read the inspections area's records (its demo does), inspections knows only this
hook (docs/architecture.md, dependencies).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Finding:
    entity: Any  # core.RegulatedEntity
    division: Any  # core.Division
    kind: str  # how it was found: "random", "complaint", "daily" or a special campaign's code
    reference: str  # the finding record's number (the inspection record)
    found_on: dt.date
    facts: str
    title: str = ""
    officers: Sequence = field(default_factory=tuple)
    opened_on: dt.date | None = None
    approved_by: Any = None


_case_opener: Callable | None = None


def register_case_opener(opener: Callable) -> None:
    """`opener(*, actor, finding: Finding, **options) -> case`: numbers and opens the case;
    `options` are the opener's own (enforcement: a bulk job's `writer`), passed on unread."""
    global _case_opener
    _case_opener = opener


def open_case(*, actor, finding: Finding, **options):
    if _case_opener is None:
        raise ValidationError(_("本系统未启用行政处罚模块,不能立案。"))
    return _case_opener(actor=actor, finding=finding, **options)
