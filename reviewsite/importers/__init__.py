"""Import PubMed (MEDLINE), RIS, BibTeX and CSL-JSON exports into a review's records."""

from .model import ImportFailed
from .run import ImportInvalid, ImportOptions, ImportReport, import_export

__all__ = ["ImportFailed", "ImportInvalid", "ImportOptions", "ImportReport", "import_export"]
