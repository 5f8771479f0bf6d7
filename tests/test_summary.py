"""summary.yaml: the maintainers' own summary, attributed, dated, each key point tied to its support.

The fixture review tests/fixtures/summary/example-summary/ is made up (doi 10.1234/..., "Example" names); the
shipped review has no summary, because nobody has written one. The check's refusals (a reference that does not
exist, a sentence past the end...) are in the bad-record corpus, tests/fixtures/bad/summary_*.yaml.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import lxml.html
import pytest

from conftest import REVIEW_ID, copy_project
from reviewsite.cli import main
from reviewsite.load.records import load_collection
from reviewsite.model import AbstractSupport, ErratumSupport, ReferenceSupport
from reviewsite.model.from_records import build_review
from reviewsite.sentences import split_sentences

FIXTURE = Path(__file__).parent / "fixtures" / "summary" / "example-summary"
REVIEW = "example-summary"


def build(tmp: Path, edit=None) -> Path:
    """The shipped records plus the fixture review (edited by `edit`), built strictly; returns site/."""
    project = copy_project(tmp / "project")
    shutil.copytree(FIXTURE, project.records_dir / REVIEW)
    if edit:
        edit(project.records_dir / REVIEW)
    assert main(["build"], root=project.root) == 0
    return project.site_dir


def html(site: Path, relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / relative).read_text(encoding="utf-8"))


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def page_json_ld(page: lxml.html.HtmlElement) -> dict:
    return next(json.loads(s.text) for s in page.iter("script") if s.get("type") == "application/ld+json")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("summary"))


@pytest.fixture(scope="module")
def review(site: Path) -> lxml.html.HtmlElement:
    return html(site, f"reviews/{REVIEW}/index.html")


def test_sentences_are_cut_the_documented_way():
    assert split_sentences("One. Two? \"Three!\" (Four.) 5 items. et al. showed six") == (
        "One.", "Two?", "\"Three!\"", "(Four.)", "5 items. et al. showed six")
    assert split_sentences("No end") == ("No end",)
    assert split_sentences("A.  B.\nC.") == ("A.", "B.", "C.")


def test_the_model_resolves_each_support():
    result = load_collection(FIXTURE.parent, FIXTURE.parent)
    assert result.problems == []
    summary = build_review(result.reviews[0]).summary
    assert [p.name for p in summary.written_by] == ["Ann Example", "Ben Example"]
    assert summary.written_by[0].orcid == "0000-0002-1825-0097"
    assert summary.written.iso == "2024-03-02" and summary.reviewed.iso == "2024-04-10"
    assert summary.source_version.source == "example-source"
    assert [k.supported_by for k in summary.key_points] == [
        (AbstractSupport(2, 2), ReferenceSupport(1)),
        (AbstractSupport(2, 3), ReferenceSupport(2)),  # named by its id, widget-safety: the second work
        (ErratumSupport(1), AbstractSupport(3)),
    ]


def test_the_block_is_labelled_and_sits_above_the_abstract(review):
    block = review.cssselect("section.review-summary")
    assert len(block) == 1
    heading = block[0].cssselect("h2")[0]
    assert text_of(heading) == "Summary by Ann Example and Ben Example, 2 March 2024"
    assert block[0].get("aria-labelledby") == heading.get("id")
    assert "not by the article's authors" in text_of(block[0].cssselect(".review-summary-note")[0])
    abstract = review.cssselect("div.review-abstract")[0]
    order = list(review.iter())
    assert order.index(block[0]) < order.index(abstract)
    assert not abstract.cssselect("section.review-summary") and not block[0].cssselect("div.review-abstract")
    assert "data-search-exclude" not in lxml.html.tostring(block[0], encoding="unicode")  # search finds it
    credits = text_of(block[0].cssselect(".review-summary-credits")[0])
    assert "Written by Ann Example (ORCID 0000-0002-1825-0097) and Ben Example on 2 March 2024." in credits
    assert "Reviewed by Dana Example on 10 April 2024." in credits
    assert "Competing interests: none declared." in credits
    assert "Written against: Example source (invented), as of 2 January 2024." in credits
    assert text_of(block[0].cssselect(".review-summary-bottom-line")[0]).startswith("Bottom line: In invented")
    assert [text_of(p) for p in block[0].cssselect("h3#summary-plain-language ~ p")][:2] == [
        "Widgets are a made-up treatment. In made-up studies they helped a little.",
        "They did not cause more side effects than a dummy treatment."]


def test_each_key_point_links_to_its_support_with_words_saying_where(site, review):
    links = [(a.get("href"), text_of(a)) for a in review.cssselect(".review-summary-points a")]
    assert links == [
        ("#abstract-2-2", "abstract, Results section, sentence 2"),
        ("references/#ref-1", "reference 1, on the references page"),
        ("#abstract-2-3", "abstract, Results section, sentence 3"),
        ("references/#ref-2", "reference 2, on the references page"),
        ("erratum/", "correction notice 1, on the erratum page"),
        ("#abstract-3", "abstract, Conclusion section"),
    ]
    assert text_of(review.get_element_by_id("abstract-2-2")) == "Widget therapy lowered the example score by 10 points."
    assert text_of(review.get_element_by_id("abstract-2-3")) == "Adverse events were as frequent as with placebo."
    assert text_of(review.get_element_by_id("abstract-3")).startswith("Conclusion:")
    references = html(site, f"reviews/{REVIEW}/references/index.html")
    assert "An invented safety study" in text_of(references.get_element_by_id("ref-2"))
    assert (site / "reviews" / REVIEW / "erratum" / "index.html").is_file()


def test_the_abstract_keeps_the_authors_words_sentence_by_sentence(review):
    paragraphs = review.cssselect("div.review-abstract > p")
    assert [text_of(p) for p in paragraphs][1] == ("Results: Example trials enrolled 120 invented patients. Widget "
                                                  "therapy lowered the example score by 10 points. Adverse events "
                                                  "were as frequent as with placebo.")
    assert [s.get("id") for s in paragraphs[1].cssselect("span.abstract-sentence")] == [
        "abstract-2-1", "abstract-2-2", "abstract-2-3"]


def test_machine_readable_authorship_and_the_authors_abstract(review):
    data = page_json_ld(review)
    assert data["@type"] == "WebPage"
    assert data["author"] == [{"@type": "Person", "name": "Ann Example", "sameAs": "https://orcid.org/0000-0002-1825-0097"},
                              {"@type": "Person", "name": "Ben Example"}]
    assert data["dateCreated"] == "2024-03-02" and data["lastReviewed"] == "2024-04-10"
    assert data["reviewedBy"] == [{"@type": "Person", "name": "Dana Example"}]
    bottom_line = "In invented trials, widgets lowered the example score without more adverse events."
    assert data["description"] == bottom_line
    assert "author" in data["mainEntity"] and data["mainEntity"]["author"][0]["familyName"] == "Example"
    meta = {m.get("name") or m.get("property"): m.get("content") for m in review.iter("meta")}
    # The authors' abstract stays theirs: machine-readable once, in citation_abstract, not in the JSON-LD too.
    assert meta["citation_abstract"].startswith("Background: Widgets are an invented therapy used only in tests.")
    assert "abstract" not in data["mainEntity"]
    assert meta["description"] == bottom_line and meta["og:description"] == bottom_line


def test_the_home_list_and_the_table_of_all_reviews_show_the_bottom_line_under_the_title(site):
    bottom_line = "Bottom line: In invented trials, widgets lowered the example score without more adverse events."
    everything = html(site, "reviews/all/index.html")
    rows = {text_of(row.cssselect("td a")[0]): row for row in everything.cssselect("table.review-table tbody tr")}
    cell = rows["Example C: a synthetic review of widget therapy"].cssselect("td")[0]
    assert text_of(cell.cssselect(".review-bottom-line")[0]) == bottom_line
    assert cell.get("data-sort-value") == "Example C: a synthetic review of widget therapy"  # sorts by title
    home = html(site, "index.html")
    items = {text_of(item.cssselect("a")[0]): item for item in home.cssselect("ul.home-reviews > li")}
    item = items["Example C: a synthetic review of widget therapy"]
    assert text_of(item.cssselect(".review-bottom-line")[0]) == bottom_line


def test_a_summary_not_yet_reviewed_says_so_and_claims_no_review(tmp_path):
    def unreviewed(folder: Path) -> None:
        path = folder / "summary.yaml"
        lines = path.read_text(encoding="utf-8").splitlines()
        start = lines.index('reviewed: "2024-04-10"')
        del lines[start:start + 3]  # reviewed, reviewed_by and its one name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    page = html(build(tmp_path, unreviewed), f"reviews/{REVIEW}/index.html")
    credits = text_of(page.cssselect(".review-summary-credits")[0])
    assert "Not yet reviewed by a second person." in credits and "Reviewed by" not in credits
    data = page_json_ld(page)
    assert data["dateCreated"] == "2024-03-02"
    assert "lastReviewed" not in data and "reviewedBy" not in data


def test_a_review_without_a_summary_shows_no_trace_of_one(site):
    page = html(site, f"reviews/{REVIEW_ID}/index.html")
    source = (site / "reviews" / REVIEW_ID / "index.html").read_text(encoding="utf-8")
    for trace in ("review-summary", "abstract-sentence", 'id="abstract-', "Bottom line", "Summary by"):
        assert trace not in source
    assert [list(p) for p in page.cssselect("div.review-abstract > p")] == [[]]  # one plain paragraph
    data = page_json_ld(page)
    assert sorted(data) == ["@context", "@type", "description", "mainEntity", "name", "url"]
    assert data["description"].startswith("Receptor activator of nuclear factor kappa B ligand")
    everything = html(site, "reviews/all/index.html")
    row = next(r for r in everything.cssselect("table.review-table tbody tr") if f"../{REVIEW_ID}/" in
               r.cssselect("a")[0].get("href"))
    assert not row.cssselect(".review-bottom-line") and row.cssselect("td")[0].get("data-sort-value") is None
    home = html(site, "index.html")
    item = next(i for i in home.cssselect("ul.home-reviews > li") if f"reviews/{REVIEW_ID}/" in
                i.cssselect("a")[0].get("href"))
    assert not item.cssselect(".review-bottom-line")


def test_the_page_cache_keys_on_the_summary():
    """The summary is part of the model Review, so of PageInputs: editing it invalidates the cached pages."""
    from dataclasses import replace

    from reviewsite.build.incremental import inputs_digest
    from reviewsite.site.render import PageInputs

    review = build_review(load_collection(FIXTURE.parent, FIXTURE.parent).reviews[0])
    edited = replace(review.summary, bottom_line="Another invented bottom line.")
    reviews = (review, replace(review, summary=edited), replace(review, summary=None))
    keys = {inputs_digest(PageInputs(r)) for r in reviews}
    assert len(keys) == 3
