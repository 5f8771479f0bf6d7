"""MkDocs hook: the site's search index, written by Pagefind into site/pagefind/ after MkDocs has built the site.

Pagefind (PyPI `pagefind[bin]`, a Rust indexer) splits the index into small chunks and one fragment per page, so a
reader's first query fetches pagefind.js, its metadata, the wasm and the few chunks and fragments the query needs,
whatever the number of reviews; Material's own `search` plugin (lunr) wrote one JSON index that every reader
downloaded whole (24 MB at 1000 reviews). The browser side is docs/javascripts/search.js with
overrides/partials/search.html (Material's search box and result markup, fed by pagefind.js).

What is indexed: the article of every page MkDocs wrote (`<dir>/index.html`; not 404.html), without the elements
marked `data-search-exclude` (the attribute Material's search honoured, kept so the templates need not change) or
`data-pagefind-ignore`.

`build`: the index is written before the build ends and a failure fails the build. `serve`: each rebuild (dirty
ones too) reindexes the whole served folder, which still holds every page, in the background, so the page reloads
without waiting; a rebuild that starts meanwhile cancels the run under way. The new bundle is written beside the
old one and swapped in, so a reader never sees half an index.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from mkdocs.exceptions import PluginError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:  # MkDocs loads hooks by path, outside any package
    sys.path.insert(0, str(PROJECT_ROOT))

log = logging.getLogger("mkdocs.hooks.search")

BUNDLE = "pagefind"  # site/pagefind/, where docs/javascripts/search.js imports pagefind.js from
ROOT_SELECTOR = "article.md-content__inner"  # the page's content, without header, navigation and footer
EXCLUDE_SELECTORS = ("[data-search-exclude]", ".headerlink")
PAGES_GLOB = "**/index.html"  # every page (use_directory_urls: true), not 404.html
# Pagefind's ready-made UIs: the site uses its own (search.js), so they are not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


def pagefind_executable() -> str:
    try:
        from pagefind_bin import get_executable
        return str(get_executable())
    except (ImportError, FileNotFoundError):
        found = shutil.which("pagefind")
        if found:
            return found
    raise PluginError("Pagefind is not installed: the site search needs it. Run "
                      "`.venv/bin/pip install -r requirements.lock` (it installs pagefind[bin]).")


def pagefind_command(site_dir: Path, output: Path) -> list[str]:
    return [pagefind_executable(), "--site", str(site_dir), "--output-path", str(output), "--glob", PAGES_GLOB,
            "--root-selector", ROOT_SELECTOR, "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS), "--quiet"]


class Indexer:
    """Runs Pagefind over a built site; in serve, in the background, one run at a time."""

    def __init__(self) -> None:
        self.background = False  # True under `mkdocs serve` (dirty rebuilds)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen | None = None
        self._cancelled = False

    def index(self, site_dir: Path) -> float:
        """Write site_dir/pagefind/ from the pages in site_dir; the seconds it took. Raises PluginError."""
        started = time.perf_counter()
        site_dir = site_dir.resolve()
        fresh = site_dir / f".{BUNDLE}-new"
        shutil.rmtree(fresh, ignore_errors=True)
        with self._lock:
            if self._cancelled:
                return 0.0
            self._process = subprocess.Popen(pagefind_command(site_dir, fresh), stdout=subprocess.PIPE,
                                             stderr=subprocess.STDOUT, text=True)
        output, _ = self._process.communicate()
        code = self._process.returncode
        with self._lock:
            self._process = None
            cancelled = self._cancelled
        if cancelled or code != 0 or not (fresh / "pagefind.js").is_file():
            shutil.rmtree(fresh, ignore_errors=True)
            if cancelled:
                return 0.0
            raise PluginError(f"Pagefind failed to index {site_dir} (exit code {code}):\n{output.strip()}")
        for name in UNUSED:
            (fresh / name).unlink(missing_ok=True)
        current, old = site_dir / BUNDLE, site_dir / f".{BUNDLE}-old"
        shutil.rmtree(old, ignore_errors=True)
        if current.exists():
            current.rename(old)
        fresh.rename(current)
        shutil.rmtree(old, ignore_errors=True)
        return time.perf_counter() - started

    def start(self, site_dir: Path) -> None:
        """Index in a background thread (serve), after cancelling a run still under way."""
        self.cancel()
        self._cancelled = False

        def run() -> None:
            try:
                seconds = self.index(site_dir)
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
    keeps the box; the box itself is overrides/partials/search.html."""

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


def on_pre_build(config) -> None:
    _shared_indexer().cancel()  # a rebuild replaces the pages a background run is reading


def on_post_build(config) -> None:
    indexer = _shared_indexer()
    site_dir = Path(config.site_dir)
    if indexer.background:
        indexer.start(site_dir)
        return
    seconds = indexer.index(site_dir)
    log.debug(f"Search index (Pagefind) written in {seconds:.2f} s")


def on_shutdown() -> None:
    indexer = _shared_indexer()
    indexer.cancel()  # serve removes its folder: a run under way has nothing left to index
    indexer.background = False  # a later build in this process (tests) indexes before it ends
