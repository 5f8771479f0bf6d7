"""Write generated pages into the generator's own paths under `docs/`, touching only what changed.

A file whose bytes would not change keeps its mtime, so `mkdocs serve` does not loop.
Only files the generator owns are ever written or removed; hand-written pages are never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import UnsafeOutputPath

# What the generator owns under docs/: these files, and everything under these folders.
OWNED_FILES = (PurePosixPath("index.md"), PurePosixPath("about.md"))
OWNED_FOLDERS = (PurePosixPath("reviews"),)


class _Keep:
    """A page value meaning: the file on disk already holds this page (the page cache checked its stats)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


# The same, as strings: asked of every file of the site at each rebuild, where building a path per file took longer
# than the stats it saved.
_OWNED_NAMES = frozenset(path.as_posix() for path in OWNED_FILES)
_OWNED_PREFIXES = tuple(f"{folder.as_posix()}/" for folder in OWNED_FOLDERS)


def is_owned_name(name: str) -> bool:
    """`is_owned` of a normalised POSIX path given as a string (MkDocs' `src_uri`)."""
    return name in _OWNED_NAMES or name.startswith(_OWNED_PREFIXES)


def is_owned(relative: PurePosixPath) -> bool:
    return is_owned_name(relative.as_posix())


def check_destination(docs_dir: Path, relative: PurePosixPath) -> Path:
    """The absolute path for `relative`, refusing anything outside the generator's own paths."""
    if relative.is_absolute() or ".." in relative.parts or not is_owned(relative):
        raise UnsafeOutputPath(f"refusing to write {relative}: outside the generator's folders")
    target = docs_dir / relative
    root = docs_dir.resolve()
    if root not in target.resolve().parents:
        raise UnsafeOutputPath(f"refusing to write {relative}: it resolves outside {docs_dir}")
    return target


def write_atomically(target: Path, data: bytes | str) -> None:
    """Write beside `target` and rename over it: a reader never sees half a file. Text is written as UTF-8
    with the newlines it holds. The one way this project writes a file outside a generation's journal."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_if_changed(target: Path, text: str) -> bool:
    """Atomically replace `target` with `text` unless it already holds exactly that; True if written."""
    data = text.encode("utf-8")
    if not _changed(target, data):
        return False
    write_atomically(target, data)
    return True


# A generation is staged beside the pages, then committed by a journal (see write_pages).
STAGING = ".generating"
JOURNAL = ".generating.json"


def _changed(target: Path, data: bytes) -> bool:
    try:
        return not (target.stat().st_size == len(data) and target.read_bytes() == data)
    except FileNotFoundError:
        return True


# A template's stream gives many short pieces (each a string object of its own): joined and encoded a few hundred
# at a time, so that no more than a few kilobytes of them wait here.
_PIECES_PER_WRITE = 256
_COMPARED = 1 << 16  # bytes read at a time when comparing two files


def _same_bytes(one: Path, other: Path) -> bool:
    """True when both files exist and hold the same bytes (read a block at a time)."""
    try:
        if one.stat().st_size != other.stat().st_size:
            return False
        with one.open("rb") as first, other.open("rb") as second:
            while True:
                block = first.read(_COMPARED)
                if block != second.read(_COMPARED):
                    return False
                if not block:
                    return True
    except FileNotFoundError:
        return False


def owned_files(docs_dir: Path) -> list[PurePosixPath]:
    return sorted(PurePosixPath(name) for name in owned_names(docs_dir))


def owned_names(docs_dir: Path) -> list[str]:
    """`owned_files` as POSIX strings, sorted (os.walk and strings: 10,000 files at 1000 reviews, listed twice
    per generation)."""
    return sorted(_each_owned_name(docs_dir))


def _each_owned_name(docs_dir: Path) -> Iterator[str]:
    """The generator's files in `docs_dir` as POSIX strings, one at a time, in no particular order."""
    docs = os.fspath(docs_dir)
    yield from (relative.as_posix() for relative in OWNED_FILES if os.path.isfile(f"{docs}/{relative}"))
    for folder in OWNED_FOLDERS:
        top = f"{docs}/{folder}"
        for current, _subfolders, files in os.walk(top):
            relative = folder.as_posix() + current[len(top):].replace(os.sep, "/")
            yield from (f"{relative}/{name}" for name in files)


def write_pages(docs_dir: Path, pages: dict[PurePosixPath, str | _Keep]) -> WriteReport:
    """Make the generator's files under `docs_dir` exactly `pages`, all at once (see `Generation`)."""
    generation = Generation(docs_dir)
    generation.add(pages)
    return generation.commit()


class Generation:
    """One generation's pages, handed over a review at a time and committed at once.

    Changed pages are written into `docs/.generating/` as they come (MkDocs ignores dot folders), so no
    generation holds every page's text; `commit` then saves a journal listing the files to move in and the
    files to remove in one atomic rename, and only then applies it. An interruption before the journal leaves
    the old pages untouched (the staging folder is dropped by the next `recover`); one after it is completed by
    `recover`, which every generation runs first. So whoever reads the pages through this generator
    (build_site.py, the MkDocs hook) sees the old set or the new, never a mix. Unchanged files are not touched
    and keep their mtimes; a page given as KEEP is such a file, known unchanged without reading it.
    """

    def __init__(self, docs_dir: Path):
        self.docs_dir = docs_dir
        recover(docs_dir)
        self.report = WriteReport()
        self._names: set[str] = set()  # every page of this generation, as a POSIX path under docs/
        self._moves: list[str] = []

    def add(self, pages: dict[PurePosixPath | str, str | _Keep]) -> None:
        """Stage the pages that differ from their file in docs/. Refuses a path outside the generator's own
        folders, or one given twice in a generation, before staging any of `pages`. A page given as KEEP may
        be named by its POSIX path as a string (the page cache lists thousands)."""
        names = {}
        targets = {}
        for relative in pages:
            name = relative if isinstance(relative, str) else relative.as_posix()
            if name in self._names or name in names:
                raise UnsafeOutputPath(f"refusing to write {relative} twice in one generation")
            names[name] = relative
            if pages[relative] is not KEEP:
                targets[relative] = check_destination(self.docs_dir, PurePosixPath(relative))
        self._names.update(names)
        staging = self.docs_dir / STAGING
        for name in sorted(names):
            relative = names[name]
            if pages[relative] is KEEP:
                self.report.unchanged += 1
                continue
            data = pages[relative].encode("utf-8")
            if not _changed(targets[relative], data):
                self.report.unchanged += 1
                continue
            staged = staging / name
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(data)
            self._moves.append(name)

    def add_stream(self, relative: PurePosixPath, text: Iterable[str]) -> None:
        """Stage one page given as pieces of its text (a template's stream), written to the staging folder as they
        come, so that a page listing every review is never held whole; kept out of the move if the file in docs/
        already holds the same bytes. Refuses what `add` refuses."""
        name = relative.as_posix()
        if name in self._names:
            raise UnsafeOutputPath(f"refusing to write {relative} twice in one generation")
        target = check_destination(self.docs_dir, relative)
        self._names.add(name)
        staged = self.docs_dir / STAGING / name
        staged.parent.mkdir(parents=True, exist_ok=True)
        with staged.open("wb") as out:
            pieces: list[str] = []
            for piece in text:
                pieces.append(piece)
                if len(pieces) >= _PIECES_PER_WRITE:
                    out.write("".join(pieces).encode("utf-8"))
                    pieces.clear()
            out.write("".join(pieces).encode("utf-8"))
        if _same_bytes(staged, target):
            staged.unlink()
            self.report.unchanged += 1
        else:
            self._moves.append(name)

    @property
    def pages(self) -> int:
        return len(self._names)

    def names(self) -> list[str]:
        """Every page of this generation (POSIX paths under docs/), sorted: after `commit`, the generator's files
        in docs/ are exactly these, so they need not be listed again."""
        return sorted(self._names)

    def commit(self) -> WriteReport:
        """Apply the staged pages and remove the generator's files not in this generation."""
        moves = sorted(self._moves)
        # Gone through one at a time: a list of every file's name was 0.5 KB per review at the generation's end.
        removes = sorted(name for name in _each_owned_name(self.docs_dir) if name not in self._names)
        if not moves and not removes:
            return self.report
        write_if_changed(self.docs_dir / JOURNAL, json.dumps({"moves": moves, "removes": removes}, indent=1))
        _apply(self.docs_dir, moves, removes)
        self.report.written, self.report.removed = moves, removes
        return self.report

    def abandon(self) -> None:
        """Drop what was staged: the pages in docs/ stay as they were."""
        shutil.rmtree(self.docs_dir / STAGING, ignore_errors=True)


def recover(docs_dir: Path) -> bool:
    """Finish a generation that was interrupted after its commit, or drop one interrupted before it.
    True if there was anything to do."""
    journal, staging = docs_dir / JOURNAL, docs_dir / STAGING
    if journal.is_file():
        plan = json.loads(journal.read_text(encoding="utf-8"))
        _apply(docs_dir, plan["moves"], plan["removes"])
        return True
    if staging.exists():
        shutil.rmtree(staging)
        return True
    return False


def _apply(docs_dir: Path, moves: list[str], removes: list[str]) -> None:
    """Move staged files into place and remove the others; safe to repeat after an interruption."""
    staging = docs_dir / STAGING
    for name in moves:
        relative = PurePosixPath(name)
        source = staging / relative
        if source.exists():  # already moved when a previous attempt was interrupted
            target = check_destination(docs_dir, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    for name in removes:
        check_destination(docs_dir, PurePosixPath(name)).unlink(missing_ok=True)
    # Only a folder a file was removed from can have become empty (a review removed): not every folder is listed.
    emptied = {parent for name in removes for parent in PurePosixPath(name).parents
               if any(folder in parent.parents for folder in OWNED_FOLDERS)}
    for folder in sorted(emptied, key=lambda path: len(path.parts), reverse=True):
        path = docs_dir / folder
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    (docs_dir / JOURNAL).unlink()
    shutil.rmtree(staging, ignore_errors=True)
