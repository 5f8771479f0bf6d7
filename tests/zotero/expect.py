"""What Zotero should hold after reading our pages and files, derived from the records (shared by the tests)."""

from __future__ import annotations

import re

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
FAKE_NAMES = {"others", "other", "et al", "et al.", "al", "et", "..."}


def full_pages(pages: str) -> str:
    """PubMed's short page range as Zotero writes it: 435-46 -> 435-446 (MEDLINEnbib.js finalizeItem does the same)."""
    match = re.fullmatch(r"(\d+)-(\d+)", pages)
    if not match:
        return pages
    first, last = match.groups()
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{first}-{last}"


def year_month(date: str) -> tuple[str, int | None]:
    """Year and month (1-12) of a Zotero date string in any form it keeps: 2011-02, 2011 Feb, February 2011, 2011/02."""
    year = re.search(r"\b(\d{4})\b", date)
    if not year:
        return "", None
    rest = date.replace(year.group(1), " ")
    word = re.search(r"[A-Za-z]{3,}", rest)
    if word and word.group(0)[:3].lower() in MONTHS:
        return year.group(1), MONTHS.index(word.group(0)[:3].lower()) + 1
    number = re.search(r"(?<!\d)(\d{1,2})(?!\d)", rest)
    return year.group(1), int(number.group(1)) if number and 1 <= int(number.group(1)) <= 12 else None


def recorded_month(published: str) -> tuple[str, int | None]:
    """The records' date "2011-02" as (year, month)."""
    parts = published.split("-")
    return parts[0], int(parts[1]) if len(parts) > 1 else None


def family_of(author: str) -> str:
    """Family name of a recorded author string: "Maini R", "St Clair EW" (PubMed) or "Young-Yun Kong" (full name)."""
    words = author.split()
    if len(words) > 1 and re.fullmatch(r"[A-Z]{1,3}", words[-1]):
        return " ".join(words[:-1])
    return words[-1]


def creator_name(creator: dict) -> str:
    """The family name (or the single-field name) of a Zotero creator."""
    return creator.get("lastName") or creator.get("name") or ""


def fake_creators(item: dict) -> list[dict]:
    """Creators that stand for "more authors" or nothing, not for a person or group."""
    return [c for c in item.get("creators", [])
            if creator_name(c).strip().lower().strip(".") in {n.strip(".") for n in FAKE_NAMES}
            or not creator_name(c).strip()]


def regular_items(items: list[dict]) -> list[dict]:
    """The bibliographic items of an import (child notes and attachments left out)."""
    return [i for i in items if i.get("itemType") not in ("note", "attachment")]


def expected_references(records: dict) -> list[dict]:
    """Per recorded reference: journal, volume, issue, full pages, title (or None), families in order, group."""
    out = []
    for ref in records["references"]["references"]:
        out.append({
            "journal": ref["journal"], "year": ref["year"], "volume": ref.get("volume"), "issue": ref.get("issue"),
            "pages": full_pages(ref["pages"]) if ref.get("pages") else None, "title": ref.get("title"),
            "families": [family_of(a) for a in ref.get("authors", [])], "group": ref.get("group_author"),
        })
    return out
