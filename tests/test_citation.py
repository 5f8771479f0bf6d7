"""Formatted citations: exact text per style, read by eye against each style's guide.

NLM as PubMed's "Cite" shows it (authors. title. SO line. PMID); AMA 11th ed.; APA 7th ed.; MLA 9th ed.;
Vancouver as Citing Medicine (NLM) writes it. The author list of the real record is incomplete, so
every style ends it with "et al." (decided in reviewsite/cite/styles.py).
"""

from __future__ import annotations

import html
import re

import pytest
from test_model import real_review, synthetic_review

from reviewsite.cite import article_downloads, reference_downloads
from reviewsite.cite import styles as citation

EXPECTED = {
    "nlm": "Ferrari-Lacraz S, et al. Do RANKL inhibitors (denosumab) affect inflammation and immunity? "
           "Osteoporos Int. 2011 Feb;22(2):435-46. doi: 10.1007/s00198-010-1326-y. Epub 2010 Jun 23. "
           "PMID: 20571772.",
    "ama": "Ferrari-Lacraz S, et al. Do RANKL inhibitors (denosumab) affect inflammation and immunity? "
           "Osteoporos Int. 2011;22(2):435-446. doi:10.1007/s00198-010-1326-y",
    "apa": "Ferrari-Lacraz, S., et al. (2011). Do RANKL inhibitors (denosumab) affect inflammation and immunity? "
           "Osteoporosis International, 22(2), 435–446. https://doi.org/10.1007/s00198-010-1326-y",
    "mla": "Ferrari-Lacraz, S., et al. “Do RANKL Inhibitors (Denosumab) Affect Inflammation and Immunity?” "
           "Osteoporosis International, vol. 22, no. 2, Feb. 2011, pp. 435–46, "
           "https://doi.org/10.1007/s00198-010-1326-y.",
    "vancouver": "Ferrari-Lacraz S, et al. Do RANKL inhibitors (denosumab) affect inflammation and immunity? "
                 "Osteoporos Int. 2011 Feb;22(2):435-46. doi:10.1007/s00198-010-1326-y. PubMed PMID: 20571772.",
}


@pytest.fixture(scope="module")
def real_citations() -> dict[str, citation.FormattedCitation]:
    review = real_review()
    return {c.style.key: c for c in citation.format_all(review.article)}


@pytest.mark.parametrize("key", list(EXPECTED))
def test_real_record_in_each_style(real_citations, key):
    assert real_citations[key].text == EXPECTED[key]


def test_every_style_is_shown_in_order():
    assert [s.key for s in citation.STYLES] == list(EXPECTED)
    assert [s.label for s in citation.STYLES] == ["NLM", "AMA", "APA", "MLA", "Vancouver"]


def test_html_is_the_same_text_with_the_styles_italics(real_citations):
    for formatted in real_citations.values():
        assert html.unescape(re.sub(r"</?i>", "", formatted.html)) == formatted.text
    assert "<i>Osteoporos Int</i>" in real_citations["ama"].html
    assert "<i>Osteoporosis International</i>, <i>22</i>(2)" in real_citations["apa"].html
    assert "<i>Osteoporosis International</i>" in real_citations["mla"].html


def test_citeproc_py_flaws_are_mended(real_citations):
    for formatted in real_citations.values():
        assert not formatted.text[0].isdigit() and not formatted.text.startswith("[")  # no list number
        assert "2011Feb" not in formatted.text
        assert "?." not in formatted.text and "?”." not in formatted.text
        assert "& et al." not in formatted.text and "and et al." not in formatted.text
        assert "ETALMARK" not in formatted.text


def test_a_complete_author_list_has_no_et_al():
    review = synthetic_review(authors=[{"family": "Example", "initials": "A"},
                                       {"family": "Sample", "initials": "BC"}])
    texts = {c.style.key: c.text for c in citation.format_all(review.article)}
    assert texts["nlm"].startswith("Example A, Sample BC. Example A. J Ex. 2020 Mar 15;7(1):100-9.")
    assert texts["ama"].startswith("Example A, Sample BC. Example A. J Ex. 2020;7(1):100-109.")
    assert texts["apa"].startswith("Example, A., & Sample, B. C. (2020). Example A. Journal of Examples")
    assert texts["mla"].startswith("Example, A., and B. C. Sample. “Example A.” Journal of Examples, vol. 7, no. 1, "
                                   "Mar. 2020, pp. 100–09")
    assert all("et al." not in text for text in texts.values())


def test_an_incomplete_list_of_two_ends_in_et_al():
    review = synthetic_review(authors=[{"family": "Example", "initials": "A"},
                                       {"family": "Sample", "initials": "B"}], complete=False)
    texts = {c.style.key: c.text for c in citation.format_all(review.article)}
    assert texts["nlm"].startswith("Example A, Sample B, et al. Example A.")
    assert texts["ama"].startswith("Example A, Sample B, et al. Example A.")
    assert texts["apa"].startswith("Example, A., Sample, B., et al. (2020).")
    assert texts["mla"].startswith("Example, A., et al. “Example A.”")
    assert texts["vancouver"].startswith("Example A, Sample B, et al. Example A.")


def test_record_text_is_escaped_in_html():
    review = synthetic_review(title="Example <script>alert(1)</script> & co")
    for formatted in citation.format_all(review.article):
        assert "<script>" not in formatted.html
        assert "&lt;script&gt;" in formatted.html.replace("&lt;Script&gt;", "&lt;script&gt;")
        assert html.unescape(re.sub(r"</?i>", "", formatted.html)) == formatted.text


def test_the_registry_lists_the_downloads():
    review = real_review()
    assert [d.filename for d in article_downloads(review)] == [
        "ferrari-lacraz-2011.bib", "ferrari-lacraz-2011.ris", "ferrari-lacraz-2011.nbib", "ferrari-lacraz-2011.json"]
    # The reference list once, as RIS, which every reference manager imports (issue 16).
    assert [d.filename for d in reference_downloads(review)] == ["ferrari-lacraz-2011-references.ris"]


def test_a_shared_style_keeps_no_state_between_items(real_citations):
    # styles.py parses each style once and reuses it; an earlier item must not change a later one
    other = synthetic_review(authors=[{"family": "Example", "initials": "A"}], complete=False)
    citation.format_all(other.article)
    review = real_review()
    again = citation.format_all(review.article)
    assert {c.style.key: c.text for c in again} == EXPECTED


def test_formatting_leaves_each_parsed_style_as_it_was():
    # citeproc-py gave a <names> without <name> a new default element on every render, kept in the shared parsed
    # style (and in citeproc_answers' cache): the style grew by one element per name list formatted, for the
    # build's life. styles.py writes that default into the style once.
    def size(style) -> int:
        return sum(1 for _ in citation._parsed_style(style).root.iter())

    review = real_review()
    citation.format_all(review.article)
    before = {style.key: size(style) for style in citation.STYLES}
    for _ in range(3):
        citation.format_all(review.article)
        citation.format_all(synthetic_review(authors=[{"family": "Example", "initials": "A"}]).article)
    assert {style.key: size(style) for style in citation.STYLES} == before
    assert {c.style.key: c.text for c in citation.format_all(review.article)} == EXPECTED
