"""Any text renders as text: whatever a record's text fields hold, the built site shows it literally and
gains no element, attribute, script or link; nothing derived from a record writes outside docs/.

One text is put into every text field of a synthetic review (tests/safety_support.py), the site is
built with MkDocs exactly as `build_site.py build` does, and each page is compared with a baseline
build of plain text: the same elements with the same attribute names, and the text shown where the
record's values go, in the page body, the <title>, the header, the metadata and the JSON-LD.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from safety_support import parse, squash, write_review

from conftest import copy_project
from reviewsite.cli import main

SITE_NAME = "Review summaries"
# Syntaxes that would change a page if they were interpreted anywhere on the way.
NASTY = [
    "<script>alert(1)</script>", '<b onclick="alert(1)">bold</b>', "</p></div>", "<!-- comment", "]]>",
    '<img src=x onerror="alert(1)">', "</title><script>alert(1)</script>", '"><svg onload=alert(1)>',
    "{{ 7*7 }}", "{% if true %}jinja{% endif %}", "{# comment #}", "{%- raw %}",
    '\n!!! danger "Admonition"\n    body\n', '??? note "Details"', '{: .evil #id onclick="alert(1)" }',
    '\n--8<-- "/etc/passwd"\n', "--8<--\n/etc/hostname\n--8<--", "\n*[HTML]: Hyper Text Markup Language\n", "HTML",
    "Footnote[^1]", "\n[^1]: The footnote.\n", ":smile:", ":material-alert:", "++ctrl+alt+del++", "==mark==",
    "\u202e\u2066reversed\u2069", "zero\u200bwidth\u200d\u2060", "\ufeff", "line\u2028separator\u2029", "\u00a0",
    "&amp; &lt; &#60; &#x3c;", "javascript:alert(1)", "[link](javascript:alert(1))", "![image](/etc/passwd)",
    "<https://example.org>", "`code`", "*em* __strong__", "\n# Heading\n", "\n    indented code\n", "\n---\n",
    "\n| a | b |\n|---|---|\n", "\\", '"', "'", "\t", "\n\n", "$x$", "\U0001F600 e\u0301 \u05e9\u05dc\u05d5\u05dd",
    "x" * 5000,
]
# Everything a record may hold: not surrogates, not controls other than tab and newline (schema.py).
CHARACTERS = st.characters(blacklist_categories=("Cs",), blacklist_characters=[
    *map(chr, range(0x00, 0x09)), *map(chr, range(0x0B, 0x20)), *map(chr, range(0x7F, 0xA0)), "\ufffe", "\uffff"])
TEXT = st.lists(st.one_of(st.sampled_from(NASTY), st.text(CHARACTERS, max_size=12)), min_size=1, max_size=6).map(
    lambda parts: "".join(parts).strip()).filter(bool)

PAGES = ("reviews/example-a/index.html", "reviews/example-a/references/index.html",
         "reviews/example-a/erratum/index.html", "index.html", "about/index.html")  # at least these


class Site:
    """A throw-away project whose one review is rebuilt with new text for each example."""

    def __init__(self, root: Path):
        self.project = copy_project(root)
        shutil.rmtree(self.project.records_dir)
        self.project.records_dir.mkdir()

    def build(self, text: str) -> dict[str, str]:
        """Every built HTML page (but the theme's assets), by path."""
        write_review(self.project.records_dir, text)
        assert main(["build"], root=self.project.root) == 0
        site = self.project.site_dir
        pages = {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
                 for path in sorted(site.rglob("*.html")) if "assets" not in path.relative_to(site).parts}
        assert set(PAGES) <= set(pages)
        return pages

    def json_files(self) -> list[Path]:
        """The search index and every JSON download (CSL-JSON exports)."""
        return sorted(self.project.site_dir.rglob("*.json"))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    return Site(tmp_path_factory.mktemp("safety") / "project")


@pytest.fixture(scope="module")
def baseline(site) -> dict[str, Counter]:
    return {page: shape(html) for page, html in site.build("Plain text").items()}


def shape(html: str) -> Counter:
    """Which elements a page has, each with the names of its attributes. The abstract's sentence anchors
    (a review with a summary) are left out: text with a full stop in it is rightly more sentences."""
    return Counter((tag, tuple(sorted(name for name, _ in attrs))) for tag, attrs in parse(html).elements
                   if ("class", "abstract-sentence") not in attrs)


def check_page_shape(page: str, html: str, baseline: Counter) -> None:
    gained = shape(html) - baseline
    lost = baseline - shape(html)
    assert not gained and not lost, f"{page}: gained {dict(gained)}, lost {dict(lost)}"
    for tag, attrs in parse(html).elements:
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "data") and value:
                assert urlsplit(value).scheme in ("", "http", "https"), f"{page}: <{tag} {name}={value!r}>"


def check_review_page(html: str, text: str) -> None:
    page = parse(html)
    shown = squash(text)
    assert squash(page.title) == f"{shown} - {SITE_NAME}"
    assert [squash(t) for t in page.texts_in("h1.review-title")] == [shown]
    assert shown in [squash(t) for t in page.texts_in("div.md-header__topic")]
    assert [squash(t) for t in page.texts_in("p.review-journal")] == [shown]
    assert [squash(t) for t in page.texts_in("li")].count(shown) >= 3  # keyword, publication type, affiliation
    assert squash(f"{text}/{text}*") in [squash(t) for t in page.texts_in("li")]  # the MeSH heading
    assert [squash(t) for t in page.texts_in("div.review-abstract")] == [squash(f"{text}: {text} {text}")]
    assert squash(text) in squash(" ".join(page.texts_in("p.review-copyright")))
    assert [squash(t) for t in page.texts_in("p.review-summary-bottom-line")] == [squash(f"Bottom line: {text}")]
    assert [squash(t) for t in page.texts_in("h2.review-summary-heading")] == [
        squash(f"Summary by {text}, 2 March 2024")]
    scripts = [json.loads(s) for s in page.texts_in("script") if s.lstrip().startswith('{"@context"')]
    for data in scripts:
        assert data["name"] == text
    metadata = {(dict(attrs).get("name") or dict(attrs).get("property")): dict(attrs).get("content")
                for tag, attrs in page.elements if tag == "meta"}
    for name in ("citation_title", "DC.title", "og:title", "citation_journal_title"):
        if name in metadata:  # the metadata of issue 5, where present: the exact text, attribute-escaped
            assert squash(metadata[name]) == shown, name
    description = metadata["description"]
    assert squash(description).removesuffix(" …") in squash(f"{text} {text} {text}")


def check_references_page(html: str, text: str) -> None:
    page = parse(html)
    shown = squash(text)
    assert squash(page.title) == f"References: {shown} - {SITE_NAME}"
    assert [squash(t) for t in page.texts_in("cite")] == [shown, shown]
    assert [squash(t) for t in page.texts_in("i")] == [shown, shown]  # the references' citations
    assert [squash(t) for t in page.texts_in("span.reference-note")] == [shown]
    assert squash(page.texts_in("bdi")[0]) == squash(f"{text}, {text}.")


def check_erratum_page(html: str, text: str) -> None:
    page = parse(html)
    assert [squash(t) for t in page.texts_in("p.admonition-title")] == [squash(text)]
    assert squash(page.title) == f"Erratum: {squash(text)} - {SITE_NAME}"


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=TEXT)
@example(text="".join(NASTY[:-1]).strip())
@example(text="x" * 5000)
@example(text="\n".join(NASTY[8:20]).strip())
def test_any_text_renders_as_text(site, baseline, text):
    pages = site.build(text)
    assert set(pages) == set(baseline)
    for page, html in pages.items():
        check_page_shape(page, html, baseline[page])
    for path in site.json_files():
        json.loads(path.read_text(encoding="utf-8"))  # no text can break a JSON file
    check_review_page(pages["reviews/example-a/index.html"], text)
    check_references_page(pages["reviews/example-a/references/index.html"], text)
    check_erratum_page(pages["reviews/example-a/erratum/index.html"], text)
    for page, html in pages.items():
        assert "root:x:0:0" not in html and "/bin/bash" not in html, f"{page} shows a local file"
    check_markdown_lines(site.project.docs_dir, text)


def check_markdown_lines(docs: Path, text: str) -> None:
    """Record text never begins a line of the generated Markdown, where a block syntax would apply
    (admonition, snippet include, abbreviation or footnote definition, attribute list, heading, code)."""
    pieces = {line.strip() for line in text.split("\n")} - {""}
    for page in sorted(docs.rglob("*.md")):
        body = page.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        for line in body.split("\n"):
            assert not any(line.startswith(piece) for piece in pieces if not piece.startswith("<")), \
                f"{page.relative_to(docs)}: record text starts the line {line[:80]!r}"


def test_every_text_field_of_the_schema_is_exercised(tmp_path):
    """The property test fills every Text field the schema declares (a new field joins automatically)."""
    from safety_support import _is_text_field, _model_of

    from reviewsite.load.schema import RECORD_FILES

    declared: set[str] = set()

    def walk(model) -> None:
        for name, info in model.model_fields.items():
            if _is_text_field(info):
                declared.add(f"{model.__name__}.{name}")
            elif (nested := _model_of(info.annotation)) is not None:
                walk(nested)

    for model, _required in RECORD_FILES.values():
        walk(model)
    filled = set(write_review(tmp_path / "records", "x"))
    assert declared <= filled, f"text fields the safety test does not fill: {sorted(declared - filled)}"
