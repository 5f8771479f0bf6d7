"""The year chart: well-formed, accessible SVG whose bars and table say the same numbers."""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewsite.site.chart import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, year_chart

SVG = "{http://www.w3.org/2000/svg}"
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


def _svg(markup: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg.*</svg>", markup, re.S).group(0))


def _table(markup: str) -> list[tuple[str, str]]:
    """The table's body rows as an HTML parser reads them (it infers the end tags the markup leaves out)."""
    table = lxml.html.fragment_fromstring(markup, create_parent=True).find(".//details/table")
    header = [(th.get("scope"), th.text_content().strip()) for th in table.find("thead").iterfind("tr/th")]
    assert header == [("col", "Year"), ("col", "References")]
    rows = [tuple(cell.text_content().strip() for cell in tr) for tr in table.find("tbody").iterfind("tr")]
    assert all(len(row) == 2 for row in rows)
    return rows


def _outline(path: str) -> list[tuple[float, float]]:
    """The points of SVG path data in M, H/h, V/v commands (all the bars' path uses), in order."""
    assert path.startswith("M") and "M" not in path[1:] and "m" not in path  # one outline
    points, x, y = [], 0.0, 0.0
    for command, numbers in re.findall(r"([MHhVv])([^MHhVv]*)", path):
        values = [float(n) for n in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", numbers)]
        if command == "M":
            x, y = values
        elif command in "Hh":
            x = values[0] if command == "H" else x + values[0]
        else:
            y = values[0] if command == "V" else y + values[0]
        points.append((x, y))
    return points


def _bars(markup: str) -> list[tuple[float, float, float, float]]:
    """Each bar as drawn on the page: (left, width, height) in the viewBox's units, the bar's path mapped through
    its transform; and its height in the path's own frame, where a unit is one reference. The outline must be
    bars standing on the baseline (up, across, down) joined along it, so that it fills the bars and nothing else."""
    bars = _svg(markup).findall(f"{SVG}path[@class='year-chart-bars']")
    assert len(bars) == 1
    a, b, c, d, e, f = (float(n) for n in re.fullmatch(r"matrix\((.*)\)", bars[0].get("transform")).group(1).split())
    assert b == c == 0 and e == _plot_left(markup) and f == TOP + PLOT_H  # no skew; the frame starts at the foot
    points = _outline(bars[0].get("d"))
    assert points[0][1] == points[-1][1] == 0  # starts and ends on the baseline
    assert all(x1 >= x0 for (x0, _), (x1, _) in zip(points, points[1:], strict=False))  # never back over a bar
    drawn, i = [], 0
    while i < len(points) - 1:
        (x0, y0), (x1, y1) = points[i], points[i + 1]
        if y0 == y1 == 0:  # along the baseline to the next bar
            i += 1
            continue
        (x2, y2), (x3, y3) = points[i + 2], points[i + 3]
        assert y0 == 0 and x1 == x0 and y1 > 0 and y2 == y1 and x2 > x1 and x3 == x2 and y3 == 0, points[i:i + 4]
        drawn.append((e + a * x0, a * (x2 - x0), -d * y1, y1))
        i += 3
    return drawn


def _plot_left(markup: str) -> float:
    """Where the plot starts: the x axis's left end."""
    axis = _svg(markup).find(f"{SVG}g/{SVG}path").get("d")
    return float(re.match(r"M([\d.]+) ", axis).group(1))


def _counts_from_bars(markup: str, first: int, years: int) -> dict[int, int]:
    """Each year's count read back from the picture: a bar's slot gives its year, its height the count (the path's
    data are the counts; drawn, the tallest bar, the peak printed on the axis, fills the plot)."""
    peak = int(_svg(markup).find(f"{SVG}g/{SVG}text").text)
    plot_left = _plot_left(markup)
    slot = (WIDTH - plot_left - RIGHT) / years
    counts = {}
    for left, width, height, count in _bars(markup):
        index = round((left + width / 2 - plot_left) / slot - 0.5)
        assert abs(plot_left + slot * (index + 0.5) - (left + width / 2)) < 0.01  # centred in its year's slot
        assert abs(width - slot * 0.8) < 0.01
        assert count == int(count) and abs(height - PLOT_H * count / peak) < 0.01, (first + index, count, height)
        counts[first + index] = int(count)
    return counts


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
    bars = _bars(markup)
    assert [round(height, 2) for _, _, height, _ in bars] == [PLOT_H, round(PLOT_H / 3, 2), round(PLOT_H * 2 / 3, 2)]
    slot = PLOT_W / 5  # 2001 to 2005
    assert [round(left, 2) for left, _, _, _ in bars] == [round(LEFT + slot * i + slot * 0.1, 2) for i in (0, 3, 4)]
    assert _counts_from_bars(markup, 2001, 5) == {2001: 3, 2004: 1, 2005: 2}
    assert _table(markup) == [("2001", "3"), ("2004", "1"), ("2005", "2")]


@pytest.mark.parametrize("scale", [1, 713])
def test_every_years_count_can_be_read_from_the_bars_and_from_the_table(scale):
    # The benchmark's shape: 100 references over 55 years, counts 1 to 3, and a gap; times 713, the collection's
    # chart of 1000 such reviews (peak 2139: each bar's height still within a hundredth of a unit).
    per_year = {year: scale * (1 + (1987 <= year <= 2021) + (1991 <= year <= 2000)) + (year % 7 if scale > 1 else 0)
                for year in range(1970, 2025) if year != 1980}
    years = [str(year) for year, count in per_year.items() for _ in range(count)]
    markup = str(year_chart(years, subject="works", chart_id="c"))
    assert _counts_from_bars(markup, 1970, 55) == per_year
    assert _table(markup) == [(str(year), str(count)) for year, count in per_year.items()]


@pytest.mark.parametrize("peak", [3, 2139, 12_345, 123_456])
def test_the_peaks_label_fits_left_of_the_plot(peak):
    # The home chart's peak passes four digits near 5,000 reviews of 100 references: its label must not be cut off
    # at the SVG's left edge, and the plot must still run from the margin to the right edge with every count.
    years = ["1990"] * peak + ["1991"] * (peak // 2) + ["1993"]
    markup = str(year_chart(years, subject="works", chart_id="c"))
    label = _svg(markup).find(f"{SVG}g/{SVG}text")
    assert label.text == str(peak) and label.get("text-anchor") == "end"
    assert float(label.get("x")) >= 7.2 * len(str(peak))  # a digit of the 13-unit font is about 7.2 units wide
    assert _plot_left(markup) == (LEFT if peak < 10_000 else 4 + 8 * len(str(peak)))  # unchanged to four digits
    assert _counts_from_bars(markup, 1990, 4) == {1990: peak, 1991: peak // 2, 1993: 1}


def test_years_between_are_kept_so_gaps_show():
    markup = str(year_chart(["1990", "2000"], subject="works", chart_id="c"))
    (first, width, _, _), (last, _, _, _) = _bars(markup)
    # Eleven years in the range: the two bars stand at its two ends, not side by side.
    assert abs(first - width / 8 - LEFT) < 0.01 and abs(last + width + width / 8 - (WIDTH - RIGHT)) < 0.01


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
        table = {row[0]: int(row[1]) for row in _table(markup)}
        assert sum(table.values()) == len(years)
        known = Counter(int(year) for year in years if year)
        assert table == {str(year): count for year, count in sorted(known.items())} | (
            {"no year recorded": len(years) - known.total()} if None in years else {})
        assert _counts_from_bars(markup, min(known), max(known) - min(known) + 1) == dict(known)


def test_markup_in_the_subject_is_shown_as_text():
    markup = str(year_chart(["2001"], subject='<b onclick="x">A & B</b>', chart_id='c"><script>'))
    assert "<b" not in markup and "<script>" not in markup
    assert _svg(markup).find(f"{SVG}desc").text.startswith('Bar chart of <b onclick="x">A & B</b>:')


def test_each_table_cell_ends_in_a_space_for_readers_that_infer_no_end_tags():
    # Pagefind closes no element whose end tag is left out: without the space it would index "2001320041" as one word.
    markup = str(year_chart(["2001"] * 3 + ["2004", None], subject="works", chart_id="c"))
    table = re.search(r"<table>.*</table>", markup).group(0)
    cells = re.findall(r"<t[dh](?: [^>]*)?>([^<]*)(?=<)", table)
    assert cells == ["Year ", "References ", "2001 ", "3 ", "2004 ", "1 ", "no year recorded ", "1 "]


def test_the_chart_is_not_in_the_search_index(built_site):
    """Its table's words are years and counts: they would find a review for any year one of its references has."""
    fragments = {}
    for path in (built_site / "pagefind").glob("*/fragment/*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])
        fragments[fragment["url"]] = fragment["content"]
    review = fragments["/reviews/ferrari-lacraz-2011/"]
    assert "References by year." in review  # the page is indexed, the heading with it
    assert "The numbers behind the chart" not in review and "Bar chart of the" not in review
