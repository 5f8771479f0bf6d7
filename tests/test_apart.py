"""A large one-off build generates in a forked child (reviewsite/build/apart.py): the same pages and caches, the same
errors, and nothing of the generation left in the process that goes on to run MkDocs."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from conftest import REVIEW_ID
from reviewsite.build import pipeline
from reviewsite.build.pipeline import generate
from reviewsite.errors import RecordsInvalid

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the generation forks only on Linux")


@pytest.fixture(autouse=True)
def _fork_whatever_threads_other_tests_left(monkeypatch):
    """A full run leaves idle threads behind (test servers, serve's watchers), and the build then refuses to fork
    (apart.can_fork): these tests fork anyway, as a one-threaded build does."""
    monkeypatch.setattr(pipeline, "can_fork", lambda: True)


def _files(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "jinja" not in p.parts}


def _note_the_process(monkeypatch) -> None:
    """Each generation leaves a file named for the process it ran in (a forked child's lists are its own)."""
    original = pipeline._generate

    def spy(project, *rest):
        (project.root / f"generated-in-{os.getpid()}").touch()
        return original(project, *rest)

    monkeypatch.setattr(pipeline, "_generate", spy)


def _pids(project) -> list[int]:
    return [int(p.name.rsplit("-", 1)[1]) for p in project.root.glob("generated-in-*")]


def test_a_generation_apart_writes_the_same_pages_and_caches(project, tmp_path, monkeypatch):
    twin = shutil.copytree(project.root, tmp_path / "twin")
    _note_the_process(monkeypatch)
    alone = generate(project)
    assert _pids(project) == [os.getpid()]  # one review: below APART_FROM, in this process
    monkeypatch.setattr(pipeline, "APART_FROM", 1)
    twin_project = pipeline.Project(twin)
    result = generate(twin_project)
    [child] = _pids(twin_project)
    assert child != os.getpid()
    assert (result.reviews, result.pages, result.report, result.warnings) == \
        (alone.reviews, alone.pages, alone.report, alone.warnings)
    assert _files(twin_project.docs_dir) == _files(project.docs_dir)
    assert _files(twin / ".cache").keys() == _files(project.root / ".cache").keys()


def test_a_record_mistake_found_apart_is_the_same_error(project, monkeypatch):
    article = project.records_dir / REVIEW_ID / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace('pmid: "20571772"', 'pmid: "2057x772"'),
                       encoding="utf-8")
    with pytest.raises(RecordsInvalid) as here:
        generate(project)
    monkeypatch.setattr(pipeline, "APART_FROM", 1)
    with pytest.raises(RecordsInvalid) as there:
        generate(project)
    assert type(there.value) is RecordsInvalid
    assert str(there.value) == str(here.value) and there.value.problems == here.value.problems


def test_a_bug_apart_is_raised_here_with_the_childs_traceback(project, monkeypatch):
    def broken(*args):
        raise KeyError("a bug in the generation")

    monkeypatch.setattr(pipeline, "_generate", broken)
    monkeypatch.setattr(pipeline, "APART_FROM", 1)
    with pytest.raises(KeyError, match="a bug in the generation") as raised:
        generate(project)
    assert any("In the generation's process" in note and "broken" in note for note in raised.value.__notes__)
