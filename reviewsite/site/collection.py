"""Views across the whole collection: reviews grouped by year and by keyword, and works cited by several.

Like present.py, every derived string is computed here; the templates only loop and escape.
A cited work is the same work in two reviews when they give it the same DOI (case-insensitive) or
the same PMID; nothing is matched on titles or citation text.
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from ..model import Journal, MeshHeading, PartialDate, Source, Work
from .chart import year_chart
from .context import ErratumView, ReviewView


@dataclass(frozen=True, order=True)
class ReviewLink:
    """A short reference to another review of the collection: `A Example et al., 2001`."""

    id: str
    label: str  # not the title: editing one review's title then leaves the others' pages alone


@dataclass(frozen=True)
class AlsoCitedBy:
    """The other reviews citing one reference's work: by name when they are few, else only their count, and where
    all are listed."""

    shown: tuple[ReviewLink, ...]  # every other citing review, or none when there are more than MAX_ALSO_CITED
    count: int  # how many other reviews cite the work
    anchor: str  # the work's entry on the page of shared works


@dataclass(frozen=True)
class SharedWork:
    """A work that several reviews cite, under one identifier."""

    anchor: str
    label: str  # e.g. "DOI 10.1234/example"
    citation: str  # as the first review citing it writes it
    reviews: tuple[ReviewLink, ...]


@dataclass(frozen=True)
class EntryLine:
    """What a group's list shows of a review (the by-year and by-keyword pages): its entry's fields of the same
    names, so the collection holds these, not every review's whole entry."""

    id: str
    title: str
    byline: str
    year: str


@dataclass(frozen=True)
class Group:
    """Reviews sharing one year, keyword or MeSH term; `anchor` is unique on its page."""

    name: str
    anchor: str
    reviews: tuple[EntryLine, ...]


class Entries:
    """The collection's entries read one at a time, in order, each time they are gone through (a one-off build
    reads them from the cache's summaries store): every review's entry held at once was 4 KB of each (issue 16).
    `read(review_id)` gives a review's entry."""

    def __init__(self, order: Sequence[str], read: Callable[[str], ReviewEntry]):
        self.order, self.read = order, read

    def __len__(self) -> int:
        return len(self.order)

    def __iter__(self) -> Iterator[ReviewEntry]:
        read = self.read
        for review_id in self.order:
            yield read(review_id)


@dataclass(frozen=True)
class EntryArticle:
    """What the collection's pages show of a review's article."""

    journal: Journal
    keywords: tuple[str, ...]
    mesh_terms: tuple[MeshHeading, ...]


@dataclass(frozen=True)
class ReviewEntry:
    """One review as the collection sees it: what the home, about, by-year, by-keyword and shared-works pages show
    of it, and the identifiers of its references. Small and cached beside the model, so a build after one edit
    reads a thousand of these instead of a thousand whole models. The names are ReviewView's: the templates
    read either."""

    id: str
    title: str
    page_url: str
    draft: bool
    retractions: tuple[ErratumView, ...]
    concerns: tuple[ErratumView, ...]
    errata: tuple[ErratumView, ...]
    bottom_line: str | None
    first_author_key: str
    authors_short: str
    journal_short: str
    byline: str
    year: str
    issued: PartialDate | None  # the home page lists the most recently published first
    sources: tuple[Source, ...]
    article: EntryArticle
    cited: CitedWorks  # the identified references
    # The year of each reference, identified or not, in order ("?" for none), separated by spaces, zlib-compressed:
    # only the chart reads them, and every review's entry is held at once (3.7 KB of each as a tuple of strings).
    packed_reference_years: bytes

    @property
    def published(self) -> str:
        return self.issued.pubmed if self.issued else ""

    @property
    def reference_years(self) -> tuple[str | None, ...]:
        """The year of each reference (None: not recorded), in order."""
        return _unpacked_years(self.packed_reference_years)

    @property
    def reference_count(self) -> int:
        return len(self.reference_years)


def _packed_years(years: Iterable[str | None]) -> bytes:
    return zlib.compress(" ".join(year or "?" for year in years).encode("utf-8"))  # a year is digits


def _unpacked_years(packed: bytes) -> tuple[str | None, ...]:
    text = zlib.decompress(packed).decode("utf-8")
    return tuple(None if year == "?" else year for year in text.split(" ")) if text else ()


@dataclass(frozen=True)
class CitedWorks:
    """A review's identified references: each one's number and identifiers, and its citation. Packed, since a
    collection holds one for every review at once (as tuples and strings, 100 references took 27 KB of a 34 KB
    entry): the identifiers in one string, and the citations compressed, read only for the shared-works page."""

    # Each identified reference's number, in order, separated by spaces, zlib-compressed (a tuple of ints was
    # 0.8 KB of every entry).
    packed_numbers: bytes
    # Their identifiers in order, separated by spaces (an identifier holds no white space), zlib-compressed: read
    # a few times a build, held for every review all along (2.6 KB of each entry as a string).
    packed_identifiers: bytes
    counts: bytes  # how many identifiers each reference has, in order
    packed_citations: bytes  # their citations in order: zlib-compressed JSON

    @classmethod
    def of(cls, cited: Iterable[tuple[int, tuple[str, ...], str]]) -> CitedWorks:
        """From (number, identifiers, citation) for each identified reference."""
        cited = list(cited)
        return cls(zlib.compress(" ".join(str(number) for number, _, _ in cited).encode("utf-8")),
                   zlib.compress(" ".join(key for _, keys, _ in cited for key in keys).encode("utf-8")),
                   bytes(len(keys) for _, keys, _ in cited),
                   zlib.compress(json.dumps([citation for _, _, citation in cited]).encode("utf-8")))

    def works(self) -> list[str]:
        """Every reference's identifiers, one after another."""
        return zlib.decompress(self.packed_identifiers).decode("utf-8").split(" ") if self.counts else []

    def numbers(self) -> list[int]:
        """Each identified reference's number, in order."""
        return [int(number) for number in zlib.decompress(self.packed_numbers).split()]

    def __len__(self) -> int:
        """How many identifiers there are, all references together."""
        return sum(self.counts)

    def __iter__(self) -> Iterator[tuple[int, tuple[str, ...]]]:
        """(number, identifiers) of each identified reference, in order."""
        keys, start = self.works(), 0
        for number, count in zip(self.numbers(), self.counts, strict=True):
            yield number, tuple(keys[start:start + count])
            start += count

    def citations(self) -> list[str]:
        """The citation of each identified reference, in order."""
        return json.loads(zlib.decompress(self.packed_citations))


def review_entry(view: ReviewView) -> ReviewEntry:
    references = view.review.references
    article = view.article
    return ReviewEntry(
        id=view.id, title=view.title, page_url=view.page_url, draft=view.draft, retractions=view.retractions,
        concerns=view.concerns, errata=view.errata, bottom_line=view.bottom_line,
        first_author_key=view.first_author_key, authors_short=view.authors_short, journal_short=view.journal_short,
        byline=view.byline, year=view.year, issued=view.article.issued, sources=tuple(view.sources),
        article=EntryArticle(article.journal, tuple(article.keywords), tuple(article.mesh_terms)),
        cited=CitedWorks.of((number, keys, reference.citation) for number, reference in enumerate(references, 1)
                            if (keys := work_keys(reference))),
        packed_reference_years=_packed_years(_year(reference) for reference in references))


def work_keys(reference: Work) -> tuple[str, ...]:
    """What identifies a cited work across reviews: its DOI and its PMID, when given."""
    keys = []
    if reference.doi:
        keys.append("doi:" + reference.doi.lower())
    if reference.pmid:
        keys.append("pmid:" + reference.pmid)
    return tuple(keys)


def _link_order(link: ReviewLink) -> tuple[str, str]:
    return link.label, link.id


def review_link(view: ReviewView | ReviewEntry) -> ReviewLink:
    # Without recorded authors the review is named by its title, never by an empty or placeholder name.
    return ReviewLink(view.id, f"{view.authors_short or view.title}, {view.year}")


def _anchor(prefix: str, name: str, taken: set[str]) -> str:
    # Ids stay ASCII and unique even when two names slug alike ("Bone loss" and "bone-loss").
    slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in name.lower()).strip("-")
    slug = "-".join(part for part in slug.split("-") if part) or "x"
    anchor, number = f"{prefix}-{slug}", 2
    while anchor in taken:
        anchor, number = f"{prefix}-{slug}-{number}", number + 1
    taken.add(anchor)
    return anchor


def _groups(prefix: str, pairs: Iterable[tuple[str, EntryLine]], *, newest_first: bool = False) -> tuple[Group, ...]:
    members: dict[str, dict[str, EntryLine]] = defaultdict(dict)
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


# A references page names the other reviews citing a work when there are at most this many; past it, the line
# gives their count, linked to the work's entry on the shared-works page, which lists them all. Without a cap a
# work cited across a large collection would list every review on every page citing it (the benchmark: 2,490
# links per references page at N=1000). A short list is read at a glance where it stands; of a long one, a few
# names said little and cost most of the line (issue 16: naming three of 245 was 1.9 KB of each references page
# at N=1000, the count alone 0.9 KB).
MAX_ALSO_CITED = 3


def _also_cited_by(others: list[ReviewLink], anchor: str) -> AlsoCitedBy:
    return AlsoCitedBy(tuple(others) if len(others) <= MAX_ALSO_CITED else (), len(others), anchor)


class Collection:
    """Every review of the site, seen together: from their entries (or views, whose entries are taken)."""

    def __init__(self, views: Iterable[ReviewView | ReviewEntry] | Entries):
        """`views`: the reviews' views or entries, held; or `Entries`, read again at each pass over them."""
        self.views: list[ReviewEntry] | Entries = views if isinstance(views, Entries) else \
            [v if isinstance(v, ReviewEntry) else review_entry(v) for v in views]

    def _entry(self, review_id: str) -> ReviewEntry | None:
        if isinstance(self.views, Entries):
            return self.views.read(review_id)
        return self._by_id.get(review_id)

    @cached_property
    def _grouped(self) -> tuple[tuple[Group, ...], tuple[Group, ...], tuple[Group, ...], Entries]:
        """By year, by keyword, by MeSH descriptor, and the reviews with no terms: in one pass over the entries,
        each review's line made once for all its groups."""
        years: list[tuple[str, EntryLine]] = []
        keywords: list[tuple[str, EntryLine]] = []
        descriptors: list[tuple[str, EntryLine]] = []
        without: list[tuple[str, str]] = []
        for view in self.views:
            line = EntryLine(view.id, view.title, view.byline, view.year)
            years.append((view.year, line))
            keywords += ((keyword, line) for keyword in view.article.keywords)
            descriptors += ((heading.descriptor, line) for heading in view.article.mesh_terms)
            if not view.article.keywords and not view.article.mesh_terms:
                without.append((view.title.casefold(), view.id))
        return (_groups("year", years, newest_first=True), _groups("keyword", keywords),
                _groups("mesh", descriptors), Entries([review_id for _, review_id in sorted(without)], self._entry))

    @property
    def by_year(self) -> tuple[Group, ...]:
        return self._grouped[0]

    @property
    def by_keyword(self) -> tuple[Group, ...]:
        return self._grouped[1]

    @property
    def without_terms(self) -> Entries:
        """Reviews whose records give neither keywords nor MeSH terms: listed too, not silently left out."""
        return self._grouped[3]

    @property
    def by_mesh(self) -> tuple[Group, ...]:
        """By MeSH descriptor (qualifiers and the major-topic mark left aside)."""
        return self._grouped[2]

    @cached_property
    def citing(self) -> dict[str, list[str]]:
        """Identifier cited by more than one review -> the ids of the reviews citing it, in the collection's order.
        Only shared works are kept: most cited works have one citing review (80 of each synthetic review's 100), and
        an entry for each was 15 KB per review for the build's life (issue 16, memory).

        In two passes, so that no pass holds every identifier: the first marks each identifier's hash in a table
        of bits, and a slot met twice in a second; the second pass looks again at the identifiers of such slots
        only, every shared work among them (with a few others whose hash met another's), and compares them
        exactly. One pass with a dict of every identifier peaked at 12 KB per review."""
        total = sum(len(view.cited) for view in self.views)
        slots = max(64, 32 * total)  # a few per cent of the unshared identifiers share a slot with another
        once, twice = bytearray(slots // 8 + 1), bytearray(slots // 8 + 1)
        for view in self.views:
            for work in view.cited.works():
                slot = hash(work) % slots
                byte, bit = slot >> 3, 1 << (slot & 7)
                if once[byte] & bit:
                    twice[byte] |= bit
                else:
                    once[byte] |= bit
        del once
        first: dict[str, str] = {}  # each identifier met twice -> the first review citing it, while they are read
        shared: dict[str, list[str]] = {}
        # The tightest loop of a build (every identifier of every review): no calls, no temporaries.
        for view in self.views:
            review_id = view.id
            for work in view.cited.works():
                slot = hash(work) % slots
                if not twice[slot >> 3] & (1 << (slot & 7)):
                    continue  # met once in the whole collection: cited by one review
                ids = shared.get(work)
                if ids is not None:
                    if ids[-1] != review_id:
                        ids.append(review_id)
                    continue
                other = first.setdefault(work, review_id)
                if other != review_id:
                    shared[work] = [other, review_id]
        return shared

    # What `carry_citations_from` may take over: every value made only of the reviews' ids, order, links and
    # cited works (never of an entry itself, which `_by_id` holds).
    _CITATION_VALUES = ("citing", "_links", "work_anchors", "shared_works", "_sorted", "_also_cited_cache")

    def carry_citations_from(self, previous: Collection) -> None:
        """Take over what `previous` worked out of who cites what. Only for a collection of the same reviews, in
        the same order, each with the same link and cited works (`serve`, after a save that changed neither)."""
        for name in self._CITATION_VALUES:
            if name in previous.__dict__:
                self.__dict__[name] = previous.__dict__[name]

    def carry_chart_from(self, previous: Collection) -> None:
        """Take over `previous`'s chart: only for the same reviews with the same years of references."""
        for name in ("reference_count", "chart"):
            if name in previous.__dict__:
                self.__dict__[name] = previous.__dict__[name]

    @cached_property
    def _by_id(self) -> dict[str, ReviewEntry]:
        return {view.id: view for view in self.views}

    @cached_property
    def _links(self) -> dict[str, ReviewLink]:
        return {view.id: review_link(view) for view in self.views}

    def also_cited_by(self, view: ReviewView | ReviewEntry) -> dict[int, AlsoCitedBy]:
        """Reference number -> the other reviews of the collection that cite the same work."""
        return self.also_cited_by_id(view.id)

    def also_cited_by_id(self, review_id: str) -> dict[int, AlsoCitedBy]:
        """`also_cited_by` of the review `review_id` (nothing for a review not in the collection)."""
        citing = self.citing
        result: dict[int, AlsoCitedBy] = {}
        entry = self._entry(review_id)
        for number, keys in entry.cited if entry is not None else ():
            shared = [work for work in keys if work in citing]
            if not shared:
                continue
            if len(shared) == 1:  # the usual case: one identifier, its citing reviews sorted once per build
                result[number] = self._also_cited(shared[0], review_id)
                continue
            others = {other for work in shared for other in citing[work] if other != review_id}
            links = sorted((self._links[o] for o in others), key=_link_order)
            result[number] = _also_cited_by(links, self.work_anchors[shared[0]])
        return result

    def _also_cited(self, work: str, review_id: str) -> AlsoCitedBy:
        """The other reviews citing `work`, as `review_id`'s page shows them. Past MAX_ALSO_CITED every citing
        review sees the same line (a count), made once; below it each names the others."""
        ordered = self._sorted_links(work)  # `review_id` among them, once
        key = (work, review_id if len(ordered) - 1 <= MAX_ALSO_CITED else None)
        cache = self.__dict__.setdefault("_also_cited_cache", {})
        if key not in cache:
            cache[key] = _also_cited_by([link for link in ordered if link.id != review_id], self.work_anchors[work])
        return cache[key]

    def _sorted_links(self, work: str) -> list[ReviewLink]:
        cache = self.__dict__.setdefault("_sorted", {})
        if work not in cache:
            cache[work] = sorted((self._links[i] for i in self.citing[work]), key=_link_order)
        return cache[work]

    @cached_property
    def work_anchors(self) -> dict[str, str]:
        """Each work cited by more than one review -> its anchor on the shared-works page."""
        citing = self.citing
        taken: set[str] = set()
        return {work: _anchor("work", work.replace(":", "-"), taken)
                for work in sorted(citing)}

    @cached_property
    def shared_works(self) -> tuple[SharedWork, ...]:
        """Every identifier that more than one review cites, in order of the identifier."""
        citing = self.citing
        first_citing: dict[str, set[str]] = defaultdict(set)  # review id -> the shared works it cites first
        for work in self.work_anchors:
            first_citing[citing[work][0]].add(work)
        citations: dict[str, str] = {}  # each shared work's citation as the first review citing it gives it
        for review_id, works in first_citing.items():
            cited = self._entry(review_id).cited
            texts = cited.citations()
            for position, (_, keys) in enumerate(cited):
                for work in keys:
                    if work in works:
                        citations.setdefault(work, texts[position])
        labels = {"doi": "DOI", "pmid": "PMID"}
        return tuple(
            SharedWork(anchor, f"{labels[work.split(':', 1)[0]]} {work.split(':', 1)[1]}", citations[work],
                       tuple(self._sorted_links(work)))
            for work, anchor in self.work_anchors.items())

    @cached_property
    def reference_count(self) -> int:
        return sum(view.reference_count for view in self.views)

    @cached_property
    def chart(self) -> Markup:
        count = self.reference_count
        return year_chart((year for view in self.views for year in view.reference_years),
                          subject=f"the {count} reference{'s' if count != 1 else ''} recorded across "
                                  f"the {len(self.views)} review{'s' if len(self.views) != 1 else ''} of this site",
                          chart_id="collection-years")


def review_chart(view: ReviewView) -> Markup:
    """The chart of one review's references by year."""
    count = len(view.review.references)
    return year_chart((_year(r) for r in view.review.references),
                      subject=f"the {count} reference{'s' if count != 1 else ''} recorded for this review",
                      chart_id="reference-years")


def _year(work: Work) -> str | None:
    return str(work.issued.year) if work.issued else None
