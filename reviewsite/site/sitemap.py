"""A sitemap that stays valid however many pages the site has.

sitemaps.org: "Sitemap files have a limit of 50,000 URLs and 50MB" (uncompressed), and "If you want to list more
than 50,000 URLs, you must create multiple Sitemap files" named by a sitemap index, which may itself be
`sitemap.xml`. MkDocs writes one `<urlset>` of every page; at three pages per review a site passes 50,000 near
16,700 reviews. Past the limit, its entries go, in MkDocs' order, into `sitemap-1.xml`, `sitemap-2.xml`, … beside
it, and `sitemap.xml` (and the `.gz` copy MkDocs writes beside it) become the index of those files, so robots.txt
and anything else that names `sitemap.xml` still finds every page.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from ..build.writer import write_atomically, write_if_changed

URLS_PER_SITEMAP = 50_000  # sitemaps.org, "Sitemap file location" / "Using Sitemap index files"
# Each entry is far under 1 KB, so 50,000 of them stay under the 50 MB limit.

_URL = re.compile(r"\s*<url>.*?</url>", re.S)
_PART = re.compile(r"sitemap-(\d+)\.xml")
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NAMESPACE = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def split_sitemap(sitemap: str, site_url: str, limit: int = URLS_PER_SITEMAP) -> dict[str, str]:
    """The files to write for MkDocs' `sitemap` text: {} when it is within the limit, else each part's name to
    its text and `sitemap.xml` to the index. `site_url` ends with "/" (MkDocs' site_url, subpath included)."""
    if sitemap.count("<url>") <= limit:  # every build's case: not worth splitting into entries
        return {}
    entries = _URL.findall(sitemap)
    files = {}
    for start in range(0, len(entries), limit):
        name = f"sitemap-{start // limit + 1}.xml"
        files[name] = f"{_HEAD}<urlset {_NAMESPACE}>{''.join(entries[start:start + limit])}\n</urlset>\n"
    index = "".join(f"\n    <sitemap>\n         <loc>{site_url}{name}</loc>\n    </sitemap>" for name in files)
    files["sitemap.xml"] = f"{_HEAD}<sitemapindex {_NAMESPACE}>{index}\n</sitemapindex>\n"
    return files


def keep_sitemap_valid(site_dir: Path, site_url: str | None, limit: int = URLS_PER_SITEMAP) -> None:
    """After MkDocs has written `site_dir/sitemap.xml`: split it when it lists more than `limit` pages, and remove
    the parts an earlier, larger build left that this one does not write."""
    path = site_dir / "sitemap.xml"
    if not site_url or not path.is_file():
        return
    files = split_sitemap(path.read_text(encoding="utf-8"), site_url, limit)
    for stale in site_dir.glob("sitemap-*.xml"):
        if _PART.fullmatch(stale.name) and stale.name not in files:
            stale.unlink()
    for name, text in files.items():
        write_if_changed(site_dir / name, text)
    if files:
        # mtime=0: the same index gives the same bytes in every build.
        write_atomically(path.with_name("sitemap.xml.gz"), gzip.compress(files["sitemap.xml"].encode(), mtime=0))
