"""The passthrough hook changes how fast MkDocs builds, never what it builds."""

from __future__ import annotations

import shutil

import pytest
from mkdocs.structure.toc import AnchorLink, TableOfContents

from conftest import ROOT, import_benchmark
from reviewsite.hooks.passthrough import (
    on_page_read_source,
    pack_content,
    read_json_value,
    release_content,
    split_blocks,
    split_front_matter,
    unpack_content,
)


def test_a_self_contained_block_is_taken_out_and_markdown_is_left():
    text, blocks = split_blocks("# Title\n\n<ol class=\"x\">\n<li>a</li>\n</ol>\n\nSome *Markdown*.\n")
    assert blocks == ['<ol class="x">\n<li>a</li>\n</ol>\n']
    assert text == "# Title\n\nreviewsitepassthrough0x\n\nSome *Markdown*.\n"


def test_the_last_block_is_kept_without_a_newline_after_it_as_markdown_does():
    text, blocks = split_blocks("para\n\n\n<div>\n<p>a</p>\n</div>\n")
    assert text == "para\n\n\nreviewsitepassthrough0x\n" and blocks == ["<div>\n<p>a</p>\n</div>"]


@pytest.mark.parametrize("markdown", [
    "<div>\n \n</div>\n\nend\n",  # a whitespace-only line is a blank line to Markdown
    "<div>\n<div>a</div>\n\nend\n",  # not closed within the block
    "<div markdown=\"1\">\n*a*\n</div>\n\nend\n",
    "<div>a</div> tail\n\nend\n",
    "<span>inline</span>\n\nend\n",
])
def test_blocks_markdown_could_read_differently_are_left_to_markdown(markdown):
    assert split_blocks(markdown) == (markdown, [])


def test_long_json_front_matter_is_read_as_json_in_its_place():
    value = '[["name", "citation_title", "' + "x" * 300 + '"]]'
    source = f"---\ntitle: \"T\"\nhead_meta: {value}\nreview_id: \"r\"\n---\n\nBody\n"
    text, order, taken = split_front_matter(source)
    assert order == ["title", "head_meta", "review_id"]
    assert taken == {"head_meta": value}
    assert read_json_value(taken["head_meta"]) == [["name", "citation_title", "x" * 300]]
    assert "head_meta" not in text and text.endswith("---\n\nBody\n")


@pytest.mark.parametrize("value", [
    "[" + ", ".join(["1"] * 100) + "]",  # numbers: YAML 1.1 and JSON differ (1e3)
    '["' + "a\u2028b" * 100 + '"]',  # YAML breaks lines at U+2028
    '["short"]',
])
def test_front_matter_values_yaml_could_read_differently_stay_yaml(value):
    source = f"---\nkey: {value}\n---\n"
    assert split_front_matter(source)[2] == {}


class _Page:
    def __init__(self, src_uri: str):
        self.file = type("File", (), {"src_uri": src_uri})()
        self.markdown, self.content, self.meta, self.toc = "# Markdown", None, {}, TableOfContents([])


def _only_where(packed) -> bool:
    """What a page holds between the passes is where its bytes were set aside (spill.py): two numbers."""
    return isinstance(packed, tuple) and len(packed) == 2 and all(type(number) is int for number in packed)


def test_between_mkdocs_passes_a_generated_page_sets_its_html_aside_compressed_and_drops_its_markdown():
    html = "<p>" + "A reference, cited. " * 5000 + "</p>"
    page = _Page("reviews/x/index.md")
    page.content = pack_content(page, html)
    assert page.content == "" and page.markdown == ""
    assert _only_where(page.reviewsite_packed_content)  # no bytes on the page: 7 MB at 1000 reviews, growing
    assert page.reviewsite_packed_content[1] < len(html) // 20  # compressed
    unpack_content(page)
    assert page.content == html
    unpack_content(page)  # once only: a second call leaves the page as it is
    assert page.content == html
    release_content(page)
    assert page.content is None
    handwritten = _Page("guide.md")
    assert pack_content(handwritten, html) == html and handwritten.markdown == "# Markdown"


def test_between_mkdocs_passes_a_generated_page_sets_aside_its_toc_and_the_metadata_mkdocs_does_not_read():
    page = _Page("reviews/x/references.md")
    page.meta = {"title": "T", "description": "D", "template": "t.html", "record": "records/x/references.yaml"}
    heading = AnchorLink("Cited works", "cited-works", 2)
    page.toc = TableOfContents([heading])
    pack_content(page, "<h2 id=\"cited-works\">Cited works</h2>")
    # Between the passes MkDocs reads the title (page.title) and the template (chosen before on_page_context).
    assert page.meta == {"title": "T", "template": "t.html"} and not page.toc.items
    page.meta["added"] = "by another hook"  # still there after, after the page's own keys
    unpack_content(page)
    assert list(page.meta.items()) == [("title", "T"), ("description", "D"), ("template", "t.html"),
                                       ("record", "records/x/references.yaml"), ("added", "by another hook")]
    [back] = page.toc.items
    assert (back.title, back.id, back.level) == ("Cited works", "cited-works", 2)


def test_between_mkdocs_passes_the_json_front_matter_is_set_aside_compressed_then_read_in_its_place():
    head = '[["name", "citation_title", "' + "x" * 300 + '"]]'
    page = _Page("reviews/x/index.md")
    page.file.content_string = f"---\ntitle: \"T\"\nhead_meta: {head}\nreview_id: \"r\"\n---\n\nBody\n"
    assert "head_meta" not in on_page_read_source(page, None)
    page.meta = {"title": "T", "review_id": "r"}  # what MkDocs reads of the rest, as YAML
    assert _only_where(page.reviewsite_packed_meta) and page.reviewsite_packed_meta[1] < len(head) // 2
    unpack_content(page)
    assert list(page.meta.items()) == [("title", "T"), ("head_meta", [["name", "citation_title", "x" * 300]]),
                                       ("review_id", "r")]
    assert not hasattr(page, "reviewsite_packed_meta")
    unpack_content(page)  # once only
    assert list(page.meta) == ["title", "head_meta", "review_id"]
    page.toc = ["a table of contents"]
    release_content(page)  # written: only its title is read again (MkDocs' page.title, the reuse record)
    assert page.meta == {"title": "T"} and page.content is None and not page.toc


def test_a_build_with_the_hook_is_byte_identical_to_one_without(tmp_path):
    """Synthetic reviews (benchmarks/build_bench.py) and the real one, every page kind, built both ways."""
    build_bench = import_benchmark()
    from reviewsite.cli import main

    root = build_bench.make_project(tmp_path / "p", 3)
    shutil.copytree(ROOT / "records" / "ferrari-lacraz-2011", root / "records" / "ferrari-lacraz-2011")
    config = root / "mkdocs.yml"
    with_hook = config.read_text(encoding="utf-8")
    assert "reviewsite/hooks/passthrough.py" in with_hook
    assert main(["build", "--site-dir", str(tmp_path / "fast")], root=root) == 0
    config.write_text("".join(line for line in with_hook.splitlines(keepends=True) if "passthrough" not in line),
                      encoding="utf-8")
    assert main(["build", "--site-dir", str(tmp_path / "plain")], root=root) == 0
    plain = {p.relative_to(tmp_path / "plain"): p.read_bytes() for p in (tmp_path / "plain").rglob("*") if p.is_file()}
    fast = {p.relative_to(tmp_path / "fast"): p.read_bytes() for p in (tmp_path / "fast").rglob("*") if p.is_file()}
    assert set(plain) == set(fast)
    differ = sorted(str(path) for path in plain if plain[path] != fast[path])
    assert differ == []
    assert len([p for p in plain if p.name == "index.html"]) >= 10


def test_pages_with_the_same_anchor_ids_hold_one_set():
    """MkDocs keeps every page's anchor ids until the build ends; pages of one kind (`ref-1`... `ref-100`) share
    one set instead of holding one each (11 MB at 1000 reviews)."""
    from reviewsite.hooks import passthrough

    passthrough.on_pre_build(None)
    pages = []
    for review in ("a", "b", "c"):
        page = _Page(f"reviews/{review}/references.md")
        page.present_anchor_ids = {"references"}  # what MkDocs found in the Markdown
        extra = '\n\n<p id="ref-3">three</p>' if review == "c" else ""
        markdown = f'<ol id="refs">\n<li id="ref-1">one</li>\n<li id="ref-2">two</li>\n</ol>{extra}\n'
        text = passthrough.on_page_markdown(markdown, page, None, None)
        html = "\n".join(f"<p>{chunk.strip()}</p>" for chunk in text.split("\n\n") if chunk.strip())
        passthrough.on_page_content(html, page, None, None)
        pages.append(page)
    a, b, c = (page.present_anchor_ids for page in pages)
    assert a == b == {"references", "refs", "ref-1", "ref-2"}
    assert a is b
    assert c == a | {"ref-3"}
