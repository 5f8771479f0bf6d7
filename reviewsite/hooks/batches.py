"""MkDocs hook: a build of many reviews renders the review pages in batches, each in a forked process of its own.

MkDocs keeps a File and a Page for every page until its build ends (with their anchors, links and the reuse hook's
record: about 13 KB a review), so its process grew with the collection (issue 16). Under `build_site.py build` of
APART_FROM reviews or more, MkDocs' build runs in a child process already (reviewsite/cli.py); there, with this
hook, the pages of a review's folder (reviews/<id>/index.md and references.md) are taken out of MkDocs' files
(`on_files`) and, once the site's other pages are read (`on_env`), built REVIEWS_PER_BATCH reviews at a time in a
forked child: it adds its reviews' files, reads, converts and writes their pages as MkDocs' build does (its own
`_populate_page` and `_build_page`, the same hooks), checks their anchors, records them for reuse
(reviewsite/hooks/reuse.py; an unchanged page is linked from the last site) and exits, taking their memory with it.

What MkDocs' process needs of the review pages it keeps as their paths only:
- the sitemap lists every page in MkDocs' order: it is rendered from those paths, each page made for the moment;
- a link from another page into a review page resolves to a File made when it is asked for, and its anchors are
  checked against the anchors the batch that built the page sends back;
- a warning in a batch counts toward strict mode's failure as if logged in MkDocs' process (it is printed there).

The generated review pages link to each other in raw HTML only (as the sharded build relies on,
reviewsite/build/shards.py), so a page's HTML does not depend on which batch builds it; tests/test_batched_build.py
builds both ways and compares every file. `serve`, plain `mkdocs build` and smaller builds do not batch.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path, PurePath
from typing import NamedTuple

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:  # MkDocs loads hooks by path, outside any package
    sys.path.insert(0, str(PROJECT_ROOT))

from reviewsite.build.writer import is_owned_name  # noqa: E402

# Reviews whose pages one process builds: about 13 KB each while it runs, a few ms of forking per batch.
REVIEWS_PER_BATCH = 500
BATCH_SIZE = "reviewsite_reviews_per_batch"  # set in the config by reviewsite/cli.py to batch a build

_state: dict = {}


def review_of(src_uri: str) -> str | None:
    """The review whose folder holds `src_uri` (`reviews/<id>/…`), or None for the collection's own pages."""
    parts = src_uri.split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == "reviews" else None


def _batched(file, config) -> bool:
    return file.abs_src_path is not None and getattr(file, "src_dir", None) == config.docs_dir and \
        is_owned_name(file.src_uri) and review_of(file.src_uri) is not None


def _new_file(src_uri: str, config):
    from mkdocs.structure.files import File, set_exclusions

    file = File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls)
    set_exclusions([file], config)
    return file


def on_pre_build(config) -> None:
    _state.clear()


def on_files(files, config):
    _state.clear()
    if not config.get(BATCH_SIZE):
        return files
    order = []  # every page's path in MkDocs' order (the sitemap's)
    for file in files.documentation_pages():
        order.append(file.src_uri)
        if _batched(file, config):
            files.remove(file)
    _state.update(order=order, files=files, linked={}, per=config[BATCH_SIZE])
    linked: dict = _state["linked"]
    find = files.get_file_from_path

    def get_file_from_path(path: str):
        """A page the batches build, when another page links to it: made when asked for, once."""
        found = find(path)
        if found is None:
            uri = PurePath(path).as_posix()
            found = linked.get(uri)
            if found is None and is_owned_name(uri) and review_of(uri) is not None and uri.endswith(".md") and \
                    os.path.isfile(os.path.join(config.docs_dir, uri)):
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


def _batches(files, per: int):
    """The paths of the pages to build, by whole reviews, `per` reviews at a time, in MkDocs' order."""
    batch: list[str] = []
    reviews, last = 0, None
    for uri in _state["order"]:
        if uri in files.src_uris:
            continue
        review = review_of(uri)
        if review != last:
            if reviews == per:
                yield batch
                batch, reviews = [], 0
            reviews, last = reviews + 1, review
        batch.append(uri)
    if batch:
        yield batch


def build_batch(uris: list[str], config, files, nav, env) -> tuple:
    """In a batch's process: read, convert, write and check the pages at `uris` as MkDocs' build does."""
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
    batch = [_new_file(uri, config) for uri in uris]
    for file in batch:
        files.append(file)
        Page(None, file, config)
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
    if not _state:
        return env
    from mkdocs.structure.pages import Page

    from reviewsite.build.apart import run_apart
    from reviewsite.hooks.page_record import BUILD_STATE

    counter = _warning_counter()
    anchors: dict[str, tuple[str, ...]] = {}
    for uris in _batches(files, _state["per"]):
        result = BatchResult(*run_apart(lambda uris=uris: build_batch(uris, config, files, _state["nav"], env),
                                        "a batch of review pages' process", "rs-mkdocs-batch"))
        if counter is not None:
            for level, n in result.warnings.items():
                counter.counts[level] += n
        if "reused" in BUILD_STATE:
            BUILD_STATE["reused"] += result.reused
        anchors.update(result.anchors)
    for uri, file in _state["linked"].items():  # the review pages other pages link to, for MkDocs' anchor check
        if uri in anchors:
            Page(None, file, config).present_anchor_ids = frozenset(anchors[uri])
    return env


def _site_pages(config):
    """Every page of the site in MkDocs' order, the batched ones made for the moment (for the sitemap)."""
    from mkdocs.structure.pages import Page

    files = _state["files"]
    for uri in _state["order"]:
        file = files.src_uris.get(uri)
        if file is None:
            file = _new_file(uri, config)
            Page(None, file, config)
        yield file


def on_template_context(context, template_name, config):
    if _state and template_name == "sitemap.xml":
        context["pages"] = _site_pages(config)
    return context
