"""A review's own record fetched by PMID (PubMed efetch) or DOI (Crossref works), ready for the merge path.

`fetch_record` returns the parsed work as an `ImportedFile` and the source entry that names the URL
read and the date it was read (`Fetched.url`, `Fetched.fetched`), so `importers.run.import_parsed`
merges it exactly like an export file. Library code: nothing here prints or exits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import identifiers as ids
from ..errors import SiteError
from ..importers.model import ImportedFile
from .crossref import CrossrefRecord, fetch_crossref
from .errors import check_same_work
from .http import PoliteClient
from .pubmed import PubmedRecord, fetch_pubmed

PUBMED_SOURCE_ID = "pubmed-efetch"
CROSSREF_SOURCE_ID = "crossref-works"


def default_client(project_root: Path) -> PoliteClient:
    """The client every command uses: identification from the environment, answers cached under .cache/http."""
    return PoliteClient(project_root / ".cache" / "http")


# Tests replace this to answer from recorded responses instead of the network.
client_factory: Callable[[Path], PoliteClient] = default_client


def make_client(project_root: Path) -> PoliteClient:
    return client_factory(project_root)


@dataclass
class FetchedRecord:
    """One fetched record: the parsed work, its source entry for article.yaml and what the service said."""

    parsed: ImportedFile
    name: str  # how messages name it, e.g. "PubMed PMID 23985001"
    origin: str  # the start of the source's `used_for`
    source: dict[str, str]  # id, name, url, accessed
    pubmed: PubmedRecord | None = None
    crossref: CrossrefRecord | None = None


def pubmed_source(record: PubmedRecord, pmid: str) -> dict[str, str]:
    return {"id": PUBMED_SOURCE_ID, "name": f"PubMed record PMID {pmid} (E-utilities efetch, XML)",
            "url": record.url, "accessed": record.fetched or ""}


def crossref_source(record: CrossrefRecord, doi: str) -> dict[str, str]:
    return {"id": CROSSREF_SOURCE_ID, "name": f"Crossref metadata of DOI {doi} (REST API works)",
            "url": record.url, "accessed": record.fetched or ""}


def check_identifier(kind: str, value: str) -> str:
    """The identifier as the records write it; a SiteError naming the problem when it cannot be one."""
    value = value.strip()
    if kind == "DOI":
        value = value.removeprefix("https://doi.org/").removeprefix("http://dx.doi.org/").removeprefix("doi:")
    problem = (ids.check_pmid if kind == "PMID" else ids.check_doi)(value)
    if problem:
        raise SiteError(f"{kind} {value!r}: {problem}")
    return value


def fetch_record(client: PoliteClient, *, pmid: str | None = None, doi: str | None = None,
                 expected_doi: str | None = None, refresh: bool = False) -> FetchedRecord:
    """The record of `pmid` (PubMed) or else `doi` (Crossref). `expected_doi` is the review's DOI, when it has
    one: a record naming another DOI raises DifferentWork. Raises the one-line `SourceError`s of the sources."""
    if pmid:
        pmid = check_identifier("PMID", pmid)
        record = fetch_pubmed(pmid, client, expected_doi=expected_doi, refresh=refresh)
        return FetchedRecord(ImportedFile("pubmed-xml", [record.work]), f"PubMed PMID {pmid}",
                             "fetched from PubMed (efetch)", pubmed_source(record, pmid), pubmed=record)
    if not doi:
        raise SiteError("nothing to fetch: give a PMID or a DOI")
    doi = check_identifier("DOI", doi)
    crossref = fetch_crossref(doi, client, refresh=refresh)
    check_same_work(expected_doi, crossref.work.doi, crossref.url, f"the Crossref work for DOI {doi}")
    return FetchedRecord(ImportedFile("crossref-json", [crossref.work]), f"Crossref DOI {doi}",
                         "fetched from Crossref (works)", crossref_source(crossref, doi), crossref=crossref)
