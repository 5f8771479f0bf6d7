"""The hook that folds the white space Material's templates leave between tags (reviewsite/hooks/compact.py)."""

from __future__ import annotations

import json
import re

import lxml.html
from hypothesis import given
from hypothesis import strategies as st

from conftest import REVIEW_ID
from reviewsite.hooks.compact import compact_html


def test_white_space_between_tags_becomes_one_line_break():
    assert compact_html("<div>\n    \n      <a>x</a>\n  </div>") == "<div>\n<a>x</a>\n</div>"


def test_white_space_without_a_line_break_or_beside_the_article_s_text_is_kept():
    # The article's text is left alone: the site's stylesheets may set white-space: pre-wrap there.
    html = "<article><p><a>x</a> <b>y</b>\n  text\n  <i>z</i></p></article>"
    assert compact_html(html) == html
    assert compact_html("<p><a>x</a> <b>y</b> text</p>") == "<p><a>x</a> <b>y</b> text</p>"


def test_white_space_in_the_frame_s_text_becomes_one_line_break():
    html = '<a href="/">\n<span class="md-ellipsis">\n    \n  \n    Home\n  \n\n    \n  </span>\n</a>'
    assert compact_html(html) == '<a href="/">\n<span class="md-ellipsis">\nHome\n</span>\n</a>'
    assert compact_html("<label>\n  <a>x</a>\n    Review summaries\n  </label>") == (
        "<label>\n<a>x</a>\nReview summaries\n</label>")


def test_attribute_values_comments_code_and_kbd_in_the_frame_are_kept():
    kept = ['<meta content="a\n    b > c">', "<img alt='x\n   y'>", "<!-- a\n\n  b -->", "<code>a\n   b</code>",
            "<KBD>\n  k\n</KBD>"]
    for element in kept:
        assert compact_html(f"<div>\n  {element}\n  </div>") == f"<div>\n{element}\n</div>"


def test_pre_textarea_script_and_style_are_kept_byte_for_byte():
    kept = ["<pre>x\n   <b>y</b>\n\n  </pre>", "<textarea>\n  <b>\n</textarea>", "<script>if (a>\n  <b) {}</script>",
            "<STYLE>\n  a>\n  <b {}</STYLE>"]
    for element in kept:
        assert compact_html(f"<div>\n  {element}\n  </div>") == f"<div>\n{element}\n</div>"


@given(st.lists(st.sampled_from(["<p>", "</p>", "<pre>", "</pre>", "\n", "  ", "text", "<b>", "</b>"]), max_size=30),
       st.booleans())
def test_the_text_of_the_page_is_unchanged_but_for_white_space(pieces, in_article):
    html = "<div>" + "".join(pieces) + "</div>"
    if in_article:
        html = f"<article>{html}</article>"
    before = lxml.html.fragment_fromstring(html, create_parent=True).text_content()
    after = lxml.html.fragment_fromstring(compact_html(html), create_parent=True).text_content()
    assert re.sub(r"\s+", " ", after) == re.sub(r"\s+", " ", before)
    for pre in re.findall(r"<pre>.*?</pre>", html, re.S):
        assert pre in compact_html(html)
    assert compact_html(compact_html(html)) == compact_html(html)


def test_the_built_review_page_has_no_blank_line_between_tags(built_site):
    html = (built_site / "reviews" / REVIEW_ID / "index.html").read_text(encoding="utf-8")
    assert not re.search(r">\n[ \t]*\n[ \t]*<", html)
    assert compact_html(html) == html


def test_the_built_pages_frame_has_no_run_of_white_space_with_more_than_its_line_break(built_site):
    for page in ("index.html", "references/index.html"):
        html = (built_site / "reviews" / REVIEW_ID / page).read_text(encoding="utf-8")
        frame = re.sub(r"<(script|article)\b.*?</\1>", "<cut/>", html, flags=re.S)
        assert "md-ellipsis" in frame and not re.search(r"[ \t]*\n[ \t]*\n|\n[ \t]+|[ \t]+\n", frame), page


def test_the_built_pages_json_is_written_without_spaces_after_its_separators(built_site):
    html = (built_site / "reviews" / REVIEW_ID / "index.html").read_text(encoding="utf-8")
    page = lxml.html.fromstring(html)
    for selector in ('script[type="application/ld+json"]', "script#__config"):
        (script,) = page.cssselect(selector)
        value = json.loads(script.text)
        assert value  # the same data: the JSON-LD names the article, the config its base
        assert script.text == json.dumps(value, sort_keys=True, separators=(",", ":")).replace("'", "\\u0027") \
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
