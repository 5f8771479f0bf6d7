"""Shared fixtures: the real project's paths, and a throw-away copy of the project to build in."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewsite.build.pipeline import Project
from tests import sandbox

ROOT = Path(__file__).resolve().parents[1]
# The text of the public PubMed page the project started from (tests/fixtures/seed/README.md says where from).
SEED = ROOT / "tests" / "fixtures" / "seed" / "pubmed-20571772.txt"
REVIEW_ID = "ferrari-lacraz-2011"

def copy_project(destination: Path, reviews: tuple[str, ...] | None = None) -> Project:
    """A copy of the project (records, templates, config, hand-written docs) to build and break freely;
    `reviews` names the review folders to copy when not all."""
    return Project(sandbox.copy_project(ROOT, destination, reviews=reviews))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A copy with the one review the unit tests are written against, whatever else ships."""
    return copy_project(tmp_path / "project", reviews=(REVIEW_ID,))


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
        pytest.fail(f"the seed file {SEED} is missing: it is part of the repository")
    return SEED.read_text(encoding="utf-8")


def import_benchmark():
    """benchmarks/build_bench.py as a module (its synthetic collections serve several tests)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_bench", ROOT / "benchmarks" / "build_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
