"""Tell the four export formats apart by their content; the file's name is only a tie-breaker."""

from __future__ import annotations

import re
from pathlib import Path

from .model import ImportFailed

FORMATS = ("medline", "ris", "bibtex", "csl-json")

_MEDLINE = re.compile(r"^[A-Z][A-Z0-9]{1,3} *- ", re.MULTILINE)
_RIS = re.compile(r"^TY  - ", re.MULTILINE)
_BIBTEX = re.compile(r"^\s*@[A-Za-z]+\s*[{(]", re.MULTILINE)


def detect_format(text: str, path: Path) -> str:
    """'medline', 'ris', 'bibtex' or 'csl-json'; ImportFailed when it is none of them."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith(("[", "{")):
        return "csl-json"
    first = head.splitlines()[0] if head else ""
    if first.startswith("TY  - ") or (_RIS.search(text) and not first.startswith("PMID-")):
        return "ris"
    if _BIBTEX.search(text) and not _MEDLINE.match(first):
        return "bibtex"
    if _MEDLINE.match(first):
        return "medline"
    by_suffix = {".nbib": "medline", ".ris": "ris", ".bib": "bibtex", ".json": "csl-json"}
    hint = (f"its name says {by_suffix[path.suffix.lower()]}, but the content does not look like it"
            if path.suffix.lower() in by_suffix else
            "give a PubMed MEDLINE (.nbib/.txt), RIS (.ris), BibTeX (.bib) or CSL-JSON (.json) export")
    raise ImportFailed(str(path), 1, "cannot tell the export format from the file's content", hint)
