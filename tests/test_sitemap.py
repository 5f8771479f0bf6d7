"""sitemap.xml past 50,000 pages (reviewsite/site/sitemap.py), checked against sitemaps.org's rules: at most
50,000 URLs per sitemap file, more listed through a sitemap index whose <loc>s are absolute addresses of sitemap
files; every page listed once, none added."""

from __future__ import annotations

import gzip
import shutil
import xml.etree.ElementTree as ET

from reviewsite.site.sitemap import URLS_PER_SITEMAP, keep_sitemap_valid, split_sitemap

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "https://example.org/site/"


def _sitemap(count: int) -> str:
    entries = "".join(f"\n    <url>\n         <loc>{SITE}reviews/r{i}/</loc>\n         <lastmod>2026-12-03</lastmod>"
                      "\n    </url>" for i in range(count))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS["s"]}">{entries}\n</urlset>'


def _locs(text: str, tag: str) -> list[str]:
    root = ET.fromstring(text.encode())
    assert root.tag == f"{{{NS['s']}}}{tag}"
    return [loc.text for loc in root.iterfind(".//s:loc", NS)]


def test_the_limit_is_sitemaps_orgs():
    assert URLS_PER_SITEMAP == 50_000


def test_within_the_limit_mkdocs_sitemap_stays_as_it_is():
    assert split_sitemap(_sitemap(5), SITE, limit=5) == {}


def test_past_the_limit_the_pages_go_into_parts_named_by_an_index():
    original = _sitemap(7)
    files = split_sitemap(original, SITE, limit=3)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    assert _locs(files["sitemap.xml"], "sitemapindex") == [f"{SITE}sitemap-{k}.xml" for k in (1, 2, 3)]
    parts = [_locs(files[f"sitemap-{k}.xml"], "urlset") for k in (1, 2, 3)]
    assert [len(part) for part in parts] == [3, 3, 1]
    assert [loc for part in parts for loc in part] == _locs(original, "urlset")  # every page once, in order
    assert "<lastmod>2026-12-03</lastmod>" in files["sitemap-3.xml"]


def test_the_site_folder_gets_the_parts_the_index_and_its_gzip_and_loses_stale_parts(tmp_path):
    (tmp_path / "sitemap.xml").write_text(_sitemap(5), encoding="utf-8")
    (tmp_path / "sitemap-9.xml").write_text("left by a larger build", encoding="utf-8")
    (tmp_path / "sitemap-notes.xml").write_text("not a part", encoding="utf-8")
    keep_sitemap_valid(tmp_path, SITE, limit=2)
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap-notes.xml", "sitemap.xml",
                     "sitemap.xml.gz"]
    index = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()).decode() == index
    again = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    (tmp_path / "sitemap.xml").write_text(_sitemap(5), encoding="utf-8")  # MkDocs writes it whole each build
    keep_sitemap_valid(tmp_path, SITE, limit=2)
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == again  # byte for byte


def test_the_built_sites_sitemap_splits_into_valid_parts(built_site, tmp_path):
    shutil.copy(built_site / "sitemap.xml", tmp_path / "sitemap.xml")
    pages = _locs((built_site / "sitemap.xml").read_text(encoding="utf-8"), "urlset")
    assert len(pages) > 3
    keep_sitemap_valid(tmp_path, SITE, limit=3)
    index = _locs((tmp_path / "sitemap.xml").read_text(encoding="utf-8"), "sitemapindex")
    parts = [_locs((tmp_path / loc.removeprefix(SITE)).read_text(encoding="utf-8"), "urlset") for loc in index]
    assert all(len(part) <= 3 for part in parts)
    assert [loc for part in parts for loc in part] == pages
