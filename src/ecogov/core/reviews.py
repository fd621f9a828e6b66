"""The legal section's one work list: every review waiting for it, whatever area it comes from.

The legal section (法规科) reviews normative documents, major enforcement decisions, contracts
and more; each area keeps its own records and says here which of them wait for a review, so
that the list knows no area's models (as the figures registry). An area registers a provider
in its AppConfig.ready:

    register_review_items("enforcement", provider, count=counter)
    # provider(user) -> list[ReviewItem]; counter(user) -> int, the same number in SQL

A provider reads through the user's scope and returns only what waits (not what was done).
The dashboard shows only the number: an area that gives `count` saves building the items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

REVIEW_PROVIDERS: dict[str, list[Callable]] = {}
REVIEW_COUNTERS: dict[Callable, Callable] = {}  # provider -> its counter


@dataclass(frozen=True)
class ReviewItem:
    area: str
    label: str  # what is reviewed, e.g. "示环罚〔2025〕3号 超标排放案"
    kind: str  # the kind of review, in Chinese, e.g. "重大执法决定法制审核"
    due: dt.date | None  # the review's deadline (None: no deadline recorded)
    url: str  # where the reviewer acts
    provisional: bool = False  # due date computed without the year's holiday schedule
    submitted_on: dt.date | None = None


def register_review_items(area: str, provider: Callable, *, count: Callable | None = None) -> None:
    providers = REVIEW_PROVIDERS.setdefault(area, [])
    if provider not in providers:
        providers.append(provider)
    if count is not None:
        REVIEW_COUNTERS[provider] = count


def review_items_for(user) -> list[ReviewItem]:
    """Every waiting review the user may see, earliest deadline first (undated last)."""
    items: list[ReviewItem] = []
    for providers in REVIEW_PROVIDERS.values():
        for provider in providers:
            items.extend(provider(user))
    return sorted(items, key=lambda i: (i.due is None, i.due or dt.date.max, i.label))


def review_count_for(user) -> int:
    """How many reviews wait for the user: len(review_items_for(user)), counted in SQL where
    the area gives a counter (tests/legal/test_legal_reviews.py holds the two equal)."""
    return sum(
        REVIEW_COUNTERS[provider](user) if provider in REVIEW_COUNTERS else len(provider(user))
        for providers in REVIEW_PROVIDERS.values()
        for provider in providers
    )
