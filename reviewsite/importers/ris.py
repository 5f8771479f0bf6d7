"""RIS files, read with rispy; a line check first, because rispy skips what it cannot read."""

from __future__ import annotations

import re

import rispy

from .. import identifiers as ids
from .model import ImportedAuthor, ImportedFile, ImportedWork, ImportFailed
from .values import bare_doi, checked, first_text, join_pages, language_code, partial_date, split_abstract

_TAG = re.compile(r"^[A-Z][A-Z0-9]  - ?")
# Tags that repeat: every author, keyword, address and link is kept, not only the first.
_LIST_TAGS = ["A1", "A2", "A3", "A4", "AU", "KW", "N1", "UR", "AD", "SN"]


def _record_lines(text: str, name: str) -> list[int]:
    """The line of each record's TY; raises at the first line that is neither a tag line nor a continuation."""
    starts: list[int] = []
    open_record = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if not _TAG.match(line):
            if open_record:
                continue  # rispy joins it to the value above
            raise ImportFailed(name, number, f"not a RIS line outside a record: {line[:60]!r}",
                               "a record starts with 'TY  - ' and ends with 'ER  - '")
        tag = line[:2]
        if tag == "TY":
            if open_record:
                raise ImportFailed(name, number, "a record starts (TY) before the previous one ended (ER)",
                                   "add 'ER  - ' at the end of the previous record")
            open_record = True
            starts.append(number)
        elif tag == "ER":
            if not open_record:
                raise ImportFailed(name, number, "'ER' with no record open", "remove it or add 'TY  - ' above")
            open_record = False
        elif not open_record:
            raise ImportFailed(name, number, f"tag {tag} outside a record", "records start with 'TY  - '")
    if open_record:
        raise ImportFailed(name, starts[-1], "the last record has no end tag 'ER  - '",
                           "the file is cut short: export it again")
    return starts


def parse(text: str, name: str) -> ImportedFile:
    starts = _record_lines(text, name)
    records = rispy.loads(text.replace("\r\n", "\n"), list_tags=_LIST_TAGS)
    if not records:
        raise ImportFailed(name, 1, "the file holds no RIS record", "a record starts with 'TY  - '")
    return ImportedFile("ris", [_work(record, line) for record, line in zip(records, starts, strict=False)])


def _author(value: str) -> ImportedAuthor:
    # RIS writes persons 'Family, Given[, Suffix]'; a name without a comma is an organisation.
    if "," not in value:
        return ImportedAuthor(name=value, collective=value)
    family, _, given = value.partition(",")
    return ImportedAuthor(name=value, family=family.strip(), given=given.strip().strip(",").strip() or None)


def _date(record: dict) -> tuple[str, str] | None:
    # DA / Y1 / PY: 'YYYY/MM/DD/other', any part may be empty.
    for key in ("date", "publication_year", "year"):
        value = first_text(record.get(key))
        if value:
            parts = (value.split("/") + ["", ""])[:3]
            date = partial_date(*parts)
            if date:
                return date
    return None


def _work(record: dict, line: int) -> ImportedWork:
    work = ImportedWork(line=line)
    notes = work.notes
    work.title = first_text(record.get("title"), record.get("primary_title"))
    work.journal_title = first_text(record.get("secondary_title"), record.get("alternate_title3"),
                                    record.get("journal_name"))
    abbreviations = [record.get("alternate_title1"), record.get("alternate_title2")]
    if record.get("journal_name") and work.journal_title != record.get("journal_name"):
        abbreviations.append(record.get("journal_name"))
    work.journal_abbreviation = first_text(*abbreviations)
    date = _date(record)
    if date:
        work.published, work.published_text = date
    work.volume = first_text(record.get("volume"))
    work.issue = first_text(record.get("number"))
    work.pages = checked(join_pages(first_text(record.get("start_page")), first_text(record.get("end_page"))),
                         ids.check_pages, "pages", notes)
    work.doi = checked(bare_doi(first_text(record.get("doi"))), ids.check_doi, "DOI", notes)
    names = list(record.get("authors") or []) + list(record.get("first_authors") or [])
    work.authors = [_author(n) for n in names if n.strip()]
    addresses = [a for a in record.get("author_address") or [] if a.strip()]
    persons = [a for a in work.authors if a.collective is None]
    if addresses and len(persons) == 1:
        persons[0].affiliations = addresses
    elif addresses:
        notes.append("author addresses (AD) left out: RIS does not say which author each belongs to")
    for issn in record.get("issn") or []:
        match = re.fullmatch(r"(\S+)\s*\((Print|Electronic)\)", issn.strip())
        if match:
            attribute = "issn_print" if match.group(2) == "Print" else "issn_electronic"
            setattr(work, attribute, checked(match.group(1), ids.check_issn, "ISSN", notes))
        else:
            notes.append(f"ISSN '{issn}' left out: RIS does not say whether it is the print or electronic ISSN")
    work.keywords = [k for k in record.get("keywords") or [] if k.strip()]
    abstract = first_text(record.get("abstract"), record.get("notes_abstract"))
    if abstract:
        work.abstract = split_abstract(abstract)
    work.language = language_code(first_text(record.get("language")), notes)
    return work
