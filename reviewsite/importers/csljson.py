"""CSL-JSON (a list of items, or one item), as Zotero, Crossref and citeproc write it."""

from __future__ import annotations

import json

from .. import identifiers as ids
from .model import ImportedAuthor, ImportedFile, ImportedWork, ImportFailed
from .values import bare_doi, checked, first_text, language_code, partial_date, split_abstract


def parse(text: str, name: str) -> ImportedFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(name, exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})",
                           "check the brackets, commas and quotes there") from None
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(item, dict) for item in items):
        raise ImportFailed(name, 1, "CSL-JSON is a list of items, each an object with fields such as "
                           "\"title\" and \"author\"")
    lines = _item_lines(text, len(items))
    return ImportedFile("csl-json", [_work(item, line) for item, line in zip(items, lines, strict=True)])


def _item_lines(text: str, count: int) -> list[int]:
    """The line where each top-level item starts, found by scanning brackets outside strings."""
    lines: list[int] = []
    depth, line, in_string, escaped = 0, 1, False, False
    top_is_list = text.lstrip().startswith("[")
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            escaped = not escaped and char == "\\"
            if char == '"' and not escaped:
                in_string = False
            continue
        if char == '"':
            in_string, escaped = True, False
        elif char in "[{":
            if char == "{" and depth == (1 if top_is_list else 0):
                lines.append(line)
            depth += 1
        elif char in "]}":
            depth -= 1
    return (lines + [1] * count)[:count]


def _text(value: object) -> str | None:
    return None if value is None else first_text(str(value))


def _author(person: dict) -> ImportedAuthor | None:
    if person.get("literal"):
        return ImportedAuthor(name=person["literal"], collective=person["literal"])
    family = _text(person.get("family"))
    if not family:
        return None
    particle = _text(person.get("non-dropping-particle"))
    if particle:
        family = f"{particle} {family}"
    given = _text(person.get("given"))
    return ImportedAuthor(name=f"{family}, {given}" if given else family, family=family, given=given)


def _date(value: object) -> tuple[str, str] | None:
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return partial_date(*(parts[0] + [None, None])[:3])
    return None


def _work(item: dict, line: int) -> ImportedWork:
    work = ImportedWork(line=line)
    notes = work.notes
    work.title = _text(item.get("title"))
    work.journal_title = _text(item.get("container-title"))
    work.journal_abbreviation = first_text(item.get("container-title-short"), item.get("journalAbbreviation"))
    date = _date(item.get("issued"))
    if date:
        work.published, work.published_text = date
    work.volume = _text(item.get("volume"))
    work.issue = _text(item.get("issue"))
    page = _text(item.get("page"))
    work.pages = checked(page.replace("--", "-").replace("\u2013", "-") if page else None,
                         ids.check_pages, "pages", notes)
    work.doi = checked(bare_doi(_text(item.get("DOI"))), ids.check_doi, "DOI", notes)
    work.pmid = checked(_text(item.get("PMID")), ids.check_pmid, "PMID", notes)
    work.pmcid = checked(_text(item.get("PMCID")), ids.check_pmcid, "PMCID", notes)
    for person in item.get("author") or []:
        author = _author(person) if isinstance(person, dict) else None
        if author:
            work.authors.append(author)
        else:
            notes.append(f"author {person!r} left out: no family name or literal name")
    issn = item.get("ISSN")
    if issn:
        notes.append(f"ISSN {issn} left out: CSL-JSON does not say whether it is the print or electronic ISSN")
    keywords = _text(item.get("keyword"))
    if keywords:
        separator = ";" if ";" in keywords else ","
        work.keywords = [k.strip() for k in keywords.split(separator) if k.strip()]
    abstract = _text(item.get("abstract"))
    if abstract:
        work.abstract = split_abstract(abstract)
    work.language = language_code(_text(item.get("language")), notes)
    return work
