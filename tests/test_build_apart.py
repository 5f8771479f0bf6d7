"""A build of many reviews runs MkDocs in a forked child and Pagefind from the parent once the child has ended
(reviewsite/cli.py `_build_apart_then_index`): the same site, the same errors, and the two never side by side."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from reviewsite import cli
from reviewsite.search import index as search_index

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the build forks only on Linux")


def _files(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _note_the_processes(monkeypatch, folder) -> None:
    """MkDocs' page builds and the Pagefind runs each leave a file named for the process they ran in."""
    import mkdocs.commands.build as mkdocs_build

    build_page, update = mkdocs_build._build_page, search_index.ShardedIndex.update

    def noted(kind, work):
        def spy(*args, **kwargs):
            (folder / f"{kind}-{os.getpid()}").touch()
            return work(*args, **kwargs)
        return spy

    monkeypatch.setattr(mkdocs_build, "_build_page", noted("mkdocs", build_page))
    monkeypatch.setattr(search_index.ShardedIndex, "update", noted("pagefind", update))


def _pids(folder, kind) -> set[int]:
    return {int(p.name.rsplit("-", 1)[1]) for p in folder.glob(f"{kind}-*")}


def test_mkdocs_runs_in_a_child_and_pagefind_here_after_it_with_the_same_site(project, tmp_path, monkeypatch):
    twin = shutil.copytree(project.root, tmp_path / "twin")
    notes = tmp_path / "notes"
    notes.mkdir()
    _note_the_processes(monkeypatch, notes)
    assert cli.main(["build"], root=project.root) == 0  # one review: below APART_FROM, all in this process
    assert _pids(notes, "mkdocs") == _pids(notes, "pagefind") == {os.getpid()}
    for note in notes.iterdir():
        note.unlink()

    monkeypatch.setattr(cli, "APART_FROM", 1)
    monkeypatch.setattr(cli, "can_fork", lambda: True)  # a full test run leaves idle threads behind
    assert cli.main(["build"], root=twin) == 0
    children = _pids(notes, "mkdocs")  # MkDocs' process, and the batch of review pages it forks (hooks/batches.py)
    assert len(children) == 2 and os.getpid() not in children
    assert _pids(notes, "pagefind") == {os.getpid()}
    assert _files(twin / "site") == _files(project.site_dir)
    assert (twin / "site" / "pagefind" / "pagefind.js").is_file()


def test_a_strict_warning_in_the_child_fails_the_build_and_keeps_the_last_site(project, monkeypatch, capfd):
    monkeypatch.setattr(cli, "APART_FROM", 1)
    monkeypatch.setattr(cli, "can_fork", lambda: True)
    assert cli.main(["build"], root=project.root) == 0
    before = _files(project.site_dir)
    (project.docs_dir / "notes.md").write_text("# Notes\n\nSee [the guide](missing-guide.md).\n", encoding="utf-8")
    capfd.readouterr()
    assert cli.main(["build"], root=project.root) == cli.EXIT_INVALID
    error = capfd.readouterr().err
    assert "MkDocs build failed" in error and "strict mode" in error
    assert "missing-guide.md" in error  # MkDocs' own warning, logged from the child
    assert _files(project.site_dir) == before
