"""Views of the model for the templates: every derived string is computed here, once.

Templates receive these objects and only loop, test and escape.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .. import identifiers as ids
from ..load.records import Review
from ..load.schema import Author, Reference


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def author_display(author: Author) -> str:
    """PubMed's short form: `S Ferrari-Lacraz`, or the group's name."""
    if author.collective:
        return author.collective
    given = author.initials or author.given
    return f"{given} {author.family}" if given else str(author.family)


def citation_string(terms: list[str | None]) -> str:
    return " ".join(t for t in terms if t)


@dataclass(frozen=True)
class AuthorView:
    name: str
    marks: tuple[int, ...]  # affiliation numbers, 1-based, in the order listed


@dataclass(frozen=True)
class ReferenceView:
    number: int
    anchor: str
    citation: str
    title: str | None
    authors: str | None
    note: str | None
    links: tuple[Link, ...]
    year: str | None


@dataclass(frozen=True)
class ErratumView:
    citation: str
    title: str | None
    doi: str | None
    pmid: str | None
    note: str | None
    link: Link


class ReviewView:
    """Everything a review's pages show, derived from one `Review`."""

    def __init__(self, review: Review):
        self.review = review
        self.article = review.article
        self.id = review.id

    @cached_property
    def page_url(self) -> str:
        return f"reviews/{self.id}/"

    @cached_property
    def title(self) -> str:
        return self.article.title

    @cached_property
    def authors(self) -> tuple[AuthorView, ...]:
        numbers = {aff.id: i for i, aff in enumerate(self.article.affiliations, 1)}
        return tuple(AuthorView(author_display(a), tuple(numbers[x] for x in a.affiliations))
                     for a in self.article.authors)

    @cached_property
    def authors_short(self) -> str:
        """`S Ferrari-Lacraz et al.` as PubMed lists an article."""
        names = [a.name for a in self.authors]
        if not self.article.authors_complete or len(names) > 1:
            return f"{names[0]} et al."
        return names[0]

    @cached_property
    def authors_incomplete(self) -> bool:
        return not self.article.authors_complete

    @cached_property
    def year(self) -> str:
        return self.article.published[:4]

    @cached_property
    def published(self) -> str:
        return ids.format_pubmed_date(self.article.published)

    @cached_property
    def epub(self) -> str | None:
        return ids.format_pubmed_date(self.article.epub) if self.article.epub else None

    @cached_property
    def volume_issue_pages(self) -> str:
        """`22(2):435-46`, each part only when known."""
        text = self.article.volume or ""
        if self.article.issue:
            text += f"({self.article.issue})"
        if self.article.pages:
            text += f":{self.article.pages}"
        return text

    @cached_property
    def citation_line(self) -> str:
        """`Osteoporos Int. 2011 Feb;22(2):435-46. doi: 10.1007/…. Epub 2010 Jun 23.` as PubMed shows it."""
        text = f"{self.article.journal.iso_abbreviation}. {self.published}"
        if self.volume_issue_pages:
            text += f";{self.volume_issue_pages}"
        text += "."
        if self.article.doi:
            text += f" doi: {self.article.doi}."
        if self.epub:
            text += f" Epub {self.epub}."
        return text

    @cached_property
    def doi_url(self) -> str | None:
        return ids.doi_url(self.article.doi) if self.article.doi else None

    @cached_property
    def pages_full(self) -> tuple[str, str | None] | None:
        return ids.expand_pages(self.article.pages) if self.article.pages else None

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
    def errata(self) -> tuple[ErratumView, ...]:
        return tuple(ErratumView(e.citation, e.title, e.doi, e.pmid, e.note, _erratum_link(e))
                     for e in self.review.errata)

    @cached_property
    def abstract_sections(self):
        return tuple(self.review.abstract.sections) if self.review.abstract else ()

    @cached_property
    def mesh_terms(self) -> tuple[str, ...]:
        terms = []
        for heading in self.article.mesh_terms:
            text = heading.descriptor + "".join(f"/{q}" for q in heading.qualifiers)
            terms.append(text + ("*" if heading.major else ""))
        return tuple(terms)

    @cached_property
    def references(self) -> tuple[ReferenceView, ...]:
        return tuple(_reference_view(n, r) for n, r in enumerate(self.review.reference_list, 1))

    @cached_property
    def references_complete(self) -> bool:
        return bool(self.review.references and self.review.references.complete)

    @cached_property
    def references_note(self) -> str | None:
        return self.review.references.note if self.review.references else None

    @cached_property
    def record_files(self) -> tuple[str, ...]:
        return self.review.files

    def record_file(self, name: str) -> str:
        """The project-relative path of one of this review's record files, e.g. `erratum.yaml`."""
        return f"{self.review.folder}/{name}"

    @cached_property
    def description(self) -> str:
        """A short plain-text summary for search results: the abstract's opening, cut at a word."""
        text = " ".join(s.text for s in self.abstract_sections) or self.title
        if len(text) <= 200:
            return text
        return text[:200].rsplit(" ", 1)[0] + " …"


def _erratum_link(erratum) -> Link:
    if erratum.pmid:
        return Link("PubMed", ids.pubmed_url(erratum.pmid))
    if erratum.doi:
        return Link("DOI", ids.doi_url(erratum.doi))
    return Link("Search PubMed", ids.pubmed_search_url(erratum.citation))


def _reference_view(number: int, ref: Reference) -> ReferenceView:
    links = []
    if ref.pmid:
        links.append(Link("PubMed", ids.pubmed_url(ref.pmid)))
    if ref.doi:
        links.append(Link("DOI", ids.doi_url(ref.doi)))
    if ref.pmcid:
        links.append(Link("PMC", ids.pmc_url(ref.pmcid)))
    if not links:
        links.append(Link("Search PubMed", ids.pubmed_search_url(ref.citation)))
    names = list(ref.authors) + ([ref.group_author] if ref.group_author else [])
    return ReferenceView(
        number=number, anchor=f"ref-{number}", citation=ref.citation, title=ref.title,
        authors=", ".join(names) if names else None, note=ref.note, links=tuple(links), year=ref.year,
    )
