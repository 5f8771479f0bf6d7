"""RIS, BibTeX and CSL-JSON exports: detected, read with their parsers, and imported field by field."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewsite.cli import main
from reviewsite.importers.detect import detect_format
from reviewsite.importers.model import ImportFailed
from reviewsite.load.records import load_review

FIXTURES = Path(__file__).parent / "fixtures" / "import"
REVIEW = "example-widget-2020"
SOURCE = ["--source-url", "https://example.org/export", "--source-name", "Example reference manager export"]


@pytest.mark.parametrize(("name", "expected"), [
    ("review-article.nbib", "medline"), ("cited-works.nbib", "medline"), ("cited-works.ris", "ris"),
    ("cited-works.bib", "bibtex"), ("cited-works.json", "csl-json"), ("review-article.json", "csl-json"),
])
def test_format_is_detected_from_the_content(name, expected, tmp_path):
    # A misleading name does not matter: the content decides.
    copy = tmp_path / "export.txt"
    copy.write_bytes((FIXTURES / name).read_bytes())
    assert detect_format(copy.read_text(encoding="utf-8"), copy) == expected


def test_an_unknown_format_is_refused(tmp_path):
    with pytest.raises(ImportFailed, match="cannot tell the export format"):
        detect_format("Just some notes.\n", tmp_path / "notes.ris")


def _import_references(project, name: str, capsys) -> tuple:
    assert main(["import", str(FIXTURES / "review-article.nbib"), "--review", REVIEW], root=project.root) == 0
    capsys.readouterr()
    assert main(["import", str(FIXTURES / name), "--review", REVIEW, *SOURCE], root=project.root) == 0
    out = capsys.readouterr().out
    review, problems = load_review(project.records_dir / REVIEW, project.root)
    assert review is not None, [p.format() for p in problems]
    return review, out


def _fields(ref) -> tuple:
    return (ref.citation, ref.title, ref.authors, ref.group_author, ref.journal, ref.year, ref.volume, ref.issue,
            ref.pages, ref.doi, ref.pmid, ref.pmcid, ref.sources)


def test_ris_references(project, capsys):
    review, out = _import_references(project, "cited-works.ris", capsys)
    source = "example-reference-manager-export"
    assert [_fields(r) for r in review.reference_list] == [
        ("Example J Med. 2016 May 15;8(2):54-64", "Example trial of widget therapy in adults.",
         ["Müller, Anna Katharina", "Smith, John"], None, "Example J Med", "2016", "8", "2", "54-64",
         "10.5555/example.11", None, None, [source]),
        ("Example Consens Rev. 2019;40(1):1-9", "Example consensus statement on widgets, without a DOI.", [],
         "Example Widget Consensus Panel", "Example Consens Rev", "2019", "40", "1", "1-9", None, None, None,
         [source]),
        # No abbreviation in the file: the full title names the journal. The doi.org address is made bare.
        ("Imaginary disease reports. 2002 Oct;219(2):82-91", "Example cohort of imaginary disease.",
         ["Ørsted, Hans", "Núñez, José"], None, "Imaginary disease reports", "2002", "219", "2", "82-91",
         "10.5555/example.12", None, None, [source]),
    ]
    assert "author addresses (AD) left out" in out
    assert review.references.complete is False


def test_bibtex_references(project, capsys):
    review, _ = _import_references(project, "cited-works.bib", capsys)
    source = "example-reference-manager-export"
    assert [_fields(r) for r in review.reference_list] == [
        ("Example J Med. 2016 May;8(2):54-64", "Example trial of widget therapy in adults",
         ["Müller, Anna Katharina", "Smith, John"], None, "Example J Med", "2016", "8", "2", "54-64",
         "10.5555/example.11", "99000011", None, [source]),
        ("Example Consens Rev. 2019;40(1):1-9", "Example consensus statement on widgets, without a DOI", [],
         "Example Widget Consensus Panel", "Example Consens Rev", "2019", "40", "1", "1-9", None, None, None,
         [source]),
        ("Imaginary Dis Rep. 2002 Oct;219(2):82-91", "Example cohort of imaginary disease",
         ["Ørsted, Hans", "Núñez, José", "Lindqvist, Åsa"], None, "Imaginary Dis Rep", "2002", "219", "2",
         "82-91", "10.5555/example.12", None, "PMC99000012", [source]),
    ]


def test_csl_json_references(project, capsys):
    review, _ = _import_references(project, "cited-works.json", capsys)
    source = "example-reference-manager-export"
    assert [_fields(r) for r in review.reference_list] == [
        ("Example J Med. 2016 May 15;8(2):54-64", "Example trial of widget therapy in adults",
         ["Müller, Anna Katharina", "Smith, John"], None, "Example J Med", "2016", "8", "2", "54-64",
         "10.5555/example.11", "99000011", None, [source]),
        ("Example Consens Rev. 2019;40(1):1-9", "Example consensus statement on widgets, without a DOI", [],
         "Example Widget Consensus Panel", "Example Consens Rev", "2019", "40", "1", "1-9", None, None, None,
         [source]),
        ("Imaginary Dis Rep. 2002 Oct;219(2):82-91", "Example cohort of imaginary disease",
         ["Ørsted, Hans", "Núñez, José"], None, "Imaginary Dis Rep", "2002", "219", "2", "82-91",
         "10.5555/example.12", None, "PMC99000012", [source]),
    ]


def test_medline_references_get_a_pubmed_source_and_pubmed_citations(project, capsys):
    assert main(["import", str(FIXTURES / "review-article.nbib"), "--review", REVIEW], root=project.root) == 0
    # No --source-url: a MEDLINE export names its records by PMID, so the source is PubMed's.
    assert main(["import", str(FIXTURES / "cited-works.nbib"), "--review", REVIEW], root=project.root) == 0
    review, problems = load_review(project.records_dir / REVIEW, project.root)
    assert review is not None, [p.format() for p in problems]
    refs = review.reference_list
    assert [r.citation for r in refs] == [
        "Example J Med. 2016 May 15;8(2):54-64", "Imaginary Dis Rep. 2002 Oct;219(2):82-91",
        "Example Consens Rev. 2019 Jan-Feb;40(1):1-9", "Example Open Med. 2021;5:e1234"]
    assert [(r.title, r.journal, r.year, r.volume, r.issue, r.pages) for r in refs] == [
        ("Example trial of widget therapy in adults.", "Example J Med", "2016", "8", "2", "54-64"),
        ("Example cohort of imaginary disease without a digital object identifier.", "Imaginary Dis Rep", "2002",
         "219", "2", "82-91"),
        ("Example consensus statement on widgets.", "Example Consens Rev", "2019", "40", "1", "1-9"),
        ("Example pilot study of widget dosing published online only.", "Example Open Med", "2021", "5", None,
         "e1234")]
    assert [(r.doi, r.pmid, r.pmcid) for r in refs] == [
        ("10.5555/example.11", "99000011", None), (None, "99000012", None),
        ("10.5555/example.13", "99000013", "PMC99000013"), ("10.5555/example.14", "99000014", None)]
    assert [(r.authors, r.group_author) for r in refs] == [
        (["Müller AK", "Smith J"], None), (["Ørsted H"], None), ([], "Example Widget Consensus Panel"),
        (["Núñez J", "Lindqvist Å"], "Example Pilot Investigators")]
    (source_id,) = {s for r in refs for s in r.sources}
    source = next(s for s in review.article.sources if s.id == source_id)
    assert (source.id, source.name) == ("pubmed-cited-works", "PubMed records of 4 cited works")
    assert source.url == "https://pubmed.ncbi.nlm.nih.gov/?term=99000011%2099000012%2099000013%2099000014"


def test_csl_json_article_into_an_existing_review(project, capsys):
    """Another format's record of the same review: what is new is added, differences are conflicts."""
    assert main(["import", str(FIXTURES / "review-article.nbib"), "--review", REVIEW], root=project.root) == 0
    capsys.readouterr()
    assert main(["import", str(FIXTURES / "review-article.json"), "--review", REVIEW, *SOURCE],
                root=project.root) == 0
    out = capsys.readouterr().out
    review, problems = load_review(project.records_dir / REVIEW, project.root)
    assert review is not None, [p.format() for p in problems]
    assert review.article.keywords == ["Widget therapy", "Imaginary disease", "Synthetic trials",
                                       "Example publisher keyword"]
    # '101-115' vs PubMed's '101-15' and 'en' vs 'eng': reported, and the record's values kept.
    assert "pages: the record has '101-15', the file '101-115'" in out
    assert "language: the record has 'eng', the file 'en'" in out
    assert (review.article.pages, review.article.language) == ("101-15", "eng")
    # The abstract is the same text, so the new source is added to it as a second witness.
    assert review.abstract.sources == ["pubmed", "example-reference-manager-export"]


@pytest.mark.parametrize(("name", "text", "line", "words"), [
    ("bad.ris", "TY  - JOUR\nTI  - Example\nER  - \nstray text\n", 4, "not a RIS line"),
    ("bad2.ris", "TY  - JOUR\nTI  - Example without an end\n", 1, "no end tag"),
    ("bad.bib", "@article{a,\n  title = {Example},\n}\n\n@article{b,\n  title = {Unclosed\n", 5, "cannot be read"),
    ("bad.json", '[\n  {"title": "Example",}\n]\n', 2, "not valid JSON"),
])
def test_a_malformed_export_names_the_line_and_changes_nothing(project, tmp_path, capsys, name, text, line, words):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = {p: p.read_bytes() for p in project.records_dir.rglob("*") if p.is_file()}
    args = ["import", str(path), "--review", "ferrari-lacraz-2011", "--references", *SOURCE]
    assert main(args, root=project.root) == 1
    err = capsys.readouterr().err
    assert f"{name}:{line}:" in err and words in err
    assert {p: p.read_bytes() for p in project.records_dir.rglob("*") if p.is_file()} == before
