"""Per-review work (loading a folder, rendering its pages) on every core, when enough reviews need it.

Each review's work is a function of its own inputs, so it can be done in any process in any order. The caches
wrap that work, and only they know which reviews need it; so each review is first offered to the cached
function with a `Pooled` work that declines (`_Deferred`): a cached review comes back at once, the others are
done by a pool of forked workers and offered again with their results ready. Results are handed on in the
reviews' order, through the same caches as in one process, so the output and the caches are byte for byte
those of a serial build.

A generation starts its workers first (`workers`), while its process holds little more than the code, and then
sends each of them one review's inputs at a time (a folder to read, a page's inputs with where its model is
stored), pickled: a worker forked later would inherit the whole collection, and copy the parent's pages it
touched (~16 KB per review, in each worker). Without such a pool (a caller that opens none), workers are forked
when the work begins, after `prepare` has loaded what they all need, and inherit the work itself. Forking is only
safe in a process with one thread (`mkdocs serve` has several), so there, and for a few reviews, where starting
workers would cost more than it saves, the work stays in this process. `REVIEWSITE_WORKERS=1` turns the pool
off, `REVIEWSITE_WORKERS=N` asks for N workers.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from .build.apart import name_this_process

WORKERS_VARIABLE = "REVIEWSITE_WORKERS"
# Below this many reviews per worker, forking and collecting the results costs more than it saves
# (a review of 100 cited works: about 8 ms to load, 20 ms to render; a worker: about 30 ms to start).
REVIEWS_PER_WORKER = 16
CHUNK = 4  # reviews per task: few enough that the workers finish together
# Tasks sent ahead per worker: enough to keep it busy, few enough that results waiting for their turn here (a
# review's pages, ~100 KB) do not pile up when this process is the slower one.
AHEAD = 4

_MISSING = object()
# What workers forked for one `map_cached` compute: set just before they start, inherited by fork, never pickled.
_job: tuple[Callable[..., Any], tuple] | None = None
# The workers started by `workers`, while it lasts: (the pool, how many).
_started: tuple[ProcessPoolExecutor, int] | None = None


class _Deferred(Exception):
    """A review whose result is not cached: the pool will compute it."""


def _wanted(reviews: int) -> int:
    asked = os.environ.get(WORKERS_VARIABLE, "").strip()
    if asked.isdigit() and int(asked) >= 1:
        return min(int(asked), reviews)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, reviews // REVIEWS_PER_WORKER)


def worker_count(reviews: int) -> int:
    """How many processes should work on `reviews` reviews: 1 means this one alone."""
    wanted = _wanted(reviews)
    # Forking is Linux's own way to start a process; macOS starts workers afresh (fork breaks its system
    # libraries) and Windows cannot fork: there the work stays in this process.
    if wanted <= 1 or reviews < 2 or threading.active_count() > 1 or not sys.platform.startswith("linux"):
        return 1
    return wanted


@contextmanager
def workers(reviews: int, prepare: Callable[[], None] = lambda: None) -> Iterator[int]:
    """Fork the workers for up to `reviews` reviews now, before this process loads them, for every `map_cached`
    inside the block (which then sends each worker its items, pickled); yields how many (1: none). `prepare`
    loads, before forking, what each worker needs (templates, citation styles)."""
    global _started
    count = worker_count(reviews) if _started is None else 1
    if count == 1:
        yield 1
        return
    prepare()
    executor = _fork_pool(count, _start_worker)
    _started = (executor, count)
    try:
        yield count
    finally:
        _started = None
        executor.shutdown(wait=True, cancel_futures=True)


def _fork_pool(count: int, initializer: Callable[[], None]) -> ProcessPoolExecutor:
    """`count` workers, forked now (a fork-started pool starts all of them at its first task)."""
    # A collection in a worker would touch every object it inherited and so copy the parent's heap into it;
    # frozen, they are never scanned there. Here they are scanned again once the workers are forked.
    gc.freeze()
    try:
        executor = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                                       initializer=initializer)
        executor.submit(int).result()
    finally:
        gc.unfreeze()
    return executor


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


def map_cached(items: Iterable[Any], cached: Callable[[Any], Any], pooled: Pooled, *rest: Any,
               prepare: Callable[[], None] = lambda: None) -> Iterator[Any]:
    """`cached(item)` for each item, in order, where `cached` calls `pooled(item, *rest)` for what it lacks; that
    work is done by a pool when enough items need it: the workers `workers` started, which are sent `pooled.work`,
    the item and `rest` pickled; else workers forked now, after `prepare` has loaded what each needs.

    Items that are not a sequence (a generator) are taken one at a time as the work goes: with the workers
    `workers` started, no more of them are held than the tasks sent ahead, so a caller can make each item when it
    is wanted instead of holding every review's at once (issue 16)."""
    if not isinstance(items, Sequence):
        if _started is not None:
            yield from _streamed(items, cached, pooled, rest)
            return
        if worker_count(sys.maxsize) == 1:  # no pool, whatever the number: one at a time, in this process
            for item in items:
                yield cached(item)
            return
        items = list(items)
    if _started is None and worker_count(len(items)) == 1:
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
    if _started is not None:
        workers_now = _started[1] if _wanted(len(missing)) > 1 else 1
    else:
        workers_now = worker_count(len(missing))
    done = _in_pool(pooled.work, [items[index] for index in missing], rest, workers_now, prepare) \
        if workers_now > 1 else None
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


def _streamed(items: Iterable[Any], cached: Callable[[Any], Any], pooled: Pooled, rest: tuple) -> Iterator[Any]:
    """`map_cached` over the workers `workers` started, taking the items one at a time: each is first offered to
    `cached` (which declines what the pool must do); what it lacks is sent, CHUNK items a task, at most AHEAD tasks
    per worker ahead; results are handed on in the items' order as soon as every earlier one is."""
    executor, count = _started
    call = functools.partial(_call, pooled.work, rest)
    waiting: deque[tuple[Any, Any]] = deque()  # (item, its result or _MISSING), in order, not yet handed on
    chunk: list[Any] = []  # items to send in the next task
    sent: deque[Future] = deque()
    done: deque[Any] = deque()  # the pool's results, in the order their items were sent

    def hand_on() -> Iterator[Any]:
        while waiting:
            item, result = waiting[0]
            if result is _MISSING:
                if not done:
                    return
                pooled.ready[id(item)] = done.popleft()
                result = cached(item)
            waiting.popleft()
            yield result

    try:
        for item in items:
            pooled.declining = True
            try:
                result = cached(item)
            except _Deferred:
                result = _MISSING
                chunk.append(item)
            finally:
                pooled.declining = False
            waiting.append((item, result))
            if len(chunk) == CHUNK:
                sent.append(executor.submit(_each, call, chunk))
                chunk = []
                if len(sent) >= count * AHEAD:
                    done.extend(sent.popleft().result())
            elif len(waiting) > count * AHEAD * CHUNK and waiting[0][1] is _MISSING:
                # The first item waits for the pool while those after it come from the cache (after an edit):
                # its task is sent now and awaited, so that they do not all wait here with it.
                if chunk:
                    sent.append(executor.submit(_each, call, chunk))
                    chunk = []
                done.extend(sent.popleft().result())
            yield from hand_on()
        if chunk:
            sent.append(executor.submit(_each, call, chunk))
        while sent:
            done.extend(sent.popleft().result())
            yield from hand_on()
        yield from hand_on()
    finally:
        for future in sent:
            future.cancel()
        pooled.ready.clear()


def _in_pool(work: Callable[..., Any], items: list[Any], rest: tuple, workers: int,
             prepare: Callable[[], None]) -> Iterator[Any]:
    """`work(item, *rest)` of each item, in order, computed by `workers` workers: those `workers` started, or
    new ones."""
    global _job
    if _started is not None:
        yield from _in_order(_started[0], functools.partial(_call, work, rest), items, workers)
        return
    prepare()
    _job = (work, rest)
    executor = _fork_pool(workers, _start_worker)
    try:
        yield from _in_order(executor, _call_job, items, workers)
    finally:
        _job = None
        executor.shutdown(wait=True, cancel_futures=True)


def _in_order(executor: ProcessPoolExecutor, call: Callable[[Any], Any], items: list[Any],
              workers: int) -> Iterator[Any]:
    """`call(item)` of each item, in order, CHUNK items a task, at most AHEAD tasks per worker sent ahead."""
    chunks = (items[start:start + CHUNK] for start in range(0, len(items), CHUNK))
    sent: deque[Future] = deque()
    try:
        for chunk in chunks:
            sent.append(executor.submit(_each, call, chunk))
            if len(sent) >= workers * AHEAD:
                yield from sent.popleft().result()
        while sent:
            yield from sent.popleft().result()
    finally:
        for future in sent:
            future.cancel()


def _each(call: Callable[[Any], Any], chunk: Iterable[Any]) -> list[Any]:
    return [call(item) for item in chunk]


def _start_worker() -> None:
    """In each worker, before its first task: the collector back on. The generation turns it off in this process
    (reviewsite/build/pipeline.py), where its own cycles are freed at the end; a worker inheriting that would keep
    every cycle a render leaves (citeproc's, Jinja's) until it exits: ~25 KB per review rendered, so a worker's
    memory grew with N. What it inherited is frozen, so the collector scans only what the worker makes."""
    gc.enable()
    name_this_process("rs-render")


def _call(work: Callable[..., Any], rest: tuple, item: Any) -> Any:
    return work(item, *rest)


def _call_job(item: Any) -> Any:
    assert _job is not None, "a worker is forked with its job set"
    work, rest = _job
    return work(item, *rest)
