"""What the About page says about each review's sources.

Every review page lists its own sources, each with the date it was read and what was taken from it (its
"Sources" section). The About page lists them again for a small collection, where it reads as the site's
statement of where its data come from; past the home page's bound it points to the review pages instead, so
that a page in every page's navigation stays the same size however many reviews there are (at 10,000 reviews
the listing alone was 4 MB, its table of contents as much again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .home import RECENT_ON_HOME


@dataclass(frozen=True)
class AboutSources:
    """The reviews whose sources the About page lists (every review, or none past the bound), and their count."""

    listed: tuple[Any, ...]
    total: int


def about_sources(reviews: Iterable[Any], limit: int = RECENT_ON_HOME) -> AboutSources:
    """`reviews`: ReviewViews or the collection's entries, in the order the page lists them; gone through once,
    holding no more than `limit` + 1 of them (they may be read one at a time)."""
    listed: list[Any] = []
    total = 0
    for review in reviews:
        total += 1
        if total <= limit + 1:
            listed.append(review)
    return AboutSources(tuple(listed) if total <= limit else (), total)
