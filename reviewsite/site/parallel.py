"""Each review's pages, rendered on every core when enough reviews need it (a cold build), else in this process.

A review's pages are a function of its `PageInputs` alone, so they can be made in any process in any order; they
are handed on in the reviews' order, through the same `wrap` (the page cache) as in one process, so the pages and
the cache are byte for byte those of a serial build. Which reviews need rendering is known only to `wrap`: each
review is first offered to it with a render that declines (`_Deferred`); a cached review comes back at once, the
others are rendered by the pool and offered again with their pages ready.

Workers are forked from this process after the templates and citation styles are loaded, and they read the
inputs they inherit: nothing is pickled on the way there, only the pages on the way back. Forking is only safe
in a process with one thread (`mkdocs serve` has several), so there, and for a few reviews, where starting the
workers would cost more than it saves, rendering stays in this process. `REVIEWSITE_WORKERS=1` turns the pool off,
`REVIEWSITE_WORKERS=N` asks for N workers.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

WORKERS_VARIABLE = "REVIEWSITE_WORKERS"
# Below this many reviews to render per worker, forking and collecting the pages costs more than it saves
# (measured: about 20 ms of rendering per review of 100 references, about 30 ms to start a worker).
REVIEWS_PER_WORKER = 16
CHUNK = 4  # reviews per task: few enough that both cores finish together

Render = Callable[[Any], dict]

# What the forked workers render: set just before the pool starts, inherited by fork, never pickled.
_job: tuple[Render, Sequence[Any]] | None = None


class _Deferred(Exception):
    """A review whose pages are not in the cache: the pool will render them."""


def worker_count(reviews: int) -> int:
    """How many processes should render `reviews` reviews: 1 means this one alone."""
    asked = os.environ.get(WORKERS_VARIABLE, "").strip()
    if asked.isdigit() and int(asked) >= 1:
        wanted = int(asked)
    else:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        wanted = min(cores, reviews // REVIEWS_PER_WORKER)
    if wanted <= 1 or reviews < 2 or threading.active_count() > 1 or \
            "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(wanted, reviews)


def render_reviews(every: Sequence[Any], render: Render, wrap: Callable[[Render], Render],
                   prepare: Callable[[], None] = lambda: None) -> Iterator[dict]:
    """`wrap(render)(inputs)` for each of `every`, in order; the renders themselves on several cores when it pays.
    `prepare` loads in this process what every worker would otherwise load again (templates, styles)."""
    position = {id(inputs): index for index, inputs in enumerate(every)}
    ready: dict[int, dict] = {}  # index in `every` -> pages the pool made, awaiting `wrap`
    deferring = False

    def render_or_defer(inputs: Any) -> dict:
        index = position[id(inputs)]
        if index in ready:
            return ready.pop(index)
        if deferring:
            raise _Deferred
        return render(inputs)

    cached = wrap(render_or_defer)
    if worker_count(len(every)) == 1:
        for inputs in every:
            yield cached(inputs)
        return
    deferring = True
    offered: list[dict | None] = []
    for inputs in every:
        try:
            offered.append(cached(inputs))
        except _Deferred:
            offered.append(None)
    deferring = False
    missing = [index for index, pages in enumerate(offered) if pages is None]
    workers = worker_count(len(missing))
    made = _render_in_pool(every, render, missing, workers, prepare) if workers > 1 else None
    try:
        for index, inputs in enumerate(every):
            pages = offered[index]
            if pages is None:
                if made is not None:
                    ready[index] = next(made)
                pages = cached(inputs)
            offered[index] = None  # handed on: not held here as well
            yield pages
    finally:
        if made is not None:
            made.close()  # stops the workers at once if a render failed


def _render_in_pool(every: Sequence[Any], render: Render, missing: list[int], workers: int,
                    prepare: Callable[[], None]) -> Iterator[dict]:
    global _job
    prepare()
    _job = (render, every)
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        yield from executor.map(_render_one, missing, chunksize=CHUNK)
    finally:
        _job = None
        executor.shutdown(wait=True, cancel_futures=True)


def _render_one(index: int) -> dict:
    assert _job is not None, "a worker is forked with its job set"
    render, every = _job
    return render(every[index])
