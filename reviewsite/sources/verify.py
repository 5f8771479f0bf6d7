"""`verify`: fetch each review's PubMed record and Crossref work again and say what the records do not hold.

Findings come most urgent first:
1. a correction notice about the review (retraction, expression of concern, erratum, update) that
   erratum.yaml does not hold (compared by the notice's PMID, DOI or citation; a notice two services report
   is reported once);
2. a cited work (a reference with a DOI or PMID) that has been retracted or has an expression of concern,
   from PubMed, Crossref or the Retraction Watch database, unless the reference's `notices` (or `note`)
   hold the notice;
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

from ..build.writer import write_atomically
from ..errors import SiteError, relative_name
from ..importers.citation import normalise_citation
from ..importers.merge import held_notice, slug
from ..importers.model import ImportedErratum, ImportedFile
from ..importers.run import _validate
from ..importers.yamlio import append_item, dump, load_text, node
from ..load.reader import RecordFile, read_record_file
from .corrections import EXPRESSION_OF_CONCERN, KINDS, RETRACTION, Correction, corrections_of
from .crossref import CrossrefRecord, fetch_crossref, fetch_update_notices
from .errors import SourceError
from .fetch import FetchedRecord, crossref_source, pubmed_source
from .http import PoliteClient
from .pubmed import PubmedRecord, fetch_pubmed
from .retractions import CSV_URL, RetractionWatch

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
class NoticesToStore:
    """Notices `--write` stores outside the merge path: about a cited work (its reference's `notices`), or about
    the review but known only from Retraction Watch. `sources` gives each notice's source entry by service."""

    reference: int | None  # the reference's index in references.yaml; None: the review itself (erratum.yaml)
    notices: list[Correction]
    sources: dict[str, dict[str, str]]


@dataclass
class ReviewCheck:
    """What `verify` found for one review."""

    review_id: str
    read: list[str] = field(default_factory=list)  # "PubMed PMID N (URL, read DATE)"
    findings: list[Finding] = field(default_factory=list)
    fetched: list[FetchedRecord] = field(default_factory=list)  # what --write may merge, PubMed first
    to_store: list[NoticesToStore] = field(default_factory=list)  # what --write adds besides the merge

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
    _new_notices(check, corrections_of(*notices), files["erratum.yaml"], article, watch)
    _cited_works(check, files["references.yaml"], client, watch)
    if pubmed:
        _differences(check, article, pubmed, "PubMed")
    if crossref:
        _differences(check, article, crossref, "Crossref")
    _summary_outdated(check, _read(folder / "summary.yaml", project_root), pubmed, crossref)
    return check


def _summary_outdated(check: ReviewCheck, summary: RecordFile | None, pubmed: PubmedRecord | None,
                      crossref: CrossrefRecord | None) -> None:
    """A maintainers' summary written against a source version older than the record just read: the
    source changed after the summary was written, so its points may need a second look."""
    if summary is None or not isinstance(summary.data, dict):
        return
    version = summary.data.get("source_version")
    written_against = _str(version.get("date")) if isinstance(version, dict) else None
    if not written_against:
        return
    line = summary.position(("source_version", "date"))[0]
    for service, changed in (("PubMed", pubmed.date_revised if pubmed else None),
                             ("Crossref", (crossref.deposited or "")[:10] if crossref else None)):
        if changed and changed > written_against:  # ISO dates compare as text
            check.findings.append(Finding(FIELD, summary.name, line, f"the source changed after this summary was "
                                          f"written: {service} last revised its record on {changed}; the summary "
                                          f"was written against {written_against}"))


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
        if notice.doi and notice.doi.lower() not in found:
            found[notice.doi.lower()] = ImportedErratum(titles.get(notice.doi.lower()) or f"doi:{notice.doi}",
                                                        notice.doi, kind=notice.kind)
    return list(found.values())


def _held(notice: Correction, entries: list) -> bool:
    """The notice is among `entries` (records or notices reported already): the same PMID, DOI or citation;
    one named by none of them (PubMed's bare "Retracted Publication") is held by any entry of its kind."""
    if held_notice(entries, notice.citation, notice.doi, notice.pmid) is not None:
        return True
    if notice.citation or notice.doi or notice.pmid:
        return False
    return any(isinstance(e, dict) and (_str(e.get("kind")) or "erratum") == notice.kind for e in entries)


def _as_entry(notice: Correction) -> dict:
    return {"kind": notice.kind, "citation": notice.citation, "doi": notice.doi, "pmid": notice.pmid}


def _service_source(service: str, pmid: str | None, doi: str | None, record=None,
                    watch: RetractionWatch | None = None) -> dict[str, str]:
    """The article.yaml source entry naming where a stored notice was read."""
    if service == "retraction-watch":
        entry = {"id": "retraction-watch", "name": "Retraction Watch database (published by Crossref)",
                 "url": watch.url if watch else CSV_URL, "accessed": (watch.fetched if watch else None) or ""}
    elif service == "pubmed":
        entry = {"id": f"pubmed-efetch-{pmid}", "name": f"PubMed record PMID {pmid} (E-utilities efetch, XML)",
                 "url": record.url, "accessed": record.fetched or ""}
    else:
        entry = {"id": f"crossref-works-{slug(doi or '')}",
                 "name": f"Crossref metadata of DOI {doi} (REST API works)", "url": record.url,
                 "accessed": record.fetched or ""}
    entry["used_for"] = "notices (retraction, expression of concern) about a cited work" \
        if service != "retraction-watch" else "retraction notices"
    return {k: v for k, v in entry.items() if v}


def _describe(notice: Correction) -> str:
    parts = [notice.citation] if notice.citation else []
    parts += [f"PMID {notice.pmid}"] if notice.pmid else []
    parts += [f"doi:{notice.doi}"] if notice.doi else []
    parts += [f"dated {notice.date}"] if notice.date else []
    label = f" {notice.label}" if notice.label else ""
    return f"{_SERVICE.get(notice.source, notice.source)}{label}: " + (", ".join(parts) or "(no identifier)")


def _new_notices(check: ReviewCheck, notices: list[Correction], errata: RecordFile | None,
                 article: RecordFile, watch: RetractionWatch | None) -> None:
    entries = [e for e in (errata.data.get("errata") or [] if errata and isinstance(errata.data, dict) else [])
               if isinstance(e, dict)]
    reported: list[dict] = []
    only_watch: list[Correction] = []
    for notice in notices:
        if _held(notice, entries) or _held(notice, reported):
            continue  # recorded already, or a second service's word for a notice reported above
        reported.append(_as_entry(notice))
        if errata is not None:
            file, line = errata.name, errata.position(("errata",), key=True)[0]
        else:
            file = article.name.rsplit("/", 1)[0] + "/erratum.yaml"
            line = 0
        where = "not in erratum.yaml"
        if notice.source == "retraction-watch":  # no fetched record carries it into the merge
            only_watch.append(notice)
        check.findings.append(Finding(NOTICE, file, line, f"NEW {_KIND_WORDS.get(notice.kind, notice.kind)} "
                                      f"({_describe(notice)}); {where}", notice.kind,
                                      _SERVICE.get(notice.source, notice.source)))
    if only_watch:
        check.to_store.append(NoticesToStore(None, only_watch, {"retraction-watch": _service_source(
            "retraction-watch", None, None, watch=watch)}))


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
        sources: dict[str, dict[str, str]] = {}
        if pmid:
            record = _try(check, references, lambda pmid=pmid: fetch_pubmed(pmid, client, refresh=True))
            if record:
                sources["pubmed"] = _service_source("pubmed", pmid, doi, record)
                found.append(record.corrections)
                if record.retracted and not any(c.kind == RETRACTION for c in record.corrections):
                    found.append([Correction(RETRACTION, None, None, None, source="pubmed",
                                             label="Retracted Publication")])
        if doi:
            work = _try(check, references, lambda doi=doi: fetch_crossref(doi, client, refresh=True))
            if work:
                sources["crossref"] = _service_source("crossref", pmid, doi, work)
                found.append(work.corrections)
        if watch is not None:
            sources["retraction-watch"] = _service_source("retraction-watch", None, None, watch=watch)
            found.append([e.correction() for e in watch.lookup(doi=doi, pmid=pmid)])
        note = normalise_citation(_str(ref.get("note")) or "")
        held = [e for e in ref.get("notices") or [] if isinstance(e, dict)]
        urgent: list[Correction] = []
        for c in corrections_of(*found):
            if c.kind not in (RETRACTION, EXPRESSION_OF_CONCERN) or _held(c, held) or \
                    _held(c, [_as_entry(u) for u in urgent]) or \
                    any(i and normalise_citation(i) in note for i in (c.pmid, c.doi, c.citation)):
                continue
            urgent.append(c)
        if not urgent:
            continue
        check.to_store.append(NoticesToStore(index, urgent, sources))
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


# -- --write: the notices the merge path does not carry ---------------------------------------------------

def store_notices(project_root: Path, check: ReviewCheck) -> list[str]:
    """Add each cited work's new notices to its reference's `notices`, and the review's notices known only
    from Retraction Watch to erratum.yaml, naming their sources in article.yaml; validated like an import,
    then written. One line per notice stored; nothing is written when the result would not pass `check`."""
    if not check.to_store:
        return []
    folder = project_root / "records" / check.review_id
    names = ("article.yaml", "erratum.yaml", "references.yaml")
    originals = {n: (folder / n).read_text(encoding="utf-8") if (folder / n).is_file() else None
                 for n in (*names, "abstract.yaml")}
    docs = {n: load_text(originals[n] or "{}") for n in names}
    sources = docs["article.yaml"].setdefault("sources", [])
    lines: list[str] = []

    def cite(entry: dict[str, str]) -> str:
        if not any(str(s.get("id")) == entry["id"] for s in sources):
            append_item(sources, node(entry))
        return entry["id"]

    for group in check.to_store:
        if group.reference is None:
            target = docs["erratum.yaml"].setdefault("errata", [])
            where = "erratum.yaml: errata"
        else:
            reference = docs["references.yaml"]["references"][group.reference]
            if "notices" not in reference:
                reference.insert(len(reference) - (1 if "sources" in reference else 0), "notices", [])
            target = reference["notices"]
            where = f"references.yaml: reference {group.reference + 1}: notices"
        for notice in group.notices:
            if held_notice(list(target), notice.citation, notice.doi, notice.pmid) is not None:
                continue
            entry = {k: v for k, v in _as_entry(notice).items() if v}
            if not (notice.citation or notice.doi or notice.pmid) and notice.label:
                entry["note"] = f"{_SERVICE.get(notice.source, notice.source)}: {notice.label}"
            entry["sources"] = [cite(group.sources[notice.source])] if notice.source in group.sources else []
            if not entry["sources"]:
                continue
            append_item(target, node(entry))
            lines.append(f"{where}: + {notice.kind}: {_describe(notice)}")
    texts = {n: dump(d) for n, d in docs.items() if (originals[n] is not None or d) and dump(d) != originals[n]}
    if "erratum.yaml" in texts and originals["erratum.yaml"] is None:
        texts["erratum.yaml"] = ("# yaml-language-server: $schema=../../schema/erratum.schema.json\n"
                                 "# Notices published about the review.\n") + texts["erratum.yaml"]
    try:
        _validate(project_root, check.review_id, originals, texts)
    except SiteError as exc:
        return [f"notices not written: {str(exc).splitlines()[0]}"]
    for name in sorted(texts, key=lambda n: n != "article.yaml"):
        write_atomically(folder / name, texts[name])
    return lines
