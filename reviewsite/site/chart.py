"""A bar chart of references by year of publication, drawn at build time as inline SVG.

No chart script reaches the browser. The SVG has role="img" with a <title> and a <desc>, and the
same numbers follow as a table inside <details> for screen readers and for anyone who wants them.
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
    years = list(years)
    missing = sum(1 for y in years if not y)
    counts = _fill(Counter(int(y) for y in years if y))
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
    rows = "".join(f"<tr><td>{year}</td><td>{count}</td></tr>" for year, count in counts.items() if count)
    if missing:
        rows += f"<tr><td>no year recorded</td><td>{missing}</td></tr>"
    table = (f'<details class="year-chart-data"><summary>The numbers behind the chart</summary>'
             f'<table><thead><tr><th scope="col">Year</th><th scope="col">References</th></tr></thead>'
             f"<tbody>{rows}</tbody></table></details>")
    # One line each: a raw HTML block in Markdown must not contain a blank line.
    return Markup(f'<figure class="year-chart">\n{svg}\n{table}\n</figure>')


def _svg(counts: dict[int, int], peak: int, ident: str, title: str, description: str) -> str:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(counts)
    bar = max(slot * 0.8, 0.5)
    step = _label_step(len(counts))
    parts = [
        f'<svg class="year-chart-svg" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{title}</title>',
        f'<desc id="{ident}-desc">{description}</desc>',
        '<g class="year-chart-axis" fill="currentColor" font-size="13" aria-hidden="true">',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end">0</text>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="currentColor" '
        f'stroke-width="1"/>',
    ]
    for index, year in enumerate(counts):
        if year % step == 0:
            x = LEFT + slot * index + slot / 2
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="middle">{year}</text>')
    parts.append("</g>")
    parts.append('<g class="year-chart-bars" fill="currentColor">')
    for index, (year, count) in enumerate(counts.items()):
        if not count:
            continue
        height = plot_h * count / peak
        x = LEFT + slot * index + (slot - bar) / 2
        parts.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - height:.1f}" width="{bar:.1f}" height="{height:.1f}">'
                     f"<title>{year}: {count}</title></rect>")
    parts.append("</g></svg>")
    return "".join(parts)
