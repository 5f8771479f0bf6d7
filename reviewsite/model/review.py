"""A review as the site shows it: the article's model, its cited works and what the records say about them."""

from __future__ import annotations

from dataclasses import dataclass

from .work import Work


@dataclass(frozen=True, slots=True)
class Affiliation:
    id: str
    name: str
    truncated: bool = False  # the source's text stops partway


@dataclass(frozen=True, slots=True)
class Excerpt:
    text: str
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class Source:
    """Where facts were read."""

    id: str
    name: str
    url: str
    accessed: str | None = None
    used_for: str | None = None


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

    def record_file(self, name: str) -> str:
        """The project-relative path of one of its record files, e.g. `erratum.yaml`."""
        return f"{self.folder}/{name}"
