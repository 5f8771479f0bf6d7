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
    """`reviews`: ReviewViews or the collection's entries, in the order the page lists them."""
    reviews = tuple(reviews)
    return AboutSources(reviews if len(reviews) <= limit else (), len(reviews))
