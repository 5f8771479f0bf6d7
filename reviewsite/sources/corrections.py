"""Correction notices of a work (retraction, expression of concern, erratum, update), from any source.

One `Correction` per notice, whichever service reported it; `corrections_of` orders them most urgent
first, so a retraction is never listed after an erratum.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

RETRACTION = "retraction"
EXPRESSION_OF_CONCERN = "expression-of-concern"
ERRATUM = "erratum"
UPDATE = "update"
KINDS = (RETRACTION, EXPRESSION_OF_CONCERN, ERRATUM, UPDATE)  # most urgent first


@dataclass(frozen=True)
class Correction:
    """A notice about the work. `label` is the source's own word for it (RefType, Crossref type, ...)."""

    kind: str  # one of KINDS
    citation: str | None = None  # the notice as the source cites it (PubMed's RefSource)
    pmid: str | None = None  # the notice's PMID
    doi: str | None = None  # the notice's DOI
    date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD when the source dates the notice
    source: str = ""  # pubmed, crossref or retraction-watch
    label: str = ""


def corrections_of(*groups: Iterable[Correction]) -> list[Correction]:
    """Every notice of the given groups, most urgent kind first, then newest first; duplicates dropped.

    Two notices are the same when kind, source and identifier (PMID, DOI or citation) agree.
    """
    seen: set[tuple] = set()
    unique: list[Correction] = []
    for group in groups:
        for item in group:
            key = (item.kind, item.source, item.pmid or (item.doi or "").lower() or item.citation)
            if key not in seen:
                seen.add(key)
                unique.append(item)
    by_date = sorted(unique, key=lambda c: c.date or "", reverse=True)
    return sorted(by_date, key=lambda c: KINDS.index(c.kind) if c.kind in KINDS else len(KINDS))
