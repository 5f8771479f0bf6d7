"""Citation strings in PubMed's style, built from the fields: 'Journal. Year Mon Day;Vol(Issue):Pages'."""

from __future__ import annotations

import re
import unicodedata

from .model import ImportedWork


def pubmed_citation(work: ImportedWork) -> str | None:
    """'Immunol Lett. 2007 May 15;110(1):54-64', or None without a journal or title to name the work."""
    name = work.journal_abbreviation or work.journal_title or work.title
    if not name:
        return None
    text = name.rstrip(".") + "."
    if work.published_text:
        text += " " + work.published_text
    locator = (work.volume or "") + (f"({work.issue})" if work.issue else "") + (f":{work.pages}" if work.pages
                                                                                 else "")
    if locator:
        text += (";" if work.published_text else " ") + locator
    return text


def normalise_citation(text: str) -> str:
    """Compare citations on letters and digits only: 'Nature. 1999;402:304-9' == 'Nature 1999; 402: 304-9'."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", folded)
