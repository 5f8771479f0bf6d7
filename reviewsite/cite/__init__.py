"""Downloads of each review's citation and reference list: BibTeX, RIS, MEDLINE and CSL-JSON.

Every format is written from the same CSL-JSON items (`reviewsite.csl`); the files go beside
the review's page (`docs/reviews/<id>/`), and MkDocs copies them into the site as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from . import csl
from ..load.records import Review
from .bibtex import write_bibtex
from .csljson import write_csl_json
from .medline import write_medline
from .ris import write_ris


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str
    extension: str
    media_type: str


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("bibtex", "BibTeX", "bib", "application/x-bibtex"),
    ExportFormat("ris", "RIS", "ris", "application/x-research-info-systems"),
    ExportFormat("medline", "MEDLINE/PubMed", "nbib", "application/x-inst-for-scientific-info"),
    ExportFormat("csl-json", "CSL-JSON", "json", "application/vnd.citationstyles.csl+json"),
)


@dataclass(frozen=True)
class Download:
    format: ExportFormat
    filename: str  # relative to the review's page

    @property
    def label(self) -> str:
        return f"{self.format.label} (.{self.format.extension})"


def _render(fmt: ExportFormat, items: list[csl.CslItem], authors_complete: bool,
            errata: dict[str, tuple[str, ...]]) -> str:
    if fmt.key == "bibtex":
        return write_bibtex(items, authors_complete)
    if fmt.key == "ris":
        return write_ris(items)
    if fmt.key == "medline":
        return write_medline(items, errata)
    return write_csl_json(items)


def article_downloads(review: Review) -> tuple[Download, ...]:
    return tuple(Download(f, f"{review.id}.{f.extension}") for f in FORMATS)


def reference_downloads(review: Review) -> tuple[Download, ...]:
    if not review.reference_list:
        return ()
    return tuple(Download(f, f"{review.id}-references.{f.extension}") for f in FORMATS)


def export_files(review: Review) -> dict[PurePosixPath, str]:
    """Every download of one review, keyed by its path under `docs/`."""
    folder = PurePosixPath("reviews", review.id)
    article = [csl.article_item(review)]
    errata = {review.id: tuple(e.citation for e in review.errata)}
    files = {folder / d.filename: _render(d.format, article, csl.authors_complete(review), errata)
             for d in article_downloads(review)}
    references = csl.reference_items(review)
    for download in reference_downloads(review):
        # a reference's own author list is taken as complete: its sources list every name they give
        files[folder / download.filename] = _render(download.format, references, True, {})
    return files
