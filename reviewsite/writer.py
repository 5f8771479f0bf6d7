"""Write generated pages into the generator's own paths under `docs/`, touching only what changed.

A file whose bytes would not change keeps its mtime, so `mkdocs serve` does not loop.
Only files the generator owns are ever written or removed; hand-written pages are never touched.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import UnsafeOutputPath

# What the generator owns under docs/: these files, and everything under these folders.
OWNED_FILES = (PurePosixPath("index.md"), PurePosixPath("about.md"))
OWNED_FOLDERS = (PurePosixPath("reviews"),)


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def is_owned(relative: PurePosixPath) -> bool:
    return relative in OWNED_FILES or any(folder in relative.parents for folder in OWNED_FOLDERS)


def check_destination(docs_dir: Path, relative: PurePosixPath) -> Path:
    """The absolute path for `relative`, refusing anything outside the generator's own paths."""
    if relative.is_absolute() or ".." in relative.parts or not is_owned(relative):
        raise UnsafeOutputPath(f"refusing to write {relative}: outside the generator's folders")
    target = docs_dir / relative
    root = docs_dir.resolve()
    if root not in target.resolve().parents:
        raise UnsafeOutputPath(f"refusing to write {relative}: it resolves outside {docs_dir}")
    return target


def write_if_changed(target: Path, text: str) -> bool:
    """Atomically replace `target` with `text` unless it already holds exactly that; True if written."""
    data = text.encode("utf-8")
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


def write_pages(docs_dir: Path, pages: dict[PurePosixPath, str]) -> WriteReport:
    """Write every page (sorted, so runs are repeatable) and remove owned files no page produced."""
    targets = {relative: check_destination(docs_dir, relative) for relative in pages}
    report = WriteReport()
    for relative in sorted(pages):
        if write_if_changed(targets[relative], pages[relative]):
            report.written.append(relative.as_posix())
        else:
            report.unchanged += 1
    for folder in OWNED_FOLDERS:
        base = docs_dir / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*"), reverse=True):
            relative = PurePosixPath(path.relative_to(docs_dir).as_posix())
            if path.is_file() and relative not in pages:
                path.unlink()
                report.removed.append(relative.as_posix())
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return report
