"""The annual summary's figures on assigned matters, counted from the records in a user's scope.

`provider(user, period)` is registered with the figures registry (MattersConfig.ready). Every
figure carries exactly its records (ecogov.core.figures): counts of matters are counts;
"closed" and "rectified" are credits — the matters that carry a share for the user's scope,
each annotated with its share (a matter closed jointly by two units counts 0.5 to each; seed
2020: "147.5 closed"). Every date condition is relative to the period's start and end, so a
period's figures stay the same when computed again later. Definitions: docs/matters.md.
"""

from __future__ import annotations

from ecogov.core.figures import Figure, Period

from .campaign import campaign_figures
from .petitions import petition_figures
from .proposals import proposal_figures
from .rectification import rectification_figures

__all__ = [
    "provider",
    "campaign_figures",
    "petition_figures",
    "proposal_figures",
    "rectification_figures",
]


def provider(user, period: Period) -> list[Figure]:
    return [
        *rectification_figures(user, period),
        *petition_figures(user, period),
        *proposal_figures(user, period),
        *campaign_figures(user, period),
    ]
