"""A throw-away copy of a project, for tests and benchmarks to build and break freely."""

from __future__ import annotations

import shutil
from pathlib import Path

# What a build needs; generated pages are left behind so each copy starts clean.
PROJECT_PARTS = ("records", "templates", "overrides", "reviewsite", "schema", "mkdocs.yml", "build_site.py",
                 "pyproject.toml", "requirements.lock")
GENERATED_IN_DOCS = ("reviews", "index.md", "about.md")


def copy_project(source_root: Path, destination: Path, *, records: bool = True,
                 reviews: tuple[str, ...] | None = None) -> Path:
    """Copy the project at `source_root` to `destination` (hand-written docs, no generated pages);
    `reviews` names the review folders to copy when not all."""
    for part in PROJECT_PARTS:
        if part == "records" and not records:
            continue
        source = source_root / part
        if part == "records" and reviews is not None:
            for review in reviews:
                shutil.copytree(source / review, destination / part / review)
        elif source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, destination / part)
    shutil.copytree(source_root / "docs", destination / "docs", ignore=shutil.ignore_patterns(*GENERATED_IN_DOCS))
    return destination
