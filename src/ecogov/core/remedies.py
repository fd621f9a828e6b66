"""When a record's act was under administrative reconsideration or lawsuit, without the area
that keeps those disputes knowing the acts' areas, nor the other way round.

The legal area keeps the reconsideration and lawsuit cases (legal.DisputeCase), each linked
to the contested record; an area that needs to know how long its act was contested — the
penalty's late-payment surcharge does not run during that time (行政处罚法第七十三条第三款;
docs/enforcement.md §9) — asks `remedy_periods(record)`. The legal area, when installed,
registers the provider in its AppConfig.ready; without it the answer is "none".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RemedyPeriod:
    label: str  # 行政复议 / 行政诉讼 and its number, as a person reads it
    started_on: dt.date  # the bureau received the application (the complaint)
    ended_on: dt.date | None  # decided (None: still pending)


_providers: list[Callable] = []


def register_remedy_periods(provider: Callable) -> None:
    """`provider(record) -> iterable of RemedyPeriod` for the disputes about `record`."""
    if provider not in _providers:
        _providers.append(provider)


def remedy_periods(record) -> list[RemedyPeriod]:
    return sorted(
        (p for provider in _providers for p in provider(record)), key=lambda p: p.started_on
    )
