"""What the sources do not give is said plainly (issue 14): an erratum without a citation, no references,
several affiliations per author, no keywords. Small made-up records (doi 10.1234/...), not real articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewsite.build.pipeline import check, generate

ARTICLE = """title: "Example review with gaps"
journal: {title: "Journal of Examples", iso_abbreviation: "J Ex"}
published: "2017"
doi: "10.1234/example.gaps"
publication_types: ["Review"]
authors:
  - family: "Example"
    initials: "A"
    affiliations: ["first", "second"]
  - family: "Sample"
    initials: "B"
    affiliations: ["second"]
affiliations:
  - {id: "first", name: "First Example Institute"}
  - {id: "second", name: "Second Example Institute"}
sources:
  - {id: "made-up", name: "Made-up record page", url: "https://example.org/record"}
"""


@pytest.fixture
def gaps(project) -> Path:
    folder = project.records_dir / "example-gaps"
    folder.mkdir()
    (folder / "article.yaml").write_text(ARTICLE, encoding="utf-8")
    # As PubMed shows a bare "Erratum in" with no citation under it.
    (folder / "erratum.yaml").write_text('errata:\n  - sources: ["made-up"]\n', encoding="utf-8")
    return project


def _page(project, *parts: str) -> str:
    return (project.docs_dir.joinpath("reviews", *parts)).read_text(encoding="utf-8")


def test_an_erratum_without_a_citation_still_raises_the_banner(gaps):
    assert [p for p in check(gaps)[1] if p.severity == "error"] == []
    generate(gaps)
    page = _page(gaps, "example-gaps", "index.md")
    assert 'class="admonition warning review-erratum"' in page
    assert "a notice whose details are not recorded" in page
    notice = _page(gaps, "example-gaps", "erratum.md")
    assert "Correction notice (details not recorded)" in notice
    assert 'href="https://example.org/record"' in notice  # where the source lists it
    assert "None" not in notice
    for listing in ("index.md", "reviews/all.md"):  # the home page's list, the table of all reviews
        lines = (gaps.docs_dir / listing).read_text(encoding="utf-8").splitlines()
        row = next(line for line in lines if "Example review with gaps" in line)
        assert "review-erratum-flag" in row


def test_no_references_recorded_means_no_button_and_no_page(gaps):
    generate(gaps)
    page = _page(gaps, "example-gaps", "index.md")
    assert "References (0)" not in page and 'href="references/"' not in page
    assert "No references are recorded for this review yet." in page
    assert not (gaps.docs_dir / "reviews" / "example-gaps" / "references.md").exists()
    assert "references.yaml" not in page.splitlines()[1]  # the generated mark names only the records used


def test_affiliation_marks_read_apart(gaps):
    generate(gaps)
    page = _page(gaps, "example-gaps", "index.md")
    assert ('Example<sup class="review-marks"><a href="#aff-1" aria-label="affiliation 1">1</a>,'
            '<a href="#aff-2" aria-label="affiliation 2">2</a></sup>') in page  # "1,2", never "12"


def test_a_review_without_keywords_is_listed_by_keyword(gaps):
    generate(gaps)
    page = (gaps.docs_dir / "reviews" / "by-keyword.md").read_text(encoding="utf-8")
    section = page.split("## No keywords recorded", 1)[1]
    assert "Example review with gaps" in section
    assert "Do RANKL inhibitors" not in section  # the real review has keywords
