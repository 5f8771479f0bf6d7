"""Identifiers as small units: each has a check that returns a message, or None when valid.

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
PAGES = re.compile(r"^([A-Za-z]?)(\d+)(?:-([A-Za-z]?)(\d+))?$")

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def check_doi(value: str) -> str | None:
    if value.lower().startswith(("http://", "https://", "doi:")):
        return "write the bare DOI, without 'https://doi.org/' or 'doi:' (e.g. 10.1007/s00198-010-1326-y)"
    if not DOI.match(value):
        return "not a DOI: it must look like 10.NNNN/suffix, with no spaces"
    return None


def check_pmid(value: str) -> str | None:
    if not PMID.match(value):
        return "a PMID is 1 to 9 digits with no leading zero (e.g. 20571772)"
    return None


def check_pmcid(value: str) -> str | None:
    if not PMCID.match(value):
        return "a PMCID is 'PMC' followed by digits (e.g. PMC1234567)"
    return None


def check_issn(value: str) -> str | None:
    match = ISSN.match(value)
    if not match:
        return "an ISSN is written NNNN-NNNC (e.g. 0937-941X)"
    digits = match.group(1) + match.group(2)
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[7] != expected:
        return f"ISSN check digit is wrong (expected {expected}); check for a typing mistake"
    return None


def check_orcid(value: str) -> str | None:
    if not ORCID.match(value):
        return "an ORCID iD is written NNNN-NNNN-NNNN-NNNC (e.g. 0000-0002-1825-0097)"
    digits = value.replace("-", "")
    total = 0
    for d in digits[:-1]:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[-1] != expected:
        return f"ORCID checksum is wrong (expected last character {expected})"
    return None


def check_slug(value: str) -> str | None:
    if not SLUG.match(value) or len(value) > 80:
        return "use lowercase letters, digits and single hyphens only (e.g. ferrari-lacraz-2011)"
    return None


def check_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        return "a link must be a full http:// or https:// address with no spaces"
    return None


def check_partial_date(value: str) -> str | None:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, and the day must exist."""
    match = PARTIAL_DATE.match(value)
    if not match:
        return "write the date as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2010-06-23)"
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return "this date does not exist"
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
        return "write pages as a number or a range (e.g. 435-46, 435-446, e1234)"
    first, last = pages
    if last is not None and int(re.sub(r"\D", "", last)) < int(re.sub(r"\D", "", first)):
        return f"the last page ({last}) comes before the first ({first})"
    return None


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def pmc_url(pmcid: str) -> str:
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"


def pubmed_search_url(terms: str) -> str:
    return "https://pubmed.ncbi.nlm.nih.gov/?term=" + quote(terms, safe="")
