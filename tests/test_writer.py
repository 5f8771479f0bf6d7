"""Nothing lost, nothing half-built: the writer touches only its own files, only when they change, and an
interrupted generation leaves the old pages or the new ones; an invalid record changes nothing at all."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest

from conftest import REVIEW_ID
from reviewsite.build import writer
from reviewsite.build.writer import JOURNAL, STAGING, recover, write_pages
from reviewsite.cli import main
from reviewsite.errors import UnsafeOutputPath

OLD = {PurePosixPath("index.md"): "old home\n", PurePosixPath("about.md"): "about\n",
       PurePosixPath("reviews/a/index.md"): "old a\n", PurePosixPath("reviews/b/index.md"): "old b\n",
       PurePosixPath("reviews/b/references.md"): "old b refs\n"}
NEW = {PurePosixPath("index.md"): "new home\n", PurePosixPath("about.md"): "about\n",
       PurePosixPath("reviews/a/index.md"): "new a\n", PurePosixPath("reviews/c/index.md"): "new c\n",
       PurePosixPath("reviews/c/references.md"): "new c refs\n"}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` with its bytes and mtime."""
    return {path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def contents(folder: Path) -> dict[str, str]:
    return {name: data.decode() for name, (data, _) in snapshot(folder).items()}


def as_files(pages: dict[PurePosixPath, str], extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**{p.as_posix(): text for p, text in pages.items()}, **(extra or {})}


@pytest.fixture
def docs(tmp_path) -> Path:
    docs = tmp_path / "docs"
    (docs / "stylesheets").mkdir(parents=True)
    (docs / "stylesheets" / "site.css").write_text("hand-written\n")
    write_pages(docs, OLD)
    return docs


HAND = {"stylesheets/site.css": "hand-written\n"}


def test_writes_exactly_the_pages_and_keeps_hand_written_files(docs):
    report = write_pages(docs, NEW)
    assert contents(docs) == as_files(NEW, HAND)
    assert report.written == ["index.md", "reviews/a/index.md", "reviews/c/index.md", "reviews/c/references.md"]
    assert report.removed == ["reviews/b/index.md", "reviews/b/references.md"]
    assert report.unchanged == 1
    assert not (docs / "reviews" / "b").exists()


def test_an_unchanged_generation_touches_no_file(docs):
    before = snapshot(docs)
    report = write_pages(docs, OLD)
    assert snapshot(docs) == before
    assert (report.written, report.removed, report.unchanged) == ([], [], len(OLD))
    assert not (docs / STAGING).exists() and not (docs / JOURNAL).exists()


def test_unchanged_files_keep_their_mtime_when_others_change(docs):
    about = docs / "about.md"
    mtime = about.stat().st_mtime_ns
    write_pages(docs, NEW)
    assert about.stat().st_mtime_ns == mtime


@pytest.mark.parametrize("relative", ["../outside.md", "/etc/passwd", "stylesheets/site.css", "reviews/../x.md",
                                      "mkdocs.yml", "reviews"])
def test_refuses_paths_outside_its_own(docs, relative):
    before = snapshot(docs)
    with pytest.raises(UnsafeOutputPath):
        write_pages(docs, {**OLD, PurePosixPath(relative): "x"})
    assert snapshot(docs) == before


def test_refuses_a_reviews_folder_that_links_outside(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "reviews").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafeOutputPath):
        write_pages(docs, {PurePosixPath("reviews/a/index.md"): "x"})
    assert list(outside.iterdir()) == []


class WriterOs:
    """The os module as the writer alone sees it (the caches use os.replace too)."""

    def __getattr__(self, name):
        return getattr(os, name)


def interrupt_writer_replace(monkeypatch, step: int) -> None:
    """Interrupt the generation's `step`-th rename into docs/ (the caches' own renames in .cache/ not counted)."""
    proxy = WriterOs()
    monkeypatch.setattr(writer, "os", proxy)
    interrupt_at(monkeypatch, proxy, "replace", step, counts=lambda source, target: ".cache" not in Path(target).parts)


class Interrupted(BaseException):
    """Stands for Ctrl+C or a killed process at one exact step."""


def interrupt_at(monkeypatch, target, name: str, step: int, counts=lambda *args: True) -> None:
    original = getattr(target, name)
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1 if counts(*args) else 0
        if calls["n"] == step and counts(*args):
            raise Interrupted
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, failing)


@pytest.mark.parametrize("step", range(1, 5))
def test_interrupted_while_staging_leaves_the_old_pages_untouched(docs, monkeypatch, step):
    before = snapshot(docs)
    interrupt_at(monkeypatch, Path, "write_bytes", step)
    with pytest.raises(Interrupted):
        write_pages(docs, NEW)
    monkeypatch.undo()
    assert {k: v for k, v in snapshot(docs).items() if not k.startswith(STAGING)} == before
    assert recover(docs) is True
    assert snapshot(docs) == before


@pytest.mark.parametrize("step", range(1, 6))
def test_interrupted_while_committing_is_completed_before_anything_reads_the_pages(docs, tmp_path, monkeypatch, step):
    """The journal's own rename is step 1: before it, the old pages; after it, the next run finishes the new."""
    interrupt_writer_replace(monkeypatch, step)
    with pytest.raises(Interrupted):
        write_pages(docs, NEW)
    monkeypatch.undo()
    if step == 1:
        assert not (docs / JOURNAL).exists()
        assert {k: v for k, v in contents(docs).items() if not k.startswith(STAGING)} == as_files(OLD, HAND)
    else:
        assert (docs / JOURNAL).is_file()
    # What the next generation (build_site.py or the MkDocs hook) does first, whatever it then writes:
    recover(docs)
    assert contents(docs) in (as_files(OLD, HAND), as_files(NEW, HAND))
    assert contents(docs) == as_files(NEW, HAND) or step == 1
    write_pages(docs, NEW)
    assert contents(docs) == as_files(NEW, HAND)


def test_interrupted_while_removing_is_completed_too(docs, monkeypatch):
    interrupt_at(monkeypatch, Path, "unlink", 1)
    with pytest.raises(Interrupted):
        write_pages(docs, NEW)
    monkeypatch.undo()
    assert (docs / JOURNAL).is_file()
    write_pages(docs, OLD)  # even a different next generation first completes the interrupted one
    assert contents(docs) == as_files(OLD, HAND)
    assert not (docs / JOURNAL).exists() and not (docs / STAGING).exists()


def test_the_staging_folder_is_invisible_to_mkdocs(project):
    """MkDocs leaves out files whose path has a part starting with a dot, so a half-staged page is never built."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    (project.docs_dir / STAGING / "reviews" / "x").mkdir(parents=True)
    (project.docs_dir / STAGING / "reviews" / "x" / "index.md").write_text("# staged\n")
    (project.docs_dir / JOURNAL).write_text("{}")
    files = get_files(load_config(str(project.config_file)))
    staged = [f.src_uri for f in files if STAGING in f.src_uri or JOURNAL in f.src_uri]
    assert staged and not any(files.get_file_from_path(uri).inclusion.is_included() for uri in staged)


def _build_snapshot(project) -> dict:
    return {"docs": snapshot(project.docs_dir), "site": snapshot(project.site_dir)}


@pytest.mark.parametrize("command", ["build", "generate"])
def test_an_invalid_record_leaves_the_previous_output_byte_identical(project, capsys, command):
    assert main(["build"], root=project.root) == 0
    before = _build_snapshot(project)
    article = project.records_dir / REVIEW_ID / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace('pmid: "20571772"', 'pmid: "020571772"'),
                       encoding="utf-8")
    os.utime(article)
    assert main([command], root=project.root) == 1
    err = capsys.readouterr().err
    assert "a PMID never starts with 0" in err
    assert "nothing was written: docs/ and site/ still hold the last good build." in err
    assert _build_snapshot(project) == before
    assert not (project.docs_dir / STAGING).exists()


def test_an_interrupted_generation_is_completed_even_when_the_next_run_finds_an_invalid_record(project, monkeypatch):
    assert main(["generate"], root=project.root) == 0
    article = project.records_dir / REVIEW_ID / "article.yaml"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace('title: "Do RANKL', 'title: "Changed: do RANKL'), encoding="utf-8")
    interrupt_writer_replace(monkeypatch, 3)  # the journal, then one page: the others still old
    with pytest.raises(Interrupted):
        main(["generate"], root=project.root)
    monkeypatch.undo()
    article.write_text(text.replace('pmid: "20571772"', 'pmid: "x"'), encoding="utf-8")
    assert main(["generate"], root=project.root) == 1
    pages = sorted((project.docs_dir / "reviews" / REVIEW_ID).glob("*.md"))
    assert len(pages) >= 2
    assert all("Changed: do RANKL" in page.read_text(encoding="utf-8") for page in pages)


@pytest.mark.parametrize(("site_dir", "reason"), [
    (".", "that would replace the project itself"),
    ("..", "that would replace the project itself"),
    ("docs", "it lies inside docs/"),
    ("docs/site", "it lies inside docs/"),
    ("records", "it exists and holds something other than a built site"),
    ("missing/site", "its parent folder"),
])
def test_build_never_replaces_a_folder_that_is_not_a_site(project, capsys, site_dir, reason):
    """The build swaps its result in for the whole site folder, so that folder is checked first (exit 2)."""
    before = snapshot(project.root)
    assert main(["build", "--site-dir", str(project.root / site_dir)], root=project.root) == 2
    assert reason in capsys.readouterr().err
    assert snapshot(project.root) == before


def test_build_into_a_new_folder_then_again(project):
    out = str(project.root / "out")
    assert main(["build", "--site-dir", out], root=project.root) == 0
    assert main(["build", "--site-dir", out], root=project.root) == 0
    assert (project.root / "out" / "index.html").is_file()
