"""Rendering on several cores: the same pages, the same cache, and a failure reported as in one process.

The project is small, so each test asks for the pool with REVIEWSITE_WORKERS (it starts on its own only
when there are enough reviews to render).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_collection import _reviews, collection_project  # noqa: F401 (a fixture)

from reviewsite import parallel
from reviewsite.build.pipeline import generate
from reviewsite.load.records import load_collection
from reviewsite.site import render
from reviewsite.site.render import render_site

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _one_thread(monkeypatch):
    """The pool stays off beside other threads (forking then is unsafe); in a whole test run the browser tests
    leave threads behind (their server, Playwright's connection), so these tests stand in for the one-threaded
    process a build is. test_few_reviews_or_a_threaded_process_render_in_this_process checks the rule itself."""
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


def _files(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _pool_starts(monkeypatch) -> list[int]:
    """Count the pools started (each with how many workers)."""
    started: list[int] = []
    original = parallel._in_pool

    def spy(work, items, rest, missing, workers, prepare):
        started.append(workers)
        return original(work, items, rest, missing, workers, prepare)

    monkeypatch.setattr(parallel, "_in_pool", spy)
    return started


def test_the_pool_renders_the_same_pages_in_the_same_order(collection_project, monkeypatch):  # noqa: F811
    reviews = _reviews(collection_project)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    alone = render_site(reviews, collection_project.templates_dir)
    started = _pool_starts(monkeypatch)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    pooled = render_site(reviews, collection_project.templates_dir)
    assert started == [2]
    assert list(pooled.items()) == list(alone.items())


def test_a_pooled_build_fills_the_cache_like_a_serial_one(collection_project, tmp_path, monkeypatch):  # noqa: F811
    started = _pool_starts(monkeypatch)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    generate(collection_project)
    assert started == [2, 2]  # loading, then rendering
    pooled = _files(collection_project.docs_dir)
    # Nothing changed: every review comes from the cache, so no pool starts and no file is written again.
    (collection_project.root / ".cache" / "generated.json").unlink()  # past the manifest, into the page cache
    again = generate(collection_project)
    assert started == [2, 2] and again.report.written == []
    # One review edited: only it needs rendering, too few for a pool.
    article = collection_project.records_dir / "example-c" / "article.yaml"
    article.write_text(article.read_text().replace("Example review C", "Example review C, edited"))
    edited = generate(collection_project)
    assert started == [2, 2] and {p.split("/")[1] for p in edited.report.written if p.count("/") > 1} == {"example-c"}
    article.write_text(article.read_text().replace("Example review C, edited", "Example review C"))
    # The same docs as a build in one process from scratch.
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    for folder in (collection_project.docs_dir / "reviews", collection_project.root / ".cache"):
        shutil.rmtree(folder)
    generate(collection_project)
    assert _files(collection_project.docs_dir) == pooled


def test_a_render_failing_in_a_worker_fails_the_build_with_its_error(collection_project, monkeypatch):  # noqa: F811
    original = render.render_review

    def failing(env, inputs):
        if inputs.review.id == "example-b":
            raise ValueError("a bug while rendering example-b")
        return original(env, inputs)

    monkeypatch.setattr(render, "render_review", failing)
    reviews = _reviews(collection_project)
    started = _pool_starts(monkeypatch)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    with pytest.raises(ValueError, match="a bug while rendering example-b"):
        render_site(reviews, collection_project.templates_dir)
    assert started == [2]


def test_few_reviews_or_a_threaded_process_render_in_this_process(monkeypatch):
    monkeypatch.delenv(parallel.WORKERS_VARIABLE, raising=False)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert parallel.worker_count(parallel.REVIEWS_PER_WORKER) == 1  # a pool would cost more than it saves
    assert parallel.worker_count(4 * parallel.REVIEWS_PER_WORKER) == 2
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    assert parallel.worker_count(1000) == 1
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel.sys, "platform", "darwin")  # no fork: workers would start afresh
    assert parallel.worker_count(1000) == 1
    monkeypatch.setattr(parallel.sys, "platform", "linux")
    assert parallel.worker_count(1000) == 2
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)  # forking beside threads is unsafe
    assert parallel.worker_count(1000) == 1


def test_a_pooled_load_finds_the_same_records_and_problems(project, monkeypatch):
    records = project.records_dir
    shipped = next(p for p in records.iterdir() if p.is_dir())
    for name in ("example-draft-broken", "example-draft-unreadable", "example-draft-valid"):
        shutil.copytree(FIXTURES / "drafts" / name, records / name)
    shutil.copytree(shipped, records / "copy-same-doi")  # one DOI in two reviews: found across folders
    broken = shutil.copytree(shipped, records / "copy-broken")
    article = broken / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8") + 'title: "A second title"\n', encoding="utf-8")
    (broken / "abstract.yaml").write_bytes(b"sections:\n  - text: \"\xff\"\n")
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    alone = load_collection(records, project.root)
    started = _pool_starts(monkeypatch)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    pooled = load_collection(records, project.root)
    assert started == [2]
    assert pooled.problems == alone.problems and pooled.drafts == alone.drafts
    assert pooled.reviews == alone.reviews and len(alone.reviews) == 3
    assert {p.message.split(" (")[0] for p in alone.errors} >= {"duplicate key 'title'", "invalid UTF-8"}


def _collector_on(item: int) -> bool:
    import gc

    return gc.isenabled()


def test_a_worker_collects_its_own_cycles_though_the_generation_turned_the_collector_off(monkeypatch):
    """The generation runs with the collector off (pipeline.py); a forked worker inheriting that kept every cycle a
    render left (citeproc's, Jinja's) until it exited, so its memory grew with the reviews it rendered."""
    import gc

    started = _pool_starts(monkeypatch)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    pooled = parallel.Pooled(_collector_on)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        in_workers = list(parallel.map_cached(list(range(8)), pooled, pooled))
    finally:
        if was_enabled:
            gc.enable()
    assert started == [2]
    assert in_workers == [True] * 8
