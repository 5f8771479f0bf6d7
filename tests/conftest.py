"""Shared fixtures: the real project's paths, and a throw-away copy of the project to build in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewsite.generate import Project

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "pubmed-20571772.txt"
REVIEW_ID = "ferrari-lacraz-2011"

# What a build needs; generated pages are left behind so each copy starts clean.
_PROJECT_PARTS = ("records", "templates", "overrides", "reviewsite", "schema", "mkdocs.yml")


def copy_project(destination: Path) -> Project:
    """A copy of the project (records, templates, config, hand-written docs) to build and break freely."""
    for part in _PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, destination / part)
    docs = destination / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("reviews", "index.md", "about.md"))
    return Project(destination)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real records built once, strict, into a temporary site folder (shared by read-only tests)."""
    from reviewsite.cli import main

    base = tmp_path_factory.mktemp("built")
    project = copy_project(base / "project")
    assert main(["build"], root=project.root) == 0
    return project.site_dir


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.fail(f"the seed file {SEED} is missing: CI needs ../shared beside the repo")
    return SEED.read_text(encoding="utf-8")
