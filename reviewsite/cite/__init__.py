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


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("bibtex", "BibTeX", "bib", "application/x-bibtex", write_bibtex),
    ExportFormat("ris", "RIS", "ris", "application/x-research-info-systems", write_ris),
    ExportFormat("medline", "MEDLINE/PubMed", "nbib", "application/x-inst-for-scientific-info", write_medline),
    ExportFormat("csl-json", "CSL-JSON", "json", "application/vnd.citationstyles.csl+json", write_csl_json),
)


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
    return tuple(Download(f, f"{review.id}.{f.extension}", (review.article,)) for f in FORMATS)


def reference_downloads(review: Review) -> tuple[Download, ...]:
    if not review.references:
        return ()
    return tuple(Download(f, f"{review.id}-references.{f.extension}", review.references) for f in FORMATS)


def export_files(review: Review) -> dict[PurePosixPath, str]:
    """Every download of one review, keyed by its path under `docs/`."""
    folder = PurePosixPath("reviews", review.id)
    return {folder / d.filename: d.text() for d in (*article_downloads(review), *reference_downloads(review))}
