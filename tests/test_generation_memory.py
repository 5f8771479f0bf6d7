"""The generation's own memory does not grow with the number of reviews (issue 16: "peak memory flat or sublinear
in N"): it holds no review's page inputs, collection entry or collection page beyond the one in hand.

Measured as the peak of tracemalloc (this process's Python allocations) over a generation of N and of 3N
synthetic reviews, cold and after one title edit; the workers that render the pages are other processes. The
bounds are on the growth per review, with margin both ways: the generation before took 12.7 KB per review cold
and 6.8 KB after an edit at these sizes (its cold peak grew by 16 KB per review from 1000 to 2000 reviews); now
about 3.5 and 1.8 KB.
"""

from __future__ import annotations

import sys
import tracemalloc

import pytest

from conftest import import_benchmark
from reviewsite import parallel
from reviewsite.build import pipeline
from reviewsite.build.pipeline import Project, generate

SMALL, LARGE = 30, 90
# What each review may still add to the generation's peak: its id, digest and where its model and entry are stored,
# its pages' names (the writer's and the page cache's), its line in the collection's groups, its place in the
# shared works' lists of citing reviews.
COLD_GROWTH_PER_REVIEW = 6_000  # bytes
EDITED_GROWTH_PER_REVIEW = 4_000


@pytest.fixture(autouse=True)
def _one_thread(monkeypatch):
    """The workers are forked only in a one-threaded process, as a build is (see test_parallel.py)."""
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    # A review's pages (~100 KB) wait here for their turn when the workers are ahead: as few as can be, so that
    # how far ahead they ran (the machine's load) does not move the peak.
    monkeypatch.setattr(parallel, "CHUNK", 1)
    monkeypatch.setattr(parallel, "AHEAD", 1)


@pytest.fixture(autouse=True)
def _from_the_workers_start(monkeypatch):
    """The peak is counted from the moment the workers are ready: what they are prepared with before they fork
    (the templates compiled, the citation styles parsed) is 2.6 MB for a moment, before any review is read, at
    any number of reviews, and would hide the reviews' own share at these sizes."""
    original = pipeline._prepare_rendering

    def prepared(*args):
        original(*args)
        if tracemalloc.is_tracing():
            tracemalloc.reset_peak()

    monkeypatch.setattr(pipeline, "_prepare_rendering", prepared)


def _peak(run) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _peaks(root, reviews: int) -> tuple[int, int]:
    """The generation's peak cold, then after one review's title is edited."""
    project = Project(import_benchmark().make_project(root, reviews))
    cold = _peak(lambda: generate(project))
    article = sorted(project.records_dir.iterdir())[0] / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace('title: "', 'title: "Edited: ', 1),
                       encoding="utf-8")
    edited = _peak(lambda: generate(project))
    return cold, edited


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the workers are forked")
def test_the_generation_s_peak_grows_by_a_few_kilobytes_per_review(tmp_path):
    _peaks(tmp_path / "first", 3)  # what the first generation in a process imports and parses is not counted
    small = _peaks(tmp_path / "small", SMALL)
    large = _peaks(tmp_path / "large", LARGE)
    growth = [(after - before) / (LARGE - SMALL) for before, after in zip(small, large, strict=True)]
    assert growth[0] < COLD_GROWTH_PER_REVIEW, f"cold: {growth[0]:.0f} bytes per review"
    assert growth[1] < EDITED_GROWTH_PER_REVIEW, f"after one edit: {growth[1]:.0f} bytes per review"
