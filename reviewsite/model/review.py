"""A review as the site shows it: the article's model, its cited works and what the records say about them."""

from __future__ import annotations

from dataclasses import dataclass

from .pickling import pickled_by_fields
from .work import PartialDate, Work


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Affiliation:
    id: str
    name: str
    truncated: bool = False  # the source's text stops partway


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Excerpt:
    text: str
    truncated: bool = False


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Source:
    """Where facts were read."""

    id: str
    name: str
    url: str
    accessed: str | None = None
    used_for: str | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Person:
    """Someone who wrote or reviewed a summary."""

    name: str
    orcid: str | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class AbstractSupport:
    """A section of the abstract (numbered from 1), or one sentence of it (`sentences.split_sentences`)."""

    section: int
    sentence: int | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ReferenceSupport:
    number: int  # the cited work's number in the reference list, whether the record named it by number or id


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ErratumSupport:
    number: int  # the correction notice's number, from 1


Support = AbstractSupport | ReferenceSupport | ErratumSupport


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class KeyPoint:
    text: str
    supported_by: tuple[Support, ...]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class SourceVersion:
    """The version of a source (by id) the summary was written against."""

    source: str
    date: PartialDate


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Summary:
    """The maintainers' own summary of a review: their words, attributed and dated, each point supported."""

    written_by: tuple[Person, ...]
    written: PartialDate
    competing_interests: str
    source_version: SourceVersion
    bottom_line: str | None = None
    key_points: tuple[KeyPoint, ...] = ()
    plain_language: tuple[str, ...] = ()
    reviewed: PartialDate | None = None
    reviewed_by: tuple[Person, ...] = ()


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Review:
    """One review of the site, built once from its validated records."""

    id: str
    folder: str  # relative to the project, e.g. records/ferrari-lacraz-2011
    files: tuple[str, ...]  # its record files, relative to the project
    article: Work
    affiliations: tuple[Affiliation, ...] = ()
    acknowledgment: Excerpt | None = None
    sources: tuple[Source, ...] = ()
    abstract_note: str | None = None
    references: tuple[Work, ...] = ()
    references_complete: bool = False  # the whole list of the article is recorded
    references_note: str | None = None
    draft: bool = False  # marked draft: only `serve` shows it
    summary: Summary | None = None  # the maintainers' summary, when summary.yaml is written

    def record_file(self, name: str) -> str:
        """The project-relative path of one of its record files, e.g. `erratum.yaml`."""
        return f"{self.folder}/{name}"
