"""The page context: views of the model for the templates, every derived string computed here, once.

Templates receive these objects and only loop, test and escape.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .. import identifiers as ids
from ..model import (
    AbstractSection,
    AbstractSupport,
    CitationLine,
    Correction,
    ErratumSupport,
    Name,
    PartialDate,
    Person,
    Review,
    Summary,
    Support,
    Work,
    citation_line,
)
from ..sentences import split_sentences

_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class AuthorView:
    name: str
    marks: tuple[int, ...]  # affiliation numbers, 1-based, in the order listed


@dataclass(frozen=True)
class ErratumView:
    """A notice about the review or a cited work (any kind; the name is the erratum page's)."""

    citation: str | None
    title: str | None
    doi: str | None
    pmid: str | None
    note: str | None
    link: Link
    kind: str = "erratum"
    label: str = "Erratum"  # Retraction, Expression of concern, Erratum, Update
    named: str = ""  # the citation, else the DOI or PMID, else "a notice whose details are not recorded"


@dataclass(frozen=True)
class ReferenceView:
    number: int
    anchor: str
    citation: str
    title: str | None
    authors: str | None
    note: str | None
    links: tuple[Link, ...]
    notices: tuple[ErratumView, ...] = ()

    @property
    def title_end(self) -> str:
        """The period that ends the title before the journal, as PubMed's citations have it, where the title
        does not end in one of its own ("...osteoprotegerin ligand. Nature." not "...ligand Nature.")."""
        return "" if not self.title or self.title.rstrip().endswith((".", "?", "!")) else "."

    @property
    def not_recorded(self) -> str:
        """What the record lacks of the parts a reader looks for, said plainly, so that a reference shown as its
        citation alone does not read as a work without authors or title ("" when both are recorded)."""
        missing = [part for part, value in (("authors", self.authors), ("title", self.title)) if not value]
        return (" and ".join(missing).capitalize() + " not recorded.") if missing else ""

    @property
    def retracted(self) -> bool:
        return any(n.kind == "retraction" for n in self.notices)

    @property
    def concern(self) -> bool:
        return any(n.kind == "expression-of-concern" for n in self.notices)


KIND_LABELS = {"retraction": "Retraction", "expression-of-concern": "Expression of concern", "erratum": "Erratum",
               "update": "Update"}
# The services whose records `verify` and `import --pmid/--doi` read again, by the source ids they write.
CHECKED_SERVICES = (("pubmed-efetch", "PubMed"), ("crossref-works", "Crossref"))


@dataclass(frozen=True)
class Sentence:
    anchor: str  # abstract-2-3: the third sentence of the second section
    text: str


@dataclass(frozen=True)
class AbstractSectionView:
    """A section of the abstract cut into sentences, each with its anchor, for a page a summary points into."""

    anchor: str  # abstract-2
    label: str | None
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class KeyPointView:
    text: str
    supports: tuple[Link, ...]  # each link's label says where it goes, for screen readers as for everyone


@dataclass(frozen=True)
class PersonView:
    name: str
    orcid: str | None
    orcid_url: str | None


@dataclass(frozen=True)
class SummaryView:
    """The maintainers' summary as the page shows it, with its label, credits and support links."""

    heading: str  # Summary by Ann Example and Ben Example, 2 March 2024
    written: str  # the day, in words
    written_iso: str
    bottom_line: str | None
    key_points: tuple[KeyPointView, ...]
    plain_language: tuple[str, ...]
    written_by: tuple[PersonView, ...]
    reviewed: str | None  # the day, in words
    reviewed_iso: str | None
    reviewed_by: tuple[PersonView, ...]
    competing_interests: str  # as written, ending with a full stop
    source_version: str  # "Example source (invented), as of 2 January 2024"


def long_date(date: PartialDate) -> str:
    """`2 March 2024`, `March 2024`, `2024`: a date a reader says aloud."""
    if date.month is None:
        return str(date.year)
    month = f"{_MONTH_NAMES[date.month - 1]} {date.year}"
    return f"{date.day} {month}" if date.day else month


def names_in_words(people: tuple[Person, ...]) -> str:
    """`Ann Example`, `Ann Example and Ben Example`, `A, B and C`."""
    names = [p.name for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class ReviewView:
    """Everything a review's pages show, derived from one model `Review`."""

    def __init__(self, review: Review):
        self.review = review
        self.article = review.article
        self.id = review.id

    @property
    def draft(self) -> bool:
        return self.review.draft

    @property
    def affiliations(self):
        return self.review.affiliations

    @property
    def acknowledgment(self):
        return self.review.acknowledgment

    @property
    def sources(self):
        return self.review.sources

    @cached_property
    def page_url(self) -> str:
        return f"reviews/{self.id}/"

    @cached_property
    def title(self) -> str:
        return str(self.article.title)

    @cached_property
    def authors(self) -> tuple[AuthorView, ...]:
        numbers = {aff.id: i for i, aff in enumerate(self.review.affiliations, 1)}
        return tuple(AuthorView(a.display, tuple(numbers[x] for x in a.affiliations)) for a in self.article.authors)

    @cached_property
    def authors_short(self) -> str:
        """`S Ferrari-Lacraz et al.` as PubMed lists an article; empty when no author is recorded."""
        names = [a.name for a in self.authors]
        if not names:
            return ""
        if not self.article.authors_complete or len(names) > 1:
            return f"{names[0]} et al."
        return names[0]

    @cached_property
    def authors_incomplete(self) -> bool:
        return not self.article.authors_complete

    @cached_property
    def first_author_key(self) -> str:
        """What the home table sorts the first-author column by: the family name, not the initials."""
        if not self.article.authors:
            return ""
        first = self.article.authors[0]
        return first.family or first.literal or ""

    @cached_property
    def journal_short(self) -> str:
        """The journal as PubMed lists it: its abbreviation, or its title where only that is recorded."""
        return self.article.journal.abbreviation or self.article.journal.title or ""

    @cached_property
    def byline(self) -> str:
        """`S Ferrari-Lacraz et al., Osteoporos Int`: whichever of the two is recorded."""
        return ", ".join(part for part in (self.authors_short, self.journal_short) if part)

    @cached_property
    def year(self) -> str:
        return str(self.article.issued.year) if self.article.issued else ""

    @cached_property
    def published(self) -> str:
        return self.article.issued.pubmed if self.article.issued else ""

    @cached_property
    def citation_line(self) -> CitationLine:
        """`Osteoporos Int. 2011 Feb;22(2):435-46.`, then the DOI (linked) and the Epub date."""
        return citation_line(self.article)

    @cached_property
    def doi_url(self) -> str | None:
        return ids.doi_url(self.article.doi) if self.article.doi else None

    @cached_property
    def links(self) -> tuple[Link, ...]:
        links = []
        if self.article.pmid:
            links.append(Link(f"PubMed {self.article.pmid}", ids.pubmed_url(self.article.pmid)))
        if self.article.doi:
            links.append(Link(f"DOI {self.article.doi}", ids.doi_url(self.article.doi)))
        if self.article.pmcid:
            links.append(Link(f"PMC {self.article.pmcid}", ids.pmc_url(self.article.pmcid)))
        return tuple(links)

    @cached_property
    def notices(self) -> tuple[ErratumView, ...]:
        """Every notice about the review, most grave first."""
        return _notice_views(self.article.corrections, self.review.sources)

    def _of(self, *kinds: str) -> tuple[ErratumView, ...]:
        return tuple(n for n in self.notices if n.kind in kinds)

    @cached_property
    def retractions(self) -> tuple[ErratumView, ...]:
        return self._of("retraction")

    @cached_property
    def concerns(self) -> tuple[ErratumView, ...]:
        return self._of("expression-of-concern")

    @cached_property
    def errata(self) -> tuple[ErratumView, ...]:
        """Errata and updates: the notices the warning banner lists."""
        return self._of("erratum", "update")

    @cached_property
    def errata_title(self) -> str:
        kinds = {n.kind for n in self.errata}
        return "Erratum published" if kinds == {"erratum"} else "Update published" if kinds == {"update"} \
            else "Correction notices published"

    @cached_property
    def notices_title(self) -> str:
        """The notices page's heading: `Erratum` when errata are all there is."""
        kinds = {n.kind for n in self.notices}
        return KIND_LABELS[kinds.pop()] if len(kinds) == 1 else "Notices"

    @cached_property
    def cited_retracted(self) -> tuple[ReferenceView, ...]:
        return tuple(r for r in self.references if r.retracted)

    @cached_property
    def cited_concerns(self) -> tuple[ReferenceView, ...]:
        return tuple(r for r in self.references if r.concern and not r.retracted)

    @cached_property
    def checked(self) -> str | None:
        """`Checked against PubMed and Crossref on 2026-07-01`, from the sources `verify` and `import` write
        (their `accessed`); None when no service was ever checked."""
        dates = {s.id: s.accessed for s in self.review.sources if s.accessed}
        seen = [(name, dates[key]) for key, name in CHECKED_SERVICES if key in dates]
        if not seen:
            return None
        if len({date for _, date in seen}) == 1:
            return f"Checked against {' and '.join(name for name, _ in seen)} on {seen[0][1]}"
        return "Checked against " + " and ".join(f"{name} on {date}" for name, date in seen)

    @cached_property
    def abstract_sections(self):
        return self.article.abstract

    @cached_property
    def abstract_sentences(self) -> tuple[AbstractSectionView, ...]:
        """The abstract with an anchor on each section and sentence; the page uses it only when a summary
        points into it, so a review without a summary keeps its plain paragraphs."""
        return tuple(AbstractSectionView(f"abstract-{n}", section.label,
                                         tuple(Sentence(f"abstract-{n}-{m}", text)
                                               for m, text in enumerate(split_sentences(section.text), 1)))
                     for n, section in enumerate(self.abstract_sections, 1))

    @cached_property
    def summary(self) -> SummaryView | None:
        summary = self.review.summary
        return _summary_view(summary, self.abstract_sections, self.review.sources) if summary else None

    @cached_property
    def bottom_line(self) -> str | None:
        return self.review.summary.bottom_line if self.review.summary else None

    @cached_property
    def mesh_terms(self) -> tuple[str, ...]:
        terms = []
        for heading in self.article.mesh_terms:
            text = heading.descriptor + "".join(f"/{q}" for q in heading.qualifiers)
            terms.append(text + ("*" if heading.major else ""))
        return tuple(terms)

    @cached_property
    def references(self) -> tuple[ReferenceView, ...]:
        return tuple(_reference_view(work, self.review.sources) for work in self.review.references)

    @cached_property
    def references_complete(self) -> bool:
        return self.review.references_complete

    @cached_property
    def references_note(self) -> str | None:
        return self.review.references_note

    @cached_property
    def record_files(self) -> tuple[str, ...]:
        return self.review.files

    def record_file(self, name: str) -> str:
        """The project-relative path of one of this review's record files, e.g. `erratum.yaml`."""
        return self.review.record_file(name)

    @cached_property
    def description(self) -> str:
        """A short plain-text summary for search results: the summary's bottom line where a maintainer wrote
        one, else the abstract's opening, cut at a word."""
        if self.bottom_line:
            return self.bottom_line
        text = " ".join(s.text for s in self.abstract_sections) or self.title
        if len(text) <= 200:
            return text
        return text[:200].rsplit(" ", 1)[0] + " …"


def _person_view(person: Person) -> PersonView:
    return PersonView(person.name, person.orcid, ids.orcid_url(person.orcid) if person.orcid else None)


def _support_link(support: Support, sections: tuple[AbstractSection, ...]) -> Link:
    if isinstance(support, AbstractSupport):
        label = sections[support.section - 1].label
        section = f"{label} section" if label else f"section {support.section}"
        if support.sentence is None:
            return Link(f"abstract, {section}", f"#abstract-{support.section}")
        return Link(f"abstract, {section}, sentence {support.sentence}",
                    f"#abstract-{support.section}-{support.sentence}")
    if isinstance(support, ErratumSupport):
        return Link(f"correction notice {support.number}, on the erratum page", "erratum/")
    return Link(f"reference {support.number}, on the references page", f"references/#ref-{support.number}")


def _summary_view(summary: Summary, sections: tuple[AbstractSection, ...], sources) -> SummaryView:
    source_names = {s.id: s.name for s in sources}
    version = summary.source_version
    return SummaryView(
        heading=f"Summary by {names_in_words(summary.written_by)}, {long_date(summary.written)}",
        written=long_date(summary.written),
        written_iso=summary.written.iso,
        bottom_line=summary.bottom_line,
        key_points=tuple(KeyPointView(k.text, tuple(_support_link(s, sections) for s in k.supported_by))
                         for k in summary.key_points),
        plain_language=summary.plain_language,
        written_by=tuple(_person_view(p) for p in summary.written_by),
        reviewed=long_date(summary.reviewed) if summary.reviewed else None,
        reviewed_iso=summary.reviewed.iso if summary.reviewed else None,
        reviewed_by=tuple(_person_view(p) for p in summary.reviewed_by),
        competing_interests=summary.competing_interests + ("" if summary.competing_interests[-1] in ".!?" else "."),
        source_version=f"{source_names.get(version.source, version.source)}, as of {long_date(version.date)}",
    )


def _erratum_link(notice: Correction, source_urls: list[str]) -> Link:
    if notice.pmid:
        return Link("PubMed", ids.pubmed_url(notice.pmid))
    if notice.doi:
        return Link("DOI", ids.doi_url(notice.doi))
    if notice.citation:
        return Link("Search PubMed", ids.pubmed_search_url(notice.citation))
    # Nothing to search for: send the reader to where the source lists the notice.
    return Link("See the source", source_urls[0]) if source_urls else Link("", "")


def _notice_views(corrections, sources) -> tuple[ErratumView, ...]:
    urls = {s.id: s.url for s in sources}
    return tuple(ErratumView(c.citation, c.title, c.doi, c.pmid, c.note,
                             _erratum_link(c, [urls[s] for s in c.sources if s in urls]), c.kind,
                             KIND_LABELS[c.kind], c.named)
                 for c in corrections)


def _reference_view(work: Work, sources=()) -> ReferenceView:
    links = []
    if work.pmid:
        links.append(Link("PubMed", ids.pubmed_url(work.pmid)))
    if work.doi:
        links.append(Link("DOI", ids.doi_url(work.doi)))
    if work.pmcid:
        links.append(Link("PMC", ids.pmc_url(work.pmcid)))
    if not links:
        links.append(Link("Search PubMed", ids.pubmed_search_url(str(work.citation))))
    names = ", ".join(_as_written(n) for n in work.authors)
    return ReferenceView(number=int(work.number or 0), anchor=f"ref-{work.number}", citation=str(work.citation),
                         title=work.title, authors=names or None, note=work.note, links=tuple(links),
                         notices=_notice_views(work.corrections, sources))


def _as_written(name: Name) -> str:
    """A cited work's author in its source's form: `Maini R`, `Young-Yun Kong`, a group's name."""
    return name.written or name.display
