"""RIS (`.ris`) from CSL-JSON items, written by rispy with the tags Zotero and EndNote read."""

from __future__ import annotations

import rispy

from .. import identifiers as ids
from .csl import CslItem, dotted_initials


def ris_name(name: dict[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    if name.get("given"):
        return f"{name['family']}, {dotted_initials(name['given'])}"
    return name["family"]


def record(item: CslItem) -> dict:
    ris: dict = {"type_of_reference": "JOUR"}

    def add(key: str, value) -> None:
        if value:
            ris[key] = value

    add("title", item.get("title"))
    add("authors", [ris_name(n) for n in item.get("author", [])])
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        add("year", str(parts[0]))
        # RIS dates are YYYY/MM/DD/other, empty parts left empty
        add("date", "/".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])] + [""] * (4 - len(parts))))
    add("secondary_title", item.get("container-title"))
    add("alternate_title1", item.get("container-title-short"))
    add("volume", item.get("volume"))
    add("number", item.get("issue"))
    if item.get("page"):
        first, _, last = item["page"].partition("-")
        add("start_page", first)
        add("end_page", last)
    add("doi", item.get("DOI"))
    add("urls", [ids.doi_url(item["DOI"])] if item.get("DOI") else None)
    add("issn", item.get("ISSN"))
    if item.get("PMID"):
        add("accession_number", item["PMID"])
        add("name_of_database", "PubMed")
    add("language", item.get("language"))
    add("abstract", item.get("abstract"))
    add("keywords", [k.strip() for k in item.get("keyword", "").split(",") if k.strip()])
    add("notes", [item["note"]] if item.get("note") else None)
    # RIS is one line per value: a line break inside a record's text would end the value early
    return {k: [" ".join(v.split()) for v in value] if isinstance(value, list) else " ".join(value.split())
            for k, value in ris.items()}


class _Writer(rispy.RisWriter):
    def set_header(self, count: int) -> str:
        return ""  # rispy numbers records ("1."); the RIS specification has no such line


def write_ris(items: list[CslItem]) -> str:
    return rispy.dumps([record(item) for item in items], implementation=_Writer)
