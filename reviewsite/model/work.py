"""The one model of a bibliographic work: the review's article, each cited work and each correction notice.

Fields are declared once, with types; lists stay lists and every ISSN carries its kind. A value is
here only when a record gives it: every output (pages, head metadata, citeproc, downloads) is
a function of these objects, so none can add what the records lack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .. import identifiers as ids
from .pickling import pickled_by_fields

_INITIALS = re.compile(r"^[A-Z]{1,4}$")

# What a download says where it cannot list the missing authors themselves.
INCOMPLETE_AUTHORS_NOTE = "The author list is incomplete: the sources name only the first author(s)."


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date with the precision its source gives: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: str) -> PartialDate:
        """`2011-02` -> PartialDate(2011, 2); the value was checked by the schema."""
        parts = [int(part) for part in value.split("-")]
        return cls(*parts)

    @property
    def parts(self) -> tuple[int, ...]:
        return tuple(p for p in (self.year, self.month, self.day) if p is not None)

    @property
    def iso(self) -> str:
        """`2011-02`, `2010-06-23`, `2011`."""
        return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(self.parts))

    @property
    def slashed(self) -> str:
        """`2011/02`, `2010/06/23`: the form of Google Scholar's dates."""
        return "/".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(self.parts))

    @property
    def pubmed(self) -> str:
        """`2011 Feb`, `2010 Jun 23`: PubMed's form."""
        return ids.format_pubmed_date(self.iso)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Issn:
    value: str
    kind: Literal["print", "electronic"]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Journal:
    title: str | None = None  # the full title, e.g. Osteoporosis International
    abbreviation: str | None = None  # the ISO/NLM abbreviation, e.g. Osteoporos Int
    issns: tuple[Issn, ...] = ()

    @property
    def name(self) -> str | None:
        """The full title, or the abbreviation where no source gives it."""
        return self.title or self.abbreviation


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Name:
    """A person (family plus given names or initials) or a group (`literal`), as the source gives it."""

    family: str | None = None
    given: str | None = None  # given names as written ("Young-Yun", "Earl R."); None when only initials are known
    initials: str | None = None  # "S", "EW", as PubMed writes them
    literal: str | None = None  # a group's name: "ATTRACT Study Group"
    orcid: str | None = None
    affiliations: tuple[str, ...] = ()  # ids of the work's affiliations
    written: str | None = None  # a cited work's author exactly as its source writes the name ("Maini R")

    @property
    def is_group(self) -> bool:
        return self.literal is not None

    @property
    def given_or_initials(self) -> str | None:
        return self.given or self.initials

    @property
    def initials_only(self) -> str | None:
        """`YY` for Young-Yun, `ER` for Earl R., `EW` for EW: MEDLINE's AU initials."""
        if self.initials:
            return self.initials
        if not self.given:
            return None
        return "".join(part[0] for part in re.split(r"[\s.\-]+", self.given) if part and part[0].isalpha()).upper()

    @property
    def dotted_initials(self) -> str | None:
        """`E. W.` for initials `EW`, a given name as written: the form BibTeX, RIS and citeproc read as
        two initials rather than one name."""
        given = self.given_or_initials
        if given and _INITIALS.match(given):
            return " ".join(f"{letter}." for letter in given)
        return given

    @property
    def display(self) -> str:
        """`S Ferrari-Lacraz`, `Young-Yun Kong`, or the group's name: given names first, as the pages show."""
        if self.literal is not None:
            return self.literal
        given = self.given_or_initials
        return f"{given} {self.family}" if given else str(self.family)

    @property
    def inverted(self) -> str:
        """`Ferrari-Lacraz, S`: family first, as Highwire and Dublin Core write a person."""
        if self.literal is not None:
            return self.literal
        given = self.given_or_initials
        return f"{self.family}, {given}" if given else str(self.family)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class AbstractSection:
    label: str | None
    text: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class MeshHeading:
    descriptor: str
    qualifiers: tuple[str, ...] = ()
    major: bool = False


NoticeKind = Literal["retraction", "expression-of-concern", "erratum", "update"]
NOTICE_KINDS: tuple[NoticeKind, ...] = ("retraction", "expression-of-concern", "erratum", "update")  # most grave first
# How PubMed introduces each kind of notice ("Erratum in: ...", "Retraction in: ...").
NOTICE_IN = {"retraction": "Retraction in", "expression-of-concern": "Expression of concern in",
             "erratum": "Erratum in", "update": "Update in"}


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Correction:
    """A notice published about a work: an erratum, a retraction, an expression of concern or an update.
    Every field may be unrecorded but its existence and its kind."""

    kind: NoticeKind = "erratum"
    citation: str | None = None  # as the source writes it: "Osteoporos Int. 2011 Feb;22(2):739"
    title: str | None = None
    doi: str | None = None
    pmid: str | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()  # ids of the review's sources that name the notice

    @property
    def named(self) -> str:
        """The notice as a reader can look it up: its citation, else its DOI or PMID."""
        if self.citation:
            return self.citation
        if self.doi:
            return f"doi:{self.doi}"
        if self.pmid:
            return f"PMID {self.pmid}"
        return "a notice whose details are not recorded"

    @property
    def sentence(self) -> str:
        """`Retraction in: Oncol Lett. 2021 Jul;22(1):545. PMID: 34093767`, PubMed's form."""
        text = f"{NOTICE_IN[self.kind]}: {self.named}"
        if self.pmid and self.citation:
            text += f". PMID: {self.pmid}"
        return text


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Work:
    """A journal article: the review itself or a work it cites."""

    id: str
    title: str | None = None
    authors: tuple[Name, ...] = ()
    authors_complete: bool = True  # False: the sources name only the first author(s)
    journal: Journal = field(default_factory=Journal)
    issued: PartialDate | None = None
    epub: PartialDate | None = None  # the electronic publication before the issue
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None  # as the source writes them: 435-46
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    language: str | None = None  # ISO 639-1
    abstract: tuple[AbstractSection, ...] = ()
    keywords: tuple[str, ...] = ()
    publication_types: tuple[str, ...] = ()
    mesh_terms: tuple[MeshHeading, ...] = ()
    copyright: str | None = None
    corrections: tuple[Correction, ...] = ()
    note: str | None = None
    citation: str | None = None  # a cited work: the citation text its source shows
    number: int | None = None  # a cited work: its position in the article's list

    def notices(self, kind: NoticeKind) -> tuple[Correction, ...]:
        return tuple(c for c in self.corrections if c.kind == kind)

    @property
    def retracted(self) -> bool:
        return any(c.kind == "retraction" for c in self.corrections)

    @property
    def status_notes(self) -> tuple[str, ...]:
        """What every download says of a retraction or an expression of concern, most grave first:
        `Retracted. Retraction in: ...`. Errata and updates are left to the formats that have a field for them."""
        notes = [f"RETRACTED. {c.sentence}" for c in self.notices("retraction")]
        notes += [f"EXPRESSION OF CONCERN. {c.sentence}" for c in self.notices("expression-of-concern")]
        return tuple(notes)

    @property
    def page_range(self) -> tuple[str, str | None] | None:
        """(`435`, `446`) for 435-46; (`e123`, None) for a single page."""
        return ids.expand_pages(self.pages) if self.pages else None

    @property
    def full_pages(self) -> str | None:
        """`435-446`: the range in full (CSL processors abbreviate it themselves)."""
        pages = self.page_range
        if pages is None:
            return self.pages
        first, last = pages
        return f"{first}-{last}" if last else first

    @property
    def abstract_text(self) -> str | None:
        """The whole abstract as one text, each labelled section as `Label: text`, sections a blank line apart."""
        if not self.abstract:
            return None
        return "\n\n".join(f"{s.label}: {s.text}" if s.label else s.text for s in self.abstract)
