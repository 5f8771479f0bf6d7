"""A bar chart of references by year of publication, drawn at build time as inline SVG.

No chart script reaches the browser. The SVG has role="img" with a <title> and a <desc>, and the
same numbers follow as a table inside <details> for screen readers and for anyone who wants them.
Both are written compactly (all bars one path, the table without the end tags HTML infers): at 55
years the chart was 7.9 KB of every review page, rect and tooltip per bar.
Colours come from the page (currentColor and Material's CSS variables via collection.css), so the
chart reads in light and dark mode. Every text is escaped here; nothing from a record is trusted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 28  # room for the axis labels
DIGIT_WIDTH = 8  # a digit of the 13-unit axis font is about 7.2 units wide: the left margin fits the peak's label
MAX_YEAR_LABELS = 12


def _fill(known: Counter) -> dict[int, int]:
    if not known:
        return {}
    return {year: known.get(year, 0) for year in range(min(known), max(known) + 1)}


def _label_step(span: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if span / step <= MAX_YEAR_LABELS:
            return step
    return 200


def year_chart(years: Iterable[str | None], *, subject: str, chart_id: str) -> Markup:
    """The chart and its table for references whose years are `years` (None: no year recorded).

    `subject` names what was counted, e.g. "the 5 references recorded for this review"; `chart_id`
    must be unique on the page (it ties the SVG to its title and description).
    """
    # Counted as they come: the collection's chart is given every reference of every review (a list of them was
    # 6 KB per review at the generation's peak).
    known: Counter = Counter()
    missing = 0
    for year in years:
        if year:
            known[int(year)] += 1
        else:
            missing += 1
    counts = _fill(known)
    ident = escape(chart_id, quote=True)
    if not counts:
        return Markup(f'<p class="year-chart-empty" id="{ident}">No year of publication is recorded for '
                      f"{escape(subject)}, so there is no chart.</p>")
    first, last = min(counts), max(counts)
    peak = max(counts.values())
    peak_years = [str(y) for y, n in counts.items() if n == peak]
    total = sum(counts.values())
    title = f"References by year of publication, {first}–{last}" if first != last else \
        f"References by year of publication, {first}"
    description = (f"Bar chart of {escape(subject)}: {total} with a year, from {first} to {last}. "
                   f"Most in one year: {peak} ({', '.join(peak_years)}).")
    if missing:
        description += f" {missing} without a year {'is' if missing == 1 else 'are'} not shown."
    svg = _svg(counts, peak, ident, escape(title), description)
    # End tags the HTML standard lets a parser infer (</td>, </tr>, </th>, </thead>, </tbody>) are left out, so
    # a row is `<tr><td>1990 <td>2 ` (19 bytes, was 33): the same table to a browser, vnu and a screen reader. The
    # space ending each cell is for Pagefind, which infers no end tag and would index "1990219913" as one word.
    rows = "".join(f"<tr><td>{year} <td>{count} " for year, count in counts.items() if count)
    if missing:
        rows += f"<tr><td>no year recorded <td>{missing} "
    table = (f'<details class="year-chart-data"><summary>The numbers behind the chart</summary>'
             f'<table><thead><tr><th scope="col">Year <th scope="col">References '
             f"<tbody>{rows}</table></details>")
    # One line: a raw HTML block in Markdown must not contain a blank line. Out of the search index: its words
    # are years and counts ("1970 1 1971 1 …", ~110 a page), which find the review for any year it cites; the
    # references page, indexed whole, already holds each reference's year where it means something.
    return Markup(f'<figure class="year-chart" data-search-exclude>{svg}{table}</figure>')


def _number(value: float, decimals: int = 4) -> str:
    """`value` in SVG's shortest spelling: `0.8` as `.8`, `2.0` as `2`."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def _bars(counts: dict[int, int], frac: float) -> str:
    """Path data of the bars in a frame of one unit per year across and one per reference up: bar `i` stands from
    x = i + (1 - frac) / 2, `frac` wide, its height the year's count. One outline runs along the baseline from bar
    to bar (`v2h.8V0h.2`: up, across, down, on to the next), about 10 bytes a bar; the stretches on the baseline
    enclose nothing, so what is filled is the bars alone. `frac` is rounded once so the steps add up to whole
    slots exactly."""
    width = _number(frac)
    frac = float(width)
    commands = [f"M{_number((1 - frac) / 2)} 0"]
    previous = None
    for index, count in enumerate(counts.values()):
        if not count:
            continue
        if previous is not None:
            commands.append(f"h{_number(index - previous - frac)}")
        commands.append(f"v{count}h{width}V0")
        previous = index
    return "".join(commands)


def _svg(counts: dict[int, int], peak: int, ident: str, title: str, description: str) -> str:
    # Four digits fit the usual margin; a larger peak (the home chart past a few thousand reviews) widens it, so
    # the label is not cut off at the SVG's edge.
    left = max(LEFT, 4 + DIGIT_WIDTH * len(str(peak)))
    plot_w, plot_h = WIDTH - left - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_h
    slot = plot_w / len(counts)
    bar = max(slot * 0.8, 0.5)
    step = _label_step(len(counts))
    parts = [
        f'<svg class="year-chart-svg" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{title}</title>',
        f'<desc id="{ident}-desc">{description}</desc>',
        '<g class="year-chart-axis" fill="currentColor" font-size="13" text-anchor="middle" aria-hidden="true">',
        f'<text x="{left - 4}" y="{TOP + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 4}" y="{baseline}" text-anchor="end">0</text>',
        f'<path d="M{left} {baseline}H{WIDTH - RIGHT}" stroke="currentColor"/>',
    ]
    for index, year in enumerate(counts):
        if year % step == 0:
            parts.append(f'<text x="{_number(left + slot * index + slot / 2, 1)}" y="{HEIGHT - 8}">{year}</text>')
    parts.append("</g>")
    # All bars are one path, drawn in a frame of one unit per year and one per reference (the transform maps it
    # onto the plot), so its data is the counts themselves. No per-bar <title> tooltip: one element each cost
    # about 1.7 KB at 55 years, a tooltip reaches only a mouse (not a keyboard, a phone or a screen reader, to
    # which role="img" hides the bars anyway), and the table below gives every year's figure to everyone.
    parts.append(f'<path class="year-chart-bars" fill="currentColor" '
                 f'transform="matrix({_number(slot, 6)} 0 0 -{_number(plot_h / peak, 6)} {left} {baseline})" '
                 f'd="{_bars(counts, bar / slot)}"/>')
    parts.append("</svg>")
    return "".join(parts)
