"""Identifiers as small units: each has a check that returns a message, or None when valid.

A message reads "what is wrong; how to fix it": the part after the first "; " is the fix.

Nothing here fetches anything; these are syntax and checksum checks only.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote, urlsplit

DOI = re.compile(r"^10\.\d{4,9}/[^\s]+$")
PMID = re.compile(r"^[1-9]\d{0,8}$")
PMCID = re.compile(r"^PMC[1-9]\d{0,9}$")
ISSN = re.compile(r"^(\d{4})-(\d{3}[\dX])$")
ORCID = re.compile(r"^(\d{4}-){3}\d{3}[\dX]$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PAGES = re.compile(r"^([A-Za-z]?)(\d{1,9})(?:-([A-Za-z]?)(\d{1,9}))?$")

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def check_doi(value: str) -> str | None:
    if value.lower().startswith(("http://", "https://", "doi:")):
        bare = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.IGNORECASE)
        fix = f"did you mean '{bare}'?" if DOI.match(bare) else "keep only the part that starts with 10."
        return f"write the bare DOI, without 'https://doi.org/' or 'doi:'; {fix}"
    if not DOI.match(value):
        return "not a DOI; a DOI looks like 10.NNNN/suffix, with no spaces (e.g. 10.1007/s00198-010-1326-y)"
    return None


def check_pmid(value: str) -> str | None:
    if value.isdigit() and value.startswith("0"):
        return "a PMID never starts with 0; remove the leading zero(s), or check the number"
    if value.upper().startswith("PMC"):
        return "this is a PMCID, not a PMID; move it to `pmcid:`"
    if not PMID.match(value):
        return "not a PMID; a PMID is 1 to 9 digits (e.g. 20571772)"
    return None


def check_pmcid(value: str) -> str | None:
    if not PMCID.match(value):
        if value.isdigit():
            return "a PMCID starts with 'PMC'; write PMC" + value
        return "not a PMCID; a PMCID is 'PMC' followed by digits (e.g. PMC1234567)"
    return None


def check_issn(value: str) -> str | None:
    match = ISSN.match(value)
    if not match:
        return "not an ISSN; write it as NNNN-NNNC, with the hyphen (e.g. 0937-941X)"
    digits = match.group(1) + match.group(2)
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[7] != expected:
        return f"ISSN check digit is wrong (expected {expected}); check for a typing mistake"
    return None


def check_orcid(value: str) -> str | None:
    if not ORCID.match(value):
        return "not an ORCID iD; write the 16 characters NNNN-NNNN-NNNN-NNNC without the https://orcid.org/ " \
            "part (e.g. 0000-0002-1825-0097)"
    digits = value.replace("-", "")
    total = 0
    for d in digits[:-1]:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[-1] != expected:
        return f"ORCID checksum is wrong (expected last character {expected}); check for a typing mistake"
    return None


def check_slug(value: str) -> str | None:
    if not SLUG.match(value) or len(value) > 80:
        return ("not usable as an id or web address; use lowercase letters, digits and single hyphens only, "
                "at most 80 characters (e.g. ferrari-lacraz-2011)")
    return None


# The collection's own pages, reviews/<name>/ beside the reviews' folders (reviewsite/site/render.py writes them):
# a review with one of these ids would take the same web address as the page.
COLLECTION_PAGES = ("all", "by-year", "by-keyword", "shared-works")


def check_review_id(value: str) -> str | None:
    """A review's id names its folder in records/ and its address, reviews/<id>/."""
    if value in COLLECTION_PAGES:
        return (f"reviews/{value}/ is the address of one of the collection's own pages; choose another id, "
                "e.g. the first author's family name and the year (ferrari-lacraz-2011)")
    return check_slug(value)


def check_url(value: str) -> str | None:
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed [IPv6] host
        return "not a usable web address; write the full address (e.g. https://example.org/page)"
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        if parts.scheme not in ("http", "https"):
            return ("only http:// and https:// links are allowed; write the full web address "
                    "(e.g. https://pubmed.ncbi.nlm.nih.gov/20571772/)")
        return "not a usable web address; write the full address with no spaces (e.g. https://example.org/page)"
    return None


def check_partial_date(value: str) -> str | None:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, and the day must exist."""
    match = PARTIAL_DATE.match(value)
    if not match:
        return "not a date in the expected form; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2010-06-23)"
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        return "this date does not exist; check the month (01-12) and the day"
    return None


def format_pubmed_date(value: str) -> str:
    """`2010-06-23` -> `2010 Jun 23`, `2011-02` -> `2011 Feb`, as PubMed writes dates."""
    parts = value.split("-")
    text = parts[0]
    if len(parts) > 1:
        text += " " + MONTHS[int(parts[1]) - 1]
    if len(parts) > 2:
        text += f" {int(parts[2])}"
    return text


def expand_pages(value: str) -> tuple[str, str | None] | None:
    """`435-46` -> (`435`, `446`); `e123` -> (`e123`, None); None when not a page range.

    Abbreviated last pages take their missing leading digits from the first page, as in MEDLINE.
    """
    match = PAGES.match(value)
    if not match:
        return None
    prefix, first, last_prefix, last = match.groups()
    if last is None:
        return prefix + first, None
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return prefix + first, (last_prefix or prefix) + last


def check_pages(value: str) -> str | None:
    pages = expand_pages(value)
    if pages is None:
        return "not a page or page range; write pages as a number or a range (e.g. 435-46, 435-446, e1234)"
    first, last = pages
    if last is not None and int(re.sub(r"\D", "", last)) < int(re.sub(r"\D", "", first)):
        return f"the last page ({last}) comes before the first ({first}); check the range"
    return None


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def pmc_url(pmcid: str) -> str:
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"


def orcid_url(orcid: str) -> str:
    return f"https://orcid.org/{orcid}"


def pubmed_search_url(terms: str) -> str:
    return "https://pubmed.ncbi.nlm.nih.gov/?term=" + quote(terms, safe="")
