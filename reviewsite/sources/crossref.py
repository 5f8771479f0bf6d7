"""Crossref works by DOI (`/works/{doi}`) and the notices that update them (`/works?filter=updates:{doi}`).

Fields read, as Crossref's REST API documents them:
- the work format, including `reference`, `update-to`, `updated-by` and `relation`:
  https://github.com/CrossRef/rest-api-doc/blob/master/api_format.md (a recorded answer of 2026, in
  tests/fixtures/sources, carries `updated-by` and `relation`);
- the `updates` filter ("metadata for works that are updates of the given DOI"):
  https://www.crossref.org/documentation/retrieve-metadata/rest-api/rest-api-filters/
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .. import identifiers as ids
from ..importers.model import ImportedAuthor, ImportedWork
from ..importers.values import bare_doi, checked, first_text, language_code, partial_date
from .corrections import ERRATUM, EXPRESSION_OF_CONCERN, RETRACTION, UPDATE, Correction
from .errors import MalformedResponse, check_same_work
from .http import Fetched, PoliteClient

WORKS = "https://api.crossref.org/works"

# Crossref's update types (its `type` on update-to / updated-by), by urgency kind; others are updates.
_KINDS = {"retraction": RETRACTION, "partial_retraction": RETRACTION, "withdrawal": RETRACTION,
          "removal": RETRACTION, "expression_of_concern": EXPRESSION_OF_CONCERN, "correction": ERRATUM,
          "erratum": ERRATUM, "corrigendum": ERRATUM}

# Crossref's `type` of a work -> PubMed's publication type for the same kind of work.
_TYPES = {"journal-article": "Journal Article", "book-chapter": "Book Chapter", "dataset": "Dataset",
          "preprint": "Preprint"}


@dataclass(frozen=True)
class CrossrefReference:
    """One deposited reference, each field exactly as the publisher deposited it."""

    key: str | None = None
    doi: str | None = None
    unstructured: str | None = None
    article_title: str | None = None
    journal_title: str | None = None
    author: str | None = None
    year: str | None = None
    volume: str | None = None
    first_page: str | None = None


@dataclass
class CrossrefRecord:
    """A parsed Crossref work: the work, its references and notices, and which version was read."""

    work: ImportedWork
    url: str
    fetched: str | None = None
    references: list[CrossrefReference] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)  # from `updated-by`: notices about this work
    updates: list[Correction] = field(default_factory=list)  # from `update-to`: works this one is a notice about
    relations: dict[str, list[str]] = field(default_factory=dict)  # `relation` type -> related ids
    deposited: str | None = None  # when the publisher last deposited the metadata


def work_url(doi: str) -> str:
    return f"{WORKS}/{quote(doi, safe='/()<>;:')}"


def fetch_crossref(doi: str, client: PoliteClient, *, refresh: bool = False) -> CrossrefRecord:
    """The Crossref work of `doi`. Raises UnknownIdentifier on 404, DifferentWork when Crossref answers
    with another DOI, and the fetch errors of `PoliteClient`."""
    answer = client.get(work_url(doi), what=("DOI", doi), refresh=refresh)
    try:
        record = parse_crossref(answer)
    except MalformedResponse:
        client.forget(answer.url)  # ask again next time rather than replay an unreadable answer
        raise
    check_same_work(doi, record.work.doi, answer.url, f"the Crossref work for DOI {doi}")
    return record


def fetch_update_notices(doi: str, client: PoliteClient, *, refresh: bool = False) -> list[Correction]:
    """The notices whose `update-to` names `doi` (Crossref's `updates:` filter), most urgent first."""
    answer = client.get(WORKS, {"filter": f"updates:{doi}", "rows": "100"}, refresh=refresh)
    try:
        return parse_update_notices(answer, doi)
    except MalformedResponse:
        client.forget(answer.url)
        raise


def _message(answer: Fetched, expected_type: str) -> dict[str, Any]:
    try:
        data = json.loads(answer.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" at line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise MalformedResponse(answer.url, f"not valid JSON{where}") from None
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict) or data.get("message-type") != expected_type:
        got = data.get("message-type") if isinstance(data, dict) else type(data).__name__
        raise MalformedResponse(answer.url, f"expected a Crossref '{expected_type}' message, got {got!r}")
    return message


def _text(value: object) -> str | None:
    return first_text(value) if isinstance(value, (str, list)) else None


def _date(value: object) -> str | None:
    parts = value.get("date-parts") if isinstance(value, dict) else None
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0] and parts[0][0] is not None:
        date = partial_date(*(list(parts[0]) + [None, None])[:3])
        return date[0] if date else None
    return None


def _notice(entry: dict) -> Correction:
    """An `update-to` / `updated-by` entry: its type, the other work's DOI and the date of the update."""
    label = str(entry.get("type", ""))
    return Correction(_KINDS.get(label.lower(), UPDATE), None, None, bare_doi(entry.get("DOI")),
                      _date(entry.get("updated")), source="crossref", label=label)


def parse_crossref(answer: Fetched) -> CrossrefRecord:
    """A `/works/{doi}` answer read into a CrossrefRecord."""
    message = _message(answer, "work")
    record = CrossrefRecord(_work(message), answer.url, answer.fetched, deposited=_date(message.get("deposited")))
    for item in message.get("reference") or []:
        if isinstance(item, dict):
            record.references.append(CrossrefReference(
                item.get("key"), bare_doi(item.get("DOI")), item.get("unstructured"), item.get("article-title"),
                item.get("journal-title"), item.get("author"), item.get("year"), item.get("volume"),
                item.get("first-page")))
    record.corrections = [_notice(e) for e in message.get("updated-by") or [] if isinstance(e, dict)]
    record.updates = [_notice(e) for e in message.get("update-to") or [] if isinstance(e, dict)]
    for relation, targets in sorted((message.get("relation") or {}).items()):
        record.relations[relation] = [str(t.get("id")) for t in targets if isinstance(t, dict) and t.get("id")]
    return record


def parse_update_notices(answer: Fetched, doi: str) -> list[Correction]:
    """The `update-to` entries naming `doi` in a `/works?filter=updates:` answer, one Correction each,
    carrying the notice's own DOI."""
    message = _message(answer, "work-list")
    found: list[Correction] = []
    for item in message.get("items") or []:
        for entry in item.get("update-to") or [] if isinstance(item, dict) else []:
            if isinstance(entry, dict) and str(entry.get("DOI", "")).lower() == doi.lower():
                notice = _notice(entry)
                found.append(Correction(notice.kind, _text(item.get("title")), None, bare_doi(item.get("DOI")),
                                        notice.date, "crossref", notice.label))
    return found


def _work(message: dict[str, Any]) -> ImportedWork:
    work = ImportedWork(line=0)
    notes = work.notes
    work.title = _text(message.get("title"))
    work.journal_title = _text(message.get("container-title"))
    work.journal_abbreviation = _text(message.get("short-container-title"))
    for issn in message.get("issn-type") or []:
        attribute = {"print": "issn_print", "electronic": "issn_electronic"}.get(issn.get("type"))
        if attribute:
            setattr(work, attribute, checked(issn.get("value"), ids.check_issn, "ISSN", notes))
    # The issue's date when the print issue is dated, else the earliest publication ('published').
    work.published = _date(message.get("published-print")) or _date(message.get("published"))
    date = partial_date(*(work.published.split("-") + [None, None])[:3]) if work.published else None
    work.published_text = date[1] if date else None
    work.epub = _date(message.get("published-online"))
    work.volume = _text(message.get("volume"))
    work.issue = _text(message.get("issue"))
    work.pages = checked(_text(message.get("page")), ids.check_pages, "pages", notes)
    work.doi = checked(bare_doi(_text(message.get("DOI"))), ids.check_doi, "DOI", notes)
    work.language = language_code(_text(message.get("language")), notes)
    # Crossref's work type in PubMed's words, where the two name the same thing (the records use PubMed's).
    kind = _TYPES.get(str(message.get("type", "")))
    if kind:
        work.publication_types = [kind]
    for person in message.get("author") or []:
        work.authors.append(_author(person, notes))
    return work


def _author(person: dict[str, Any], notes: list[str]) -> ImportedAuthor:
    if person.get("name") and not person.get("family"):
        author = ImportedAuthor(name=person["name"], collective=person["name"])
    else:
        family, given = person.get("family") or "", person.get("given")
        author = ImportedAuthor(name=f"{family}, {given}" if given else family, family=family, given=given)
    orcid = person.get("ORCID")
    if orcid:
        author.orcid = checked(orcid.rstrip("/").rsplit("/", 1)[-1], ids.check_orcid, "ORCID", notes)
    author.affiliations = [a["name"] for a in person.get("affiliation") or [] if isinstance(a, dict) and a.get("name")]
    return author
