"""The typed model every view reads: a `Review` holds its article and cited works as `Work`s."""

from .citation_line import CitationLine, citation_line
from .review import (
    AbstractSupport,
    Affiliation,
    ErratumSupport,
    Excerpt,
    KeyPoint,
    Person,
    ReferenceSupport,
    Review,
    Source,
    SourceVersion,
    Summary,
    Support,
)
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

__all__ = ["INCOMPLETE_AUTHORS_NOTE", "AbstractSection", "AbstractSupport", "Affiliation", "CitationLine", "Correction",
           "ErratumSupport", "Excerpt", "Issn", "Journal", "KeyPoint", "MeshHeading", "Name", "PartialDate", "Person",
           "ReferenceSupport", "Review", "Source", "SourceVersion", "Summary", "Support", "Work", "citation_line"]
