"""MkDocs hook: the blank lines and indentation that Material's templates leave in a page, folded (issue 16).

Material indents its markup and leaves a line for each `{% if %}` and `{% for %}`: on a review page that was about
2 KB of spaces and line breaks, on every page of the site. A run of white space that holds a line break becomes
one line break: between two tags anywhere, and also inside the text of Material's frame (everything outside
<article>, e.g. a navigation link's `<span class="md-ellipsis">\\n    \\n  \\n    Home\\n  \\n\\n    \\n  </span>`). A
browser renders both alike: CSS folds such a run to one space, or to nothing at a line's start or end, whatever
its length, wherever white-space is normal or nowrap, which is everywhere in the frame (Material's only pre-like
rules are for pre, code and kbd, and for the search suggestion, which the site does not use). The insides of
<pre>, <textarea>, <script>, <style>, <code> and <kbd>, attribute values and comments are left as they are; so is
the text of the article, where the site's own stylesheets may set white-space: pre-wrap (review.css does, on a
draft's problems). The JSON the pages carry is written without the spaces after its separators (`on_env`).
"""

from __future__ import annotations

import re

# Either an element whose text must stay byte for byte (kept whole, but for the `>` that closes it), or white space
# with a line break between a tag's `>` and the next tag's `<` (both only looked at or given back, so an element
# to keep that starts or ends there is still seen whole).
_BETWEEN_TAGS = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*(?=>)|>[ \t\r\n]*\n[ \t\r\n]*(?=<)",
                           re.S | re.I)
# Outside the article: an element kept whole, a comment, a tag (its quoted attribute values may hold white space
# or `>`), all given back as they are; or a run of white space with a line break, in text or between tags.
_FRAME = re.compile(r"<(pre|textarea|script|style|code|kbd)\b.*?</\1\s*>"
                    r"|<!--.*?-->"
                    r"|<[^>\"']*(?:\"[^\"]*\"[^>\"']*|'[^']*'[^>\"']*)*>"
                    r"|(?P<space>[ \t\r\n]*\n[ \t\r\n]*)", re.S | re.I)


def _fold_between_tags(html: str) -> str:
    return _BETWEEN_TAGS.sub(lambda match: match.group(0) if match.group(1) else ">\n", html)


def _fold_frame(html: str) -> str:
    return _FRAME.sub(lambda match: "\n" if match.group("space") else match.group(0), html)


def compact_html(html: str) -> str:
    """`html` with each run of white space that holds a line break cut to that one line break: between tags
    everywhere, and in the text too outside <article>."""
    # str.find, not a regular expression: a lazy `<article.*?</article>` costs 0.3 ms a page, 2 s at N=1000.
    pieces = []
    end = 0
    while (start := html.find("<article", end)) != -1 and (close := html.find("</article>", start)) != -1:
        close += len("</article>")
        pieces.append(_fold_frame(html[end:start]))
        pieces.append(_fold_between_tags(html[start:close]))
        end = close
    pieces.append(_fold_frame(html[end:]))
    return "".join(pieces)


# Jinja's `tojson` (the page config and the JSON-LD block, overrides/main.html) with JSON's shortest separators:
# ", " and ": " were a byte each between every key and value (0.1 KB a review page). Keys stay sorted, and
# `tojson` still escapes <, >, & and ' for the HTML around it.
JSON_DUMPS = {"sort_keys": True, "separators": (",", ":")}


def on_env(env, config, files):
    env.policies["json.dumps_kwargs"] = JSON_DUMPS
    return env


def on_post_page(output: str, page, config) -> str:
    return compact_html(output)
