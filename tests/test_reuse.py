"""The reuse hook: after an edit, unchanged generated pages come from the last build, byte for byte as a full build."""

from __future__ import annotations

import os
import shutil

from conftest import ROOT, import_benchmark
from reviewsite.cli import main


def _files(site):
    return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _rendered_pages(monkeypatch) -> list[str]:
    """Spy on Python-Markdown: the pages it converts in the next builds."""
    import mkdocs.structure.pages as pages

    seen: list[str] = []
    original = pages.Page.render

    def render(self, config, files):
        seen.append(self.file.src_uri)
        return original(self, config, files)

    monkeypatch.setattr(pages.Page, "render", render)
    return seen


def test_an_edit_renders_only_its_pages_and_the_site_is_the_same_as_a_full_build(tmp_path, monkeypatch):
    build_bench = import_benchmark()
    root = build_bench.make_project(tmp_path / "p", 3)
    shutil.copytree(ROOT / "records" / "ferrari-lacraz-2011", root / "records" / "ferrari-lacraz-2011")
    site = tmp_path / "site"
    assert main(["build", "--site-dir", str(site)], root=root) == 0
    article = root / "records" / build_bench.review_id(2) / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace("benchmark data", "benchmark data, edited"),
                       encoding="utf-8")
    kept = site / "reviews" / build_bench.review_id(1) / "index.html"
    inode = kept.stat().st_ino
    downloads = {path: path.stat().st_ino for path in (site / "reviews").glob("*/*.*") if path.suffix != ".html"}
    assert len(downloads) > 6
    rendered = _rendered_pages(monkeypatch)
    assert main(["build", "--site-dir", str(site)], root=root) == 0
    # The edited review's pages and the home page (which lists its title); no other review's pages.
    assert f"reviews/{build_bench.review_id(2)}/index.md" in rendered
    assert not [uri for uri in rendered if uri.startswith(f"reviews/{build_bench.review_id(1)}/")]
    assert "edited" in (site / "reviews" / build_bench.review_id(2) / "index.html").read_text(encoding="utf-8")
    # Unchanged pages are the last build's files, linked into the new site: the same inode.
    assert kept.stat().st_ino == inode
    # So are unchanged downloads; the edited review's own (its title changed) is copied anew.
    edited_bib = f"reviews/{build_bench.review_id(2)}/{build_bench.review_id(2)}.bib"
    relinked = {path.relative_to(site).as_posix(): path.stat().st_ino == inode for path, inode in downloads.items()}
    assert relinked[edited_bib] is False
    assert all(same for path, same in relinked.items() if build_bench.review_id(2) not in path)
    # A build with no previous site renders everything: the same bytes, search index included.
    full = tmp_path / "full"
    rendered.clear()
    assert main(["build", "--site-dir", str(full)], root=root) == 0
    assert f"reviews/{build_bench.review_id(1)}/index.md" in rendered
    reused, whole = _files(site), _files(full)
    assert set(reused) == set(whole)
    assert sorted(str(path) for path in whole if whole[path] != reused[path]) == []


def test_a_changed_output_or_config_is_rendered_again(tmp_path, monkeypatch):
    build_bench = import_benchmark()
    root = build_bench.make_project(tmp_path / "p", 2)
    site = tmp_path / "site"
    assert main(["build", "--site-dir", str(site)], root=root) == 0
    page = site / "reviews" / build_bench.review_id(1) / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Synthetic", "Tampered"), encoding="utf-8")
    rendered = _rendered_pages(monkeypatch)
    assert main(["build", "--site-dir", str(site)], root=root) == 0
    assert f"reviews/{build_bench.review_id(1)}/index.md" in rendered
    assert f"reviews/{build_bench.review_id(2)}/index.md" not in rendered
    assert "Tampered" not in page.read_text(encoding="utf-8")
    rendered.clear()
    monkeypatch.setenv("REPO_URL", "https://example.org/owner/repo")  # mkdocs.yml reads it: every page changes
    assert main(["build", "--site-dir", str(site)], root=root) == 0
    assert f"reviews/{build_bench.review_id(2)}/index.md" in rendered
    assert "https://example.org/owner/repo" in page.read_text(encoding="utf-8")
    assert os.path.exists(site / "index.html")


def test_the_reused_pages_hold_each_list_of_anchors_once(tmp_path):
    from reviewsite.hooks import reuse
    from reviewsite.hooks.page_record import read_all, record_path

    build_bench = import_benchmark()
    root = build_bench.make_project(tmp_path / "p", 3)
    site = tmp_path / "site"
    assert main(["build", "--site-dir", str(site)], root=root) == 0
    pages = dict(read_all(record_path(root), reuse._FORMAT))
    reviews = [pages[f"reviews/{build_bench.review_id(n)}/index.md"]["anchors"] for n in (1, 2, 3)]
    assert reviews[0] and reviews[0] == reviews[1] == reviews[2]
    assert reuse._anchor_set(list(reviews[0])) is reuse._anchor_set(reviews[1]) == frozenset(reviews[0])


def test_the_record_kept_before_sqlite_is_removed(tmp_path):
    from reviewsite.hooks.page_record import LEGACY_RECORD_NAME, record_path

    build_bench = import_benchmark()
    root = build_bench.make_project(tmp_path / "p", 2)
    site = tmp_path / "site"
    assert main(["build", "--site-dir", str(site)], root=root) == 0
    legacy = record_path(root).with_name(LEGACY_RECORD_NAME)
    legacy.write_bytes(b"an older release's record")
    article = root / "records" / build_bench.review_id(2) / "article.yaml"  # else the build skips MkDocs
    article.write_text(article.read_text(encoding="utf-8").replace("benchmark data", "benchmark data, edited"),
                       encoding="utf-8")
    assert main(["build", "--site-dir", str(site)], root=root) == 0
    assert not legacy.exists()
    assert record_path(root).is_file()
