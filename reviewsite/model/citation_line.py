"""The citation line as PubMed writes it: `Osteoporos Int. 2011 Feb;22(2):435-46. doi: …. Epub 2010 Jun 23.`

One function for the page, the MEDLINE `SO` field and the tail of the NLM citation.
"""

from __future__ import annotations

from dataclasses import dataclass

from .pickling import pickled_by_fields
from .work import Work


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class CitationLine:
    head: str  # `Osteoporos Int. 2011 Feb;22(2):435-46.`
    doi: str | None
    epub: str | None  # `2010 Jun 23`

    @property
    def tail(self) -> str:
        """` doi: …. Epub ….` (with its leading space), or empty."""
        text = f" doi: {self.doi}." if self.doi else ""
        return text + (f" Epub {self.epub}." if self.epub else "")

    @property
    def text(self) -> str:
        return (self.head + self.tail).strip()


def citation_line(work: Work) -> CitationLine:
    """Each part only when the work records it; no part is written twice or left as empty punctuation."""
    head = work.journal.abbreviation or work.journal.title or ""
    when = work.issued.pubmed if work.issued else ""
    numbering = work.volume or ""
    if work.issue:
        numbering += f"({work.issue})"
    if work.pages:
        numbering += f":{work.pages}"
    if when:
        head = f"{head}. {when}" if head else when
    if numbering:
        head = f"{head};{numbering}" if head else numbering
    if head and not head.endswith("."):
        head += "."
    return CitationLine(head, work.doi, work.epub.pubmed if work.epub else None)
