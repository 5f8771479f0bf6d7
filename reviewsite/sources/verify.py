"""`verify`: fetch each review's PubMed record and Crossref work again and say what the records do not hold.

Findings come most urgent first:
1. a correction notice about the review (retraction, expression of concern, erratum, update) that
   erratum.yaml does not hold (compared by the notice's PMID, DOI or citation);
2. a cited work (a reference with a DOI or PMID) that has been retracted or has an expression of concern,
   from PubMed, Crossref or the Retraction Watch database, unless the reference's `note` names the notice;
3. every field of article.yaml that differs from what a service gives, naming the file and line;
4. a fetch that failed (one line each).

Each service is compared on the fields it is the authority for: PubMed on the citation (title, NLM
abbreviation, dates, volume, issue, pages, identifiers, publication types, authors), Crossref on the
publisher's deposit (title, journal title, ISSNs, volume, issue, pages, DOI). Library code: nothing here
prints; `sources.commands` prints the report.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import relative_name
from ..importers.citation import normalise_citation
from ..importers.model import ImportedErratum, ImportedFile
from ..load.reader import RecordFile, read_record_file
from .corrections import EXPRESSION_OF_CONCERN, KINDS, RETRACTION, Correction, corrections_of
from .crossref import CrossrefRecord, fetch_crossref, fetch_update_notices
from .errors import SourceError
from .fetch import FetchedRecord, crossref_source, pubmed_source
from .http import PoliteClient
from .pubmed import PubmedRecord, fetch_pubmed
from .retractions import RetractionWatch

NOTICE, CITED, FIELD, FAILED = 0, 1, 2, 3  # finding ranks, most urgent first
_KIND_WORDS = {"retraction": "RETRACTION", "expression-of-concern": "EXPRESSION OF CONCERN", "erratum": "ERRATUM",
               "update": "UPDATE"}
_SERVICE = {"pubmed": "PubMed", "crossref": "Crossref", "retraction-watch": "Retraction Watch"}


@dataclass
class Finding:
    rank: int  # NOTICE, CITED, FIELD or FAILED
    file: str  # records/ID/article.yaml ...
    line: int
    message: str
    kind: str = ""  # for notices: the Correction kind
    service: str = ""  # PubMed, Crossref or Retraction Watch: who reported it

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass
class ReviewCheck:
    """What `verify` found for one review."""

    review_id: str
    read: list[str] = field(default_factory=list)  # "PubMed PMID N (URL, read DATE)"
    findings: list[Finding] = field(default_factory=list)
    fetched: list[FetchedRecord] = field(default_factory=list)  # what --write may merge, PubMed first
    unwritable: list[str] = field(default_factory=list)  # notices the records have no place for yet

    @property
    def changed(self) -> bool:
        return bool(self.findings)

    def to_write(self) -> list[FetchedRecord]:
        """The fetched records that reported something: merging one that agrees would only restate, in its
        own spelling, what verify found equal."""
        services = {f.service for f in self.findings}
        return [f for f in self.fetched if ("PubMed" if f.pubmed else "Crossref") in services]

    def ordered(self) -> list[Finding]:
        def urgency(f: Finding) -> tuple[int, int]:
            return f.rank, KINDS.index(f.kind) if f.kind in KINDS else len(KINDS)
        return sorted(self.findings, key=urgency)


def verify_review(folder: Path, project_root: Path, client: PoliteClient,
                  watch: RetractionWatch | None = None) -> ReviewCheck:
    """Fetch the review's records again (refresh: no cached answer) and compare; never raises a SourceError."""
    check = ReviewCheck(folder.name)
    files = {name: _read(folder / name, project_root) for name in ("article.yaml", "erratum.yaml",
                                                                   "references.yaml")}
    article = files["article.yaml"]
    if article is None or not isinstance(article.data, dict):
        check.findings.append(Finding(FAILED, relative_name(folder / "article.yaml", project_root), 0,
                                      "cannot be read; run `build_site.py check` and fix it first"))
        return check
    data = article.data
    pmid, doi = _str(data.get("pmid")), _str(data.get("doi"))
    if not pmid and not doi:
        return check
    pubmed = crossref = None
    notices: list[list[Correction]] = []
    if pmid:
        pubmed = _try(check, article, lambda: fetch_pubmed(pmid, client, expected_doi=doi, refresh=True))
        if pubmed:
            check.read.append(f"PubMed PMID {pmid} ({pubmed.url}, read {pubmed.fetched})")
            check.fetched.append(FetchedRecord(ImportedFile("pubmed-xml", [pubmed.work]), f"PubMed PMID {pmid}",
                                               "fetched from PubMed (efetch)", pubmed_source(pubmed, pmid),
                                               pubmed=pubmed))
            notices.append(pubmed.corrections)
    if doi:
        crossref = _try(check, article, lambda doi=doi: fetch_crossref(doi, client, refresh=True))
        updates = _try(check, article, lambda: fetch_update_notices(doi, client, refresh=True)) or []
        if crossref:
            check.read.append(f"Crossref DOI {doi} ({crossref.url}, read {crossref.fetched})")
            notices += [crossref.corrections, updates]
            crossref.work.errata = _crossref_errata(crossref.corrections, updates)
            check.fetched.append(FetchedRecord(ImportedFile("crossref-json", [crossref.work]), f"Crossref DOI {doi}",
                                               "fetched from Crossref (works)", crossref_source(crossref, doi),
                                               crossref=crossref))
    if watch is not None:
        notices.append([e.correction() for e in watch.lookup(doi=doi, pmid=pmid)])
    _new_notices(check, corrections_of(*notices), files["erratum.yaml"], article)
    _cited_works(check, files["references.yaml"], client, watch)
    if pubmed:
        _differences(check, article, pubmed, "PubMed")
    if crossref:
        _differences(check, article, crossref, "Crossref")
    return check


def _read(path: Path, project_root: Path) -> RecordFile | None:
    if not path.is_file():
        return None
    record, problems = read_record_file(path, relative_name(path, project_root))
    return None if problems else record


def _str(value: Any) -> str | None:
    return str(value).strip() or None if value not in (None, "") else None


def _try(check: ReviewCheck, article: RecordFile, fetch):
    try:
        return fetch()
    except SourceError as exc:
        check.findings.append(Finding(FAILED, article.name, 0, f"not checked: {exc}"))
        return None


def _crossref_errata(about: list[Correction], updates: list[Correction]) -> list[ImportedErratum]:
    """Crossref's correction notices as erratum entries: the notice's title (from the `updates` filter) when
    known, else its DOI, which is how Crossref names it."""
    titles = {(u.doi or "").lower(): u.citation for u in updates if u.citation}
    found: dict[str, ImportedErratum] = {}
    for notice in [*about, *updates]:
        if notice.kind == "erratum" and notice.doi and notice.doi.lower() not in found:
            found[notice.doi.lower()] = ImportedErratum(titles.get(notice.doi.lower()) or f"doi:{notice.doi}",
                                                        notice.doi)
    return list(found.values())


def _held(notice: Correction, entries: list[dict]) -> bool:
    for entry in entries:
        if notice.pmid and _str(entry.get("pmid")) == notice.pmid:
            return True
        if notice.doi and (_str(entry.get("doi")) or "").lower() == notice.doi.lower():
            return True
        citation = _str(entry.get("citation"))
        if citation and normalise_citation(citation) in {normalise_citation(notice.citation or ""),
                                                         normalise_citation(f"doi:{notice.doi}")}:
            return True
    return False


def _describe(notice: Correction) -> str:
    parts = [notice.citation] if notice.citation else []
    parts += [f"PMID {notice.pmid}"] if notice.pmid else []
    parts += [f"doi:{notice.doi}"] if notice.doi else []
    parts += [f"dated {notice.date}"] if notice.date else []
    label = f" {notice.label}" if notice.label else ""
    return f"{_SERVICE.get(notice.source, notice.source)}{label}: " + (", ".join(parts) or "(no identifier)")


def _new_notices(check: ReviewCheck, notices: list[Correction], errata: RecordFile | None,
                 article: RecordFile) -> None:
    entries = [e for e in (errata.data.get("errata") or [] if errata and isinstance(errata.data, dict) else [])
               if isinstance(e, dict)]
    for notice in notices:
        if _held(notice, entries):
            continue
        if errata is not None:
            file, line = errata.name, errata.position(("errata",), key=True)[0]
        else:
            file = article.name.rsplit("/", 1)[0] + "/erratum.yaml"
            line = 0
        where = "not in erratum.yaml"
        if notice.kind != "erratum":
            check.unwritable.append(f"{_KIND_WORDS[notice.kind].lower()} ({_describe(notice)}): the records have "
                                    "no field for it yet; record it by hand")
        check.findings.append(Finding(NOTICE, file, line, f"NEW {_KIND_WORDS.get(notice.kind, notice.kind)} "
                                      f"({_describe(notice)}); {where}", notice.kind,
                                      _SERVICE.get(notice.source, notice.source)))


def _cited_works(check: ReviewCheck, references: RecordFile | None, client: PoliteClient,
                 watch: RetractionWatch | None) -> None:
    if references is None or not isinstance(references.data, dict):
        return
    for index, ref in enumerate(references.data.get("references") or []):
        if not isinstance(ref, dict):
            continue
        pmid, doi = _str(ref.get("pmid")), _str(ref.get("doi"))
        if not pmid and not doi:
            continue
        found: list[list[Correction]] = []
        if pmid:
            record = _try(check, references, lambda pmid=pmid: fetch_pubmed(pmid, client, refresh=True))
            if record:
                found.append(record.corrections)
                if record.retracted and not any(c.kind == RETRACTION for c in record.corrections):
                    found.append([Correction(RETRACTION, None, None, None, source="pubmed",
                                             label="Retracted Publication")])
        if doi:
            work = _try(check, references, lambda doi=doi: fetch_crossref(doi, client, refresh=True))
            if work:
                found.append(work.corrections)
        if watch is not None:
            found.append([e.correction() for e in watch.lookup(doi=doi, pmid=pmid)])
        urgent = [c for c in corrections_of(*found) if c.kind in (RETRACTION, EXPRESSION_OF_CONCERN)]
        note = normalise_citation(_str(ref.get("note")) or "")
        urgent = [c for c in urgent if not any(i and normalise_citation(i) in note
                                               for i in (c.pmid, c.doi, c.citation))]
        if not urgent:
            continue
        what = "RETRACTED" if any(c.kind == RETRACTION for c in urgent) else "EXPRESSION OF CONCERN"
        line = references.position(("references", index, "citation"))[0]
        ident = ", ".join(x for x in (f"PMID {pmid}" if pmid else "", f"doi:{doi}" if doi else "") if x)
        check.findings.append(Finding(CITED, references.name, line, f"CITED WORK {what}: reference {index + 1} "
                                      f"({_str(ref.get('citation'))}; {ident}): "
                                      + "; ".join(_describe(c) for c in urgent),
                                      RETRACTION if what == "RETRACTED" else EXPRESSION_OF_CONCERN))


# -- field by field -------------------------------------------------------------------------------------

def _fold(value: Any) -> str:
    text = unicodedata.normalize("NFKC", " ".join(str(value).split())).casefold()
    return text.rstrip(".").replace("\u2013", "-").replace("\u2010", "-")


def _pages(value: Any) -> str:
    """'435-46' and '435–446' compare equal: the end page is written in full."""
    text = _fold(value)
    match = re.fullmatch(r"([a-z]*)(\d+)-([a-z]*)(\d+)", text)
    if match and len(match.group(4)) < len(match.group(2)):
        start, end = match.group(2), match.group(4)
        return f"{match.group(1)}{start}-{match.group(1)}{start[: len(start) - len(end)]}{end}"
    return text


def _fields(record: PubmedRecord | CrossrefRecord, service: str) -> list[tuple[tuple, Any]]:
    work = record.work
    if service == "PubMed":
        return [(("title",), work.title), (("journal", "iso_abbreviation"), work.journal_abbreviation),
                (("published",), work.published), (("epub",), work.epub), (("volume",), work.volume),
                (("issue",), work.issue), (("pages",), work.pages), (("doi",), work.doi), (("pmid",), work.pmid),
                (("pmcid",), work.pmcid), (("language",), work.language)]
    return [(("title",), work.title), (("journal", "title"), work.journal_title),
            (("journal", "issn_print"), work.issn_print), (("journal", "issn_electronic"), work.issn_electronic),
            (("volume",), work.volume), (("issue",), work.issue), (("pages",), work.pages), (("doi",), work.doi)]


def _get(data: Any, path: tuple) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _differences(check: ReviewCheck, article: RecordFile, record: PubmedRecord | CrossrefRecord,
                 service: str) -> None:
    data = article.data
    for path, fetched in _fields(record, service):
        if fetched in (None, ""):
            continue
        held = _get(data, path)
        name = ".".join(path)
        same = _pages if path == ("pages",) else _fold
        if held in (None, ""):
            check.findings.append(Finding(FIELD, article.name, 0, f"{name}: the record has none; {service} has "
                                          f"{fetched!r}", service=service))
        elif same(held) != same(fetched):
            check.findings.append(Finding(FIELD, article.name, article.position(path, key=True)[0],
                                          f"{name}: the record has {str(held)!r}; {service} has {fetched!r}",
                                          service=service))
    if service != "PubMed":
        return
    work = record.work
    held_types = {_fold(t) for t in data.get("publication_types") or []}
    missing = [t for t in work.publication_types if _fold(t) not in held_types]
    if missing:
        check.findings.append(Finding(FIELD, article.name, article.position(("publication_types",), key=True)[0],
                                      f"publication_types: PubMed adds {', '.join(missing)}", service="PubMed"))
    authors = [a for a in data.get("authors") or [] if isinstance(a, dict)]
    fetched_names = [_fold(a.family or a.collective or "") for a in work.authors]
    held_names = [_fold(a.get("family") or a.get("collective") or "") for a in authors]
    complete = str(data.get("authors_complete", "true")).lower() != "false"
    if work.authors and (held_names != fetched_names[: len(held_names)]
                         or (complete and len(held_names) != len(fetched_names))):
        shown = [a.family or a.collective or "?" for a in work.authors]
        check.findings.append(Finding(FIELD, article.name, article.position(("authors",), key=True)[0],
                                      f"authors: the record lists {len(authors)} ("
                                      + ", ".join(str(a.get("family") or a.get("collective")) for a in authors)
                                      + f"); PubMed lists {len(shown)} ({', '.join(shown[:6])}"
                                      f"{', …' if len(shown) > 6 else ''})", service="PubMed"))
