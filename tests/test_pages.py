"""The built review pages checked against the PubMed page the project was started from (the seed).

Every expected value is read from the seed file itself, or written here by hand after reading
the seed, so these tests fail if a page drifts from its source.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from conftest import REVIEW_ID


def page(site: Path, relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / relative).read_text(encoding="utf-8"))


def text_of(element) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture(scope="module")
def review(built_site: Path):
    return page(built_site, f"reviews/{REVIEW_ID}/index.html")


@pytest.fixture(scope="module")
def references(built_site: Path):
    return page(built_site, f"reviews/{REVIEW_ID}/references/index.html")


def seed_abstract(seed: str) -> str:
    match = re.search(r"\nAbstract\n\n(.+?)\n\nPubMed Disclaimer", seed, re.S)
    assert match, "the seed's abstract could not be found"
    return " ".join(match.group(1).split())


def seed_references(seed: str) -> list[str]:
    return re.findall(r"^\s+1\. (.+?) - PubMed$", seed, re.M)


def test_title_is_the_seed_title(review, seed_text):
    title = "Do RANKL inhibitors (denosumab) affect inflammation and immunity?"
    assert seed_text.count(title) == 2
    assert [text_of(h) for h in review.cssselect("h1")] == [title]
    assert review.findtext(".//title").startswith(title)


def test_citation_line_is_pubmeds(review, seed_text):
    # The seed splits the line (its journal name is an image link): each piece must be there.
    for piece in ("2011 Feb;22(2):435-46.", "doi: 10.1007/s00198-010-1326-y. Epub 2010 Jun 23.",
                  "Osteoporos Int. 2011 Feb."):
        assert piece in seed_text
    line = text_of(review.cssselect(".review-citation")[0])
    assert line == "Osteoporos Int. 2011 Feb;22(2):435-46. doi: 10.1007/s00198-010-1326-y. Epub 2010 Jun 23."


def test_first_author_is_shown_as_pubmed_does(review, seed_text):
    assert "S Ferrari-Lacraz\xa0et al." in seed_text  # PubMed writes a no-break space here
    assert text_of(review.cssselect(".review-authors")[0]) == "S Ferrari-Lacraz et al."


def test_publication_type(review, seed_text):
    assert "\nReview\n" in seed_text
    assert text_of(review.cssselect(".review-type")[0]) == "Review"


def test_links_to_pubmed_and_doi(review):
    hrefs = {a.get("href") for a in review.cssselect(".review-links a")}
    assert "https://pubmed.ncbi.nlm.nih.gov/20571772/" in hrefs
    assert "https://doi.org/10.1007/s00198-010-1326-y" in hrefs


def test_erratum_notice_is_near_the_top_and_links_to_details(review, seed_text):
    assert "Erratum in\n\n  • Osteoporos Int. 2011 Feb;22(2):739" in seed_text
    notice = review.cssselect(".review-erratum")[0]
    assert "Osteoporos Int. 2011 Feb;22(2):739" in text_of(notice)
    assert notice.cssselect("a")[0].get("href") == "erratum/"
    # Before the abstract, right after the article's heading block.
    body = lxml.html.tostring(review, encoding="unicode")
    assert body.index("review-erratum") < body.index('id="abstract"')


def test_erratum_page(built_site):
    erratum = page(built_site, f"reviews/{REVIEW_ID}/erratum/index.html")
    notice = erratum.cssselect(".erratum-notice")[0]
    assert "Osteoporos Int. 2011 Feb;22(2):739" in text_of(notice)
    link = notice.cssselect("a.md-button")[0].get("href")
    assert link == "https://pubmed.ncbi.nlm.nih.gov/?term=Osteoporos%20Int.%202011%20Feb%3B22%282%29%3A739"


def test_abstract_is_verbatim(review, seed_text):
    expected = seed_abstract(seed_text)
    assert expected.startswith("Receptor activator of nuclear factor kappa B ligand (RANKL)")
    assert expected.endswith("remains to be carefully scrutinized.")
    shown = text_of(review.cssselect(".review-abstract")[0])
    assert shown == expected


def test_keywords_from_the_publisher(review):
    shown = [text_of(li) for li in review.cssselect("#keywords + ul li")]
    assert shown == ["Denosumab", "Immunity", "Inflammation", "OPG", "Osteoporosis", "RANKL"]


def test_the_five_references_in_seed_order(references, seed_text):
    expected = seed_references(seed_text)
    assert expected == ["Immunol Lett. 2007 May 15;110(1):54-64", "Cell Immunol. 2002 Oct;219(2):82-91",
                        "Nature. 1999 Nov 18;402(6759):304-9", "Lancet. 1999 Dec 4;354(9194):1932-9",
                        "Arthritis Rheum. 2003 Aug;48(8):2122-7"]
    for number, citation in enumerate(expected, 1):
        item = references.get_element_by_id(f"ref-{number}")
        (cited,) = item.cssselect("i")  # the citation, the item's one <i>
        assert text_of(cited) == citation
    # The list numbers its items itself (issue 16: no `value` repeating each place): the n-th item is ref-n.
    (listed,) = references.cssselect("ol.reference-list")
    assert listed.get("start") is None and all(li.get("value") is None for li in listed)
    assert [li.get("id") for li in listed] == [f"ref-{n}" for n in range(1, len(expected) + 1)]
    assert "5 references recorded" in text_of(references.cssselect(".references-count")[0])


def test_references_without_identifiers_link_to_a_pubmed_search(references):
    first = references.get_element_by_id("ref-1")
    links = [a.get("href") for a in first.cssselect("small:not([data-search-exclude]) a")]  # the links' line
    assert links == ["https://pubmed.ncbi.nlm.nih.gov/?term=Immunol%20Lett.%202007%20May%2015%3B110%281%29%3A54-64"]


def test_reference_titles_come_only_from_named_sources(references):
    # References 1 and 2 have no known title; 3-5 have the titles given in shared/data/facts.md.
    assert not references.get_element_by_id("ref-1").cssselect("cite")
    assert not references.get_element_by_id("ref-2").cssselect("cite")
    title = text_of(references.get_element_by_id("ref-3").cssselect("cite")[0])
    assert title == ("Activated T cells regulate bone loss and joint destruction in adjuvant arthritis "
                     "through osteoprotegerin ligand")


def test_a_reference_says_what_its_record_lacks(references):
    # References 1 and 2 are recorded as their citations only (the seed gives no authors or title); 3-5 have both.
    for number in (1, 2):
        notes = [text_of(n) for n in references.get_element_by_id(f"ref-{number}").cssselect(".reference-note")]
        assert "Authors and title not recorded." in notes
    for number in (3, 4, 5):
        assert "not recorded" not in text_of(references.get_element_by_id(f"ref-{number}"))


def test_a_title_is_set_off_from_the_journal_by_one_period(references):
    # The record's title 3 has no closing period, title 4 has its own: each reads "Title. Journal." once.
    for number, end in ((3, "osteoprotegerin ligand. Nature. 1999"), (4, "phase III trial. Lancet. 1999")):
        text = " ".join(text_of(references.get_element_by_id(f"ref-{number}")).split())
        assert end in text and ".." not in text


def test_home_page_and_the_table_of_all_reviews_lead_to_the_review(built_site):
    title = "Do RANKL inhibitors (denosumab) affect inflammation and immunity?"
    home = page(built_site, "index.html")
    links = [a for a in home.cssselect(".home-reviews a") if a.get("href") == f"reviews/{REVIEW_ID}/"]
    assert links and text_of(links[0]) == title
    assert text_of(links[0].getparent().cssselect(".home-review-byline")[0]) == (
        "S Ferrari-Lacraz et al., Osteoporos Int, 2011 Feb")
    everything = page(built_site, "reviews/all/index.html")
    links = [a for a in everything.cssselect(".review-table a") if a.get("href") == f"../{REVIEW_ID}/"]
    assert links and text_of(links[0]) == title
    row = text_of(links[0].getparent().getparent())
    assert "S Ferrari-Lacraz et al." in row and "Osteoporos Int" in row and "2011" in row


def test_about_page_lists_each_source_with_its_date(built_site):
    about = page(built_site, "about/index.html")
    items = [text_of(li) for li in about.cssselect(".review-sources li")]
    assert any(item.startswith("PubMed record PMID 20571772, read 2026-11-27") for item in items)
    hrefs = {a.get("href") for a in about.cssselect(".review-sources a")}
    assert "https://pubmed.ncbi.nlm.nih.gov/20571772/" in hrefs
    assert "https://link.springer.com/article/10.1007/s00198-010-1326-y" in hrefs


def test_navigation_does_not_list_reviews(built_site):
    # The sidebar must not grow with the collection: only the fixed pages appear in it.
    review = page(built_site, f"reviews/{REVIEW_ID}/index.html")
    nav_links = {text_of(a) for a in review.cssselect("nav.md-nav--primary a.md-nav__link")}
    assert not any("RANKL" in label for label in nav_links)


def test_the_site_ships_no_theme_file_that_no_page_loads(built_site):
    """Material's lunr search (its plugin is off; Pagefind searches) and source maps (read only by browser devtools)
    were 2.3 MB of every site (issue 16); the scripts and styles the pages load are still there."""
    assets = sorted(p.relative_to(built_site).as_posix() for p in (built_site / "assets").rglob("*") if p.is_file())
    unused = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
    assert not [a for a in assets if a.startswith(unused) or a.endswith(".map")]
    html = (built_site / "reviews" / REVIEW_ID / "index.html").read_text(encoding="utf-8")
    loaded = re.findall(r'(?:src|href)="(?:\.\./)*(assets/[^"#]+)', html)  # a file, not its #symbol
    assert loaded and set(loaded) <= set(assets)
