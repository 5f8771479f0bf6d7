"""The pipeline: load -> validate -> model -> render -> write. One implementation for the CLI and the hook."""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from .. import history
from ..errors import Problem
from ..load.records import load_collection, load_review, require_valid
from ..model.from_records import build_review
from ..parallel import Pooled, map_cached, workers
from ..site import render
from ..site.collection import Entries, ReviewEntry, review_entry
from ..site.context import ReviewView
from .apart import can_fork, run_apart
from .carried import CollectionWork
from .incremental import CachedReview, Digested, Incremental, Manifest, StoredModel, outputs_signature
from .memory import give_back
from .writer import Generation, WriteReport, owned_names, recover

if TYPE_CHECKING:
    from .shards import Share

# Set in a MkDocs config by a caller that has just generated the pages, so the hook does not again.
GENERATED = "reviewsite_generated"
# Set by `build_site.py build` to the site folder the build will replace (reviewsite/hooks/reuse.py reads it).
PREVIOUS_SITE = "reviewsite_previous_site"


@dataclass(frozen=True)
class Project:
    """Where a project's parts live; every path derives from the root."""

    root: Path

    @property
    def records_dir(self) -> Path:
        return self.root / "records"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    def repo_url(self) -> str | None:
        """MkDocs' `repo_url` (the deploy workflow sets it from REPO_URL), read without loading MkDocs' whole
        configuration; None when unset or unreadable."""
        try:
            from mkdocs.utils.yaml import yaml_load
            with self.config_file.open(encoding="utf-8") as stream:
                value = (yaml_load(stream) or {}).get("repo_url")
        except Exception:  # no mkdocs.yml, or one MkDocs itself will report
            return None
        return value if isinstance(value, str) and value.strip() else None


@dataclass
class GenerateResult:
    reviews: int
    pages: int
    report: WriteReport
    warnings: list[Problem]
    drafts: list[str] = field(default_factory=list)  # the reviews marked draft: left out, or (serve) shown
    draft_problems: list[Problem] = field(default_factory=list)


def check(project: Project) -> tuple[int, list[Problem]]:
    """Validate every record; returns the number of valid reviews and all problems. Reads only, caches nothing."""
    result = load_collection(project.records_dir, project.root)
    return len(result.reviews), result.problems


_FROM_CONFIG = object()


def generate(project: Project, drafts: bool = False, repo_url: str | None | object = _FROM_CONFIG,
             remember: bool = False, share: Share | None = None) -> GenerateResult:
    """Regenerate the Markdown pages. Raises RecordsInvalid, before writing anything, if any record of a review
    that is not a draft is wrong. Reviews marked draft are left out, valid or not; with `drafts` (for `serve`)
    a valid draft gets its pages and an invalid one a page listing its problems.

    `repo_url` (default: mkdocs.yml's) is where the change logs link each commit; the logs come from git.
    `remember` (for `serve`, which generates again after each saved file): keep what was read and made in this
    process, so the next generation reads only the review folders whose files changed.
    `share` (a sharded build, build/shards.py): what this job gives for each review's pages; every record is
    still loaded and validated, as a review's pages depend on the whole collection."""
    recover(project.docs_dir)  # first finish a generation that was interrupted, so no mix of pages stays
    if repo_url is _FROM_CONFIG:
        repo_url = project.repo_url()
    repository = str(repo_url) if repo_url else None
    git_state = history.state(project.root)  # one quick call; the log itself only when pages are made
    incremental = Incremental(project.root, project.records_dir, project.templates_dir, remember=remember)
    inputs = incremental.inputs_signature(f"{git_state}\0{repository or ''}") + (" drafts" if drafts else "")
    if share is not None:
        inputs += f" share {share.label}"
    previous = incremental.read_manifest()
    # `serve`'s first generation reads every review even when nothing changed, so that its first rebuild after a
    # saved record finds the others in memory.
    warm_up = remember and not incremental.remembers
    if not warm_up and previous is not None and previous.inputs == inputs and \
            outputs_signature(project.docs_dir, owned_names(project.docs_dir)) == (previous.files, previous.pages):
        # Same inputs, and every generated file is still the one written last time: nothing to do.
        return GenerateResult(previous.reviews, previous.pages, WriteReport(unchanged=previous.pages),
                              list(previous.warnings), list(previous.drafts), list(previous.draft_problems))
    # Not held through the generation: the stats of every file it wrote last time (1.6 KB per review).
    del previous
    # The cyclic collector would scan every record and entry again and again while the generation adds objects
    # (1 s of an edited build at 300 reviews); what a generation makes is freed by reference counting.
    collecting = gc.isenabled()
    gc.disable()
    try:
        folders = _review_folders(project.records_dir)
        if not remember and folders >= APART_FROM and can_fork():
            result = run_apart(lambda: _generate(project, drafts, repository, git_state, incremental, inputs, share,
                                                 folders))
        else:
            result = _generate(project, drafts, repository, git_state, incremental, inputs, share, folders)
        if warm_up:
            # `serve`'s first generation renders no page that is still as written; its first save would then parse
            # the citation styles and compile the review templates (0.1 s at the moment someone waits for the page).
            _prepare_rendering(project, incremental)
        return result
    finally:
        if collecting:
            gc.enable()
            # What the generation left in cycles is freed now, before MkDocs builds on top of it, not at some later
            # full collection (measured at 1000 reviews after an edit: 29 MB of entries and cache bytes; ~30 ms);
            # a one-off build also hands the C heap's freed pages back (9 MB at 1000 reviews, cold). Not `serve`,
            # which keeps what it read and would only take the pages again at its next save.
            if remember:
                gc.collect()
            else:
                give_back()


# From this many review folders a one-off build generates in a child process (reviewsite/build/apart.py): below it,
# what the generation leaves is small and the fork costs more than it saves.
APART_FROM = 200


def _review_folders(records_dir: Path) -> int:
    try:
        with os.scandir(records_dir) as entries:
            return sum(1 for entry in entries if entry.is_dir())
    except OSError:
        return 0  # no records folder: the generation reports it


def _prepare_rendering(project: Project, incremental: Incremental) -> None:
    render.prepare(_environment(project.templates_dir, incremental))


def _generate(project: Project, drafts: bool, repository: str | None, git_state: str, incremental: Incremental,
              inputs: str, share: Share | None, folders: int) -> GenerateResult:
    # The workers that read and render the reviews are forked now, before any review is read: each then holds the
    # code and what it is sent, never the collection (reviewsite/parallel.py). `folders`: how many review folders.
    with workers(folders, prepare=lambda: _prepare_rendering(project, incremental)):
        loaded = load_collection(project.records_dir, project.root, incremental.load_review(load_review))
        valid = require_valid(loaded)
        # Each review's records (their head, what reads the rest) served the checks and serve the reviews' entries:
        # each is let go once its review is made, so that the records and the reviews are not all held together,
        # nor the records through the rendering (1.5 KB per review).
        chosen = list(valid if drafts else loaded.published)
        del valid
        loaded.reviews.clear()
        chosen.reverse()
        reviews = []
        while chosen:
            reviews.append(incremental.review(chosen.pop(), build_review, summarise))
        invalid_drafts = {}
        if drafts:
            shown = {r.id for r in reviews}
            invalid_drafts = {d: loaded.draft_problems_of(d) for d in loaded.drafts if d not in shown}
        incremental.forget_records()
        changes = incremental.history(git_state, lambda: history.record_history(project.root)) if git_state else {}
        generation = Generation(project.docs_dir)
        try:
            render_pages(reviews, project.templates_dir, incremental, generation, invalid_drafts, changes, repository,
                         share)
        except BaseException:
            generation.abandon()
            raise
        count = len(reviews)
        del reviews  # not held through the commit and the caches' saving
    report = generation.commit()
    incremental.save()
    written, pages = outputs_signature(project.docs_dir, generation.names())
    incremental.write_manifest(Manifest(inputs, written, pages, count, tuple(loaded.warnings), tuple(loaded.drafts),
                                        tuple(loaded.draft_problems)))
    return GenerateResult(count, generation.pages, report, loaded.warnings, loaded.drafts,
                          loaded.draft_problems)


def summarise(model) -> object:
    """What the collection's pages and cross-review index need of one review (cached beside its model)."""
    return review_entry(ReviewView(model))


def _environment(templates_dir: Path, incremental: Incremental):
    """The templates' environment, its compiled templates kept in the project's cache."""
    env = render.make_environment(templates_dir)
    env.bytecode_cache = incremental.template_bytecode()
    return env


@dataclass(frozen=True)
class ReviewToRender:
    """What rendering one review's pages takes: their inputs (the model as its digest, for the page cache's key)
    and where the model is stored. A worker is sent this and reads the model itself."""

    inputs: render.PageInputs
    model: StoredModel | Callable[[], object]


@dataclass(frozen=True)
class ReviewPages:
    """Renders a `ReviewToRender`. Pickles as the templates folder and the compiled templates' cache folder: a
    worker uses the environment of its process (made before it forked, or made once there)."""

    templates_dir: Path
    bytecode_dir: str | None

    def __call__(self, review: ReviewToRender) -> dict:
        env = render.make_environment(self.templates_dir)
        if env.bytecode_cache is None and self.bytecode_dir is not None:
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(self.bytecode_dir)
        return render.render_review(env, dataclasses.replace(review.inputs, review=review.model()))


def _entry_of(review: CachedReview | None) -> ReviewEntry | None:
    return review.entry if review is not None else None


def render_pages(reviews: list[CachedReview], templates_dir: Path, incremental: Incremental, generation: Generation,
                 invalid_drafts: dict[str, list[Problem]], changes: dict, repo_url: str | None,
                 share: Share | None = None) -> None:
    """Render every page into `generation`, one review at a time: a review's model is read, its pages rendered
    and staged, and both let go before the next, so memory holds one review's pages, not the site's. A review
    whose inputs are unchanged is neither read nor rendered (the page cache, keyed on its model's digest).
    When many reviews need rendering (a cold build), workers render them (reviewsite/parallel.py), each sent a
    review's inputs and where its model is stored; their pages still pass through the page cache here, in the
    reviews' order, so docs/ and .cache/ are the same."""
    env = _environment(templates_dir, incremental)
    # `serve` carries the collection's work from the last generation and redoes only what the saved reviews changed.
    if incremental.remember:
        work = CollectionWork(incremental.cache_key, (review.entry for review in reviews))
    else:
        # A one-off build goes through the reviews' entries a few times, reading them from the summaries store
        # each time (reviewsite.site.collection.Entries), and holds none of them.
        by_id = {review.id: review for review in reviews}
        work = CollectionWork(None, Entries(list(by_id), lambda review_id: _entry_of(by_id.get(review_id))))
    collection = work.collection
    # Made one review at a time as the pages are rendered, not a list of every review's (issue 16, memory).
    every = (ReviewToRender(render.PageInputs(Digested(review.id, review.digest), work.also_cited_by_of(review.id),
                                              changes.get(review.id, ()), repo_url), review.source)
             for review in reviews)
    bytecode = env.bytecode_cache
    pooled = Pooled(ReviewPages(templates_dir, bytecode.directory if bytecode is not None else None))

    def pages_of(review: ReviewToRender) -> dict:
        if share is not None and not share.renders(review.inputs.review.id):
            return share.others(review.inputs.review.id)
        return incremental.review_pages(review.inputs, lambda: pooled(review))

    for pages in map_cached(every, pages_of, pooled, prepare=lambda: render.prepare(env)):
        generation.add(pages)
    if incremental.remember:
        generation.add(work.collection_pages(
            (incremental.templates, tuple(sorted((d, tuple(p)) for d, p in invalid_drafts.items()))),
            lambda: render.render_collection_pages(env, collection.views, collection, invalid_drafts)))
        return
    # A one-off build writes each collection page as its template renders it: the pages listing every review are
    # never held whole (1.5 MB of text at 1000 reviews, and Jinja's pieces of it).
    for path, text in render.collection_pages(env, collection.views, collection, invalid_drafts):
        generation.add_stream(path, text)
