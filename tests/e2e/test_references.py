"""The reference list as a reader's browser draws it. Its parts carry no class names (issue 16: 100 references a
page): the look comes from the elements themselves and review.css, and must stay what the classes gave."""

from __future__ import annotations

import pytest

from .conftest import VIEWPORTS, new_context

REFERENCES = "reviews/ferrari-lacraz-2011/references/"

# For each reference: the citation's style, and each line of small print under it (its links, "also cited by")
# as display, font size in rem, opacity, and whether it starts below the citation.
PARTS = """() => {
  const root = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return [...document.querySelectorAll('.reference-list > li')].map((item) => {
    const citation = item.querySelector(':scope > i');
    const style = citation && getComputedStyle(citation);
    return {
      citation: style && [style.fontStyle, style.unicodeBidi],
      lines: [...item.querySelectorAll(':scope > small')].map((line) => {
        const own = getComputedStyle(line);
        return [own.display, Math.round(parseFloat(own.fontSize) / root * 1000) / 1000, own.opacity,
                line.getBoundingClientRect().top >= citation.getBoundingClientRect().bottom - 1];
      }),
    };
  });
}"""


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_citation_is_italic_and_isolated_and_the_links_a_line_of_small_print(served_site, browser,
                                                                                 viewport) -> None:
    context = new_context(browser, VIEWPORTS[viewport])
    page = context.new_page()
    page.goto(served_site.url(REFERENCES), wait_until="networkidle")
    items = page.evaluate(PARTS)
    context.close()
    assert len(items) == 5  # the real review's five references
    for number, item in enumerate(items, 1):
        # unicode-bidi: a right-to-left override in a record's citation stays inside it, as <bdi> keeps it
        assert item["citation"] == ["italic", "isolate"], number
        # the links: a block of their own below the citation, .75rem, not dimmed as Material dims <small>
        assert item["lines"] and all(line == ["block", 0.75, "1", True] for line in item["lines"]), number
