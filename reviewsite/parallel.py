"""Per-review work (loading a folder, rendering its pages) on every core, when enough reviews need it.

Each review's work is a function of its own inputs, so it can be done in any process in any order. The caches
wrap that work, and only they know which reviews need it; so each review is first offered to the cached
function with a `Pooled` work that declines (`_Deferred`): a cached review comes back at once, the others are
done by a pool of forked workers and offered again with their results ready. Results are handed on in the
reviews' order, through the same caches as in one process, so the output and the caches are byte for byte
those of a serial build.

Workers are forked after `prepare` has loaded what they all need (templates, citation styles), and they read the
inputs they inherit: nothing is pickled on the way there, only the results on the way back. Forking is only
safe in a process with one thread (`mkdocs serve` has several), so there, and for a few reviews, where starting
workers would cost more than it saves, the work stays in this process. `REVIEWSITE_WORKERS=1` turns the pool
off, `REVIEWSITE_WORKERS=N` asks for N workers.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

WORKERS_VARIABLE = "REVIEWSITE_WORKERS"
# Below this many reviews per worker, forking and collecting the results costs more than it saves
# (a review of 100 cited works: about 8 ms to load, 20 ms to render; a worker: about 30 ms to start).
REVIEWS_PER_WORKER = 16
CHUNK = 4  # reviews per task: few enough that the workers finish together

_MISSING = object()
# What the forked workers compute: set just before the pool starts, inherited by fork, never pickled.
_job: tuple[Callable[..., Any], Sequence[Any], tuple] | None = None


class _Deferred(Exception):
    """A review whose result is not cached: the pool will compute it."""


def worker_count(reviews: int) -> int:
    """How many processes should work on `reviews` reviews: 1 means this one alone."""
    asked = os.environ.get(WORKERS_VARIABLE, "").strip()
    if asked.isdigit() and int(asked) >= 1:
        wanted = int(asked)
    else:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        wanted = min(cores, reviews // REVIEWS_PER_WORKER)
    # Forking is Linux's own way to start a process; macOS starts workers afresh (fork breaks its system
    # libraries) and Windows cannot fork: there the work stays in this process.
    if wanted <= 1 or reviews < 2 or threading.active_count() > 1 or not sys.platform.startswith("linux"):
        return 1
    return min(wanted, reviews)


class Pooled:
    """`work(item, *rest)`, unless the pool is about to do it (then it declines), or has (then its result)."""

    def __init__(self, work: Callable[..., Any]):
        self.work = work
        self.declining = False
        self.ready: dict[int, Any] = {}  # id(item) -> the pool's result, awaiting the cache

    def __call__(self, item: Any, *rest: Any) -> Any:
        found = self.ready.pop(id(item), _MISSING)
        if found is not _MISSING:
            return found
        if self.declining:
            raise _Deferred
        return self.work(item, *rest)


def map_cached(items: Sequence[Any], cached: Callable[[Any], Any], pooled: Pooled, *rest: Any,
               prepare: Callable[[], None] = lambda: None) -> Iterator[Any]:
    """`cached(item)` for each item, in order, where `cached` calls `pooled(item, *rest)` for what it lacks; that
    work is done by a pool when enough items need it. `prepare` loads, before forking, what each worker needs."""
    if worker_count(len(items)) == 1:
        for item in items:
            yield cached(item)
        return
    offered: list[Any] = []
    pooled.declining = True
    try:
        for item in items:
            try:
                offered.append(cached(item))
            except _Deferred:
                offered.append(_MISSING)
    finally:
        pooled.declining = False
    missing = [index for index, result in enumerate(offered) if result is _MISSING]
    workers = worker_count(len(missing))
    done = _in_pool(pooled.work, items, rest, missing, workers, prepare) if workers > 1 else None
    try:
        for index, item in enumerate(items):
            result = offered[index]
            if result is _MISSING:
                if done is not None:
                    pooled.ready[id(item)] = next(done)
                result = cached(item)
            offered[index] = None  # handed on: not held here as well
            yield result
    finally:
        if done is not None:
            done.close()  # stops the workers at once if a result failed
        pooled.ready.clear()


def _in_pool(work: Callable[..., Any], items: Sequence[Any], rest: tuple, missing: list[int], workers: int,
             prepare: Callable[[], None]) -> Iterator[Any]:
    global _job
    prepare()
    _job = (work, items, rest)
    # A collection in a worker would touch every object it inherited and so copy the parent's whole heap into it;
    # frozen, they are never scanned there (nor here, while the pool runs).
    gc.freeze()
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker)
    try:
        yield from executor.map(_work_on, missing, chunksize=CHUNK)
    finally:
        _job = None
        executor.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _start_worker() -> None:
    """In each worker, before its first task: the collector back on. The generation turns it off in this process
    (reviewsite/build/pipeline.py), where its own cycles are freed at the end; a worker inheriting that would keep
    every cycle a render leaves (citeproc's, Jinja's) until it exits: ~25 KB per review rendered, so a worker's
    memory grew with N. What it inherited is frozen, so the collector scans only what the worker makes."""
    gc.enable()


def _work_on(index: int) -> Any:
    assert _job is not None, "a worker is forked with its job set"
    work, items, rest = _job
    return work(items[index], *rest)
