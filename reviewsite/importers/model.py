"""What every importer produces: one format-neutral description of a work, values as the file gives them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import SiteError


class ImportFailed(SiteError):
    """The export file cannot be imported; nothing was changed."""

    def __init__(self, file: str, line: int, message: str, hint: str = ""):
        self.file, self.line, self.message, self.hint = file, line, message, hint
        text = f"{file}:{line}: {message}" if line else f"{file}: {message}"
        super().__init__(text + (f"\n    fix: {hint}" if hint else ""))


@dataclass
class ImportedAuthor:
    """A person or a group. `name` is the name as the file writes it (used in reference lists)."""

    name: str
    family: str | None = None
    given: str | None = None
    initials: str | None = None
    collective: str | None = None
    orcid: str | None = None
    affiliations: list[str] = field(default_factory=list)  # affiliation texts, in the file's order


@dataclass
class ImportedErratum:
    """A notice about the work (erratum.yaml's `errata` entry); `kind` as the schema names it."""

    citation: str
    doi: str | None = None
    pmid: str | None = None
    kind: str = "erratum"  # erratum, retraction, expression-of-concern or update


@dataclass
class ImportedMesh:
    descriptor: str
    qualifiers: list[str] = field(default_factory=list)
    major: bool = False


@dataclass
class ImportedWork:
    """One record of an export file. Empty fields are ones the file does not give."""

    line: int  # where the record starts in the file, for messages
    title: str | None = None
    journal_title: str | None = None
    journal_abbreviation: str | None = None
    issn_print: str | None = None
    issn_electronic: str | None = None
    published: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    published_text: str | None = None  # the date as a citation shows it, e.g. "2011 Feb"
    epub: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    publication_types: list[str] = field(default_factory=list)
    language: str | None = None
    authors: list[ImportedAuthor] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    mesh_terms: list[ImportedMesh] = field(default_factory=list)
    abstract: list[tuple[str | None, str]] = field(default_factory=list)  # (label, text) sections
    copyright: str | None = None
    errata: list[ImportedErratum] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # values the file gives that were not imported, and why

    @property
    def year(self) -> str | None:
        return self.published[:4] if self.published else None


@dataclass
class ImportedFile:
    """A parsed export: its format and records, in the file's order."""

    format: str  # medline, ris, bibtex, csl-json
    works: list[ImportedWork]
    notes: list[str] = field(default_factory=list)  # file-wide remarks (e.g. tags with no place in the schema)
