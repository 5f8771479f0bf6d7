"""What `serve` carries from one generation to the next, so that a saved record costs work in proportion to what it
changed rather than to the size of the collection.

Held in memory only, keyed by the project's cache folder, and only for a generation made with `remember=True`:

- every review's "also cited by" lists. Another review's lists change only when a review citing one of its works
  changes how it is named (its link) or what it cites, or when a shared work's anchor moves; so after a save only
  the reviews sharing a work with a changed review (and the changed review itself) are looked at again;
- the collection's cross-review index (who cites what, the shared works and their anchors), reused while no
  review's link or cited works changed;
- the collection pages' text, reused while no review's entry changed (nor the invalid drafts, nor the templates).

What is carried is always compared with what was just read, so a stale value is never handed on: a review whose
entry is not the same object as last time is compared field by field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..site.collection import AlsoCitedBy, Collection, Entries, ReviewEntry, review_link

AlsoCited = tuple[tuple[int, AlsoCitedBy], ...]


@dataclass
class _Generation:
    """What one generation made of the collection."""

    entries: dict[str, ReviewEntry]  # in the collection's order
    collection: Collection
    also_cited_by: dict[str, AlsoCited]
    pages_key: tuple  # what the collection pages were rendered from, besides the entries
    pages: dict[PurePosixPath, str]


_LAST: dict[str, _Generation] = {}  # cache folder -> its last generation in this process


def _citation_key(entry: ReviewEntry) -> tuple:
    """What other reviews' "also cited by" lists and the shared-works index take from a review."""
    return review_link(entry), entry.cited


class CollectionWork:
    """The collection-wide work of one generation: "also cited by" for every review and the collection pages,
    each redone only where the reviews it reads changed since the last generation (`remember`), else all made."""

    def __init__(self, key: str | None, entries: Iterable[ReviewEntry] | Entries):
        """`key`: the project's cache folder, or None to carry nothing (a one-off build, whose `entries` may be
        `Entries`, read one at a time whenever the collection goes through them)."""
        self.key = key
        self.previous = _LAST.get(key) if key is not None else None
        self._also_cited_by: dict[str, AlsoCited] | None = None
        if key is None:  # nothing to compare with: every entry is needed again, so none is held here
            self.collection = Collection(entries)
            self.changed = self.touched = None
            return
        self.entries = {entry.id: entry for entry in entries}
        self.collection = Collection(self.entries.values())
        previous = self.previous
        if previous is None or list(previous.entries) != list(self.entries):
            self.changed: set[str] | None = None  # reviews added, removed or moved: nothing is carried
            self.touched: set[str] | None = None
            return
        old = previous.entries
        # Unchanged folders hand on the very same entry object; only the saved ones are compared.
        self.changed = {review_id for review_id, entry in self.entries.items()
                        if entry is not old[review_id] and entry != old[review_id]}
        self.touched = {review_id for review_id in self.changed
                        if _citation_key(self.entries[review_id]) != _citation_key(old[review_id])}
        if not self.touched:
            self.collection.carry_citations_from(previous.collection)
        if all(self.entries[i].packed_reference_years == old[i].packed_reference_years for i in self.changed):
            self.collection.carry_chart_from(previous.collection)

    def also_cited_by(self) -> dict[str, AlsoCited]:
        """Review id -> its "also cited by" lists, as `Collection.also_cited_by` gives them."""
        previous, collection = self.previous, self.collection
        if self.touched is None or previous is None:
            result = {review_id: tuple(collection.also_cited_by(entry).items())
                      for review_id, entry in self.entries.items()}
        else:
            affected = set(self.touched)
            works: set[str] = set()
            for review_id in self.touched:
                works.update(previous.entries[review_id].cited.works())
                works.update(self.entries[review_id].cited.works())
            old_anchors, new_anchors = previous.collection.work_anchors, collection.work_anchors
            works.update(work for work in old_anchors.keys() | new_anchors.keys()
                         if old_anchors.get(work) != new_anchors.get(work))
            # `citing` keeps shared works only: a work the edit made unshared is in the last collection's, with the
            # review whose line loses it.
            for citing in (previous.collection.citing, collection.citing):
                for work in works:
                    affected.update(citing.get(work, ()))
            result = {review_id: tuple(collection.also_cited_by(self.entries[review_id]).items())
                      if review_id in affected else previous.also_cited_by[review_id]
                      for review_id in self.entries}
        self._also_cited_by = result
        return result

    def also_cited_by_of(self, review_id: str) -> AlsoCited:
        """One review's "also cited by" lists. Made when asked for in a one-off build, so that no generation holds
        every review's at once; `serve` works out all of them (`also_cited_by`), to carry them to the next."""
        if self.key is None:
            return tuple(self.collection.also_cited_by_id(review_id).items())
        if self._also_cited_by is None:
            self.also_cited_by()
        return self._also_cited_by[review_id]

    def collection_pages(self, pages_key: tuple, render: Callable[[], dict[PurePosixPath, str]]
                         ) -> dict[PurePosixPath, str]:
        """`render()`'s pages, or the last generation's while no entry changed and `pages_key` (the invalid drafts,
        the templates) is the same."""
        previous = self.previous
        if previous is not None and self.changed is not None and not self.changed and previous.pages_key == pages_key:
            pages = previous.pages
        else:
            pages = render()
        if self.key is not None:
            _LAST[self.key] = _Generation(self.entries, self.collection, self._also_cited_by, pages_key, pages)
        return pages


def forget(key: str) -> None:
    """Drop what was carried for a project (its generation failed half way: nothing of it may be trusted)."""
    _LAST.pop(key, None)


def carried(key: str) -> Any:
    """What is carried for `key` (tests)."""
    return _LAST.get(key)
