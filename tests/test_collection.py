"""Views across reviews: grouping pages, the home list and the table of all reviews, "also cited by", and the
caches behind them.

The reviews here are clearly synthetic ("Example review A", DOIs 10.1234/example...).
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath

import lxml.html
import pytest

from reviewsite.load.records import load_collection, require_valid
from reviewsite.model.from_records import build_review
from reviewsite.search.index import EXCLUDE_SELECTORS
from reviewsite.site.collection import Collection
from reviewsite.site.context import ReviewView
from reviewsite.site.render import render_site


def _q(value: str) -> str:
    return json.dumps(value)


def write_review(records: Path, slug: str, *, title: str, year: str, keywords=(), mesh=(), refs=()) -> None:
    """A minimal valid synthetic review; `refs` are dicts with optional doi, pmid and year."""
    folder = records / slug
    folder.mkdir(parents=True, exist_ok=True)
    article = [f"title: {_q(title)}", "journal:", '  title: "Example Journal"', '  iso_abbreviation: "Ex J"',
               f'published: "{year}"', 'publication_types: ["Review"]', "authors:",
               f"  - family: {_q('Example' + slug[-1].upper())}", '    initials: "A"',
               "sources:", '  - id: "example"', '    name: "Example source"', '    url: "https://example.org/"']
    if keywords:
        article.append("keywords: [" + ", ".join(_q(k) for k in keywords) + "]")
    if mesh:
        article.append("mesh_terms:")
        article += [f"  - descriptor: {_q(m)}" for m in mesh]
    (folder / "article.yaml").write_text("\n".join(article) + "\n", encoding="utf-8")
    lines = ['complete: "true"', "references:"]
    for number, ref in enumerate(refs, 1):
        lines.append(f'  - citation: "Example cited work {number}"')
        for field in ("doi", "pmid", "year"):
            if field in ref:
                lines.append(f"    {field}: {_q(ref[field])}")
        lines.append('    sources: ["example"]')
    (folder / "references.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def collection_project(project):
    records = project.records_dir
    write_review(records, "example-a", title="Example review A", year="2001", keywords=["Bone", "Example topic"],
                 mesh=["Example descriptor"],
                 refs=[{"doi": "10.1234/Example.Shared", "year": "1999"}, {"pmid": "12345", "year": "2000"},
                       {"doi": "10.1234/example.only-a", "year": "1999"}])
    write_review(records, "example-b", title="Example review B", year="2003", keywords=["bone"],
                 refs=[{"doi": "10.1234/example.shared", "year": "1999"}, {"pmid": "12345"}])
    write_review(records, "example-c", title="Example review C", year="2001",
                 refs=[{"doi": "10.1234/example.only-c", "pmid": "12345", "year": "2000"}])
    return project


def _reviews(project):
    return [build_review(r) for r in require_valid(load_collection(project.records_dir, project.root))]


def _views(project) -> list[ReviewView]:
    return [ReviewView(r) for r in _reviews(project)]


def _view(views, slug):
    return next(v for v in views if v.id == slug)


def test_a_work_with_the_same_doi_or_pmid_is_recognised_in_other_reviews(collection_project):
    views = _views(collection_project)
    collection = Collection(views)
    cited = collection.also_cited_by(_view(views, "example-a"))
    assert [link.id for link in cited[1].shown] == ["example-b"]  # DOI matched whatever its case
    assert [link.id for link in cited[2].shown] == ["example-b", "example-c"]  # PMID
    assert 3 not in cited  # cited by this review only
    assert [link.id for link in collection.also_cited_by(_view(views, "example-c"))[1].shown] == [
        "example-a", "example-b"]
    assert cited[1].shown[0].label == "A ExampleB, 2003" and cited[1].count == 1
    # Who cites what is kept for shared works only (most works have one citing review): here the DOI and the PMID.
    assert {work: ids for work, ids in collection.citing.items()} == {
        "doi:10.1234/example.shared": ["example-a", "example-b"], "pmid:12345": ["example-a", "example-b", "example-c"]}
    shared = {work.label: [r.id for r in work.reviews] for work in collection.shared_works}
    assert shared == {"DOI 10.1234/example.shared": ["example-a", "example-b"],
                      "PMID 12345": ["example-a", "example-b", "example-c"]}


def test_a_work_cited_by_more_reviews_than_named_gives_their_count_linked_to_the_full_list(collection_project,
                                                                                          monkeypatch):
    monkeypatch.setattr("reviewsite.site.collection.MAX_ALSO_CITED", 1)
    views = _views(collection_project)
    collection = Collection(views)
    cited = collection.also_cited_by(_view(views, "example-a"))
    assert cited[2].shown == () and cited[2].count == 2  # PMID 12345: example-b and example-c
    assert [link.id for link in cited[1].shown] == ["example-b"] and cited[1].count == 1  # within the cap: named
    pages = render_site([v.review for v in views], collection_project.templates_dir)
    references = pages[PurePosixPath("reviews/example-a/references.md")]
    assert f'Also cited by <a href="../../shared-works/#{cited[2].anchor}">2 other reviews</a></small>' in references
    assert f'<h2 id="{cited[2].anchor}">PMID 12345' in pages[PurePosixPath("reviews/shared-works.md")]


def test_a_references_page_names_up_to_three_other_reviews_in_a_line_kept_out_of_search(collection_project):
    for letter in "de":  # with a and b, four reviews cite the shared DOI: three others for each
        write_review(collection_project.records_dir, f"example-{letter}", title=f"Example review {letter.upper()}",
                     year="2005", refs=[{"doi": "10.1234/example.shared", "year": "1999"}])
    pages = render_site(_reviews(collection_project), collection_project.templates_dir)
    page = pages[PurePosixPath("reviews/example-e/references.md")]
    item = lxml.html.fromstring(page[page.index("<ol"):page.index("</ol>") + 5]).get_element_by_id("ref-1")
    (line,) = item.cssselect(", ".join(EXCLUDE_SELECTORS))  # what Pagefind leaves out of the index
    assert " ".join(line.text_content().split()) == "Also cited by A ExampleA, 2001; A ExampleB, 2003; A ExampleD, 2005"
    assert [a.get("href") for a in line.cssselect("a")] == [f"../../example-{x}/" for x in "abd"]
    (links,) = item.cssselect("small:not([data-search-exclude])")  # the DOI's link stays searchable
    assert [a.text for a in links.cssselect("a")] == ["DOI"]
    write_review(collection_project.records_dir, "example-f", title="Example review F", year="2005",
                 refs=[{"doi": "10.1234/example.shared", "year": "1999"}])  # four others: their count instead
    pages = render_site(_reviews(collection_project), collection_project.templates_dir)
    page = pages[PurePosixPath("reviews/example-f/references.md")]
    item = lxml.html.fromstring(page[page.index("<ol"):page.index("</ol>") + 5]).get_element_by_id("ref-1")
    (line,) = item.cssselect(", ".join(EXCLUDE_SELECTORS))
    assert " ".join(line.text_content().split()) == "Also cited by 4 other reviews"
    assert [a.get("href") for a in line.cssselect("a")] == ["../../shared-works/#work-doi-10-1234-example-shared"]


def test_reviews_are_grouped_by_year_newest_first_and_by_keyword_whatever_its_case(collection_project):
    views = _views(collection_project)
    collection = Collection(views)
    by_year = {g.name: [v.id for v in g.reviews] for g in collection.by_year}
    assert list(by_year)[:3] == ["2011", "2003", "2001"]  # the real review is in the copy too
    assert by_year["2001"] == ["example-a", "example-c"]
    bone = next(g for g in collection.by_keyword if g.name == "Bone")
    assert [v.id for v in bone.reviews] == ["example-a", "example-b"]
    assert [g.name for g in collection.by_mesh] == ["Example descriptor"]
    anchors = [g.anchor for g in collection.by_keyword]
    assert len(anchors) == len(set(anchors))


def test_the_pages_link_the_collection_together(collection_project):
    pages = render_site(_reviews(collection_project),
                        collection_project.templates_dir)
    home = pages[PurePosixPath("index.md")]
    assert 'href="reviews/by-year/"' in home and 'href="reviews/by-keyword/"' in home
    assert 'href="reviews/all/"' in home and "data-collection-table" not in home
    # The home page lists the reviews newest first: 2011 Feb, 2003, then the two of 2001 by title.
    listed = re.findall(r"<li><a href=\"(reviews/[^\"]+/)\">", home)
    assert listed == ["reviews/ferrari-lacraz-2011/", "reviews/example-b/", "reviews/example-a/", "reviews/example-c/"]
    assert 'role="img"' in home  # the whole collection's chart
    everything = pages[PurePosixPath("reviews/all.md")]  # the table of all reviews, in the collection's order
    rows = re.findall(r"<tr><td><a href=\"\.\./([^\"]+)/\">", everything)
    assert rows == ["example-a", "example-b", "example-c", "ferrari-lacraz-2011"]
    assert 'data-sort-value="ExampleB"' in everything and "data-collection-table" in everything
    assert "<p class=\"review-count\" data-collection-count>4 reviews.</p>" in everything
    assert 'href="../../"' in everything  # back home
    by_year = pages[PurePosixPath("reviews/by-year.md")]
    assert '<h2 id="year-2001">' in by_year and 'href="../example-c/"' in by_year
    by_keyword = pages[PurePosixPath("reviews/by-keyword.md")]
    assert '<h3 id="keyword-bone">Bone' in by_keyword and '<h3 id="mesh-example-descriptor">' in by_keyword
    references = pages[PurePosixPath("reviews/example-b/references.md")]
    assert 'Also cited by <a href="../../example-a/">A ExampleA, 2001</a>' in references
    review = pages[PurePosixPath("reviews/example-a/index.md")]
    assert "## References by year" in review
    assert 'aria-labelledby="reference-years-title reference-years-desc"' in review


def test_a_new_review_citing_a_shared_work_updates_the_others_references_pages(collection_project):
    """The page cache must not keep an old "also cited by": it is part of each review's key."""
    project = collection_project

    def pages():
        return render_site(_reviews(project), project.templates_dir)

    before = pages()[PurePosixPath("reviews/example-a/references.md")]
    assert "example-d" not in before
    write_review(project.records_dir, "example-d", title="Example review D", year="2005",
                 refs=[{"doi": "10.1234/EXAMPLE.ONLY-A"}])
    after = pages()[PurePosixPath("reviews/example-a/references.md")]
    assert 'href="../../example-d/"' in after


def test_the_strict_build_has_the_collection_pages(built_site):
    assert (built_site / "reviews" / "by-year" / "index.html").is_file()
    assert (built_site / "reviews" / "by-keyword" / "index.html").is_file()
    assert (built_site / "reviews" / "shared-works" / "index.html").is_file()
    everything = (built_site / "reviews" / "all" / "index.html").read_text(encoding="utf-8")
    assert "javascripts/collection.js" in everything and "data-collection-table" in everything
    # Every page's navigation leads to it, and the sitemap names it.
    assert 'href="reviews/all/"' in (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="../../all/"' in (built_site / "reviews" / "ferrari-lacraz-2011" / "references" /
                                   "index.html").read_text(encoding="utf-8")
    assert "/reviews/all/</loc>" in (built_site / "sitemap.xml").read_text(encoding="utf-8")
    review = lxml.html.parse(built_site / "reviews" / "ferrari-lacraz-2011" / "index.html")
    # The real review records five references, all with a year: 1999 (2), 2002, 2003, 2007. Read by an HTML
    # parser, as a browser would: the chart's table leaves out the end tags HTML infers.
    rows = review.iterfind(".//figure[@class='year-chart']//table/tbody/tr")
    assert [tuple(cell.text_content().strip() for cell in row) for row in rows] == [
        ("1999", "2"), ("2002", "1"), ("2003", "1"), ("2007", "1")]


def test_a_review_s_cited_works_are_packed_and_read_back_as_given():
    from reviewsite.site.collection import CitedWorks

    given = [(1, ("doi:10.1/a",), "A. 2001"), (3, ("doi:10.1/b", "pmid:42"), "B, \"quoted\"\nand ünïcode"),
             (300, ("pmid:7",), "")]
    cited = CitedWorks.of(given)
    assert list(cited) == [(number, keys) for number, keys, _ in given]
    assert cited.works() == ["doi:10.1/a", "doi:10.1/b", "pmid:42", "pmid:7"]
    assert cited.citations() == [citation for _, _, citation in given]
    empty = CitedWorks.of([])
    assert list(empty) == [] and empty.works() == [] and empty.citations() == []
