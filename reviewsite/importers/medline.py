"""PubMed's MEDLINE format (.nbib / .txt from "Send to: Citation manager"), as NLM documents it.

A line is a tag in columns 1-4 (left-aligned, space-padded), '- ' in columns 5-6 and the value;
a line indented six spaces continues the value above; a blank line ends a record. Author
data repeat per author: FAU (full name) and AU (name with initials), then AUID and AD lines
that belong to that author; CN names a group author in the same sequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import identifiers as ids
from .model import ImportedAuthor, ImportedErratum, ImportedFile, ImportedMesh, ImportedWork, ImportFailed
from .values import checked, language_code, partial_date, split_abstract

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{1,3}) *- ?(.*)$")
_CONTINUATION = "      "

# Tags read into the schema; every other tag is listed once in the report as having no field.
_USED = {"PMID", "TI", "JT", "TA", "IS", "DP", "DEP", "PHST", "VI", "IP", "PG", "LID", "AID", "PT", "LA",
         "FAU", "AU", "AUID", "AD", "CN", "OT", "MH", "AB", "CI", "PMC", "EIN", "RIN", "ECI", "UIN"}
# PubMed's tags for notices about the work: Erratum in, Retraction in, Expression of concern in, Update in.
_NOTICE_TAGS = {"EIN": "erratum", "RIN": "retraction", "ECI": "expression-of-concern", "UIN": "update"}
# Bookkeeping tags that say nothing about the work itself; not worth a line in the report.
_QUIET = {"OWN", "STAT", "DCOM", "LR", "EDAT", "MHDA", "CRDT", "PST", "SO", "JID", "PL", "SB", "OTO",
          "DA", "VTI", "PUBM", "GN"}


@dataclass(frozen=True)
class MedlineField:
    tag: str
    value: str
    line: int


def read_fields(text: str, name: str) -> list[list[MedlineField]]:
    """Split the file into records of (tag, value, line); continuation lines are joined with one space."""
    records: list[list[MedlineField]] = []
    current: list[MedlineField] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line:
            if current:
                records.append(current)
                current = []
            continue
        if raw.startswith(_CONTINUATION) and line.strip():
            if not current:
                raise ImportFailed(name, number, "a continuation line (indented six spaces) with no field above it",
                                   "start the record with a tag line such as 'PMID- 12345678'")
            last = current[-1]
            current[-1] = MedlineField(last.tag, f"{last.value} {line.strip()}".strip(), last.line)
            continue
        match = _TAG_LINE.match(line)
        if not match or len(line) < 5 or line[4] != "-" or not line[:4].rstrip().isalnum():
            raise ImportFailed(name, number, f"not a MEDLINE line: {line[:60]!r}",
                               "a MEDLINE line is a tag in columns 1-4, '- ' in columns 5-6 and the value; "
                               "a continuation line starts with six spaces")
        current.append(MedlineField(match.group(1), match.group(2).strip(), number))
    if current:
        records.append(current)
    return records


def parse(text: str, name: str) -> ImportedFile:
    """Read a MEDLINE export; raises ImportFailed with the line of the first malformed line."""
    records = read_fields(text, name)
    if not records:
        raise ImportFailed(name, 1, "the file holds no MEDLINE record", "export the records again from PubMed")
    unused: set[str] = set()
    works = []
    for fields in records:
        works.append(_work(fields))
        unused.update(f.tag for f in fields if f.tag not in _USED and f.tag not in _QUIET)
    notes = [f"MEDLINE tags with no field in the schema, not imported: {', '.join(sorted(unused))}"] if unused else []
    return ImportedFile("medline", works, notes)


def _date_from_dp(value: str, notes: list[str]) -> tuple[str, str] | None:
    parts = value.split()
    exact = re.fullmatch(r"(\d{4})(?: ([A-Z][a-z]{2})(?: (\d{1,2}))?)?", value)
    if exact:
        return partial_date(*exact.groups())
    if parts and re.fullmatch(r"\d{4}", parts[0]):
        notes.append(f"publication date '{value}' recorded as the year {parts[0]} (the schema has no ranges "
                     "or seasons)")
        # The citation keeps PubMed's own text of the date.
        return parts[0], value
    notes.append(f"publication date '{value}' left out: no four-digit year")
    return None


def _compact_date(value: str) -> str | None:
    """DEP '20100623' or PHST '2010/06/23 00:00' -> '2010-06-23'."""
    match = re.fullmatch(r"(\d{4})/?(\d{2})/?(\d{2})(?: \d{2}:\d{2})?", value)
    if not match:
        return None
    date = "-".join(match.groups())
    return None if ids.check_partial_date(date) else date


def _identifier(value: str, kind: str) -> str | None:
    """'10.1007/x [doi]' -> '10.1007/x' when the bracketed type is `kind`."""
    match = re.fullmatch(r"(.+?)\s*\[([a-z]+)\]", value)
    return match.group(1) if match and match.group(2) == kind else None


def _mesh(value: str) -> ImportedMesh:
    # 'Descriptor/qualifier/*qualifier': a star marks a major topic, on the descriptor or a qualifier.
    parts = value.split("/")
    major = any(p.startswith("*") for p in parts)
    clean = [p.lstrip("*").strip() for p in parts]
    return ImportedMesh(clean[0], clean[1:], major)


def _errata(value: str) -> ImportedErratum:
    """'Journal. 2011 Feb;22(2):739. doi: 10.x/y. PMID: 123' -> citation, doi and PMID."""
    pmid = doi = None
    text = value.strip()
    match = re.search(r"\.?\s*PMID:\s*(\d+)\.?$", text)
    if match:
        pmid, text = match.group(1), text[: match.start()]
    match = re.search(r"\.?\s*doi:\s*(\S+?)\.?$", text)
    if match:
        doi, text = match.group(1), text[: match.start()]
    return ImportedErratum(text.rstrip(". ") if (doi or pmid) else text, doi, pmid)


def _work(fields: list[MedlineField]) -> ImportedWork:
    work = ImportedWork(line=fields[0].line)
    notes = work.notes
    current: ImportedAuthor | None = None
    current_has_au = False
    current_from_fau = False
    languages: list[str] = []
    phst_epub = None
    for f in fields:
        tag, value = f.tag, f.value
        if not value:
            continue
        if tag == "PMID":
            work.pmid = checked(value, ids.check_pmid, "PMID", notes)
        elif tag == "TI":
            work.title = value
        elif tag == "JT":
            work.journal_title = value
        elif tag == "TA":
            work.journal_abbreviation = value
        elif tag == "IS":
            match = re.fullmatch(r"(\S+) \((Print|Electronic|Linking)\)", value)
            if match and match.group(2) != "Linking":
                attribute = "issn_print" if match.group(2) == "Print" else "issn_electronic"
                setattr(work, attribute, checked(match.group(1), ids.check_issn, "ISSN", notes))
        elif tag == "DP":
            date = _date_from_dp(value, notes)
            if date:
                work.published, work.published_text = date
        elif tag == "DEP":
            work.epub = _compact_date(value)
        elif tag == "PHST" and value.endswith("[epublish]"):
            phst_epub = _compact_date(value.rsplit(" [", 1)[0])
        elif tag == "VI":
            work.volume = value
        elif tag == "IP":
            work.issue = value
        elif tag == "PG":
            work.pages = checked(value, ids.check_pages, "pages", notes)
        elif tag in ("LID", "AID"):
            doi = _identifier(value, "doi")
            if doi and not work.doi:
                work.doi = checked(doi, ids.check_doi, "DOI", notes)
        elif tag == "PMC":
            work.pmcid = checked(value, ids.check_pmcid, "PMCID", notes)
        elif tag == "PT":
            work.publication_types.append(value)
        elif tag == "LA":
            languages.append(value)
        elif tag == "FAU":
            current = _person(value, full=True)
            current_has_au, current_from_fau = False, True
            work.authors.append(current)
        elif tag == "AU":
            if current is not None and current_from_fau and not current_has_au:
                _add_initials(current, value)
            else:
                current = _person(value, full=False)
                current_from_fau = False
                work.authors.append(current)
            current_has_au = True
        elif tag == "CN":
            current = ImportedAuthor(name=value, collective=value)
            current_has_au, current_from_fau = True, False
            work.authors.append(current)
        elif tag == "AUID":
            match = re.search(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])", value)
            if current is not None and value.upper().startswith("ORCID") and match:
                current.orcid = checked(match.group(1), ids.check_orcid, "ORCID", notes)
        elif tag == "AD":
            if current is None:
                notes.append(f"line {f.line}: affiliation before any author left out")
            elif value not in current.affiliations:
                current.affiliations.append(value)
        elif tag == "OT":
            work.keywords.append(value)
        elif tag == "MH":
            work.mesh_terms.append(_mesh(value))
        elif tag == "AB":
            work.abstract = split_abstract(value)
        elif tag == "CI":
            work.copyright = value
        elif tag in _NOTICE_TAGS:
            notice = _errata(value)
            notice.kind = _NOTICE_TAGS[tag]
            work.errata.append(notice)
    if not work.epub and phst_epub:
        work.epub = phst_epub
    if languages:
        work.language = language_code(languages[0], notes)
        if len(languages) > 1:
            notes.append(f"languages {', '.join(languages[1:])} left out: the schema holds one language")
    return work


def _person(value: str, *, full: bool) -> ImportedAuthor:
    if full:  # FAU: 'Family, Given Names' exactly as PubMed has it
        family, _, given = value.partition(", ")
        return ImportedAuthor(name=value, family=family.strip(), given=given.strip() or None)
    # AU alone: 'Family Initials', where the initials are the last word in capitals.
    family, _, initials = value.rpartition(" ")
    if family and initials.isalpha() and initials.isupper():
        return ImportedAuthor(name=value, family=family, initials=initials)
    return ImportedAuthor(name=value, family=value)


def _add_initials(author: ImportedAuthor, au: str) -> None:
    # AU repeats the family name of FAU followed by the initials: 'Müller AK'.
    author.name = au
    if author.family and au.startswith(author.family + " "):
        author.initials = au[len(author.family) + 1:].strip() or None
