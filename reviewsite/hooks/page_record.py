"""The reuse hook's record of the generated pages the last build wrote (reviewsite/hooks/reuse.py), in SQLite: a row
per page, read when a page is looked at, written by whichever process built the page.

A build of many reviews renders their pages in batches, each in a process of its own (reviewsite/hooks/batches.py),
so neither can one process hold every page's entry (about 1.5 KB each, growing with the collection, issue 16) nor
write them all at the end. Every row is written with the signature the whole site had (`site_signature`): a row
under another signature is never read. A row names the build that wrote it; the build's last step deletes the rows
no part of it wrote (pages gone). An interrupted build leaves rows whose output stats match no site: those pages are
rendered again, never taken wrongly.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path

from reviewsite.build.incremental import CACHE_FOLDER

RECORD_NAME = "mkdocs-pages.sqlite"
LEGACY_RECORD_NAME = "mkdocs-pages.pickle"  # the record before it moved to SQLite: removed, nothing reads it
_PICKLE = pickle.HIGHEST_PROTOCOL


def record_path(project_root: Path) -> Path:
    return project_root / CACHE_FOLDER / RECORD_NAME


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=30)
    connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    connection.execute("CREATE TABLE IF NOT EXISTS pages (src_uri TEXT PRIMARY KEY, build TEXT NOT NULL, "
                       "entry BLOB NOT NULL)")
    return connection


def _signed(connection: sqlite3.Connection, form: int) -> str | None:
    row = connection.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    if row is None or row[0] != str(form):
        return None
    row = connection.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()
    return row[0] if row else None


class PageReader:
    """The entries recorded under one signature, looked up a page at a time; an unreadable or other-signature
    record reads as empty (every page is then rendered)."""

    def __init__(self, path: Path, form: int, signature: str) -> None:
        self._connection = None
        try:
            if path.is_file():
                connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
                if _signed(connection, form) == signature:
                    self._connection = connection
                else:
                    connection.close()
        except sqlite3.Error:
            self._connection = None

    def get(self, src_uri: str) -> dict | None:
        if self._connection is None:
            return None
        try:
            row = self._connection.execute("SELECT entry FROM pages WHERE src_uri = ?", (src_uri,)).fetchone()
            return pickle.loads(row[0]) if row else None
        except (sqlite3.Error, pickle.UnpicklingError, EOFError):
            return None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def write_pages(path: Path, form: int, signature: str, build: str, pages: Iterable[tuple[str, dict]]) -> None:
    """Record `pages` (src_uri, entry) as written by `build` under `signature`; a record kept under another signature
    or format is emptied first."""
    with closing(_connect(path)) as connection, connection:
        if _signed(connection, form) != signature:
            connection.execute("DELETE FROM pages")
            connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                   (("format", str(form)), ("signature", signature)))
        connection.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)",
                               ((uri, build, pickle.dumps(entry, _PICKLE)) for uri, entry in pages))


def keep_only(path: Path, build: str) -> None:
    """Delete the rows `build` did not write: the pages of an earlier build that this one no longer has (and the
    record an older release kept in a pickle)."""
    with closing(_connect(path)) as connection, connection:
        connection.execute("DELETE FROM pages WHERE build != ?", (build,))
    path.with_name(LEGACY_RECORD_NAME).unlink(missing_ok=True)


def read_all(path: Path, form: int) -> Iterator[tuple[str, dict]]:
    """Every page's entry, in no set order (the shard builder's reading of a whole record)."""
    if not path.is_file():
        return
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as connection:
        if _signed(connection, form) is None:
            return
        for uri, entry in connection.execute("SELECT src_uri, entry FROM pages"):
            yield uri, pickle.loads(entry)


# The reuse hook's state for one build. It lives here, not in the hook: MkDocs loads a hook's file as a module of its
# own, and the batches hook (reviewsite/hooks/batches.py) reaches the reuse hook's work through this package's
# modules, so state kept in the hook's module would be two states.
BUILD_STATE: dict = {}
