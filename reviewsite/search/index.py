"""The search index of a built site: one Pagefind bundle per shard of pages (`shards.py`), each re-indexed only when
its pages changed, published together as site/pagefind/.

Pagefind has no incremental mode: it indexes the pages it is given, all of them. So the pages are split into a fixed
number of shards, each indexed by its own Pagefind runs (one after another, each given at most PAGES_PER_RUN pages and
BYTES_PER_RUN bytes, their bundles merged by merge.py, so Pagefind's memory is bounded whatever the site's size), and
each shard's bundle is kept in `.cache/search/<shard>/` with a digest of what it was made from: the bytes of its pages
(each read only when its size, mtime or inode changed since the last build), their paths, Pagefind's executable and
options. A build indexes the shards whose digest changed and reuses the others, which are the same bytes Pagefind would
write again (it writes the same bundle for the same pages), so the result is the index a build from nothing writes.

Published layout: the HOME bundle (shard 0 with the home, about and collection pages) is site/pagefind/ itself,
with pagefind.js, its worker and wasm; each other shard's bundle is site/pagefind/<shard>/ with only its index
(metadata, chunks, fragments), merged in the browser with Pagefind's `mergeIndex` by overrides/javascripts/search.js,
which reads their names from site/pagefind/shards.json. The new folder is assembled beside the old one (hard links
into the cache) and renamed into place, so a reader never sees half an index.

What is indexed: the article of every page MkDocs wrote (`<dir>/index.html`; not 404.html), without the elements
marked `data-search-exclude` (the attribute Material's search honoured, kept so the templates need not change) or
`data-pagefind-ignore`, and without the cited works' authors (EXCLUDE_SELECTORS).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .merge import NotMergeable, merge_bundles
from .shards import COLLECTION_PAGES, HOME, bundle_of_page

FORMAT = 1  # bump when what a bundle holds or how it is made changes
BUNDLE = "pagefind"  # site/pagefind/, where overrides/javascripts/search.js imports pagefind.js from
SHARD_LIST = "shards.json"  # site/pagefind/shards.json: the other shards' folders, for search.js
ROOT_SELECTOR = "article.md-content__inner"  # the page's content, without header, navigation and footer
# Also out: the authors of the works a review cites (`<bdi>` in the reference list; the works' titles, journals and
# years stay in). A name then finds the reviews that person wrote, not every references page citing them, and they
# were 43 % of the index (9.3 -> 5.0 KB per review at N=1000, issue 16). The About page says what search covers.
EXCLUDE_SELECTORS = ("[data-search-exclude]", ".headerlink", ".reference-list bdi")
PAGE_NAME = "index.html"  # every page (use_directory_urls: true), not 404.html
# Pagefind's ready-made UIs: the site uses its own (search.js), so they are not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
# Served once, from the HOME bundle: a merged bundle needs only its entry, metadata, chunks and fragments.
CLIENT = ("pagefind.js", "pagefind-worker.js")
CLIENT_PREFIX = "wasm."
REVIEWS = "reviews"  # site/reviews/<id>/: a review's pages, in its shard's bundle
PAGES_RECORD = "pages-"  # <cache>/search/pages-<bundle>.json: each page's stats and digest, one file per bundle
DIGEST = ".made-from"  # in a cached bundle's folder: the digest of what it was made from (not published)
ABANDONED = ".cancelled-"  # the prefix of a cancelled run's temporary folders, removed by the next run


class PagefindError(Exception):
    """Pagefind is missing or failed; the message says what to do."""


class Cancelled(Exception):
    """A newer build replaced the pages while they were being indexed (serve)."""


# Runs a command with an environment in a folder: its exit code and output. May raise Cancelled.
Runner = Callable[[list[str], dict[str, str], Path], tuple[int, str]]

# Postings per index chunk (Pagefind's default is 20,000). Every bundle is searched for every query, so a reader
# fetches about one chunk per bundle: smaller chunks keep the shards' sum near what one whole index would cost
# (measured at 300 reviews, 16 shards: a first query's search bytes 298 KB with the default, 128 KB with 5,000).
# Pagefind reads it from the environment only, and calls it unstable: without it, search works, with bigger chunks.
CHUNK_SIZE = "5000"

# The most pages one Pagefind run is given; a shard with more is indexed in batches, merged by merge.py into the
# one bundle a single run would write. Pagefind's memory grows with the distinct words it is given (about 0.8 MB
# per review page here, authors' names mostly), so this bounds it whatever the number of reviews: 160 pages,
# about 130 MB. At 1000 reviews no shard has more (80-150 pages), so their bundles are made as before.
PAGES_PER_RUN = 160
# And the most bytes of HTML one run is given (a page larger than this gets a run of its own). The collection's pages
# grow with it (at 4000 reviews the lists by keyword and of shared works are 1.7 and 3.1 MB) and all go to the home
# bundle: in one run of 160 pages with them Pagefind took 107 MB where another shard's took 61 (issue 16). 160 review
# pages are about 4.3 MB, so other runs are as before.
BYTES_PER_RUN = 5_000_000


def run_batches(sizes: list[int]) -> list[tuple[int, int]]:
    """The runs a shard's pages (their sizes in bytes, in order) are indexed in, as (start, end) ranges: as few runs
    as PAGES_PER_RUN allows, evenly filled, each then cut where it would pass BYTES_PER_RUN."""
    count = -(-len(sizes) // PAGES_PER_RUN)
    size = -(-len(sizes) // count) if sizes else 0
    runs = []
    for start in range(0, len(sizes), size or 1):
        end, first, total = min(start + size, len(sizes)), start, 0
        for at in range(start, end):
            if total and total + sizes[at] > BYTES_PER_RUN:
                runs.append((first, at))
                first, total = at, 0
            total += sizes[at]
        runs.append((first, end))
    return runs


def pagefind_executable() -> str:
    try:
        from pagefind_bin import get_executable
        return str(get_executable())
    except (ImportError, FileNotFoundError):
        found = shutil.which("pagefind")
        if found:
            return found
    raise PagefindError("Pagefind is not installed: the site search needs it. Run "
                        "`.venv/bin/pip install -r requirements.lock` (it installs pagefind[bin]).")


def pagefind_options() -> list[str]:
    return ["--glob", f"**/{PAGE_NAME}", "--root-selector", ROOT_SELECTOR,
            "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS), "--quiet"]


def pagefind_command(site_dir: Path, output: Path) -> list[str]:
    return [pagefind_executable(), "--site", str(site_dir), "--output-path", str(output), *pagefind_options()]


def pagefind_environment() -> dict[str, str]:
    """This process's environment without any PAGEFIND_* setting of the user's, so the command line alone
    decides what Pagefind writes, plus the chunk size."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_")}
    return {**environment, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": CHUNK_SIZE}


def _walk_pages(site_dir: Path, start: Path, leave_out: Callable[[str, str], bool]):
    """The pages (`<folder>/index.html`) under `start`, as paths relative to site_dir; hidden folders and those
    `leave_out(folder relative to start, subfolder name)` names are not entered."""
    prefix = start.relative_to(site_dir).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    for folder, subfolders, files in os.walk(start):
        relative = Path(folder).relative_to(start).as_posix()
        subfolders[:] = [name for name in subfolders if not name.startswith(".") and not leave_out(relative, name)]
        if PAGE_NAME in files:
            yield prefix + PAGE_NAME if relative == "." else f"{prefix}{relative}/{PAGE_NAME}"


def _review_folders_by_bundle(site_dir: Path) -> dict[str, list[str]]:
    """The review folders under site_dir/reviews/, by the bundle their pages go to (shards.bundle_of_page); HOME
    is always there, as it also holds every page outside them."""
    by_bundle: dict[str, list[str]] = {HOME: []}
    with contextlib.suppress(OSError), os.scandir(site_dir / REVIEWS) as entries:
        for entry in entries:
            if entry.is_dir() and not entry.name.startswith(".") and entry.name not in COLLECTION_PAGES:
                by_bundle.setdefault(bundle_of_page(f"{REVIEWS}/{entry.name}/{PAGE_NAME}"), []).append(entry.name)
    return by_bundle


def _bundle_pages(site_dir: Path, name: str, review_folders: list[str]) -> list[str]:
    """The sorted pages of one bundle: those in its review folders, and for HOME every page outside them too."""
    pages = []
    if name == HOME:
        def outside_reviews(relative: str, subfolder: str) -> bool:
            return (relative == "." and subfolder == BUNDLE) or \
                (relative == REVIEWS and subfolder not in COLLECTION_PAGES)

        pages += _walk_pages(site_dir, site_dir, outside_reviews)
    for folder in review_folders:
        pages += _walk_pages(site_dir, site_dir / REVIEWS / folder, lambda relative, subfolder: False)
    return sorted(pages)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links refused
        shutil.copy2(source, target)


def _link_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, copy_function=_link_or_copy, ignore=shutil.ignore_patterns(DIGEST))


def _stop_if(cancelled: Callable[[], bool]) -> None:
    """Raise Cancelled once `cancelled()`: between two steps of a long run, a rebuild in `serve` need not wait."""
    if cancelled():
        raise Cancelled


def _remove(folder: Path, cancelled: Callable[[], bool]) -> None:
    """Remove a run's temporary folder (hundreds of files). Once `cancelled()`, what is left is set aside for the
    next run to remove (in the cache or the site folder): whoever cancelled (a rebuild in `serve`) is waiting."""
    for current, subfolders, files in os.walk(folder, topdown=False):
        if cancelled():
            if not folder.name.startswith(ABANDONED):
                with contextlib.suppress(OSError):
                    folder.rename(folder.with_name(ABANDONED + folder.name))
            return
        for name in files:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(current, name))
        for name in subfolders:
            with contextlib.suppress(OSError):
                os.rmdir(os.path.join(current, name))
    with contextlib.suppress(OSError):
        os.rmdir(folder)


def _write_json(path: Path, value) -> None:
    from ..build.writer import write_atomically  # the project's one writer

    write_atomically(path, json.dumps(value, sort_keys=True, separators=(",", ":")) + "\n")


def _read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) and value.get("format") == FORMAT else {}


@dataclass
class IndexReport:
    """What one update did: the bundles Pagefind indexed again and those taken from the cache."""

    indexed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    pages: int = 0


class ShardedIndex:
    """The bundles of one project, kept in `<cache>/search/`; `update` brings site_dir/pagefind/ up to date."""

    def __init__(self, cache_dir: Path):
        self.folder = cache_dir.resolve() / "search"  # absolute: Pagefind runs inside it

    def update(self, site_dir: Path, run: Runner, cancelled: Callable[[], bool] = lambda: False) -> IndexReport:
        """Index the shards whose pages changed, then publish every shard as site_dir/pagefind/.
        Raises PagefindError, or Cancelled when `run` does or `cancelled()` is true between two pages (the bundles
        finished so far are kept).

        One shard at a time: its pages are listed, their digests read or made, and all of it let go before the
        next. Listing every page of the site first, with every page's record, held 2-3 KB per review in this
        process while Pagefind ran beside it (70-77 MB at 10,000 reviews, issue 16)."""
        site_dir = site_dir.resolve()
        for abandoned in [*self.folder.glob(f"{ABANDONED}*"), *site_dir.glob(f"{ABANDONED}*")]:
            _remove(abandoned, cancelled)
        (self.folder / "pages.json").unlink(missing_ok=True)  # the one record of every page, before FORMAT's split
        signature = self._signature()
        report = IndexReport()
        names = []
        for name, folders in sorted(_review_folders_by_bundle(site_dir).items()):
            members = _bundle_pages(site_dir, name, folders)
            if not members:
                continue
            names.append(name)
            report.pages += len(members)
            digests, sizes = self._page_digests(name, site_dir, members, cancelled)
            digest = hashlib.blake2b(signature.encode(), digest_size=16)
            for page, page_digest in zip(members, digests, strict=True):
                digest.update(f"{page}\0{page_digest}\n".encode())
            del digests
            try:
                made_from = (self.folder / name / DIGEST).read_text(encoding="utf-8")
            except OSError:
                made_from = None
            if made_from == digest.hexdigest() and (self.folder / name / "pagefind-entry.json").is_file():
                report.kept.append(name)
                continue
            self._index(name, site_dir, members, sizes, digest.hexdigest(), run, cancelled)
            report.indexed.append(name)
        if HOME not in names:
            raise PagefindError(f"{site_dir} has no page outside the reviews' folders (not even index.html): "
                                "the search index starts from the home page's bundle.")
        for stale in self.folder.glob("[!.]*/"):  # a shard whose reviews are all gone
            if stale.name not in names:
                shutil.rmtree(stale, ignore_errors=True)
        for stale in self.folder.glob(f"{PAGES_RECORD}*.json"):
            if stale.name not in {f"{PAGES_RECORD}{name}.json" for name in names}:
                stale.unlink(missing_ok=True)
        if report.indexed or not self._published(site_dir, names):
            self._publish(site_dir, names, cancelled)
        return report

    def _signature(self) -> str:
        """What shapes every bundle besides its pages: this code's format, Pagefind's executable and options."""
        executable = pagefind_executable()
        stat = os.stat(executable)
        return (f"{FORMAT}\0{executable}\0{stat.st_size}\0{stat.st_mtime_ns}\0{' '.join(pagefind_options())}"
                f"\0{CHUNK_SIZE}\0{PAGES_PER_RUN}\0{BYTES_PER_RUN}")

    def _page_digests(self, name: str, site_dir: Path, pages: list[str],
                      cancelled: Callable[[], bool]) -> tuple[list[str], list[int]]:
        """A digest of each of one bundle's pages' bytes, and each page's size; a page whose size, mtime and inode
        are as last time is not read again (pages the reuse hook took from the last build are that build's files,
        hard-linked)."""
        record = self.folder / f"{PAGES_RECORD}{name}.json"
        known = _read_json(record).get("pages", {})
        digests, sizes, recorded = [], [], {}
        for page in pages:
            _stop_if(cancelled)  # reading every page of a new site takes seconds
            path = site_dir / page
            stat = path.stat()
            stats = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
            entry = known.get(page)
            if entry and entry[:3] == stats:
                digests.append(entry[3])
            else:
                digests.append(hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest())
            sizes.append(stat.st_size)
            recorded[page] = [*stats, digests[-1]]
        if recorded != known:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_json(record, {"format": FORMAT, "pages": recorded})
        return digests, sizes

    def _index(self, name: str, site_dir: Path, members: list[str], sizes: list[int], digest: str, run: Runner,
               cancelled: Callable[[], bool]) -> None:
        """Run Pagefind over one shard's pages (linked into a folder of their own, at their paths in the site), in
        batches of at most PAGES_PER_RUN pages and BYTES_PER_RUN bytes (`sizes`: each page's), merged into one
        bundle."""
        self.folder.mkdir(parents=True, exist_ok=True)
        # Folders of this run alone: a `serve` and a `build` of one project may index at the same time.
        work = Path(tempfile.mkdtemp(prefix=f".new-{name}-", dir=self.folder))
        fresh = work / BUNDLE
        try:
            batches = [members[start:end] for start, end in run_batches(sizes)]
            if len(batches) == 1:
                self._run_pagefind(name, site_dir, members, fresh, run, cancelled)
            else:
                parts = []
                for number, batch in enumerate(batches):
                    parts.append(work / f"part-{number}")
                    self._run_pagefind(name, site_dir, batch, parts[-1], run, cancelled)
                try:
                    merge_bundles(parts, fresh, int(CHUNK_SIZE), lambda: _stop_if(cancelled))
                except NotMergeable:  # one run over the whole shard, as before batches
                    _remove(fresh, cancelled)
                    self._run_pagefind(name, site_dir, members, fresh, run, cancelled)
            for unused in UNUSED + (() if name == HOME else CLIENT):
                (fresh / unused).unlink(missing_ok=True)
            if name != HOME:
                for wasm in fresh.glob(f"{CLIENT_PREFIX}*"):
                    wasm.unlink()
            (fresh / DIGEST).write_text(digest, encoding="utf-8")  # in the folder: renamed into place with it
            _replace(fresh, self.folder / name, cancelled)
        finally:
            _remove(work, cancelled)

    def _run_pagefind(self, name: str, site_dir: Path, members: list[str], output: Path, run: Runner,
                      cancelled: Callable[[], bool]) -> None:
        """One Pagefind run over `members` (linked into a folder of their own), writing the bundle `output`."""
        pages = Path(tempfile.mkdtemp(prefix=".pages-", dir=self.folder))
        try:
            for page in members:
                _stop_if(cancelled)
                (pages / page).parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(str(site_dir / page), str(pages / page))
            # Run in the cache folder: Pagefind would read a pagefind.yml from its working folder.
            code, output_text = run(pagefind_command(pages, output), pagefind_environment(), self.folder)
        finally:
            _remove(pages, cancelled)
        if code != 0 or not (output / "pagefind-entry.json").is_file():
            raise PagefindError(f"Pagefind failed to index {len(members)} page(s) of {site_dir} "
                                f"(search shard {name}, exit code {code}):\n{output_text.strip()}")

    def _published(self, site_dir: Path, names: list[str]) -> bool:
        """Whether site_dir/pagefind/ already is these bundles, linked from the cache (serve, nothing changed):
        a bundle's entry and metadata, named by their content, stand for the rest of it."""
        published = site_dir / BUNDLE
        if _read_json(published / SHARD_LIST).get("shards") != [name for name in names if name != HOME]:
            return False
        for name in names:
            cached, served = self.folder / name, (published if name == HOME else published / name)
            for file in [cached / "pagefind-entry.json", *cached.glob("*.pf_meta")]:
                try:
                    if not os.path.samefile(file, served / file.name):
                        return False
                except OSError:
                    return False
        return True

    def _publish(self, site_dir: Path, names: list[str], cancelled: Callable[[], bool]) -> None:
        """site_dir/pagefind/: the HOME bundle, each other shard's bundle in its folder, and their list."""
        staging = Path(tempfile.mkdtemp(prefix=f".{BUNDLE}-new-", dir=site_dir))
        try:
            fresh = staging / BUNDLE
            _link_tree(self.folder / HOME, fresh)
            shards = [name for name in names if name != HOME]
            for name in shards:
                _stop_if(cancelled)
                _link_tree(self.folder / name, fresh / name)
            _write_json(fresh / SHARD_LIST, {"format": FORMAT, "shards": shards})
            _replace(fresh, site_dir / BUNDLE, cancelled)
        finally:
            _remove(staging, cancelled)


def _replace(fresh: Path, current: Path, cancelled: Callable[[], bool] = lambda: False) -> None:
    """Put the folder `fresh` where `current` is: renamed, so `current` is always whole, old or new."""
    aside = Path(tempfile.mkdtemp(prefix=f".{current.name}-old-", dir=current.parent))
    try:
        if current.exists():
            current.rename(aside / current.name)
        fresh.rename(current)
    finally:
        _remove(aside, cancelled)
