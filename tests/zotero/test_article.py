"""The review article as Zotero reads it: saved from the review page, and imported from each article download.

Only what comes back right today is asserted here; what is still wrong is listed in test_known_defects.py.
"""

from __future__ import annotations

import pytest

from .conftest import REVIEW_ID, REVIEW_PAGE
from .expect import full_pages, recorded_month, regular_items, year_month

ARTICLE_DOWNLOADS = [f"reviews/{REVIEW_ID}/{REVIEW_ID}.{ext}" for ext in ("bib", "ris", "nbib", "json")]


@pytest.fixture(scope="session")
def saved_article(zotero, zotero_site) -> dict:
    items = zotero.save_page(zotero_site.url(REVIEW_PAGE))
    assert len(items) == 1, [i.get("title") for i in items]
    return items[0]


@pytest.fixture(scope="session")
def imported_articles(zotero, zotero_site) -> dict[str, dict]:
    out = {}
    for path in ARTICLE_DOWNLOADS:
        items = regular_items(zotero.import_file(zotero_site.download(path)))
        assert len(items) == 1, f"{path}: {len(items)} items"
        out[path] = items[0]
    return out


def check_common(item: dict, records: dict) -> None:
    """The fields every way in gets right today."""
    article = records["article"]
    assert item["itemType"] == "journalArticle"
    assert item["title"] == article["title"]
    assert item["DOI"] == article["doi"]
    assert item["volume"] == article["volume"]
    assert item["issue"] == article["issue"]
    assert item["pages"].replace("\u2013", "-") == full_pages(article["pages"])
    assert item["publicationTitle"] == article["journal"]["title"]
    issn = item["ISSN"]
    assert article["journal"]["issn_print"] in issn and article["journal"]["issn_electronic"] in issn
    assert item["creators"][0]["lastName"] == article["authors"][0]["family"]


def test_review_page_saves_the_article(saved_article, records) -> None:
    check_common(saved_article, records)
    article = records["article"]
    assert saved_article["journalAbbreviation"] == article["journal"]["iso_abbreviation"]
    assert f"PMID: {article['pmid']}" in saved_article["extra"].splitlines()
    assert saved_article["language"] == article["language"]


def test_review_page_saves_only_the_recorded_authors(saved_article, records) -> None:
    families = [c.get("lastName") or c.get("name") for c in saved_article["creators"]]
    assert families == [a["family"] for a in records["article"]["authors"]]


@pytest.mark.parametrize("path", ARTICLE_DOWNLOADS, ids=lambda p: p.rsplit(".", 1)[1])
def test_article_download_imports(imported_articles, records, path) -> None:
    item = imported_articles[path]
    check_common(item, records)
    abstract = " ".join(s["text"] for s in records["abstract"]["sections"])
    assert item["abstractNote"] == abstract, "the whole abstract"
    assert year_month(item["date"]) == recorded_month(records["article"]["published"]), item["date"]


@pytest.mark.parametrize("path", [p for p in ARTICLE_DOWNLOADS if not p.endswith(".json")],
                         ids=lambda p: p.rsplit(".", 1)[1])
def test_article_download_keeps_abbreviation_and_keywords(imported_articles, records, path) -> None:
    item = imported_articles[path]
    article = records["article"]
    assert item["journalAbbreviation"] == article["journal"]["iso_abbreviation"]
    assert [t["tag"] for t in item["tags"]] == article["keywords"]


@pytest.mark.parametrize("path", [p for p in ARTICLE_DOWNLOADS if p.endswith((".bib", ".nbib"))],
                         ids=lambda p: p.rsplit(".", 1)[1])
def test_article_download_keeps_the_pmid(imported_articles, records, path) -> None:
    assert f"PMID: {records['article']['pmid']}" in imported_articles[path]["extra"].splitlines()
