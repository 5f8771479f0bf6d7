"""BibTeX / BibLaTeX files, read with bibtexparser 2; LaTeX accents are decoded with pylatexenc."""

from __future__ import annotations

import bibtexparser
from bibtexparser import middlewares
from pylatexenc.latex2text import LatexNodes2Text

from .. import identifiers as ids
from .model import ImportedAuthor, ImportedFile, ImportedWork, ImportFailed
from .values import bare_doi, checked, language_code, partial_date, split_abstract

_LATEX = LatexNodes2Text()


def _decode(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(_LATEX.latex_to_text(value).split())
    return text or None


def parse(text: str, name: str) -> ImportedFile:
    library = bibtexparser.parse_string(text, append_middleware=[middlewares.SeparateCoAuthors()])
    if library.failed_blocks:
        block = library.failed_blocks[0]
        line = (block.start_line or 0) + 1
        raise ImportFailed(name, line, f"BibTeX entry starting here cannot be read: {block.error}".strip(),
                           "check its braces, commas and quotes")
    if not library.entries:
        raise ImportFailed(name, 1, "the file holds no BibTeX entry", "an entry looks like @article{key, ...}")
    return ImportedFile("bibtex", [_work(entry) for entry in library.entries])


def _author(raw: str) -> ImportedAuthor:
    raw = raw.strip()
    # A name wholly in braces is an organisation: BibTeX's way to stop it being split.
    if raw.startswith("{") and raw.endswith("}") and _balanced(raw[1:-1]):
        name = _decode(raw[1:-1]) or raw
        return ImportedAuthor(name=name, collective=name)
    name = _decode(raw) or raw
    if "," in name:
        family, _, given = name.partition(",")
        return ImportedAuthor(name=name, family=family.strip(), given=given.strip() or None)
    # 'Given Family' order: BibTeX's rule makes the last word the family name.
    given, _, family = name.rpartition(" ")
    return ImportedAuthor(name=name, family=family, given=given or None)


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _work(entry) -> ImportedWork:
    work = ImportedWork(line=(entry.start_line or 0) + 1)
    notes = work.notes
    fields = {key.lower(): field.value for key, field in entry.fields_dict.items()}

    def text(*keys: str) -> str | None:
        for key in keys:
            value = fields.get(key)
            if isinstance(value, str) and value.strip():
                return _decode(value)
        return None

    work.title = text("title")
    work.journal_title = text("journal", "journaltitle")
    work.journal_abbreviation = text("shortjournal", "journal-abbreviation")
    date = partial_date(text("year"), text("month"), text("day"))
    if not date and text("date"):  # BibLaTeX: date = {2011-02-15}
        date = partial_date(*(text("date").split("-") + [None, None])[:3])
    if date:
        work.published, work.published_text = date
    work.volume = text("volume")
    work.issue = text("number", "issue")
    pages = fields.get("pages")
    if isinstance(pages, str) and pages.strip():
        # '435--446' is BibTeX's way of writing a range; decoding would turn it into an en dash.
        work.pages = checked(pages.strip().replace("--", "-"), ids.check_pages, "pages", notes)
    work.doi = checked(bare_doi(text("doi")), ids.check_doi, "DOI", notes)
    work.pmid = checked(text("pmid"), ids.check_pmid, "PMID", notes)
    if not work.pmid and (text("eprinttype") or "").lower() == "pubmed":
        work.pmid = checked(text("eprint"), ids.check_pmid, "PMID", notes)
    work.pmcid = checked(text("pmcid"), ids.check_pmcid, "PMCID", notes)
    authors = fields.get("author") or []
    work.authors = [_author(a) for a in (authors if isinstance(authors, list) else [authors]) if a.strip()]
    keywords = text("keywords")
    if keywords:
        separator = ";" if ";" in keywords else ","
        work.keywords = [k.strip() for k in keywords.split(separator) if k.strip()]
    abstract = text("abstract")
    if abstract:
        work.abstract = split_abstract(abstract)
    if text("issn"):
        notes.append(f"ISSN '{text('issn')}' left out: BibTeX does not say whether it is the print or "
                     "electronic ISSN")
    if text("affiliation", "affiliations"):
        notes.append("affiliation field left out: BibTeX does not say which author each belongs to")
    work.language = language_code(text("langid", "language"), notes)
    return work
