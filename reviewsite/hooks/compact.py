"""MkDocs hook: the blank lines and indentation that Material's templates leave between tags, folded (issue 16).

Material indents its markup and leaves a line for each `{% if %}` and `{% for %}`: on a review page that was about
2 KB of spaces and line breaks around the article, on every page of the site. A run of white space that holds a
line break and lies between two tags becomes one line break. A browser renders both alike (CSS folds white space
outside `pre`), and no element's text changes but for white space. The insides of <pre>, <textarea>, <script> and
<style> are left as they are.
"""

from __future__ import annotations

import re

# Either an element whose text must stay byte for byte (kept whole, but for the `>` that closes it), or white space
# with a line break between a tag's `>` and the next tag's `<` (both only looked at or given back, so an element
# to keep that starts or ends there is still seen whole).
_TOKEN = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*(?=>)|>[ \t\r\n]*\n[ \t\r\n]*(?=<)", re.S | re.I)


def compact_html(html: str) -> str:
    """`html` with each run of white space between tags that holds a line break cut to that one line break."""
    return _TOKEN.sub(lambda match: match.group(0) if match.group(1) else ">\n", html)


def on_post_page(output: str, page, config) -> str:
    return compact_html(output)
