"""Rendering on several cores: the same pages, the same cache, and a failure reported as in one process.

The project is small, so each test asks for the pool with REVIEWSITE_WORKERS (it starts on its own only
when there are enough reviews to render).
"""

from __future__ import annotations

import os
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

    def spy(work, items, rest, workers, prepare):
        started.append(workers)
        return original(work, items, rest, workers, prepare)

    monkeypatch.setattr(parallel, "_in_pool", spy)
    original_streamed = parallel._streamed

    def streamed_spy(items, cached, pooled, rest):
        # Items taken one at a time by the workers `workers` started: counted when any was sent to them.
        executor, count = parallel._started
        sent: list[int] = []
        submit = executor.submit
        executor.submit = lambda *args, **kwargs: sent.append(1) or submit(*args, **kwargs)
        try:
            yield from original_streamed(items, cached, pooled, rest)
        finally:
            del executor.submit
            if sent:
                started.append(count)

    monkeypatch.setattr(parallel, "_streamed", streamed_spy)
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
    # One review edited: only it needs rendering, by the workers the generation started (its one folder to read
    # again is too few for them).
    article = collection_project.records_dir / "example-c" / "article.yaml"
    article.write_text(article.read_text().replace("Example review C", "Example review C, edited"))
    edited = generate(collection_project)
    assert started == [2, 2, 2]
    assert {p.split("/")[1] for p in edited.report.written if p.count("/") > 1} == {"example-c"}
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


class _Marker:
    """An item of a collection: a worker should hold only those it was sent."""


def _markers_in_this_process(item: _Marker) -> tuple[int, int]:
    import gc

    gc.unfreeze()  # what a worker inherited is frozen, so out of gc.get_objects(); counted too
    return os.getpid(), sum(isinstance(thing, _Marker) for thing in gc.get_objects())


def test_workers_started_first_are_sent_their_items_and_inherit_none(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    with parallel.workers(64) as count:
        assert count == 2
        items = [_Marker() for _ in range(40)]  # the collection, made after the workers forked
        pooled = parallel.Pooled(_markers_in_this_process)
        seen = list(parallel.map_cached(items, pooled, pooled))
    assert os.getpid() not in {pid for pid, _ in seen}
    assert 1 <= max(held for _, held in seen) <= parallel.CHUNK  # the task's own items, pickled; none inherited


def test_a_generation_s_workers_do_not_inherit_its_reviews(collection_project, tmp_path, monkeypatch):  # noqa: F811
    """Workers forked once the reviews were read each copied the parent's pages they touched (~16 KB per review
    in each worker at N=4000): they are forked before, and read the model they render from the cache."""
    import gc

    from reviewsite.build.incremental import CachedReview

    reports = tmp_path / "reports"
    reports.mkdir()
    original = render.render_review

    def reporting(env, inputs):
        gc.unfreeze()
        held = sum(isinstance(thing, CachedReview) for thing in gc.get_objects())
        (reports / f"{os.getpid()}-{inputs.review.id}").write_text(str(held))
        return original(env, inputs)

    monkeypatch.setattr(render, "render_review", reporting)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    generate(collection_project)
    rendered = {path.name.split("-", 1)[1]: int(path.read_text()) for path in reports.iterdir()}
    assert len(rendered) == len(list(collection_project.records_dir.iterdir())) >= 2
    assert str(os.getpid()) not in {path.name.split("-", 1)[0] for path in reports.iterdir()}
    assert set(rendered.values()) == {0}


def test_a_pool_is_sent_a_few_tasks_ahead_not_all_of_them(monkeypatch):
    """A result waits here for its turn; with every task sent at once, the pages of the reviews the workers
    finished ahead of this process piled up here (~100 KB each)."""
    from concurrent.futures import ProcessPoolExecutor

    sent: list[int] = []
    original = ProcessPoolExecutor.submit
    monkeypatch.setattr(ProcessPoolExecutor, "submit",
                        lambda self, *args, **kwargs: sent.append(1) or original(self, *args, **kwargs))
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    pooled = parallel.Pooled(_collector_on)
    results = parallel.map_cached(list(range(200)), pooled, pooled)
    first = next(results)
    sent_before_the_first = len(sent)
    assert [first, *results] == [True] * 200
    assert sent_before_the_first < len(sent)
    assert len(sent) == 1 + 200 // parallel.CHUNK  # the pool's start, then one task per CHUNK items
    assert sent_before_the_first <= 1 + 2 * parallel.AHEAD  # AHEAD tasks per worker


def test_without_fork_a_generation_starts_no_workers_and_works_here(collection_project, monkeypatch):  # noqa: F811
    started = _pool_starts(monkeypatch)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel.sys, "platform", "darwin")  # macOS or Windows: workers would start afresh
    with parallel.workers(1000) as count:
        assert count == 1
    result = generate(collection_project)
    assert started == [] and result.pages > 0
