"""The article's references as Zotero reads them: imported from the download the references page offers.

The references page carries no COinS any more (issue 16): the list is machine-readable once, as the RIS file, which
the page links for a one-click import. What Zotero's connector no longer does there: offer each reference to be
picked and saved alone from the page (COinS.js); the download imports the whole list, each field as before.

Only what comes back right today is asserted here; what is still wrong is listed in test_known_defects.py.
"""

from __future__ import annotations

import pytest

from .conftest import REFERENCES_PAGE, REVIEW_ID
from .expect import creator_name, expected_references, fake_creators, regular_items

# One format for a reference list: RIS, which every reference manager imports (reviewsite/cite/__init__.py).
REFERENCE_DOWNLOADS = [f"reviews/{REVIEW_ID}/{REVIEW_ID}-references.ris"]


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


def test_references_page_links_its_download(zotero_site) -> None:
    page = (zotero_site.directory / REFERENCES_PAGE / "index.html").read_text(encoding="utf-8")
    for path in REFERENCE_DOWNLOADS:
        name = path.rsplit("/", 1)[1]
        assert f'<a href="../{name}" download type="application/x-research-info-systems">' in page


def test_references_download_gives_titles_journals_and_numbers(zotero, zotero_site, records) -> None:
    """What the page's COinS gave Zotero before (issue 16), the download gives: every field of every reference."""
    items = regular_items(zotero.import_file(zotero_site.download(REFERENCE_DOWNLOADS[0])))
    by_title = {i["title"]: i for i in items if i.get("title")}
    for ref in expected_references(records):
        if ref["title"]:
            item = by_title[ref["title"]]
            assert item["publicationTitle"] == ref["journal"]
            assert (item.get("volume"), item.get("issue"), item.get("pages", "").replace("\u2013", "-")) == (
                ref["volume"], ref["issue"], ref["pages"])
            assert item["date"].startswith(ref["year"])
