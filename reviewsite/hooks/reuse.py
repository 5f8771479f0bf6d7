"""MkDocs hook: a generated page whose source has not changed since the last build is taken from that build.

After one edited record, a strict build still reads, converts and renders every page (about 15 ms each, so
30 s at 1000 reviews); all but a few come out byte for byte as the last build wrote them. A page's HTML is a
function of its Markdown, its path, the set of files it can link to, the configuration (mkdocs.yml and the
environment values it names), the theme and overrides, and the code of the hooks; see `site_signature`.
When all of those are what they were at the last successful build, and that build's output file is still in
the previous site folder with the stats recorded then, the page is not converted nor rendered: the old file is
hard-linked into the new site (copied where links are refused), and what the rest of the build needs of the
page (its anchors and the anchors it links to, checked by MkDocs at the end as for any page) is restored.

The generated downloads (BibTeX, RIS, CSL-JSON...) are not MkDocs' to copy: reviewsite/hooks/downloads.py links
them from docs/, so an unchanged one is the file the last build published.

Only under `build_site.py build`, which names the previous site folder in the config (`PREVIOUS_SITE`): plain
`mkdocs build` and `serve` render every page as before. Only pages under the generator's own folders, which are
outside the nav (so no page's HTML depends on another's title). `.cache/mkdocs-pages.sqlite` holds the record, a
row per page (reviewsite/hooks/page_record.py); missing or stale, it only means every page is rendered. A build of
many reviews renders the review pages in batches, each in a process of its own (reviewsite/hooks/batches.py), which
looks up and records its own pages through `mark_reusable` and `save_record`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import sys
import time
from pathlib import Path

from jinja2 import ChoiceLoader, DictLoader

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:  # MkDocs loads hooks by path, outside any package
    sys.path.insert(0, str(PROJECT_ROOT))

from reviewsite.build.incremental import config_signature  # noqa: E402
from reviewsite.build.pipeline import PREVIOUS_SITE  # noqa: E402
from reviewsite.build.writer import is_owned_name  # noqa: E402
from reviewsite.hooks.batches import BATCH_SIZE, site_files  # noqa: E402
from reviewsite.hooks.downloads import link_or_copy  # noqa: E402
from reviewsite.hooks.page_record import BUILD_STATE as _state  # noqa: E402
from reviewsite.hooks.page_record import PageReader, keep_only, record_path, write_pages  # noqa: E402

log = logging.getLogger("mkdocs.hooks.reuse")

_TEMPLATE = "reviewsite-reused.html"  # renders nothing: MkDocs then writes no file for the page
_FORMAT = 4  # 3: no downloads (reviewsite/hooks/downloads.py links them); 4: a row per page, in SQLite


def _stat(path: str) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def on_pre_build(config) -> None:
    _state.clear()
    previous = config.get(PREVIOUS_SITE)
    if not previous or not config.strict:
        return
    _state["previous"] = previous
    _state["path"] = record_path(Path(config.config_file_path).resolve().parent)
    _state["build"] = f"{os.getpid()}-{time.time_ns()}"  # names the rows this build writes


def _files_digest(config, files):
    root = Path(config.config_file_path).resolve().parent
    digest = hashlib.blake2b(digest_size=16)
    digest.update(config_signature(root, Path(config.config_file_path)).encode())
    for file in files:  # a link resolves (or fails) by the files there are
        if not file.is_documentation_page() and is_owned_name(file.src_uri):
            # A generated download: linked only from raw HTML, which MkDocs does not resolve, and given to MkDocs
            # or not (reviewsite/hooks/downloads.py) as the build goes, so left out whether it is there or not.
            continue
        digest.update(f"{file.src_uri}\0{file.dest_uri}\0{file.url}\n".encode())
    return digest


def _with_nav_titles(digest, nav) -> str:
    for page in nav.pages:  # every page's navigation shows these titles
        digest.update(f"{page.title!r}\0{page.file.src_uri}\n".encode())
    return digest.hexdigest()


def site_signature(config, files, nav) -> str:
    """What every generated page's HTML depends on besides its own source."""
    return _with_nav_titles(_files_digest(config, files), nav)


def on_files(files, config):
    if "previous" in _state:
        # A batched build's `files` leave out the review folders (reviewsite/hooks/batches.py): the site's files
        # are the same, and so is the signature.
        _state["files_digest"] = _files_digest(config, site_files(config, files) if config.get(BATCH_SIZE) else files)
    return files


def on_nav(nav, config, files):
    if "previous" not in _state:
        return nav
    digest = _state.pop("files_digest", None)
    if any(page.title is None for page in nav.pages):
        return nav  # a nav title taken from a page's content: any page could change every page
    _state["signature"] = _with_nav_titles(digest if digest is not None else _files_digest(config, files), nav)
    _state["record"] = {}
    _state["reused"] = 0
    mark_reusable(files.documentation_pages())
    return nav


def mark_reusable(files) -> None:
    """Mark each generated page of `files` whose source and last output are as recorded: it is taken from the last
    build instead of being converted and rendered."""
    if "signature" not in _state:
        return
    previous = _state["previous"]
    reader = PageReader(_state["path"], _FORMAT, _state["signature"])
    try:
        for file in files:
            if file.abs_src_path is None or not is_owned_name(file.src_uri):
                continue
            source = _stat(file.abs_src_path)  # taken before reading: an edit during the build is seen next time
            file.reviewsite_source = source
            entry = reader.get(file.src_uri)
            if entry is None or source is None or entry["source"] != source or \
                    _stat(os.path.join(previous, file.dest_uri)) != entry["output"]:
                continue
            file.reviewsite_reused = entry
            _state["reused"] += 1
    finally:
        reader.close()


def _anchor_set(anchors) -> frozenset[str]:
    """The set of a reused page's anchors, one for all pages with the same ones (every review's page has the same
    headings; MkDocs only looks anchors up in it): not a set of its own for each of thousands of pages."""
    shared = _state.setdefault("anchor_sets", {})
    key = tuple(anchors)
    found = shared.get(key)
    if found is None:
        found = shared[key] = frozenset(key)
    return found


def _sorted_anchors(anchors) -> tuple[str, ...]:
    """A rendered page's anchors, sorted, as the one tuple every page with the same set records: the pages of one
    kind share one set (reviewsite/hooks/passthrough.py), so the record need not hold a list per page."""
    shared = _state.setdefault("sorted_anchors", {})
    if not isinstance(anchors, frozenset):
        return tuple(sorted(anchors))
    found = shared.get(anchors)
    if found is None:
        found = shared[anchors] = tuple(sorted(anchors))
    return found


def on_pre_page(page, config, files):
    entry = getattr(page.file, "reviewsite_reused", None)
    if entry is None:
        return page

    def read_source(config) -> None:
        page.markdown = ""
        page.meta = {"template": _TEMPLATE}
        page.title = entry["title"]

    def render(config, files) -> None:
        page.content = ""
        page.present_anchor_ids = _anchor_set(entry["anchors"])
        by_uri = {uri: files.get_file_from_path(uri) for uri in entry["links"]}
        if any(target is None for target in by_uri.values()):  # pragma: no cover - the signature has the files
            raise RuntimeError(f"{page.file.src_uri}: a linked file is gone")
        page.links_to_anchors = {by_uri[uri]: dict(links) for uri, links in entry["links"].items()}

    page.read_source = read_source
    page.render = render
    return page


def on_env(env, config, files):
    if "signature" in _state:
        env.loader = ChoiceLoader([DictLoader({_TEMPLATE: ""}), env.loader])
    return env


def on_post_page(output: str, page, config) -> str:
    if "signature" not in _state or not is_owned_name(page.file.src_uri):
        return output
    entry = getattr(page.file, "reviewsite_reused", None)
    if entry is not None:
        link_or_copy(os.path.join(_state["previous"], page.file.dest_uri), page.file.abs_dest_path)
    else:  # rendered: what a later build needs to reuse it (its output's stats are taken once written)
        entry = {
            "source": page.file.reviewsite_source,
            "title": str(page.title) if page.title is not None else None,
            "anchors": _sorted_anchors(page.present_anchor_ids or frozenset()),
            "links": {to.src_uri: dict(links) for to, links in (page.links_to_anchors or {}).items()},
        }
    _state["record"][page.file.src_uri] = (page.file.dest_uri, entry)
    return output


def save_record(config) -> None:
    """Record the pages this process wrote since the last call (their outputs' stats taken now), and let them go."""
    record, _state["record"] = _state.get("record", {}), {}
    pages = []
    for src_uri, (dest_uri, entry) in record.items():
        output = _stat(os.path.join(config.site_dir, dest_uri))
        if output is not None and entry["source"] is not None:
            pages.append((src_uri, {**entry, "output": output}))
    try:
        write_pages(_state["path"], _FORMAT, _state.get("signature", ""), _state["build"], pages)
    except (OSError, sqlite3.Error):
        pass  # a read-only project still builds, only without reuse


def on_post_build(config) -> None:
    if "previous" not in _state:
        return
    save_record(config)
    try:
        keep_only(_state["path"], _state["build"])
    except (OSError, sqlite3.Error):
        pass
    log.info(f"{_state.get('reused', 0)} unchanged page(s) taken from the last build")
