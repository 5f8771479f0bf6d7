"""MkDocs hook: a build of many reviews renders the review pages in batches, each in a forked process of its own.

MkDocs keeps a File and a Page for every page until its build ends (with their anchors, links and the reuse hook's
record: about 13 KB a review), so its process grew with the collection (issue 16). Under `build_site.py build` of
APART_FROM reviews or more, MkDocs' build runs in a child process already (reviewsite/cli.py `build_in_batches`);
there, MkDocs' list of files leaves out the review folders (reviews/<id>/: a review's page, its references page and
its downloads), and once MkDocs has written the site's other pages (`on_post_build`), they are built
REVIEWS_PER_BATCH reviews at a time, each batch in a forked child: it makes its reviews' files, reads, converts and
writes their pages as MkDocs' build does (its `_populate_page` and `_build_page`, the same hooks), checks their
anchors, records them for reuse (reviewsite/hooks/reuse.py: an unchanged page is linked from the last site), links
their downloads into the site (as reviewsite/hooks/downloads.py does) and exits, taking their memory with it.

MkDocs' process holds nothing per review; what it needs of the review folders it reads from docs/ when needed:
- the sitemap lists every page in MkDocs' order: docs/ is walked again, each review page made for the moment;
- so is the reuse record's signature, the same as a one-process build's (either takes the other's pages);
- a link from another page into a review page resolves to a File made when it is asked for, and its anchors are
  checked (MkDocs' own check) against the anchors the batch that built the page sends back;
- a warning in a batch counts toward strict mode's failure as if logged in MkDocs' process (it is printed there).

The generated review pages link to each other in raw HTML only (as the sharded build relies on,
reviewsite/build/shards.py), so a page's HTML does not depend on which batch builds it; tests/test_batched_build.py
builds both ways and compares every file. `serve`, plain `mkdocs build` and smaller builds do not batch.
"""

from __future__ import annotations

import logging
import os
import posixpath
import sys
from pathlib import Path, PurePath
from typing import NamedTuple

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:  # MkDocs loads hooks by path, outside any package
    sys.path.insert(0, str(PROJECT_ROOT))

from mkdocs.plugins import event_priority  # noqa: E402

from reviewsite.build.writer import is_owned_name  # noqa: E402
from reviewsite.hooks.downloads import link_or_copy  # noqa: E402

log = logging.getLogger("mkdocs.structure.files")  # MkDocs' own warning, from its own logger

# Reviews whose pages one process builds: about 13 KB each while it runs, a few ms of forking per batch.
REVIEWS_PER_BATCH = 500
BATCH_SIZE = "reviewsite_reviews_per_batch"  # set in the config by reviewsite/cli.py to batch a build

_state: dict = {}


def review_of(src_uri: str) -> str | None:
    """The review whose folder holds `src_uri` (`reviews/<id>/…`), or None for the collection's own pages."""
    parts = src_uri.split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == "reviews" else None


def walk_docs(docs_dir: str, reviews: bool = True):
    """The paths (POSIX, under `docs_dir`) of its files in the order MkDocs' `get_files` lists them; without the
    review folders' (reviews/<id>/) when `reviews` is False. One folder's names at a time: nothing kept."""
    from mkdocs.structure.files import _file_sort_key

    for folder, subfolders, names in os.walk(docs_dir, followlinks=True):
        relative = os.path.relpath(folder, docs_dir)
        subfolders.sort()
        if not reviews and relative == "reviews":
            subfolders.clear()
        for name in sorted(names, key=_file_sort_key):
            yield PurePath(relative, name).as_posix()


def files_outside_review_folders(config):
    """MkDocs' `get_files` (mkdocs/structure/files.py, 1.6), without the review folders' files, which the batches
    build: MkDocs' process then never makes a File for them (about 2 KB a review at once)."""
    from mkdocs.structure.files import File, Files, set_exclusions

    files: list = []
    conflicting: list = []
    folder, by_dest = None, {}
    for path in walk_docs(config.docs_dir, reviews=False):
        parent = posixpath.dirname(path)
        if parent != folder:
            folder, by_dest = parent, {}
        file = File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
        previous = by_dest.setdefault(file.dest_uri, file)  # README.md beside an index.md, as MkDocs does
        if previous is not file:
            conflicting.append((previous, file))
        files.append(file)
    set_exclusions(files, config)
    for a, b in conflicting:
        if b.inclusion.is_included():
            if a.inclusion.is_included():
                log.warning(f"Excluding '{a.src_uri}' from the site because it conflicts with '{b.src_uri}'.")
            if a in files:
                files.remove(a)
        elif b in files:
            files.remove(b)
    return Files(files)


# The MkDocs releases whose private `_populate_page`, `_build_page` and `get_files` the batches call or copy, as they
# were written against and tested on (requirements.lock pins it). Another release builds in one process.
KNOWN_MKDOCS = frozenset({"1.6.1"})


def batches_known_to_work() -> bool:
    from importlib import metadata

    try:
        return metadata.version("mkdocs") in KNOWN_MKDOCS
    except metadata.PackageNotFoundError:
        return False


def build_in_batches(config) -> None:
    """MkDocs' build of `config`, the review folders' pages built REVIEWS_PER_BATCH reviews at a time, each batch in
    a forked child. Call it in a process of its own (it swaps MkDocs' `get_files` while it runs)."""
    from mkdocs.commands import build as mkdocs_build

    if not any(name.endswith("hooks/batches.py") for name in config.plugins) or not batches_known_to_work():
        # A project that dropped this hook (nothing would build the review folders), or a MkDocs whose private
        # functions the batches call may have changed: one build, as below APART_FROM.
        mkdocs_build.build(config)
        return
    config[BATCH_SIZE] = REVIEWS_PER_BATCH
    get_files = mkdocs_build.get_files
    mkdocs_build.get_files = files_outside_review_folders
    try:
        mkdocs_build.build(config)
    finally:
        mkdocs_build.get_files = get_files


def _new_file(src_uri: str, config):
    from mkdocs.structure.files import File, set_exclusions

    file = File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls)
    set_exclusions([file], config)
    return file


def _review_page(src_uri: str) -> bool:
    from mkdocs.utils import is_markdown_file

    return review_of(src_uri) is not None and is_markdown_file(src_uri)


def site_files(config, files):
    """`files` with the review folders' pages (made for the moment) where MkDocs' own list has them: for what
    depends on every file of the site (reviewsite/hooks/reuse.py's signature, the sitemap)."""
    seen = set()
    for path in walk_docs(config.docs_dir):
        file = files.src_uris.get(path)
        if file is not None:
            seen.add(path)
            yield file
        elif _review_page(path):
            yield _new_file(path, config)
    for file in files:
        if file.src_uri not in seen:
            yield file


def on_pre_build(config) -> None:
    _state.clear()


def on_files(files, config):
    _state.clear()
    if not config.get(BATCH_SIZE):
        return files
    for file in [file for file in files if review_of(file.src_uri) is not None]:  # none, from build_in_batches
        files.remove(file)
    _state.update(files=files, linked={}, per=config[BATCH_SIZE])
    linked: dict = _state["linked"]
    find = files.get_file_from_path

    def get_file_from_path(path: str):
        """A page the batches build, when another page links to it: made when asked for, once."""
        found = find(path)
        if found is None:
            uri = PurePath(path).as_posix()
            found = linked.get(uri)
            if found is None and _review_page(uri) and os.path.isfile(os.path.join(config.docs_dir, uri)):
                found = linked[uri] = _new_file(uri, config)
        return found

    files.get_file_from_path = get_file_from_path
    return files


def on_nav(nav, config, files):
    if _state:
        _state["nav"] = nav
    return nav


class BatchResult(NamedTuple):
    """What a batch's process sends back (plain data: this module, loaded by path, cannot be named in a pickle)."""

    warnings: dict[int, int]  # logged at each level (MkDocs' strict mode counts them)
    reused: int  # pages taken from the last build
    anchors: dict[str, tuple[str, ...]]  # of the pages other pages link to


def _warning_counter():
    from mkdocs.utils import CountHandler

    counters = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]
    return counters[-1] if counters else None


def _batches(config, per: int):
    """The paths of the review folders' files, by whole reviews, `per` reviews at a time, in MkDocs' order."""
    batch: list[str] = []
    reviews, last = 0, None
    for path in walk_docs(config.docs_dir):
        review = review_of(path)
        if review is None:
            continue
        if review != last:
            if reviews == per:
                yield batch
                batch, reviews = [], 0
            reviews, last = reviews + 1, review
        batch.append(path)
    if batch:
        yield batch


def build_batch(uris: list[str], config, files, nav, env) -> tuple:
    """In a batch's process: read, convert, write and check the pages at `uris` as MkDocs' build does; link the
    other files (the downloads) into the site as reviewsite/hooks/downloads.py does."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.structure.pages import Page

    from reviewsite.hooks import reuse
    from reviewsite.hooks.page_record import BUILD_STATE
    from reviewsite.hooks.spill import SET_ASIDE

    SET_ASIDE.close()  # this process's copy of the parent's: the parent's file stays the parent's
    counter = _warning_counter()
    before = dict(counter.counts) if counter is not None else {}
    reused = BUILD_STATE.get("reused", 0)
    BUILD_STATE["record"] = {}
    batch = []
    for file in (_new_file(uri, config) for uri in uris):
        if not file.inclusion.is_included():
            continue
        if file.is_documentation_page():
            batch.append(file)
            files.append(file)
            Page(None, file, config)
        elif is_owned_name(file.src_uri):
            link_or_copy(file.abs_src_path, os.path.join(config.site_dir, file.src_uri))
    reuse.mark_reusable(batch)
    for file in batch:
        mkdocs_build._populate_page(file.page, config, files)
    doc_files = files.documentation_pages()
    for file in batch:
        mkdocs_build._build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
    log_level = config.validation.links.anchors
    for file in batch:
        file.page.validate_anchor_links(files=files, log_level=log_level)
    if "previous" in BUILD_STATE:
        reuse.save_record(config)
    counts = dict(counter.counts) if counter is not None else {}
    linked = _state["linked"]
    return tuple(BatchResult(
        warnings={level: n - before.get(level, 0) for level, n in counts.items() if n != before.get(level, 0)},
        reused=BUILD_STATE.get("reused", 0) - reused,
        anchors={file.src_uri: tuple(sorted(file.page.present_anchor_ids or ())) for file in batch
                 if file.src_uri in linked}))


def on_env(env, config, files):
    if _state:
        _state["env"] = env  # the theme's, as every hook left it
    return env


@event_priority(50)  # before the other hooks' post_build: the reuse hook's record is complete only after the batches
def on_post_build(config) -> None:
    """The batches, once MkDocs' process has written its own pages: its templates are compiled and loaded then, and
    every batch starts with them."""
    if not _state:
        return
    from reviewsite.build.apart import run_apart
    from reviewsite.build.memory import give_back
    from reviewsite.hooks.page_record import BUILD_STATE

    files, nav, env = _state["files"], _state["nav"], _state["env"]
    give_back()  # what MkDocs' own pages took (the collection's grow with it), not carried into every batch
    counter = _warning_counter()
    anchors: dict[str, tuple[str, ...]] = {}
    for uris in _batches(config, _state["per"]):
        result = BatchResult(*run_apart(lambda uris=uris: build_batch(uris, config, files, nav, env),
                                        "a batch of review pages' process", "rs-mkdocs-batch"))
        if counter is not None:
            for level, n in result.warnings.items():
                counter.counts[level] += n
        if "reused" in BUILD_STATE:
            BUILD_STATE["reused"] += result.reused
        anchors.update(result.anchors)
    _check_links_into_batches(config, files, anchors)


def _check_links_into_batches(config, files, anchors: dict[str, tuple[str, ...]]) -> None:
    """MkDocs' anchor check of the links from its own pages into the batches' pages, which it skipped (their pages
    were not built yet): its own check, on those links only."""
    from mkdocs.structure.pages import Page

    linked = _state["linked"]
    for uri, file in linked.items():
        if uri in anchors:
            Page(None, file, config).present_anchor_ids = frozenset(anchors[uri])
    targets = set(linked.values())
    for file in files.documentation_pages():
        page = file.page
        links = {to: found for to, found in (page.links_to_anchors or {}).items() if to in targets} if page else {}
        if links:
            every, page.links_to_anchors = page.links_to_anchors, links
            try:
                page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
            finally:
                page.links_to_anchors = every


def _site_pages(config):
    """Every page of the site in MkDocs' order, the review folders' made for the moment (for the sitemap)."""
    from mkdocs.structure.pages import Page

    for file in site_files(config, _state["files"]):
        if file.is_documentation_page() and file.inclusion.is_included():
            if file.page is None:
                Page(None, file, config)
            yield file


def on_template_context(context, template_name, config):
    if _state and template_name == "sitemap.xml":
        context["pages"] = _site_pages(config)
    return context
