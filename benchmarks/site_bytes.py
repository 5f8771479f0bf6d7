#!/usr/bin/env python3
"""Where a built site's bytes go, per review: each kind of file, and the parts of the two review pages.

    .venv/bin/python benchmarks/site_bytes.py site/             # an already built site
    .venv/bin/python benchmarks/site_bytes.py --build 100       # a throw-away copy with 100 synthetic reviews

Sizes are the files' own lengths (what GitHub Pages' 1 GB limit counts), divided by the number of reviews: the
whole site's share per review, shared files (theme assets, search index, collection pages) included. A review is
a folder `reviews/<id>/` holding an article download `<id>.<ext>`. Inside the review page and the references page,
the bytes are split into the JSON-LD, the other head metadata, the COinS spans, the article (Markdown's output)
and Material's frame (everything else: header, navigation, footer, scripts).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

JSON_LD = re.compile(r'<script type="application/ld\+json">.*?</script>', re.S)
HEAD_META = re.compile(r'<meta (?:name|property)="(?:citation_|DC\.|DCTERMS\.|og:|article:)[^>]*>')
COINS = re.compile(r'<span class="Z3988"[^>]*></span>')
ARTICLE = re.compile(r"<article\b.*?</article>", re.S)


def review_ids(site: Path) -> list[str]:
    folder = site / "reviews"
    if not folder.is_dir():
        return []
    return sorted(d.name for d in folder.iterdir() if d.is_dir() and any(d.glob(f"{d.name}.*")))


def page_parts(html: str) -> Counter:
    """Bytes of one page by part; the parts add up to the page's length (UTF-8)."""
    parts: Counter = Counter()
    rest = html
    for name, pattern in (("JSON-LD", JSON_LD), ("head metadata", HEAD_META), ("COinS", COINS)):
        parts[name] = sum(len(m.group(0).encode()) for m in pattern.finditer(rest))
        rest = pattern.sub("", rest)
    article = ARTICLE.search(rest)
    parts["article"] = len(article.group(0).encode()) if article else 0
    parts["frame"] = len(rest.encode()) - parts["article"]
    return parts


def kind_of(path: Path, ids: set[str]) -> str:
    """The kind of a file, by its path under the site."""
    parts = path.parts
    if parts[0] == "reviews" and len(parts) >= 2 and parts[1] in ids:
        review = parts[1]
        if len(parts) == 3 and parts[2] == "index.html":
            return "review page"
        if len(parts) == 4 and parts[3] == "index.html":
            return f"{parts[2]} page"
        if len(parts) == 3 and parts[2].startswith(f"{review}-references."):
            return "references " + parts[2].rsplit(".", 1)[1]
        if len(parts) == 3 and parts[2].startswith(f"{review}."):
            return "article downloads"
        return "other review files"
    if parts[0] == "pagefind":
        return "search index (Pagefind)"
    if parts[0] == "assets":
        return "theme assets"
    return "collection pages and the rest"


def measure(site: Path) -> dict:
    """Bytes per kind of file and per part of the review and references pages, for the whole site."""
    ids = set(review_ids(site))
    kinds: Counter = Counter()
    pages: dict[str, Counter] = {"review page": Counter(), "references page": Counter()}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = path.relative_to(site)
        kind = kind_of(relative, ids)
        kinds[kind] += path.stat().st_size
        if kind in pages:
            pages[kind].update(page_parts(path.read_text(encoding="utf-8")))
    return {"reviews": len(ids), "total": sum(kinds.values()), "kinds": dict(kinds),
            "pages": {k: dict(v) for k, v in pages.items()}}


def site_kb_per_review(site: Path) -> float:
    """The whole site's size divided by the number of reviews, in KB (the figure issue 16 sets at ≤ 100)."""
    figures = measure(site)
    return figures["total"] / 1024 / max(figures["reviews"], 1)


def report(figures: dict) -> str:
    n = max(figures["reviews"], 1)
    kb = lambda b: f"{b / 1024 / n:8.1f}"  # noqa: E731 - KB per review
    lines = [f"{figures['reviews']} reviews, {figures['total'] / 1024 / 1024:.1f} MB: "
             f"{figures['total'] / 1024 / n:.1f} KB per review", "", "| file kind | KB per review |", "|---|---|"]
    for kind, size in sorted(figures["kinds"].items(), key=lambda item: -item[1]):
        lines.append(f"| {kind} | {kb(size).strip()} |")
    for page, parts in figures["pages"].items():
        lines += ["", f"| {page}: part | KB per review |", "|---|---|"]
        for part, size in sorted(parts.items(), key=lambda item: -item[1]):
            if size:
                lines.append(f"| {part} | {kb(size).strip()} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site folder")
    parser.add_argument("--build", type=int, metavar="N", help="build a throw-away copy with N synthetic reviews")
    args = parser.parse_args(argv)
    if args.build:
        sys.path.insert(0, str(ROOT))
        from benchmarks.build_bench import make_project

        with tempfile.TemporaryDirectory(prefix="reviewsite-bytes-") as work:
            root = make_project(Path(work) / "site-bytes", args.build)
            subprocess.run([sys.executable, "build_site.py", "build"], cwd=root, check=True,
                           stdout=subprocess.DEVNULL, env={"REVIEWSITE_NO_VENV": "1", "PATH": "/usr/bin:/bin"})
            print(report(measure(root / "site")))
        return 0
    if not args.site or not args.site.is_dir():
        parser.error("give a built site folder or --build N")
    print(report(measure(args.site)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
