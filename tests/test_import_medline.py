"""The MEDLINE reader follows NLM's rules, and a PubMed export of a review fills its records field by field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reviewsite.cli import main
from reviewsite.importers import medline
from reviewsite.importers.model import ImportFailed
from reviewsite.load.records import load_review

FIXTURES = Path(__file__).parent / "fixtures" / "import"
ARTICLE = FIXTURES / "review-article.nbib"
REVIEW = "example-widget-2020"


def parse(text: str):
    return medline.parse(text, "test.nbib").works


def test_continuation_lines_join_with_one_space():
    (work,) = parse("PMID- 99000031\nTI  - Example title that is\n      continued on the next line.\nDP  - 2020\n")
    assert work.title == "Example title that is continued on the next line."


def test_affiliations_belong_to_the_author_above_them():
    text = ("PMID- 99000032\nFAU - Müller, Anna\nAU  - Müller A\nAD  - Place one.\nAD  - Place two.\n"
            "FAU - Ørsted, Hans\nAU  - Ørsted H\nAD  - Place three.\nCN  - Example Group\n")
    (work,) = parse(text)
    assert [(a.family, a.given, a.initials, a.collective, a.affiliations) for a in work.authors] == [
        ("Müller", "Anna", "A", None, ["Place one.", "Place two."]),
        ("Ørsted", "Hans", "H", None, ["Place three."]),
        (None, None, None, "Example Group", []),
    ]


def test_au_without_fau_reads_initials_and_keeps_names_as_written():
    (work,) = parse("PMID- 99000033\nAU  - Smith JA\nAU  - Madonna\n")
    assert [(a.family, a.initials, a.given) for a in work.authors] == [("Smith", "JA", None),
                                                                       ("Madonna", None, None)]


def test_doi_comes_from_lid_or_aid_marked_doi_only():
    (work,) = parse("PMID- 99000034\nLID - e1234 [pii]\nAID - S0000-0000(20)1 [pii]\nAID - 10.5555/example.34 [doi]\n")
    assert work.doi == "10.5555/example.34"


def test_dates_issns_and_epub_from_phst_when_dep_is_missing():
    (work,) = parse("PMID- 99000035\nDP  - 2011 Feb 3\nIS  - 1555-0001 (Print)\nIS  - 2049-5552 (Electronic)\n"
                    "IS  - 1555-0001 (Linking)\nPHST- 2010/06/23 00:00 [epublish]\nPHST- 2010/01/02 00:00 [received]\n")
    assert (work.published, work.published_text, work.epub) == ("2011-02-03", "2011 Feb 3", "2010-06-23")
    assert (work.issn_print, work.issn_electronic) == ("1555-0001", "2049-5552")


def test_a_date_range_keeps_the_year_and_says_so():
    (work,) = parse("PMID- 99000036\nDP  - 2019 Jan-Feb\n")
    assert (work.published, work.published_text) == ("2019", "2019 Jan-Feb")
    assert "recorded as the year 2019" in work.notes[0]


def test_mesh_qualifiers_and_major_topics():
    (work,) = parse("PMID- 99000037\nMH  - Humans\nMH  - Example Diseases/*drug therapy/epidemiology\n"
                    "MH  - *Widget Therapy\n")
    assert [(m.descriptor, m.qualifiers, m.major) for m in work.mesh_terms] == [
        ("Humans", [], False), ("Example Diseases", ["drug therapy", "epidemiology"], True),
        ("Widget Therapy", [], True)]


def test_erratum_line_splits_citation_doi_and_pmid():
    (work,) = parse("PMID- 99000038\nEIN - Example J Med. 2020 Jun;12(6):300. doi: 10.5555/example.99. "
                    "PMID: 99000099.\nEIN - Example J Med. 2021 Jan;13(1):5\n")
    assert [(e.citation, e.doi, e.pmid) for e in work.errata] == [
        ("Example J Med. 2020 Jun;12(6):300", "10.5555/example.99", "99000099"),
        ("Example J Med. 2021 Jan;13(1):5", None, None)]


def test_structured_abstract_is_split_on_its_labels_only():
    (work,) = parse("PMID- 99000039\nAB  - BACKGROUND: One (95% CI: 1-2). METHODS: Two with HIV: none.\n"
                    "      CONCLUSIONS: Three.\n")
    assert work.abstract == [("BACKGROUND", "One (95% CI: 1-2)."), ("METHODS", "Two with HIV: none."),
                             ("CONCLUSIONS", "Three.")]
    (plain,) = parse("PMID- 99000040\nAB  - A plain abstract: no labels.\n")
    assert plain.abstract == [(None, "A plain abstract: no labels.")]


def test_records_are_separated_by_blank_lines():
    works = parse("\nPMID- 99000041\nTI  - One.\n\nPMID- 99000042\nTI  - Two.\n")
    assert [(w.pmid, w.title, w.line) for w in works] == [("99000041", "One.", 2), ("99000042", "Two.", 5)]


@pytest.mark.parametrize(("text", "line", "words"), [
    ("PMID- 99000043\nTI  - Title\nA line with no tag.\n", 3, "not a MEDLINE line"),
    ("      continued from nothing\n", 1, "no field above it"),
    ("PMID- 99000044\nTI    Title without the dash\n", 2, "not a MEDLINE line"),
])
def test_a_malformed_line_is_reported_with_its_number(text, line, words):
    with pytest.raises(ImportFailed) as caught:
        parse(text)
    assert caught.value.line == line and words in caught.value.message
    assert f"test.nbib:{line}:" in str(caught.value)


def test_import_of_the_review_fills_every_field(project, capsys):
    assert main(["import", str(ARTICLE), "--review", REVIEW], root=project.root) == 0
    out = capsys.readouterr().out
    folder = project.records_dir / REVIEW
    review, problems = load_review(folder, project.root)
    assert review is not None, [p.format() for p in problems]
    article = review.article
    assert article.title == "Example review of widget therapy in an imaginary disease: what the synthetic trials show."
    assert (article.journal.title, article.journal.iso_abbreviation) == ("Example journal of medicine",
                                                                         "Example J Med")
    assert (article.journal.issn_print, article.journal.issn_electronic) == ("1555-0001", "2049-5552")
    assert (article.published, article.epub) == ("2020-03", "2020-01-15")
    assert (article.volume, article.issue, article.pages) == ("12", "3", "101-15")
    assert (article.doi, article.pmid, article.pmcid) == ("10.5555/example.1", "99000001", "PMC99000001")
    assert article.publication_types == ["Journal Article", "Review", "Research Support, Non-U.S. Gov't"]
    assert article.language == "eng"
    assert [(a.family, a.given, a.initials, a.collective, a.orcid) for a in article.authors] == [
        ("Müller", "Anna Katharina", "AK", None, "0000-0001-5555-0008"),
        ("Ørsted", "Hans", "H", None, None),
        ("O'Brien", "Seán", "S", None, None),
        (None, None, None, "Example Widget Study Group", None),
    ]
    names = {a.id: a.name for a in article.affiliations}
    assert [[names[i] for i in a.affiliations] for a in article.authors] == [
        ["Department of Examples, Example University Hospital, Exampletown, Norway.",
         "Institute of Synthetic Data, Example University, Exampletown, Norway."],
        ["Faculty of Invented Medicine, University of Nowhere, Nowhere City, Denmark."],
        ["Department of Examples, Example University Hospital, Exampletown, Norway."],
        [],
    ]
    assert len(article.affiliations) == 3  # the shared affiliation is listed once
    assert article.keywords == ["Widget therapy", "Imaginary disease", "Synthetic trials"]
    assert [(m.descriptor, m.qualifiers, m.major) for m in article.mesh_terms] == [
        ("Animals", [], False), ("Example Diseases", ["drug therapy", "epidemiology"], True),
        ("Humans", [], False), ("Widget Therapy", ["adverse effects"], True)]
    assert article.copyright == "(c) 2020 Example Publisher. All rights reserved."
    (source,) = article.sources
    assert (source.id, source.name, source.url) == ("pubmed", "PubMed record PMID 99000001",
                                                    "https://pubmed.ncbi.nlm.nih.gov/99000001/")
    assert source.used_for.startswith("imported from review-article.nbib (medline): title, journal")
    assert [(s.label, s.text) for s in review.abstract.sections] == [
        ("BACKGROUND", "Widget therapy is an invented treatment used only in this test file."),
        ("METHODS", "We pretended to search three imaginary databases and to include 12 example trials (n = 1,234)."),
        ("RESULTS", "The invented effect was 0.5 (95% CI: 0.2-0.8); no real patient took part."),
        ("CONCLUSIONS", "Nothing here is a real finding."),
    ]
    assert review.abstract.sources == ["pubmed"]
    assert [(e.citation, e.doi, e.pmid, e.sources) for e in review.errata] == [
        ("Example J Med. 2020 Jun;12(6):300", "10.5555/example.99", "99000099", ["pubmed"])]
    assert "not imported: CIN" in out
    first_line = (folder / "article.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../../schema/article.schema.json"
    # Plain YAML readers see the same: no value was typed (dates and numbers stay text).
    data = yaml.safe_load((folder / "article.yaml").read_text(encoding="utf-8"))
    assert data["published"] == "2020-03" and data["volume"] == "12"


def test_importing_the_same_file_again_changes_nothing(project, capsys):
    assert main(["import", str(ARTICLE), "--review", REVIEW], root=project.root) == 0
    folder = project.records_dir / REVIEW
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    capsys.readouterr()
    assert main(["import", str(ARTICLE), "--review", REVIEW], root=project.root) == 0
    assert "nothing to write" in capsys.readouterr().out
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
