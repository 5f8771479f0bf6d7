"""MkDocs hook: the site's search index, written by Pagefind into site/pagefind/ after MkDocs has built the site.

Pagefind (PyPI `pagefind[bin]`, a Rust indexer) splits the index into small chunks and one fragment per page, so a
reader's first query fetches pagefind.js, its metadata, the wasm and the few chunks and fragments the query needs,
whatever the number of reviews; Material's own `search` plugin (lunr) wrote one JSON index that every reader
downloaded whole (24 MB at 1000 reviews). The index is split into shards, each re-indexed only when its pages
changed (reviewsite/search/index.py). The browser side is overrides/javascripts/search.js, which builds Material's
search dialog and result markup beside the header's search button and feeds it from pagefind.js.

`build`: the index is written before the build ends and a failure fails the build. `serve`: each rebuild (dirty
ones too) brings the index of the served folder, which still holds every page, up to date in the background, so
the page reloads without waiting; a rebuild that starts meanwhile cancels the run under way.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:  # MkDocs loads hooks by path, outside any package
    sys.path.insert(0, str(PROJECT_ROOT))

from reviewsite.build.incremental import CACHE_FOLDER  # noqa: E402
from reviewsite.build.memory import give_back  # noqa: E402
from reviewsite.search.index import Cancelled, PagefindError, ShardedIndex  # noqa: E402

log = logging.getLogger("mkdocs.hooks.search")


class Indexer:
    """Brings a built site's index up to date; in serve, in the background, one run at a time."""

    def __init__(self) -> None:
        self.background = False  # True under `mkdocs serve` (dirty rebuilds)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen | None = None
        self._cancelled = False

    def _run(self, command: list[str], environment: dict[str, str], folder: Path) -> tuple[int, str]:
        """One Pagefind run; raises Cancelled when cancel() came before or during it."""
        with self._lock:
            if self._cancelled:
                raise Cancelled
            self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                             env=environment, cwd=folder)
        output, _ = self._process.communicate()
        with self._lock:
            code = self._process.returncode
            self._process = None
            if self._cancelled:
                raise Cancelled
        return code, output

    def index(self, site_dir: Path, cache_dir: Path) -> float:
        """Write site_dir/pagefind/ from the pages in site_dir; the seconds it took (0.0 when cancelled).
        Raises PluginError."""
        started = time.perf_counter()
        try:
            report = ShardedIndex(cache_dir).update(site_dir, self._run, lambda: self._cancelled)
        except Cancelled:
            return 0.0
        except PagefindError as error:
            raise PluginError(str(error)) from None
        log.debug(f"Search index: {report.pages} pages; shards indexed: {', '.join(report.indexed) or 'none'}; "
                  f"{len(report.kept)} kept")
        return time.perf_counter() - started

    def start(self, site_dir: Path, cache_dir: Path) -> None:
        """Index in a background thread (serve), after cancelling a run still under way."""
        self.cancel()

        def run() -> None:
            try:
                seconds = self.index(site_dir, cache_dir)
            except PluginError as error:
                log.error(str(error))
            else:
                if seconds:
                    log.info(f"Search index (Pagefind) updated in {seconds:.2f} s")

        self._thread = threading.Thread(target=run, name="pagefind-index", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            if self._process is not None and self._process.poll() is None:
                self._process.terminate()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._cancelled = False


def _shared_indexer() -> Indexer:
    """The one Indexer of this process. `mkdocs serve` loads this file afresh for every rebuild (a new config),
    so the state lives in the copy of the module imported under its package name, which stays loaded."""
    import reviewsite.hooks.search as package_copy

    return package_copy._INDEXER


_INDEXER = Indexer()


class _HeaderSearchBox:
    """Material puts the search box into its header only when its `search` plugin is configured
    (`"material/search" in config.plugins`, partials/header.html). This stand-in, with no event of its own,
    keeps the header's search button; overrides/javascripts/search.js builds the dialog."""

    config = {"enabled": True}


def on_startup(command: str, dirty: bool) -> None:
    _shared_indexer().background = command == "serve"


def on_config(config):
    existing = config.plugins.get("material/search") or config.plugins.get("search")
    if existing is not None and type(existing).__name__ != _HeaderSearchBox.__name__:
        raise PluginError("mkdocs.yml lists the `search` plugin, which writes the whole lunr index every reader "
                          "downloads; the site's search is Pagefind (reviewsite/hooks/search.py): remove `- search` "
                          "from `plugins:`.")
    config.plugins["material/search"] = _HeaderSearchBox()
    return config


@event_priority(100)  # first of the pre_build hooks: Pagefind stops before the pages are generated, not after
def on_pre_build(config) -> None:
    _shared_indexer().cancel()  # a rebuild replaces the pages a background run is reading


def on_post_build(config) -> None:
    indexer = _shared_indexer()
    site_dir = Path(config.site_dir)
    cache_dir = Path(config.config_file_path).resolve().parent / CACHE_FOLDER
    if indexer.background:
        indexer.start(site_dir, cache_dir)
        return
    give_back()  # what MkDocs freed, not held by this process while Pagefind runs beside it
    seconds = indexer.index(site_dir, cache_dir)
    log.debug(f"Search index (Pagefind) written in {seconds:.2f} s")


def detach_search_index(config) -> Callable[[], None]:
    """Take this hook's indexing out of the build `config` is for, and return it, to be called once that build has
    succeeded (reviewsite/cli.py runs MkDocs in a child and indexes after it; a shard job never indexes). Without
    the hook in the config (a project that dropped it), there is nothing to index."""
    for name, hook in config.plugins.items():
        if name.endswith("hooks/search.py"):
            events = config.plugins.events["post_build"]
            events[:] = [method for method in events if method is not hook.on_post_build]
            return lambda: hook.on_post_build(config)
    return lambda: None


def on_shutdown() -> None:
    indexer = _shared_indexer()
    indexer.cancel()  # serve removes its folder: a run under way has nothing left to index
    indexer.background = False  # a later build in this process (tests) indexes before it ends
