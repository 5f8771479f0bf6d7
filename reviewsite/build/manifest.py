"""Remember the last generation, so a rebuild with nothing changed does no work at all.

The manifest (`.cache/generated.json`) holds a digest of every input of a generation (each record
file's name, size, mtime and inode; the templates' bytes; the generator's own code) and the size,
mtime and inode of every file it wrote. When both match, the pages on disk are exactly what a new
generation would write, and it is skipped: at N=1000 reviews that is a few thousand stats instead of
loading, rendering and comparing 10,000 files.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from .cache import CACHE_FOLDER, code_signature, tree_signature
from ..errors import Problem

MANIFEST = "generated.json"
FileStat = tuple[int, int, int]


@dataclass(frozen=True)
class Manifest:
    inputs: str
    files: dict[str, FileStat]
    reviews: int
    warnings: tuple[Problem, ...]


def inputs_signature(records_dir: Path, templates_dir: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(code_signature().encode())
    digest.update(tree_signature(templates_dir).encode())
    for folder, subfolders, files in os.walk(records_dir):
        subfolders.sort()
        for name in sorted(files):
            stat = os.stat(os.path.join(folder, name))
            digest.update(f"{folder}/{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\n".encode())
    return digest.hexdigest()


def file_stat(path: Path) -> FileStat | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def manifest_path(project_root: Path) -> Path:
    return project_root / CACHE_FOLDER / MANIFEST


def read_manifest(project_root: Path) -> Manifest | None:
    try:
        data = json.loads(manifest_path(project_root).read_text(encoding="utf-8"))
        return Manifest(data["inputs"], {k: tuple(v) for k, v in data["files"].items()}, data["reviews"],
                        tuple(Problem(**p) for p in data["warnings"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or unreadable: only means a full generation


def write_manifest(project_root: Path, manifest: Manifest) -> None:
    from .writer import write_if_changed

    data = {"inputs": manifest.inputs, "files": manifest.files, "reviews": manifest.reviews,
            "warnings": [asdict(p) for p in manifest.warnings]}
    try:
        write_if_changed(manifest_path(project_root), json.dumps(data, sort_keys=True))
    except OSError:
        pass  # a read-only project still builds, only without the shortcut


def outputs_stats(docs_dir: Path, owned: list[PurePosixPath]) -> dict[str, FileStat]:
    stats = {}
    for relative in owned:
        stat = file_stat(docs_dir / relative)
        if stat is not None:
            stats[relative.as_posix()] = stat
    return stats
