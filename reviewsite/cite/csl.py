"""The one citation model: CSL-JSON items built from the records.

Every citation output (formatted styles, BibTeX, RIS, MEDLINE, CSL-JSON files, page metadata)
is a view of these items, so a value is read from the record in one place only.
Only what the record holds goes in: no field is guessed or filled from elsewhere.
"""

from __future__ import annotations

import re
from typing import Any

from .. import identifiers as ids
from ..load.records import Review
from ..load.schema import ArticleRecord, Author, Reference

CslItem = dict[str, Any]

# "Maini R", "St Clair EW": PubMed's "Family Initials" form.
_PUBMED_NAME = re.compile(r"^(?P<family>.+?)\s+(?P<initials>[A-Z]{1,4})$")
_INITIALS = re.compile(r"^[A-Z]{1,4}$")

INCOMPLETE_AUTHORS_NOTE = "The author list is incomplete: the sources name only the first author(s)."


def date_parts(value: str) -> list[int]:
    """`2011-02` -> [2011, 2]: CSL's date-parts keep only the precision the record has."""
    return [int(part) for part in value.split("-")]


def full_page_range(pages: str | None) -> str | None:
    """`435-46` -> `435-446`: CSL styles abbreviate ranges themselves, so the input holds them in full."""
    if not pages:
        return None
    expanded = ids.expand_pages(pages)
    if expanded is None:
        return pages
    first, last = expanded
    return f"{first}-{last}" if last else first


def author_name(author: Author) -> dict[str, str]:
    """A CSL name: `given` holds initials when the record has only those (CSL has no initials field)."""
    if author.collective:
        return {"literal": author.collective}
    name = {"family": str(author.family)}
    given = author.given or author.initials
    if given:
        name["given"] = given
    return name


def parse_reference_name(text: str) -> dict[str, str]:
    """A reference author as its source writes it, split into CSL family and given names.

    Sources write either PubMed's "Maini R" / "St Clair EW" (family, then initials in capitals) or
    "Young-Yun Kong" / "Earl R. Bogoch" (given names, then family name). A single word is a family name.
    """
    text = " ".join(text.split())
    match = _PUBMED_NAME.match(text)
    if match:
        return {"family": match["family"], "given": match["initials"]}
    given, _, family = text.rpartition(" ")
    if not given:
        return {"family": family}
    return {"family": family, "given": given}


def is_initials(given: str | None) -> bool:
    """True for PubMed-style initials ("S", "EW"), which are not a given name."""
    return bool(given and _INITIALS.match(given))


def dotted_initials(given: str) -> str:
    """`EW` -> `E. W.`: the form BibTeX, RIS and CSL processors read as two initials, not one name."""
    return " ".join(f"{letter}." for letter in given) if is_initials(given) else given


def initials_of(given: str) -> str:
    """`Young-Yun` -> `YY`, `Earl R.` -> `ER`, `EW` -> `EW`: MEDLINE's AU initials."""
    if is_initials(given):
        return given
    return "".join(part[0] for part in re.split(r"[\s.\-]+", given) if part and part[0].isalpha()).upper()


def display_name(name: dict[str, str]) -> str:
    """`S Ferrari-Lacraz`, `Young-Yun Kong`, or a group's name: given names first, as the site shows authors."""
    if "literal" in name:
        return name["literal"]
    return f"{name['given']} {name['family']}" if name.get("given") else name["family"]


def _drop_empty(item: CslItem) -> CslItem:
    return {key: value for key, value in item.items() if value not in (None, "", [], {})}


def article_item(review: Review) -> CslItem:
    """The review itself as a CSL-JSON item (id = the review's id)."""
    article: ArticleRecord = review.article
    journal = article.journal
    abstract = None
    if review.abstract:
        abstract = "\n\n".join(f"{s.label}: {s.text}" if s.label else s.text for s in review.abstract.sections)
    issns = [i for i in (journal.issn_print, journal.issn_electronic) if i]
    item: CslItem = {
        "id": review.id,
        "type": "article-journal",
        "title": article.title,
        "author": [author_name(a) for a in article.authors],
        "container-title": journal.title,
        "container-title-short": journal.iso_abbreviation,
        "ISSN": ", ".join(issns),  # Zotero's form for a print and an electronic ISSN
        "issued": {"date-parts": [date_parts(article.published)]},
        # CSL 1.0.2: "the online publication date of a journal article before its formal publication"
        "available-date": {"date-parts": [date_parts(article.epub)]} if article.epub else None,
        "volume": article.volume,
        "issue": article.issue,
        "page": full_page_range(article.pages),
        "DOI": article.doi,
        "PMID": article.pmid,
        "PMCID": article.pmcid,
        "language": article.language,
        "abstract": abstract,
        "keyword": ", ".join(article.keywords),
        "genre": ", ".join(article.publication_types),
        "note": None if article.authors_complete else INCOMPLETE_AUTHORS_NOTE,
    }
    return _drop_empty(item)


def reference_id(review: Review, number: int, reference: Reference) -> str:
    return reference.id or f"{review.id}-ref-{number}"


def reference_item(review: Review, number: int, reference: Reference) -> CslItem:
    """A cited work as a CSL-JSON item, with only the fields its sources give."""
    authors = [parse_reference_name(name) for name in reference.authors]
    if reference.group_author:
        authors.append({"literal": reference.group_author})
    item: CslItem = {
        "id": reference_id(review, number, reference),
        "type": "article-journal",
        "title": reference.title,
        "author": authors,
        # as the source writes it: PubMed gives the abbreviation, so it is the short title too
        "container-title": reference.journal,
        "container-title-short": reference.journal,
        "issued": {"date-parts": [[int(reference.year)]]} if reference.year else None,
        "volume": reference.volume,
        "issue": reference.issue,
        "page": full_page_range(reference.pages),
        "DOI": reference.doi,
        "PMID": reference.pmid,
        "PMCID": reference.pmcid,
        "note": reference.note,
        "citation-label": str(number),  # the reference's number in the article's list
    }
    return _drop_empty(item)


def reference_items(review: Review) -> list[CslItem]:
    return [reference_item(review, n, r) for n, r in enumerate(review.reference_list, 1)]


def authors_complete(review: Review) -> bool:
    return review.article.authors_complete
