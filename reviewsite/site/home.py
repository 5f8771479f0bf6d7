"""The home page's list of reviews: the most recently published few, so that the page a reader lands on (and
every first search starts from) stays the same size however many reviews there are. The table of every review,
to sort and filter, is the page `reviews/all/`.

Below the bound the list simply holds every review: the page keeps one form at any size, and the table is a
link away in both cases.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass

from .collection import ReviewEntry

# How many reviews the home page lists. At 1000 reviews the full table made the home page 226 KB and 0.6 s of a
# first search; twenty entries are a screenful or two, about 10 KB.
RECENT_ON_HOME = 20


@dataclass(frozen=True)
class HomeList:
    """What the home page says about the reviews: its list, newest first, and the words around it."""

    reviews: tuple[ReviewEntry, ...]
    total: int  # every review of the site, listed or not
    heading: str
    lead: str
    all_label: str  # the link to the table of every review


def newest_first(entry: ReviewEntry) -> tuple:
    """Most recent publication date first; a date known only to the year or month comes after the dated days of
    that year or month (its day is not known to be later); then by title and id, so ties are settled the same way
    in every build."""
    issued = entry.issued
    date = (0, -issued.year, -(issued.month or 0), -(issued.day or 0)) if issued else (1, 0, 0, 0)
    return date, entry.title.casefold(), entry.id


def home_list(entries: Iterable[ReviewEntry], limit: int = RECENT_ON_HOME) -> HomeList:
    """`entries` are gone through once, keeping the newest `limit` only (they may be read one at a time)."""
    total = 0

    def counted() -> Iterable[ReviewEntry]:
        nonlocal total
        for entry in entries:
            total += 1
            yield entry

    shown = tuple(heapq.nsmallest(limit, counted(), key=newest_first))
    if total > limit:
        heading, lead = "Most recent reviews", f"The {limit} most recently published of {total} reviews, newest first."
    elif total > 1:
        heading, lead = "Reviews", f"The {total} reviews of this site, newest first."
    elif total == 1:
        heading, lead = "Reviews", "The one review of this site so far."
    else:
        heading, lead = "Reviews", "No review is published here yet."
    return HomeList(shown, total, heading, lead, f"All {total} reviews" if total != 1 else "All reviews")
