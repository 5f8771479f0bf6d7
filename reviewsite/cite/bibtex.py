"""BibTeX (`.bib`) from CSL-JSON items, written by bibtexparser.

Values stay UTF-8 (biber, Zotero and JabRef read it); only LaTeX's special characters are escaped,
and words with capitals in titles are braced so that BibTeX styles do not lowercase "RANKL".
"""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser.model import Entry, Field

from .csl import CslItem, dotted_initials

_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIAL))
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def escape(text: str) -> str:
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], text)


def protect_capitals(text: str) -> str:
    """Brace each word with a capital after its first letter, or any capital after the first word."""
    words = text.split(" ")
    for index, word in enumerate(words):
        tail = word if index else word[1:]
        if any(c.isupper() for c in tail):
            words[index] = "{" + word + "}"
    return " ".join(words)


def bibtex_name(name: dict[str, str]) -> str:
    if "literal" in name:
        return "{" + escape(name["literal"]) + "}"  # braced: a group's name is not split into parts
    if name.get("given"):
        return f"{escape(name['family'])}, {escape(dotted_initials(name['given']))}"
    return escape(name["family"])


def entry(item: CslItem, authors_complete: bool = True) -> Entry:
    fields: list[Field] = []

    def add(key: str, value: str | None, enclosing: str | None = None) -> None:
        if value:
            fields.append(Field(key, value, enclosing=enclosing) if enclosing else Field(key, value))

    names = [bibtex_name(n) for n in item.get("author", [])]
    if names and not authors_complete:
        names.append("others")  # BibTeX's own mark for "et al."
    add("author", " and ".join(names))
    if item.get("title"):
        add("title", protect_capitals(escape(item["title"])))
    add("journal", escape(item["container-title"]) if item.get("container-title") else None)
    if item.get("container-title-short") != item.get("container-title"):
        add("shortjournal", escape(item["container-title-short"]) if item.get("container-title-short") else None)
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    add("year", str(parts[0]) if parts else None)
    if len(parts) > 1:
        add("month", _MONTHS[parts[1] - 1], enclosing="no-enclosing")  # a macro, not text
    add("volume", item.get("volume"))
    add("number", item.get("issue"))
    add("pages", item["page"].replace("-", "--") if item.get("page") else None)
    add("doi", item.get("DOI"))
    add("pmid", item.get("PMID"))
    add("pmcid", item.get("PMCID"))
    add("issn", item.get("ISSN"))
    add("language", item.get("language"))
    add("keywords", escape(item["keyword"]) if item.get("keyword") else None)
    add("abstract", escape(item["abstract"]) if item.get("abstract") else None)
    return Entry("article", item["id"], fields)


def write_bibtex(items: list[CslItem], authors_complete: bool = True) -> str:
    library = bibtexparser.Library()
    for item in items:
        library.add(entry(item, authors_complete))
    return bibtexparser.write_string(library)
