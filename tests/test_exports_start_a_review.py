"""A review starts from any export format (issue 14, items 9 and 10).

The review's own record as RIS, BibTeX or CSL-JSON (made-up exports in tests/fixtures/import/own-record/, with
no publication type and no journal abbreviation, and one with no author) imports, passes `check` and builds,
with the missing fields left out and never shown as "None" or a placeholder. After `new`, an import fills or
removes the scaffold's placeholders, so `new` + `import` passes `check --strict` as `import` alone does.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reviewsite.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "import"
OWN = FIXTURES / "own-record"
EXPORTS = [OWN / "zotero-review.ris", OWN / "scopus-review.bib", OWN / "publisher-review.json",
           OWN / "no-authors.ris", FIXTURES / "review-article.json", FIXTURES / "review-article.nbib"]


def import_review(project, export: Path, review: str) -> int:
    source = [] if export.suffix == ".nbib" else ["--source-url", f"https://example.org/{review}",
                                                  "--source-name", "Made-up export"]
    return main(["import", str(export), "--review", review, *source], root=project.root)


@pytest.mark.parametrize("export", EXPORTS, ids=lambda p: p.name)
def test_an_export_alone_starts_a_review_that_checks_and_builds(project, capsys, export):
    review = "example-started"
    assert import_review(project, export, review) == 0, capsys.readouterr().err
    assert main(["check", "--strict"], root=project.root) == 0, capsys.readouterr().err
    assert main(["build"], root=project.root) == 0, capsys.readouterr().err
    page = (project.site_dir / "reviews" / review / "index.html").read_text(encoding="utf-8")
    assert ">None<" not in page and "None" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_without_authors_publication_types_or_abbreviation_the_page_says_so_and_exports_omit_them(project, capsys):
    review = "example-no-authors"
    assert import_review(project, OWN / "no-authors.ris", review) == 0
    assert main(["build"], root=project.root) == 0, capsys.readouterr().err
    folder = project.docs_dir / "reviews" / review
    page = (folder / "index.md").read_text(encoding="utf-8")
    body = page.split("\n---\n", 1)[1]
    assert "Authors not recorded." in body
    assert "review-type" not in body and "## Publication types" not in body
    assert '<p class="review-journal">Invented Seminars</p>' in body
    front = page.split("\n---\n", 1)[0]
    for tag in ("citation_author", "DC.creator", '"author"', "genre"):
        assert tag not in front
    assert "author" not in json.loads((folder / f"{review}.json").read_text(encoding="utf-8"))[0]
    assert "AU  -" not in (folder / f"{review}.ris").read_text(encoding="utf-8")
    assert "author =" not in (folder / f"{review}.bib").read_text(encoding="utf-8")
    # No style writes the title twice where it stands in for the missing authors (citeproc-py would).
    title = "Made-up seminar on an invented disease, with no author named by its source"
    for line in body.splitlines():
        if 'class="cite-text"' in line:
            assert line.lower().count(title.lower()) == 1, line
    everything = (project.docs_dir / "reviews" / "all.md").read_text(encoding="utf-8")
    assert '<span class="review-not-recorded">not recorded</span></td><td>Invented Seminars</td>' in everything
    home = (project.docs_dir / "index.md").read_text(encoding="utf-8")
    assert '<span class="review-not-recorded">Authors not recorded</span>, Invented Seminars, ' in home
    by_year = (project.docs_dir / "reviews" / "by-year.md").read_text(encoding="utf-8")
    assert f"{title}</a> — Invented Seminars</li>" in by_year


def test_a_journal_needs_a_title_or_an_abbreviation(project, capsys):
    article = project.records_dir / "ferrari-lacraz-2011" / "article.yaml"
    text = article.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith(("  title:", "  iso_abbreviation:"))]
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["check"], root=project.root) == 1
    err = capsys.readouterr().err
    assert "error: journal: a journal needs a name" in err and "fix: add `title:`" in err


def record_files(folder: Path) -> dict[str, object]:
    from reviewsite.importers.yamlio import load_text, plain

    return {p.name: plain(load_text(p.read_text(encoding="utf-8"))) for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("export", EXPORTS, ids=lambda p: p.name)
def test_new_then_import_passes_check_as_import_alone_does(project, capsys, export):
    review = "example-started"
    assert import_review(project, export, review) == 0
    alone = record_files(project.records_dir / review)
    shutil.rmtree(project.records_dir / review)  # the same article may not be recorded twice
    assert main(["new", review], root=project.root) == 0
    assert import_review(project, export, review) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "still the empty template" not in out
    assert main(["check", "--strict"], root=project.root) == 0, capsys.readouterr().err
    scaffolded = record_files(project.records_dir / review)
    assert scaffolded["article.yaml"].pop("draft") == "true"  # `new` starts a draft; the rest is the same
    for records in (alone, scaffolded):
        for source in records["article.yaml"]["sources"]:
            source.pop("url"), source.pop("used_for", None)
    assert scaffolded == alone
    assert main(["build"], root=project.root) == 0
    assert not (project.site_dir / "reviews" / review).exists()  # a draft until the line goes
