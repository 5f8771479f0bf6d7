"""The hook that folds the white space Material's templates leave between tags (reviewsite/hooks/compact.py)."""

from __future__ import annotations

import re

import lxml.html
from hypothesis import given
from hypothesis import strategies as st

from conftest import REVIEW_ID
from reviewsite.hooks.compact import compact_html


def test_white_space_between_tags_becomes_one_line_break():
    assert compact_html("<div>\n    \n      <a>x</a>\n  </div>") == "<div>\n<a>x</a>\n</div>"


def test_white_space_without_a_line_break_or_beside_text_is_kept():
    html = "<p><a>x</a> <b>y</b>\n  text\n  <i>z</i></p>"
    assert compact_html(html) == html


def test_pre_textarea_script_and_style_are_kept_byte_for_byte():
    kept = ["<pre>x\n   <b>y</b>\n\n  </pre>", "<textarea>\n  <b>\n</textarea>", "<script>if (a>\n  <b) {}</script>",
            "<STYLE>\n  a>\n  <b {}</STYLE>"]
    for element in kept:
        assert compact_html(f"<div>\n  {element}\n  </div>") == f"<div>\n{element}\n</div>"


@given(st.lists(st.sampled_from(["<p>", "</p>", "<pre>", "</pre>", "\n", "  ", "text", "<b>", "</b>"]), max_size=30))
def test_the_text_of_the_page_is_unchanged_but_for_white_space(pieces):
    html = "<div>" + "".join(pieces) + "</div>"
    before = lxml.html.fragment_fromstring(html, create_parent=True).text_content()
    after = lxml.html.fragment_fromstring(compact_html(html), create_parent=True).text_content()
    assert re.sub(r"\s+", " ", after) == re.sub(r"\s+", " ", before)
    for pre in re.findall(r"<pre>.*?</pre>", html, re.S):
        assert pre in compact_html(html)


def test_the_built_review_page_has_no_blank_line_between_tags(built_site):
    html = (built_site / "reviews" / REVIEW_ID / "index.html").read_text(encoding="utf-8")
    assert not re.search(r">\n[ \t]*\n[ \t]*<", html)
    assert compact_html(html) == html
