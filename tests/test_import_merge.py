"""Merging never loses a maintainer's work: comments, order and values stay; differences are reported."""

from __future__ import annotations

import shutil
from pathlib import Path

from reviewsite.cli import main
from reviewsite.load.records import load_review

FIXTURES = Path(__file__).parent / "fixtures" / "import"
REVIEW = "example-widget-2020"
SOURCE = ["--source-url", "https://example.org/export", "--source-name", "Example reference manager export"]


def _commented_review(project) -> Path:
    folder = project.records_dir / REVIEW
    folder.mkdir()
    shutil.copy(FIXTURES / "commented-review" / "article.yaml", folder / "article.yaml")
    return folder


def _comments(text: str) -> list[str]:
    return [line[line.index("#"):] for line in text.splitlines() if "#" in line and '"#' not in line]


def test_import_into_a_commented_record_keeps_comments_order_and_values(project, capsys):
    folder = _commented_review(project)
    original = (folder / "article.yaml").read_text(encoding="utf-8")
    assert main(["import", str(FIXTURES / "review-article.nbib"), "--review", REVIEW], root=project.root) == 0
    out = capsys.readouterr().out
    merged = (folder / "article.yaml").read_text(encoding="utf-8")
    assert _comments(merged) == _comments(original)
    lines = merged.splitlines()
    # Each comment stays on its line or right above the key it describes.
    assert '  title: "Example journal of medicine"   # publisher\'s page' in lines
    assert lines[lines.index("# Only the first author was known when this was written.") + 1] == "authors:"
    # The maintainer's keys keep their order; imported keys go where the schema puts them.
    keys = [line.split(":")[0] for line in lines if line and line[0].isalpha()]
    assert keys == ["title", "journal", "published", "epub", "volume", "issue", "pages", "doi", "pmid", "pmcid",
                    "publication_types", "language", "authors", "authors_complete", "affiliations", "keywords",
                    "mesh_terms", "copyright", "sources"]
    # A different value is a conflict: reported, and the record's value kept.
    assert "volume: the record has '13', the file '12'; kept the record's" in out
    assert 'volume: "13"                             # deliberately wrong, to make a conflict' in lines
    review, problems = load_review(folder, project.root)
    assert review is not None, [p.format() for p in problems]
    article = review.article
    # The one known author is completed, the others appended, and the list is now whole.
    assert [(a.family or a.collective, a.given, a.initials) for a in article.authors] == [
        ("Müller", "Anna Katharina", "AK"), ("Ørsted", "Hans", "H"), ("O'Brien", "Seán", "S"),
        ("Example Widget Study Group", None, None)]
    assert article.authors_complete is True
    assert article.publication_types == ["Review", "Journal Article", "Research Support, Non-U.S. Gov't"]
    assert [s.id for s in article.sources] == ["publisher", "pubmed"]
    assert article.sources[0].used_for == "title, journal, date, volume, publication type, first author"


def test_overwrite_replaces_a_conflicting_value_and_keeps_its_comment(project, capsys):
    folder = _commented_review(project)
    assert main(["import", str(FIXTURES / "review-article.nbib"), "--review", REVIEW, "--overwrite"],
                root=project.root) == 0
    assert "volume: 13 -> 12" in capsys.readouterr().out
    assert 'volume: "12"                             # deliberately wrong, to make a conflict' in (
        folder / "article.yaml").read_text(encoding="utf-8").splitlines()


def test_references_already_listed_are_not_added_twice_but_completed(project, capsys):
    assert main(["import", str(FIXTURES / "review-article.nbib"), "--review", REVIEW], root=project.root) == 0
    assert main(["import", str(FIXTURES / "cited-works.nbib"), "--review", REVIEW], root=project.root) == 0
    capsys.readouterr()
    assert main(["import", str(FIXTURES / "cited-works.json"), "--review", REVIEW, *SOURCE],
                root=project.root) == 0
    out = capsys.readouterr().out
    review, problems = load_review(project.records_dir / REVIEW, project.root)
    assert review is not None, [p.format() for p in problems]
    refs = review.reference_list
    assert len(refs) == 4  # the three CSL-JSON items were all there already
    assert "already listed as reference 1 (same DOI)" in out
    assert "already listed as reference 3 (same journal, volume and pages)" in out
    assert "already listed as reference 2 (same citation)" in out
    # What the record lacked is filled in, and the new source is named for it.
    assert (refs[1].doi, refs[1].pmcid) == ("10.5555/example.12", "PMC99000012")
    assert refs[1].sources == ["pubmed-cited-works", "example-reference-manager-export"]
    # What differs is a conflict: the record keeps PubMed's form of the names.
    assert refs[0].authors == ["Müller AK", "Smith J"]
    assert "references[0].authors: the record has 'Müller AK, Smith J'" in out
    assert refs[0].sources == ["pubmed-cited-works"]  # a file that only disagrees does not become a source


def test_one_file_listing_a_work_twice_adds_it_once(project, tmp_path, capsys):
    text = (FIXTURES / "cited-works.ris").read_text(encoding="utf-8")
    first = text.split("\n\n")[0] + "\n"
    path = tmp_path / "twice.ris"
    path.write_text(first + "\n" + first, encoding="utf-8")
    assert main(["import", str(path), "--review", "ferrari-lacraz-2011", *SOURCE], root=project.root) == 0
    review, _ = load_review(project.records_dir / "ferrari-lacraz-2011", project.root)
    assert [r.doi for r in review.reference_list].count("10.5555/example.11") == 1
    assert "already listed as reference 6 (same DOI)" in capsys.readouterr().out


def test_import_into_the_real_review_keeps_its_files_byte_for_byte_where_untouched(project, capsys):
    folder = project.records_dir / "ferrari-lacraz-2011"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert main(["import", str(FIXTURES / "cited-works.bib"), "--review", "ferrari-lacraz-2011", *SOURCE],
                root=project.root) == 0
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert after["abstract.yaml"] == before["abstract.yaml"] and after["erratum.yaml"] == before["erratum.yaml"]
    old_article = before["article.yaml"].decode()
    assert after["article.yaml"].decode().startswith(old_article.rstrip("\n"))  # the new source is appended
    old_refs, new_refs = before["references.yaml"].decode(), after["references.yaml"].decode()
    # Every line of the hand-written list survives; only the flow lists wrapped by hand are joined.
    assert _comments(new_refs) == _comments(old_refs)
    assert new_refs.count("- citation:") == old_refs.count("- citation:") + 3


def test_a_review_export_without_a_source_is_refused(project, capsys):
    before = {p: p.read_bytes() for p in project.records_dir.rglob("*") if p.is_file()}
    assert main(["import", str(FIXTURES / "cited-works.ris"), "--review", "ferrari-lacraz-2011"],
                root=project.root) == 1
    err = capsys.readouterr().err
    assert "every imported value needs a source" in err and "--source-url" in err
    assert {p: p.read_bytes() for p in project.records_dir.rglob("*") if p.is_file()} == before


def test_a_result_that_would_not_pass_check_is_not_written(project, capsys):
    # A record without its date (PY taken out): a new article.yaml requires `published`, so the import stops,
    # with check's message.
    path = FIXTURES / "cited-works.ris"
    text = path.read_text(encoding="utf-8").split("\n\n")[0].replace("PY  - 2016/05/15/\n", "") + "\n"
    single = project.root / "one.ris"
    single.write_text(text, encoding="utf-8")
    assert main(["import", str(single), "--review", "new-review", *SOURCE], root=project.root) == 1
    err = capsys.readouterr().err
    assert "records/new-review/article.yaml" in err and "required field 'published' is missing" in err
    assert "nothing was written" in err
    assert not (project.records_dir / "new-review").exists()


def test_references_need_the_review_first(project, capsys):
    assert main(["import", str(FIXTURES / "cited-works.nbib"), "--review", "no-such-review"],
                root=project.root) == 1
    assert "import the review's own record first" in capsys.readouterr().err


def test_several_records_as_the_article_are_refused(project, capsys):
    assert main(["import", str(FIXTURES / "cited-works.nbib"), "--review", REVIEW, "--article"],
                root=project.root) == 1
    assert "the file holds 4 records" in capsys.readouterr().err


def test_a_wrong_command_line_exits_2(project, capsys):
    for argv in (["import", "x.nbib"], ["import", "x.nbib", "--review", "a", "--format", "word"], ["new"]):
        try:
            main(argv, root=project.root)
        except SystemExit as exc:
            assert exc.code == 2
        else:
            raise AssertionError(f"{argv} was accepted")


def test_dry_run_writes_nothing(project, capsys):
    assert main(["import", str(FIXTURES / "review-article.nbib"), "--review", REVIEW, "--dry-run"],
                root=project.root) == 0
    assert "dry run: nothing was written" in capsys.readouterr().out
    assert not (project.records_dir / REVIEW).exists()


def test_a_record_yaml_cannot_read_is_reported_not_overwritten(project, capsys):
    folder = _commented_review(project)
    broken = (folder / "article.yaml").read_text(encoding="utf-8") + "title: \"a second title\"\n  bad: [\n"
    (folder / "article.yaml").write_text(broken, encoding="utf-8")
    assert main(["import", str(FIXTURES / "review-article.nbib"), "--review", REVIEW], root=project.root) == 1
    err = capsys.readouterr().err
    assert f"records/{REVIEW}/article.yaml:" in err and "must pass `check` before an import" in err
    assert (folder / "article.yaml").read_text(encoding="utf-8") == broken


def test_an_import_that_would_break_the_summary_writes_nothing(project, capsys):
    """summary.yaml is never written by an import, but it cites abstract sections: replacing the abstract with
    `--overwrite` must be checked against it, or the import writes records that `check` then refuses."""
    folder = project.records_dir / "example-summary"
    shutil.copytree(Path(__file__).parent / "fixtures" / "summary" / "example-summary", folder)
    before = {f.name: f.read_bytes() for f in folder.iterdir()}
    # Constructed for this test: the fixture review's own identifiers, with a one-sentence abstract.
    export = project.root / "one-sentence.nbib"
    export.write_text("PMID- 1234599\nTI  - Example C: a synthetic review of widget therapy\nDP  - 2020 Mar\n"
                      "AB  - Widgets are invented.\nLID - 10.1234/example.summary [doi]\n", encoding="utf-8")
    assert main(["import", str(export), "--review", "example-summary", "--overwrite", *SOURCE],
                root=project.root) == 1
    err = capsys.readouterr().err
    assert "records/example-summary/summary.yaml:7:19: error: key_points[0].supported_by[0].abstract: " \
           "the abstract has no section 2" in err
    assert "nothing was written" in err
    assert {f.name: f.read_bytes() for f in folder.iterdir()} == before
