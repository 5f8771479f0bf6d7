"""A build of many reviews builds their pages a batch at a time, each batch in a process of its own
(reviewsite/hooks/batches.py): the same site as one MkDocs build, the same strict failures, and no process of
MkDocs' holding more than a batch's review pages."""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest

from conftest import import_benchmark
from reviewsite import cli
from reviewsite.hooks import batches

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the build forks only on Linux")

REVIEWS = 5
PER_BATCH = 2  # three batches: 2, 2 and 1 reviews


def _files(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _batched(monkeypatch, per: int = PER_BATCH) -> None:
    monkeypatch.setattr(cli, "APART_FROM", 1)
    monkeypatch.setattr(cli, "can_fork", lambda: True)  # a full test run leaves idle threads behind
    monkeypatch.setattr(batches, "REVIEWS_PER_BATCH", per)


@pytest.fixture
def reviews(tmp_path):
    """A project of REVIEWS synthetic reviews, and a copy of it."""
    root = import_benchmark().make_project(tmp_path / "p", REVIEWS)
    return root, shutil.copytree(root, tmp_path / "twin")


def _edit_a_title(root) -> None:
    article = sorted((root / "records").iterdir())[1] / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace('title: "', 'title: "Edited: ', 1),
                       encoding="utf-8")


def test_the_batched_build_is_the_one_process_build_file_for_file(reviews, monkeypatch):
    one, batched = reviews
    assert cli.main(["build"], root=one) == 0  # 5 reviews: below APART_FROM, one MkDocs build in this process
    _batched(monkeypatch)
    assert cli.main(["build"], root=batched) == 0
    site = _files(batched / "site")
    assert site == _files(one / "site")
    assert site["sitemap.xml"].count(b"/references/</loc>") == REVIEWS  # every review page is still listed
    # After an edit, the unchanged pages come from the last site in every batch; still the same site.
    for root in (one, batched):
        _edit_a_title(root)
    monkeypatch.setattr(cli, "APART_FROM", 10_000)
    assert cli.main(["build"], root=one) == 0
    _batched(monkeypatch)
    kept = batched / "site" / "reviews" / "bench-0005" / "index.html"
    inode = kept.stat().st_ino
    assert cli.main(["build"], root=batched) == 0
    assert kept.stat().st_ino == inode  # linked from the last site, in the last batch's process
    assert _files(batched / "site") == _files(one / "site")


def _note_the_pages_each_process_holds(monkeypatch, folder) -> None:
    """Each time MkDocs writes a page, a line in a file named for the process: the review pages MkDocs' files hold
    then, and the page."""
    import mkdocs.commands.build as mkdocs_build

    build_page = mkdocs_build._build_page

    def spy(page, config, doc_files, *args, **kwargs):
        held = sorted(f.src_uri for f in doc_files if batches.review_of(f.src_uri) is not None)
        with (folder / f"{os.getpid()}.jsonl").open("a", encoding="utf-8") as stream:
            stream.write(json.dumps({"page": page.file.src_uri, "held": held}) + "\n")
        return build_page(page, config, doc_files, *args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_build_page", spy)


def test_no_process_of_mkdocs_holds_more_than_a_batch_of_review_pages(reviews, monkeypatch, tmp_path):
    root, _ = reviews
    notes = tmp_path / "notes"
    notes.mkdir()
    _note_the_pages_each_process_holds(monkeypatch, notes)
    _batched(monkeypatch)
    assert cli.main(["build"], root=root) == 0
    processes = {int(path.stem): [json.loads(line) for line in path.read_text().splitlines()]
                 for path in notes.iterdir()}
    assert os.getpid() not in processes
    written = [note["page"] for notes in processes.values() for note in notes]
    assert len(written) == len(set(written))  # each page written once
    pages_of_reviews = [page for page in written if batches.review_of(page) is not None]
    assert len(pages_of_reviews) == 2 * REVIEWS
    main = [pid for pid, notes in processes.items() if any(note["page"] == "index.md" for note in notes)]
    assert len(main) == 1 and all(note["held"] == [] for note in processes[main[0]])  # MkDocs' own process
    batch_processes = [notes for pid, notes in processes.items() if pid != main[0]]
    assert len(batch_processes) == 3
    for notes in batch_processes:
        reviews_held = {batches.review_of(page) for note in notes for page in note["held"]}
        assert 1 <= len(reviews_held) <= PER_BATCH
        assert {batches.review_of(note["page"]) for note in notes} == reviews_held


def test_a_mkdocs_release_the_batches_were_not_tested_on_builds_in_one_process(reviews, monkeypatch, tmp_path):
    # The batches call MkDocs' private functions: another release of MkDocs may have changed them.
    assert batches.batches_known_to_work()  # the pinned release (requirements.lock)
    root, twin = reviews
    notes = tmp_path / "notes"
    notes.mkdir()
    _note_the_pages_each_process_holds(monkeypatch, notes)
    _batched(monkeypatch)
    monkeypatch.setattr(batches, "KNOWN_MKDOCS", frozenset({"0.0"}))
    assert cli.main(["build"], root=root) == 0
    (process,) = [[json.loads(line) for line in path.read_text().splitlines()] for path in notes.iterdir()]
    assert len([note for note in process if batches.review_of(note["page"]) is not None]) == 2 * REVIEWS
    monkeypatch.setattr(cli, "APART_FROM", 10_000)
    assert cli.main(["build"], root=twin) == 0
    assert _files(root / "site") == _files(twin / "site")


def test_a_link_into_a_review_page_resolves_and_its_anchor_is_checked(reviews, monkeypatch, capfd):
    root, _ = reviews
    _batched(monkeypatch)
    notes = root / "docs" / "notes.md"
    notes.write_text("# Notes\n\nSee [its abstract](reviews/bench-0003/index.md#abstract).\n", encoding="utf-8")
    assert cli.main(["build"], root=root) == 0
    assert 'href="../reviews/bench-0003/#abstract"' in (root / "site" / "notes" / "index.html").read_text("utf-8")
    notes.write_text("# Notes\n\nSee [its summary](reviews/bench-0003/index.md#no-such-part).\n", encoding="utf-8")
    capfd.readouterr()
    assert cli.main(["build"], root=root) == cli.EXIT_INVALID
    error = capfd.readouterr().err
    assert "does not contain an anchor '#no-such-part'" in error and "strict mode" in error


def test_a_warning_in_a_batch_fails_the_strict_build(reviews, monkeypatch, capfd):
    import logging

    import mkdocs.structure.pages as pages

    root, _ = reviews
    _batched(monkeypatch)
    render = pages.Page.render

    def warn_once(self, config, files):  # as MkDocs warns of a page's problem while converting it
        if self.file.src_uri == "reviews/bench-0004/references.md":
            logging.getLogger("mkdocs.structure.pages").warning("a problem in %s", self.file.src_uri)
        return render(self, config, files)

    monkeypatch.setattr(pages.Page, "render", warn_once)
    capfd.readouterr()
    assert cli.main(["build"], root=root) == cli.EXIT_INVALID
    error = capfd.readouterr().err
    assert "a problem in reviews/bench-0004/references.md" in error
    assert "Aborted with 1 warnings in strict mode" in error
    assert not (root / "site").exists()


def test_a_batched_and_a_one_process_build_take_each_others_pages(reviews, monkeypatch):
    """The reuse record's signature is the whole site's in both: switching (the collection crossing APART_FROM, a
    plain build after a sharded one) renders no page again."""
    import mkdocs.structure.pages as pages

    root, _ = reviews
    _batched(monkeypatch)
    assert cli.main(["build"], root=root) == 0
    rendered: list[str] = []
    render = pages.Page.render

    def noted(self, config, files):
        rendered.append(self.file.src_uri)
        return render(self, config, files)

    monkeypatch.setattr(pages.Page, "render", noted)
    for apart_from in (10_000, 1):  # one process, then batched again
        monkeypatch.setattr(cli, "APART_FROM", apart_from)
        (root / ".cache" / "site.json").unlink()  # MkDocs runs, though nothing changed
        site = (root / "site").stat().st_ino
        assert cli.main(["build"], root=root) == 0
        assert (root / "site").stat().st_ino != site  # a new site folder: MkDocs ran
        assert rendered == []  # every page taken from the last build
