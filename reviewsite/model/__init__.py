"""The typed model every view reads: a `Review` holds its article and cited works as `Work`s."""

from .citation_line import CitationLine, citation_line
from .review import Affiliation, Excerpt, Review, Source
from .work import (
           INCOMPLETE_AUTHORS_NOTE,
           AbstractSection,
           Correction,
           Issn,
           Journal,
           MeshHeading,
           Name,
           PartialDate,
           Work,
)

__all__ = ["INCOMPLETE_AUTHORS_NOTE", "AbstractSection", "Affiliation", "CitationLine", "Correction", "Excerpt",
           "Issn", "Journal", "MeshHeading", "Name", "PartialDate", "Review", "Source", "Work", "citation_line"]
