"""The model in CSL-JSON's vocabulary (CSL 1.0.2 variables), shared by the CSL-JSON download and citeproc.

Only what the work records goes in; no variable is guessed or filled from elsewhere.
"""

from __future__ import annotations

from typing import Any

from .work import Name, PartialDate, Work

CslItem = dict[str, Any]


def csl_name(name: Name) -> dict[str, str]:
    """A CSL name: `given` holds the initials when the record has only those (CSL has no initials field)."""
    if name.literal is not None:
        return {"literal": name.literal}
    result = {"family": str(name.family)}
    if name.given_or_initials:
        result["given"] = name.given_or_initials
    return result


def csl_date(date: PartialDate | None) -> dict | None:
    return {"date-parts": [list(date.parts)]} if date else None


def csl_item(work: Work) -> CslItem:
    """Every variable the work records, each list kept a list and each value as recorded."""
    item: CslItem = {
        "id": work.id,
        "type": "article-journal",
        "title": work.title,
        "author": [csl_name(n) for n in work.authors],
        "container-title": work.journal.name,
        "container-title-short": work.journal.abbreviation,
        "ISSN": [issn.value for issn in work.journal.issns],
        "issued": csl_date(work.issued),
        # CSL 1.0.2: "the online publication date of a journal article before its formal publication"
        "available-date": csl_date(work.epub),
        "volume": work.volume,
        "issue": work.issue,
        "page": work.full_pages,
        "DOI": work.doi,
        "PMID": work.pmid,
        "PMCID": work.pmcid,
        "language": work.language,
        "abstract": work.abstract_text,
        "keyword": list(work.keywords),
        "note": work.note,
    }
    return {key: value for key, value in item.items() if value not in (None, "", [], {})}
