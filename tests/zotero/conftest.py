"""Fixtures of the Zotero tests: the translation-server, the served site, and the records they are checked against.

The records are read straight from records/<id>/*.yaml (every value is a quoted string), so these tests compare
what Zotero reads with what the records say, independently of the generator's own model.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

from .server import zotero, zotero_site  # noqa: F401  (session fixtures)

REVIEW_ID = "ferrari-lacraz-2011"
REVIEW_PAGE = f"reviews/{REVIEW_ID}/"
REFERENCES_PAGE = f"reviews/{REVIEW_ID}/references/"


def load_records(review_id: str = REVIEW_ID) -> dict[str, dict]:
    folder = ROOT / "records" / review_id
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.yaml"))}


@pytest.fixture(scope="session")
def records() -> dict[str, dict]:
    return load_records()


def downloads(site_dir: Path, review_id: str = REVIEW_ID) -> list[str]:
    """The export files of a review as the built site offers them (paths relative to the site's root)."""
    folder = site_dir / "reviews" / review_id
    return sorted(f"reviews/{review_id}/{p.name}" for p in folder.iterdir()
                  if p.is_file() and p.suffix in {".bib", ".ris", ".nbib", ".json"})
