"""MEDLINE/PubMed (`.nbib`) from CSL-JSON items.

No well-kept writer exists, so this follows NLM's MEDLINE display format: a four-character tag
padded with spaces, "- ", the value; long values continue on lines indented by six spaces; one blank
line between records. Only fields the item holds are written (no OWN, STAT or dates NLM assigns).
"""

from __future__ import annotations

import textwrap

from .. import identifiers as ids
from .csl import CslItem, initials_of

WIDTH = 80
# ISO 639-1 (records) -> the ISO 639-2/B codes MEDLINE's LA uses; others are written as the record has them
_LANGUAGES = {"en": "eng", "fr": "fre", "de": "ger", "es": "spa", "it": "ita", "pt": "por", "nl": "dut",
              "ja": "jpn", "zh": "chi", "ru": "rus", "pl": "pol", "sv": "swe", "da": "dan", "no": "nor"}


def line(tag: str, value: str) -> str:
    """`TI  - value`, wrapped at word boundaries with MEDLINE's six-space continuation indent."""
    prefix = f"{tag:<4}- "
    wrapped = textwrap.wrap(" ".join(value.split()), width=WIDTH, initial_indent=prefix, subsequent_indent=" " * 6,
                            break_long_words=False, break_on_hyphens=False)
    return "\n".join(wrapped) if wrapped else prefix.rstrip()


def medline_pages(page: str) -> str:
    """`435-446` -> `435-46`: MEDLINE drops the leading digits the last page shares with the first."""
    first, _, last = page.partition("-")
    if not last or len(last) != len(first) or not (first.isdigit() and last.isdigit()):
        return page
    common = 0
    while common < len(first) - 1 and first[common] == last[common]:
        common += 1
    return f"{first}-{last[common:]}"


def _pubmed_date(parts: list[int]) -> str:
    return ids.format_pubmed_date("-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)))


def source_line(item: CslItem) -> str:
    """SO: `Osteoporos Int. 2011 Feb;22(2):435-46. doi: 10.1007/…. Epub 2010 Jun 23.`"""
    text = (item.get("container-title-short") or item.get("container-title") or "") + "."
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        text += " " + _pubmed_date(parts)
    numbering = item.get("volume", "")
    if item.get("issue"):
        numbering += f"({item['issue']})"
    if item.get("page"):
        numbering += ":" + medline_pages(item["page"])
    if numbering:
        text += ";" + numbering
    text += "."
    if item.get("DOI"):
        text += f" doi: {item['DOI']}."
    epub = item.get("available-date", {}).get("date-parts", [[]])[0]
    if epub:
        text += f" Epub {_pubmed_date(epub)}."
    return text.strip()


def record(item: CslItem, errata: tuple[str, ...] = ()) -> str:
    lines: list[str] = []

    def add(tag: str, value: str | None) -> None:
        if value:
            lines.append(line(tag, value))

    add("PMID", item.get("PMID"))
    issns = [i.strip() for i in item.get("ISSN", "").split(",") if i.strip()]
    for issn, kind in zip(issns, ("Print", "Electronic"), strict=False):
        add("IS", f"{issn} ({kind})")  # csl.article_item lists the print ISSN first
    add("VI", item.get("volume"))
    add("IP", item.get("issue"))
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    add("DP", _pubmed_date(parts) if parts else None)
    add("TI", item.get("title"))
    add("PG", medline_pages(item["page"]) if item.get("page") else None)
    add("LID", f"{item['DOI']} [doi]" if item.get("DOI") else None)
    add("AB", " ".join(item["abstract"].split()) if item.get("abstract") else None)
    for name in item.get("author", []):
        if "literal" in name:
            add("CN", name["literal"])
            continue
        given = name.get("given")
        # FAU writes given names without periods ("Bogoch, Earl R")
        add("FAU", f"{name['family']}, {given.replace('.', '').strip()}" if given else name["family"])
        add("AU", f"{name['family']} {initials_of(given)}" if given else name["family"])
    language = item.get("language")
    add("LA", _LANGUAGES.get(language, language) if language else None)
    for kind in (t.strip() for t in item.get("genre", "").split(",")):
        add("PT", kind)
    epub = item.get("available-date", {}).get("date-parts", [[]])[0]
    add("DEP", "".join(f"{p:02d}" for p in epub) if len(epub) == 3 else None)
    add("TA", item.get("container-title-short") or item.get("container-title"))
    if item.get("container-title") and item.get("container-title") != item.get("container-title-short"):
        add("JT", item["container-title"])
    for erratum in errata:
        add("EIN", erratum)
    keywords = [k.strip() for k in item.get("keyword", "").split(",") if k.strip()]
    if keywords:
        add("OTO", "NOTNLM")  # author keywords, not NLM's MeSH
        for keyword in keywords:
            add("OT", keyword)
    add("PMC", item.get("PMCID"))
    add("AID", f"{item['DOI']} [doi]" if item.get("DOI") else None)
    add("SO", source_line(item))
    return "\n".join(lines) + "\n"


def write_medline(items: list[CslItem], errata: dict[str, tuple[str, ...]] | None = None) -> str:
    """Records separated by one blank line; `errata` maps an item id to its "Erratum in" citations."""
    errata = errata or {}
    return "\n".join(record(item, errata.get(item["id"], ())) for item in items)
