"""The downloads, in one registry: format -> writer, file extension, media type, label.

Adding a format is adding one entry. Each writer is a function of the model only; the files go
beside the review's page (`docs/reviews/<id>/`), and MkDocs copies them into the site as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..model import Review, Work
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
    write: Callable[[Sequence[Work]], str]
    offers: Callable[[Sequence[Work]], bool] = lambda works: True  # whether the file would import whole


def _every_pmid(works: Sequence[Work]) -> bool:
    # Zotero's MEDLINE import (MEDLINEnbib.js detectImport) accepts a file only when a `PMID- ` line opens it,
    # and it does not read CN (group authors). We never write a fake PMID: a list is offered as MEDLINE only
    # when every work has its PMID and no group author, as PubMed's own export would be.
    return bool(works) and all(w.pmid and not any(n.is_group for n in w.authors) for w in works)


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("bibtex", "BibTeX", "bib", "application/x-bibtex", write_bibtex),
    ExportFormat("ris", "RIS", "ris", "application/x-research-info-systems", write_ris),
    ExportFormat("medline", "MEDLINE/PubMed", "nbib", "application/x-inst-for-scientific-info", write_medline,
                 _every_pmid),
    ExportFormat("csl-json", "CSL-JSON", "json", "application/vnd.citationstyles.csl+json", write_csl_json),
)


# A reference list is offered in one format only, so that each cited work is machine-readable once per site
# (issue 16: three copies were 128 KB of a 100-reference review). RIS because every reference manager imports it
# (Zotero's RIS.js, Mendeley, EndNote, JabRef, BibDesk, Citavi), and pandoc reads it, so BibTeX and CSL-JSON
# are one conversion away. The article itself, one small record, keeps every format.
REFERENCE_FORMATS = ("ris",)


@dataclass(frozen=True)
class Download:
    format: ExportFormat
    filename: str  # relative to the review's page
    works: tuple[Work, ...]

    @property
    def label(self) -> str:
        return f"{self.format.label} (.{self.format.extension})"

    def text(self) -> str:
        return self.format.write(self.works)


def article_downloads(review: Review) -> tuple[Download, ...]:
    works = (review.article,)
    return tuple(Download(f, f"{review.id}.{f.extension}", works) for f in FORMATS if f.offers(works))


def reference_downloads(review: Review) -> tuple[Download, ...]:
    if not review.references:
        return ()
    works = review.references
    return tuple(Download(f, f"{review.id}-references.{f.extension}", works) for f in FORMATS
                 if f.key in REFERENCE_FORMATS and f.offers(works))


def export_files(review: Review) -> dict[PurePosixPath, str]:
    """Every download of one review, keyed by its path under `docs/`."""
    folder = PurePosixPath("reviews", review.id)
    return {folder / d.filename: d.text() for d in (*article_downloads(review), *reference_downloads(review))}
