"""Small conversions shared by the importers. None of them guesses: a value either maps or is left out."""

from __future__ import annotations

import re

from .. import identifiers as ids

_MONTH_NAMES = {name.lower(): index for index, name in enumerate(ids.MONTHS, 1)}
_MONTH_NAMES.update({full: index for index, full in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), 1)})


def month_number(value: str) -> int | None:
    """'Feb', 'february', '2', '02' -> 2; anything else (seasons, ranges) -> None."""
    text = value.strip().rstrip(".").lower()
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    return _MONTH_NAMES.get(text)


def partial_date(year: str | int | None, month: str | int | None = None,
                 day: str | int | None = None) -> tuple[str, str] | None:
    """(year, month, day) -> ('2011-02-15', '2011 Feb 15'); None without a four-digit year.

    A part that does not parse ends the date there: no day without a month.
    """
    year_text = str(year).strip() if year is not None else ""
    if not re.fullmatch(r"\d{4}", year_text):
        return None
    iso, shown = year_text, year_text
    number = month_number(str(month)) if month not in (None, "") else None
    if number is None:
        return iso, shown
    iso += f"-{number:02d}"
    shown += " " + ids.MONTHS[number - 1]
    day_text = str(day).strip() if day not in (None, "") else ""
    if day_text.isdigit() and 1 <= int(day_text) <= 31:
        candidate = iso + f"-{int(day_text):02d}"
        if ids.check_partial_date(candidate) is None:
            return candidate, shown + f" {int(day_text)}"
    return iso, shown


_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def bare_doi(value: str | None) -> str | None:
    """A DOI without the resolver address or 'doi:' prefix some exports add."""
    if not value:
        return None
    return _DOI_PREFIX.sub("", value.strip()) or None


# A label of a structured abstract: capitals (and a few joining characters), then a colon, at the start
# of the abstract or of a sentence. Lower-case words never start a section, so "HIV: a study" mid-sentence
# inside a sentence is not split.
_LABEL = re.compile(r"(?:^|(?<=[.?!)\]]\s))([A-Z][A-Z0-9]*(?:[ ,/&-]+[A-Z0-9]+){0,5}):\s+")


def split_abstract(text: str) -> list[tuple[str | None, str]]:
    """'BACKGROUND: a. METHODS: b.' -> [('BACKGROUND', 'a.'), ('METHODS', 'b.')]; unlabelled -> [(None, text)]."""
    text = text.strip()
    matches = list(_LABEL.finditer(text))
    if not matches or matches[0].start() != 0:
        return [(None, text)] if text else []
    sections = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = text[match.end():end].strip()
        if body:
            sections.append((match.group(1), body))
    return sections


def first_text(*values: object) -> str | None:
    """The first non-empty value, as text."""
    for value in values:
        if isinstance(value, list):
            value = value[0] if value else None
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def join_pages(start: str | None, end: str | None) -> str | None:
    """Start and end page as two fields -> '435-446'; a start that is already a range stays as it is."""
    if not start:
        return None
    start = start.strip().replace("--", "-")
    if end and "-" not in start and end.strip() != start:
        return f"{start}-{end.strip()}"
    return start


def checked(value: str | None, check, what: str, notes: list[str]) -> str | None:
    """`value` when the schema's check accepts it; otherwise None and a note saying why it was left out."""
    if value is None:
        return None
    message = check(value)
    if message:
        notes.append(f"{what} '{value}' left out: {message}")
        return None
    return value


def language_code(value: str | None, notes: list[str]) -> str | None:
    """ISO 639 codes only ('eng', 'en'); names ('English') or regions ('en-US') are left out, with a note."""
    if not value:
        return None
    text = value.strip()
    if re.fullmatch(r"[a-z]{2,3}", text):
        return text
    notes.append(f"language '{text}' left out: the schema takes an ISO 639 code (e.g. en or eng)")
    return None
