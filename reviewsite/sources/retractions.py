"""The Retraction Watch database, which Crossref publishes openly as one CSV, indexed by DOI and PMID.

Where: https://gitlab.com/crossref/retraction-watch-data (retraction_watch.csv), also served at
https://api.labs.crossref.org/data/retractionwatch?mailto=... . The columns read are RetractionNature,
RetractionDate, RetractionDOI, RetractionPubMedID, OriginalPaperDOI, OriginalPaperPubMedID, Title,
Journal, Reason and Record ID. One download (cached by PoliteClient) answers every lookup of a run.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from .corrections import ERRATUM, EXPRESSION_OF_CONCERN, RETRACTION, UPDATE, Correction
from .errors import MalformedResponse
from .http import Fetched, PoliteClient

CSV_URL = "https://gitlab.com/crossref/retraction-watch-data/-/raw/main/retraction_watch.csv"
REQUIRED = ("Record ID", "RetractionNature", "RetractionDate", "RetractionDOI", "RetractionPubMedID",
            "OriginalPaperDOI", "OriginalPaperPubMedID")
_KINDS = {"retraction": RETRACTION, "expression of concern": EXPRESSION_OF_CONCERN, "correction": ERRATUM,
          "reinstatement": UPDATE}
_NO_VALUE = {"", "0", "unavailable", "na", "n/a"}


@dataclass(frozen=True)
class RetractionWatchEntry:
    """One row: a notice (retraction, expression of concern, correction, reinstatement) of a paper."""

    record_id: str
    nature: str  # RetractionNature as written
    date: str | None  # RetractionDate as YYYY-MM-DD
    notice_doi: str | None
    notice_pmid: str | None
    paper_doi: str | None
    paper_pmid: str | None
    title: str | None = None
    journal: str | None = None
    reason: str | None = None

    def correction(self) -> Correction:
        return Correction(_KINDS.get(self.nature.strip().lower(), UPDATE), None, self.notice_pmid,
                          self.notice_doi, self.date, source="retraction-watch", label=self.nature)


class RetractionWatch:
    """An index of the database: `lookup(doi=..., pmid=...)` answers from memory."""

    def __init__(self, entries: list[RetractionWatchEntry], url: str = CSV_URL, fetched: str | None = None):
        self.url, self.fetched, self.entries = url, fetched, entries
        self._by_doi: dict[str, list[RetractionWatchEntry]] = {}
        self._by_pmid: dict[str, list[RetractionWatchEntry]] = {}
        for entry in entries:
            if entry.paper_doi:
                self._by_doi.setdefault(entry.paper_doi.lower(), []).append(entry)
            if entry.paper_pmid:
                self._by_pmid.setdefault(entry.paper_pmid, []).append(entry)

    def lookup(self, *, doi: str | None = None, pmid: str | None = None) -> list[RetractionWatchEntry]:
        """Every row about the paper with this DOI (any case) or PMID, in the file's order, each once."""
        found = list(self._by_doi.get(doi.strip().lower(), [])) if doi else []
        for entry in self._by_pmid.get(pmid.strip(), []) if pmid else []:
            if entry not in found:
                found.append(entry)
        return found


def load_retraction_watch(client: PoliteClient, *, url: str = CSV_URL, refresh: bool = False) -> RetractionWatch:
    """Download the CSV once (the client's cache keeps it) and index it."""
    answer = client.get(url, refresh=refresh)
    try:
        return parse_retraction_watch(answer)
    except MalformedResponse:
        client.forget(answer.url)
        raise


def parse_retraction_watch(answer: Fetched) -> RetractionWatch:
    """Index a downloaded CSV. MalformedResponse when it lacks a column this module reads."""
    try:
        text = answer.body.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = answer.body.decode("latin-1")  # older exports were not UTF-8; every byte decodes
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise MalformedResponse(answer.url, f"not the Retraction Watch CSV: no column {', '.join(missing)}")
    entries = [RetractionWatchEntry(
        record_id=row["Record ID"].strip(), nature=row["RetractionNature"].strip(),
        date=_date(row["RetractionDate"]), notice_doi=_value(row["RetractionDOI"]),
        notice_pmid=_value(row["RetractionPubMedID"]), paper_doi=_value(row["OriginalPaperDOI"]),
        paper_pmid=_value(row["OriginalPaperPubMedID"]), title=_value(row.get("Title")),
        journal=_value(row.get("Journal")), reason=_value(row.get("Reason"))) for row in reader]
    return RetractionWatch(entries, answer.url, answer.fetched)


def _value(text: str | None) -> str | None:
    text = (text or "").strip()
    return None if text.lower() in _NO_VALUE else text


def _date(text: str) -> str | None:
    """'3/15/2022 0:00' (the CSV's month/day/year) -> '2022-03-15'."""
    match = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})", text.strip())
    if not match:
        return None
    try:
        return datetime(int(match.group(3)), int(match.group(1)), int(match.group(2))).date().isoformat()
    except ValueError:
        return None
