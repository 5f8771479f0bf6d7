"""The article's references as Zotero reads them: offered on the references page, imported from each download.

Only what comes back right today is asserted here; what is still wrong is listed in test_known_defects.py.
"""

from __future__ import annotations

import pytest

from .conftest import REFERENCES_PAGE, REVIEW_ID
from .expect import creator_name, expected_references, fake_creators, regular_items

# The references .nbib is refused today (see test_known_defects.py); the other three import.
REFERENCE_DOWNLOADS = [f"reviews/{REVIEW_ID}/{REVIEW_ID}-references.{ext}" for ext in ("bib", "ris", "json")]


def check_reference(item: dict, expected: dict) -> None:
    assert item["itemType"] == "journalArticle"
    assert item["publicationTitle"] == expected["journal"]
    assert item.get("volume") == expected["volume"]
    assert item.get("issue") == expected["issue"]
    assert item.get("pages", "").replace("\u2013", "-") == expected["pages"]
    assert expected["year"] in item.get("date", "")  # Zotero may write "May 15, 2007"
    assert item.get("title") == expected["title"]
    assert not fake_creators(item)


@pytest.mark.parametrize("path", REFERENCE_DOWNLOADS, ids=lambda p: p.rsplit(".", 1)[1])
def test_references_download_imports_every_reference_in_order(zotero, zotero_site, records, path) -> None:
    items = regular_items(zotero.import_file(zotero_site.download(path)))
    expected = expected_references(records)
    assert len(items) == len(expected)
    for item, ref in zip(items, expected, strict=True):
        check_reference(item, ref)
        names = [creator_name(c) for c in item["creators"]]
        assert names == ref["families"] + ([ref["group"]] if ref["group"] else []), "authors in order, group last"
        if ref["group"]:
            assert "firstName" not in item["creators"][-1], "the group is one single-field creator"


def test_references_page_offers_every_titled_reference(zotero, zotero_site, records) -> None:
    offered = zotero.offered(zotero_site.url(REFERENCES_PAGE))
    titled = [r["title"] for r in expected_references(records) if r["title"]]
    assert set(titled) <= set(offered)


def test_references_page_saves_titles_journals_and_numbers(zotero, zotero_site, records) -> None:
    items = zotero.save_page(zotero_site.url(REFERENCES_PAGE))
    by_title = {i["title"]: i for i in items}
    for ref in expected_references(records):
        if ref["title"]:
            item = by_title[ref["title"]]
            assert item["publicationTitle"] == ref["journal"]
            assert (item.get("volume"), item.get("issue"), item.get("pages")) == (
                ref["volume"], ref["issue"], ref["pages"])
            assert item["date"].startswith(ref["year"])
