"""The year chart: well-formed, accessible SVG whose bars and table say the same numbers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from reviewsite.site.chart import BOTTOM, HEIGHT, TOP, year_chart

SVG = "{http://www.w3.org/2000/svg}"


def _svg(markup: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg.*</svg>", markup, re.S).group(0))


def _table(markup: str) -> list[tuple[str, str]]:
    return re.findall(r"<tr><td>([^<]*)</td><td>(\d+)</td></tr>", markup)


def test_the_chart_is_an_image_with_a_title_and_a_description():
    markup = str(year_chart(["2007", "2002", "1999", "1999", "2003"], subject="five works", chart_id="c"))
    svg = _svg(markup)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c-title c-desc"
    assert svg.find(f"{SVG}title").get("id") == "c-title"
    assert svg.find(f"{SVG}title").text == "References by year of publication, 1999–2007"
    desc = svg.find(f"{SVG}desc").text
    assert "five works" in desc and "from 1999 to 2007" in desc and "Most in one year: 2 (1999)" in desc


def test_bars_and_table_show_the_same_counts():
    years = ["2001"] * 3 + ["2004"] + ["2005"] * 2
    markup = str(year_chart(years, subject="works", chart_id="c"))
    bars = _svg(markup).findall(f".//{SVG}g[@class='year-chart-bars']/{SVG}rect")
    assert [b.find(f"{SVG}title").text for b in bars] == ["2001: 3", "2004: 1", "2005: 2"]
    heights = [float(b.get("height")) for b in bars]
    assert heights[0] == HEIGHT - TOP - BOTTOM  # the largest count fills the plot
    assert abs(heights[1] * 3 - heights[0]) < 0.5 and abs(heights[2] * 3 - 2 * heights[0]) < 0.5
    assert _table(markup) == [("2001", "3"), ("2004", "1"), ("2005", "2")]


def test_years_between_are_kept_so_gaps_show():
    markup = str(year_chart(["1990", "2000"], subject="works", chart_id="c"))
    slots = [float(r.get("x")) for r in _svg(markup).iter(f"{SVG}rect")]
    # Eleven years in the range: the two bars stand at its two ends, not side by side.
    assert slots[1] - slots[0] > 9 * (slots[1] - slots[0]) / 10


def test_references_without_a_year_are_counted_in_the_table_and_the_description():
    markup = str(year_chart(["2001", None, None], subject="works", chart_id="c"))
    assert ("no year recorded", "2") in _table(markup)
    assert "2 without a year are not shown" in markup


def test_no_year_at_all_gives_a_sentence_not_an_empty_chart():
    markup = str(year_chart([None], subject="the 1 reference", chart_id="c"))
    assert "<svg" not in markup and "No year of publication is recorded" in markup


def test_the_chart_uses_the_page_colour_and_has_no_script():
    markup = str(year_chart(["2001"], subject="works", chart_id="c"))
    assert 'fill="currentColor"' in markup
    assert "<script" not in markup and not re.search(r'(fill|stroke)="#', markup)  # no fixed colour


def test_the_markup_has_no_blank_line_so_markdown_keeps_it_one_html_block():
    markup = str(year_chart([str(y) for y in range(1950, 2020)], subject="works", chart_id="c"))
    assert "\n\n" not in markup


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@given(subject=_TEXT, chart_id=_TEXT.filter(bool),
       years=st.lists(st.integers(1500, 2100).map(str) | st.none(), max_size=30))
def test_any_text_is_escaped_and_the_svg_stays_well_formed(subject, chart_id, years):
    markup = str(year_chart(years, subject=subject, chart_id=chart_id))
    if "<svg" in markup:
        svg = _svg(markup)  # raises if the XML is broken
        assert subject.strip() == "" or subject in svg.find(f"{SVG}desc").text
        total = sum(int(count) for _, count in _table(markup))
        assert total == len(years)


def test_markup_in_the_subject_is_shown_as_text():
    markup = str(year_chart(["2001"], subject='<b onclick="x">A & B</b>', chart_id='c"><script>'))
    assert "<b" not in markup and "<script>" not in markup
    assert _svg(markup).find(f"{SVG}desc").text.startswith('Bar chart of <b onclick="x">A & B</b>:')
