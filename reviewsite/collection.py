"""Views across the whole collection: reviews grouped by year and by keyword, and works cited by several.

Like present.py, every derived string is computed here; the templates only loop and escape.
A cited work is the same work in two reviews when they give it the same DOI (case-insensitive) or
the same PMID; nothing is matched on titles or citation text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from .chart import year_chart
from .present import ReviewView
from .schema import Reference


@dataclass(frozen=True, order=True)
class ReviewLink:
    """A short reference to another review of the collection: `A Example et al., 2001`."""

    id: str
    label: str  # not the title: editing one review's title then leaves the others' pages alone


@dataclass(frozen=True)
class Group:
    """Reviews sharing one year, keyword or MeSH term; `anchor` is unique on its page."""

    name: str
    anchor: str
    reviews: tuple[ReviewView, ...]


def work_keys(reference: Reference) -> tuple[str, ...]:
    """What identifies a cited work across reviews: its DOI and its PMID, when given."""
    keys = []
    if reference.doi:
        keys.append("doi:" + reference.doi.lower())
    if reference.pmid:
        keys.append("pmid:" + reference.pmid)
    return tuple(keys)


def review_link(view: ReviewView) -> ReviewLink:
    return ReviewLink(view.id, f"{view.authors_short}, {view.year}")


def _anchor(prefix: str, name: str, taken: set[str]) -> str:
    # Ids stay ASCII and unique even when two names slug alike ("Bone loss" and "bone-loss").
    slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in name.lower()).strip("-")
    slug = "-".join(part for part in slug.split("-") if part) or "x"
    anchor, number = f"{prefix}-{slug}", 2
    while anchor in taken:
        anchor, number = f"{prefix}-{slug}-{number}", number + 1
    taken.add(anchor)
    return anchor


def _groups(prefix: str, pairs: Iterable[tuple[str, ReviewView]], *, newest_first: bool = False) -> tuple[Group, ...]:
    members: dict[str, dict[str, ReviewView]] = defaultdict(dict)
    spelling: dict[str, str] = {}
    for name, view in pairs:
        key = name.casefold()
        spelling.setdefault(key, name)  # the first spelling met names the group
        members[key][view.id] = view
    order = sorted(members, key=lambda k: (k, spelling[k]), reverse=newest_first)
    taken: set[str] = set()
    return tuple(Group(spelling[k], _anchor(prefix, spelling[k], taken),
                       tuple(sorted(members[k].values(), key=lambda v: (v.title.casefold(), v.id))))
                 for k in order)


# The last collection's cross-reference tables, and its reviews (kept alive so their ids stay theirs).
_memo: list = []


class Collection:
    """Every review of the site, seen together."""

    def __init__(self, views: list[ReviewView]):
        self.views = views

    @cached_property
    def by_year(self) -> tuple[Group, ...]:
        return _groups("year", ((view.year, view) for view in self.views), newest_first=True)

    @cached_property
    def by_keyword(self) -> tuple[Group, ...]:
        return _groups("keyword", ((k, view) for view in self.views for k in view.article.keywords))

    @cached_property
    def by_mesh(self) -> tuple[Group, ...]:
        """By MeSH descriptor (qualifiers and the major-topic mark left aside)."""
        return _groups("mesh", ((h.descriptor, view) for view in self.views for h in view.article.mesh_terms))

    @cached_property
    def _cited(self) -> tuple[dict[str, list[str]], dict[str, list[tuple[int, tuple[str, ...]]]]]:
        """Identifier -> ids of the reviews citing it, and review id -> its numbered identified references."""
        key = tuple(id(view.review) for view in self.views)
        if _memo and _memo[0] == key:  # the MkDocs hook's second pass in one build sees the same reviews
            return _memo[2]
        citing: dict[str, list[str]] = defaultdict(list)
        keyed: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for view in self.views:
            mine = []
            for number, reference in enumerate(view.review.reference_list, 1):
                if reference.doi or reference.pmid:
                    keys = work_keys(reference)
                    mine.append((number, keys))
                    for work in keys:
                        ids = citing[work]
                        if not ids or ids[-1] != view.id:
                            ids.append(view.id)
            keyed[view.id] = mine
        _memo[:] = [key, [view.review for view in self.views], (citing, keyed)]
        return citing, keyed

    @cached_property
    def _links(self) -> dict[str, ReviewLink]:
        return {view.id: review_link(view) for view in self.views}

    def also_cited_by(self, view: ReviewView) -> dict[int, tuple[ReviewLink, ...]]:
        """Reference number -> the other reviews of the collection that cite the same work."""
        citing, keyed = self._cited
        result: dict[int, tuple[ReviewLink, ...]] = {}
        for number, keys in keyed.get(view.id, ()):
            if all(len(citing[work]) < 2 for work in keys):
                continue
            others = {other for work in keys for other in citing[work] if other != view.id}
            if others:
                result[number] = tuple(sorted((self._links[o] for o in others), key=lambda k: (k.label, k.id)))
        return result

    def first_author_key(self, view: ReviewView) -> str:
        """What the home table sorts the first-author column by: the family name, not the initials."""
        first = view.article.authors[0]
        return first.family or first.collective or ""

    @cached_property
    def shared_works(self) -> int:
        """How many distinct identifiers are cited by more than one review."""
        return sum(1 for ids in self._cited[0].values() if len(ids) > 1)

    @cached_property
    def reference_count(self) -> int:
        return sum(len(view.review.reference_list) for view in self.views)

    @cached_property
    def chart(self) -> Markup:
        count = self.reference_count
        return year_chart((r.year for view in self.views for r in view.review.reference_list),
                          subject=f"the {count} reference{'s' if count != 1 else ''} recorded across "
                                  f"the {len(self.views)} review{'s' if len(self.views) != 1 else ''} of this site",
                          chart_id="collection-years")


def review_chart(view: ReviewView) -> Markup:
    """The chart of one review's references by year."""
    count = len(view.review.reference_list)
    return year_chart((r.year for r in view.review.reference_list),
                      subject=f"the {count} reference{'s' if count != 1 else ''} recorded for this review",
                      chart_id="reference-years")
