"""The sharded search index (reviewsite/search/): which bundle holds which page, and an edit re-indexes only the
bundles holding changed pages, with the same bytes as an index built from nothing."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, import_benchmark
from reviewsite.cli import main
from reviewsite.search import index as search_index
from reviewsite.search.index import BUNDLE, SHARD_LIST, Cancelled, ShardedIndex
from reviewsite.search.shards import COLLECTION_PAGES, HOME, SHARD_COUNT, bundle_of_page, shard_name, shard_of


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _run(command, environment, folder):
    done = subprocess.run(command, env=environment, cwd=folder, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def _spy_on_indexing(monkeypatch) -> list[str]:
    """The bundles Pagefind indexes in the next builds."""
    indexed: list[str] = []
    original = ShardedIndex._index

    def spy(self, name, *args):
        indexed.append(name)
        return original(self, name, *args)

    monkeypatch.setattr(ShardedIndex, "_index", spy)
    return indexed


def test_a_review_keeps_its_shard_whatever_the_other_reviews_are():
    # Fixed values: a CI job, another machine or a later Python must put a review in the same shard.
    assert shard_of("ferrari-lacraz-2011") == 12
    assert [shard_of(f"bench-{i:04d}") for i in range(1, 5)] == [1, 8, 13, 1]
    counts = [0] * SHARD_COUNT
    for i in range(1000):
        counts[shard_of(f"bench-{i:04d}")] += 1
    assert min(counts) > 1000 / SHARD_COUNT / 2  # spread: no shard holds twice its share or half of it
    assert max(counts) < 1000 / SHARD_COUNT * 2


def test_pages_go_to_their_reviews_shard_and_the_sites_own_pages_to_home():
    assert bundle_of_page("reviews/ferrari-lacraz-2011/index.html") == shard_name(12) == "12"
    assert bundle_of_page("reviews/ferrari-lacraz-2011/references/index.html") == "12"
    for page in ("index.html", "about/index.html", "reviews/all/index.html", "reviews/by-year/index.html",
                 "reviews/shared-works/index.html"):
        assert bundle_of_page(page) == HOME == "00"  # with the reviews of shard 0, ranked among them


def test_each_bundle_lists_the_pages_a_walk_of_the_whole_site_gives_it(built_site, tmp_path):
    # The index lists one bundle's pages at a time (to hold one bundle's records, not the site's): the same pages,
    # in the same order, as listing every page of the site and sending each to its bundle.
    site = tmp_path / "site"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns(BUNDLE))
    (site / "reviews" / ".hidden" / "x").mkdir(parents=True)
    (site / "reviews" / ".hidden" / "x" / "index.html").write_text("<p>not indexed</p>", encoding="utf-8")
    (site / "reviews" / "ferrari-lacraz-2011" / "pagefind").mkdir()  # only the site's own pagefind/ is left out
    (site / "reviews" / "ferrari-lacraz-2011" / "pagefind" / "index.html").write_text("<p>x</p>", encoding="utf-8")
    whole: dict[str, list[str]] = {}
    for page in sorted(search_index._walk_pages(site, site, lambda relative, name: relative == "." and name == BUNDLE)):
        whole.setdefault(bundle_of_page(page), []).append(page)
    by_bundle = {name: search_index._bundle_pages(site, name, folders)
                 for name, folders in search_index._review_folders_by_bundle(site).items()}
    assert {name: pages for name, pages in by_bundle.items() if pages} == whole
    assert "reviews/ferrari-lacraz-2011/pagefind/index.html" in whole["12"]
    assert {"index.html", "reviews/all/index.html", "about/index.html"} <= set(whole[HOME])


def test_a_shards_runs_hold_at_most_so_many_pages_and_so_many_bytes(monkeypatch):
    # The collection's pages grow with it and all go to the home bundle: a run is cut by bytes too, so Pagefind's
    # memory stays bounded (a page larger than the budget is indexed alone).
    monkeypatch.setattr(search_index, "PAGES_PER_RUN", 4)
    monkeypatch.setattr(search_index, "BYTES_PER_RUN", 100)
    assert search_index.run_batches([10] * 10) == [(0, 4), (4, 8), (8, 10)]  # evenly filled, as before
    assert search_index.run_batches([10] * 8) == [(0, 4), (4, 8)]
    assert search_index.run_batches([10, 10, 200, 10, 10]) == [(0, 2), (2, 3), (3, 5)]  # 3 + 2 pages, then bytes
    assert search_index.run_batches([60, 60, 30, 10]) == [(0, 1), (1, 4)]
    assert search_index.run_batches([5]) == [(0, 1)]


def test_the_collection_pages_are_the_ones_the_generator_writes(built_site):
    reviews = {p.name for p in (ROOT / "records").iterdir() if p.is_dir()}
    folders = {p.name for p in (built_site / "reviews").iterdir() if (p / "index.html").is_file()}
    assert folders - reviews == set(COLLECTION_PAGES)


def test_the_published_index_lists_each_shard_and_serves_pagefind_once(built_site):
    published = built_site / BUNDLE
    shards = json.loads((published / SHARD_LIST).read_text(encoding="utf-8"))["shards"]
    reviews = {p.name for p in (built_site / "reviews").iterdir() if p.is_dir()} - COLLECTION_PAGES
    assert shards == sorted({shard_name(shard_of(review)) for review in reviews} - {HOME})  # HOME: pagefind/
    assert "12" in shards  # ferrari-lacraz-2011's
    assert (published / "pagefind.js").is_file() and (published / "pagefind-entry.json").is_file()
    for shard in (published / name for name in shards):
        assert (shard / "pagefind-entry.json").is_file() and list(shard.glob("*.pf_meta"))
        assert not list(shard.glob("pagefind*.js")) and not list(shard.glob("wasm.*")), "served from pagefind/ only"
    assert not (published / "pagefind-ui.js").exists()


def _indexed_text(site: Path) -> dict[str, str]:
    """Each indexed page's text as Pagefind took it (its fragment: what the index's words come from), by URL."""
    texts = {}
    for path in (site / BUNDLE).glob("**/fragment/*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])
        texts[fragment["url"]] = fragment["content"]
    return texts


def test_search_takes_a_cited_works_title_and_journal_but_not_its_authors(built_site):
    """A name finds the reviews its person wrote, not every references page citing them (EXCLUDE_SELECTORS)."""
    texts = _indexed_text(built_site)
    references = texts["/reviews/ferrari-lacraz-2011/references/"]
    assert "Activated T cells regulate bone loss and joint destruction in adjuvant arthritis" in references
    assert "Nature. 1999 Nov 18;402(6759):304-9" in references  # the journal, year, volume, pages
    page = (built_site / "reviews/ferrari-lacraz-2011/references/index.html").read_text(encoding="utf-8")
    assert "Josef M. Penninger" in page  # the cited work's last author: on the page
    assert "Penninger" not in references and "Young-Yun Kong" not in references  # not in the index
    assert "Ferrari-Lacraz" in texts["/reviews/ferrari-lacraz-2011/"]  # the review's own authors are


def test_an_edit_reindexes_its_shard_and_home_and_the_index_is_the_same_as_from_nothing(tmp_path, monkeypatch):
    build_bench = import_benchmark()
    root = build_bench.make_project(tmp_path / "p", 5)
    indexed = _spy_on_indexing(monkeypatch)
    assert main(["build"], root=root) == 0
    assert sorted(indexed) == sorted({HOME, *(shard_name(shard_of(build_bench.review_id(i))) for i in range(1, 6))})
    edited = build_bench.review_id(4)  # shares its shard with review 1
    article = root / "records" / edited / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace("benchmark data", "benchmark data, edited"),
                       encoding="utf-8")
    indexed.clear()
    assert main(["build"], root=root) == 0
    assert sorted(indexed) == sorted([HOME, shard_name(shard_of(edited))])  # the home page lists its title
    incremental = _files(root / "site" / BUNDLE)
    # From nothing: no cached bundle, no previous site.
    shutil.rmtree(root / ".cache" / "search")
    shutil.rmtree(root / "site")
    indexed.clear()
    assert main(["build"], root=root) == 0
    assert len(indexed) == len({HOME, *(shard_name(shard_of(build_bench.review_id(i))) for i in range(1, 6))})
    whole = _files(root / "site" / BUNDLE)
    assert set(incremental) == set(whole)
    assert sorted(path for path in whole if whole[path] != incremental[path]) == []


@pytest.fixture
def site(built_site, tmp_path) -> Path:
    """A copy of the built site, for a test that indexes it."""
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    return copy


def test_a_damaged_cached_bundle_is_indexed_again_and_nothing_else(site, tmp_path, monkeypatch):
    shutil.rmtree(site / BUNDLE)
    monkeypatch.chdir(tmp_path)
    index = ShardedIndex(Path("cache"))  # a relative folder: Pagefind runs elsewhere
    indexed = _spy_on_indexing(monkeypatch)
    index.update(site, _run)
    first = _files(site / BUNDLE)
    shards = json.loads((site / BUNDLE / SHARD_LIST).read_text(encoding="utf-8"))["shards"]
    assert sorted(indexed) == sorted([*shards, HOME])
    indexed.clear()
    index.update(site, _run)
    assert indexed == []
    (tmp_path / "cache" / "search" / "12" / "pagefind-entry.json").unlink()
    index.update(site, _run)
    assert indexed == ["12"]
    assert _files(site / BUNDLE) == first


def test_an_indexing_run_cut_short_keeps_the_bundles_finished_before_it(site, tmp_path, monkeypatch):
    index = ShardedIndex(tmp_path / "cache")
    calls = []

    def cut_after_one(command, environment, folder):
        calls.append(command)
        if len(calls) > 1:
            raise Cancelled
        return _run(command, environment, folder)

    published = _files(site / BUNDLE)
    with pytest.raises(Cancelled):
        index.update(site, cut_after_one)
    assert _files(site / BUNDLE) == published  # the site's index is left whole
    indexed = _spy_on_indexing(monkeypatch)
    index.update(site, _run)
    shards = json.loads((site / BUNDLE / SHARD_LIST).read_text(encoding="utf-8"))["shards"]
    assert indexed == sorted([HOME, *shards])[1:]  # the first (by name) was finished
    assert _files(site / BUNDLE) == published


def test_a_cancelled_run_stops_before_pagefind_and_before_reading_the_pages(site, tmp_path):
    calls = []
    with pytest.raises(Cancelled):
        ShardedIndex(tmp_path / "cache").update(site, lambda *args: calls.append(args), cancelled=lambda: True)
    assert calls == []
    assert list((tmp_path / "cache" / "search").glob("pages-*.json")) == []  # no page was read


def test_a_run_cancelled_under_pagefind_sets_its_folders_aside_for_the_next_run(site, tmp_path):
    # Whoever cancels (a rebuild in `serve`) waits for the run to let go: its temporary folders, hundreds of
    # files, are not removed then but renamed, and the next run removes them.
    index = ShardedIndex(tmp_path / "cache")
    cancelled = []

    def cancel_during_pagefind(command, environment, folder):
        cancelled.append(True)
        raise Cancelled

    with pytest.raises(Cancelled):
        index.update(site, cancel_during_pagefind, cancelled=lambda: bool(cancelled))
    aside = sorted(p.name[len(search_index.ABANDONED):] for p in index.folder.glob(f"{search_index.ABANDONED}*"))
    assert [name.split("-")[0] for name in aside] == [".new", ".pages"]
    assert list(index.folder.glob(".pages-*")) == list(index.folder.glob(".new-*")) == []
    published = _files(site / BUNDLE)
    index.update(site, _run)
    assert list(index.folder.glob(".*/")) == []
    assert _files(site / BUNDLE) == published


def test_pagefind_failing_is_a_clear_error(site, tmp_path):
    with pytest.raises(search_index.PagefindError, match=r"Pagefind failed to index .* exit code 3"):
        ShardedIndex(tmp_path / "cache").update(site, lambda command, environment, folder: (3, "disk full"))
