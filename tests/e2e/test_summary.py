"""The maintainers' summary in a browser, on the made-up fixture review (tests/fixtures/summary/): no axe
violation in either scheme, support links that land on the right sentence or reference, a block kept whole
in print, and search that finds its words.

The shared `served_site` holds only the shipped records, which have no summary; this module builds its own
site with the fixture review added, served under the same GitHub Pages subpath.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import copy_project

from .conftest import DESKTOP, PHONE, ServedSite, new_context
from .siteserver import start_server
from .test_accessibility import SCHEMES, describe, run_axe
from .test_reader import _search

FIXTURE = Path(__file__).parents[1] / "fixtures" / "summary" / "example-summary"
REVIEW = "reviews/example-summary/"
SHOTS = Path(os.environ.get("SUMMARY_SHOTS", "/tmp/summary-shots"))


@pytest.fixture(scope="module")
def summary_site(tmp_path_factory) -> Iterator[ServedSite]:
    from reviewsite.cli import main

    server, base_url = start_server()
    project = copy_project(tmp_path_factory.mktemp("summary-e2e") / "project")
    shutil.copytree(FIXTURE, project.records_dir / "example-summary")
    saved = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = base_url
    try:
        assert main(["build"], root=project.root) == 0
    finally:
        if saved is None:
            os.environ.pop("SITE_URL", None)
        else:
            os.environ["SITE_URL"] = saved
    server.set_directory(project.site_dir)  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ServedSite(project.site_dir, base_url)
    finally:
        server.shutdown()
        server.server_close()


def shot(page, name: str, **options) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), **options)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_no_axe_violations_on_the_summary(summary_site, browser, scheme, viewport) -> None:
    context = new_context(browser, DESKTOP if viewport == "desktop" else PHONE)
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    found = {}
    # The page, the page with a sentence highlighted, and the home list and the table of all reviews with its
    # bottom line.
    for path in (REVIEW, REVIEW + "#abstract-2-2", "", "reviews/all/"):
        page.goto(summary_site.url(path), wait_until="networkidle")
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
        violations = run_axe(page)
        if violations:
            found[path or "home"] = describe(violations)
        if path == REVIEW:
            shot(page.locator("section.review-summary"), f"summary-{scheme}-{viewport}")
        if path == "":
            shot(page.locator("ul.home-reviews"), f"home-{scheme}-{viewport}")
        if path == "reviews/all/":
            shot(page.locator("table.review-table"), f"all-{scheme}-{viewport}")
    problems = context.watch.problems()
    context.close()
    assert not found, "\n".join(f"--- {path}\n{text}" for path, text in found.items())
    assert not problems, "\n".join(problems)


def test_the_block_is_apart_from_the_abstract(summary_site, page) -> None:
    page.goto(summary_site.url(REVIEW), wait_until="networkidle")
    block = page.locator("section.review-summary")
    expect(block.locator("h2")).to_have_text("Summary by Ann Example and Ben Example, 2 March 2024")
    styles = block.evaluate("""e => { const s = getComputedStyle(e), a = getComputedStyle(
        document.querySelector('.review-abstract'));
        return {bg: s.backgroundColor, left: s.borderLeftWidth, abstractBg: a.backgroundColor}; }""")
    assert styles["bg"] != styles["abstractBg"] and float(styles["left"].removesuffix("px")) >= 4
    # Above the abstract, and outside it.
    assert page.evaluate("""() => { const s = document.querySelector('section.review-summary'),
        a = document.querySelector('.review-abstract');
        return !!(s.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING) && !a.contains(s); }""")


@pytest.mark.parametrize(("link", "target", "text"), [
    ("abstract, Results section, sentence 2", "abstract-2-2", "Widget therapy lowered the example score by 10 points."),
    ("abstract, Results section, sentence 3", "abstract-2-3", "Adverse events were as frequent as with placebo."),
    ("abstract, Conclusion section", "abstract-3", "Conclusion: Widgets may help; larger invented trials are needed."),
])
def test_a_support_link_lands_on_its_sentence_highlighted(summary_site, page, link, target, text) -> None:
    page.goto(summary_site.url(REVIEW), wait_until="networkidle")
    page.get_by_role("link", name=link, exact=True).click()
    expect(page).to_have_url(summary_site.url(REVIEW) + "#" + target)
    landed = page.locator(f"#{target}")
    expect(landed).to_have_text(text)
    expect(landed).to_be_in_viewport()
    assert page.evaluate("id => document.querySelector(':target').id", target) == target
    highlight = landed.evaluate("e => getComputedStyle(e).backgroundColor")
    assert highlight not in ("rgba(0, 0, 0, 0)", "transparent"), "the linked sentence is not highlighted"
    # Not hidden under Material's fixed header.
    header_bottom = page.evaluate("() => document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert landed.bounding_box()["y"] >= header_bottom - 1
    if target == "abstract-2-2":
        shot(page, "sentence-highlighted")


@pytest.mark.parametrize(("link", "number", "title"), [
    ("reference 1, on the references page", 1, "A first invented trial of widgets"),
    ("reference 2, on the references page", 2, "An invented safety study of widgets"),  # named by id
])
def test_a_reference_link_lands_on_its_reference(summary_site, page, link, number, title) -> None:
    page.goto(summary_site.url(REVIEW), wait_until="networkidle")
    page.get_by_role("link", name=link, exact=True).click()
    # The address keeps the fragment, or Material's navigation.tracking rewrites it to the anchor in view.
    expect(page).to_have_url(re.compile(re.escape(summary_site.url(REVIEW) + "references/") + r"(#ref-\d+)?$"))
    page.wait_for_function("id => document.querySelector(':target')?.id === id", arg=f"ref-{number}")
    landed = page.locator(f"#ref-{number}")
    expect(landed).to_contain_text(title)
    expect(landed).to_be_in_viewport()
    if number == 2:
        shot(page, "reference-landed")


def test_the_erratum_link_opens_the_notice(summary_site, page) -> None:
    page.goto(summary_site.url(REVIEW), wait_until="networkidle")
    page.get_by_role("link", name="correction notice 1, on the erratum page", exact=True).click()
    expect(page).to_have_url(summary_site.url(REVIEW) + "erratum/")
    expect(page.locator(".erratum-notice")).to_contain_text("Example J Med. 2020 Jun;12(6):300")


def test_print_keeps_the_block_whole_and_framed(summary_site, browser) -> None:
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(summary_site.url(REVIEW), wait_until="networkidle")
    page.emulate_media(media="print")
    block = page.locator("section.review-summary")
    expect(block).to_be_visible()
    style = block.evaluate("""e => { const s = getComputedStyle(e);
        return {breakInside: s.breakInside, top: s.borderTopStyle, color: s.borderTopColor}; }""")
    assert style["breakInside"] == "avoid"
    assert style["top"] == "solid" and style["color"] == "rgb(0, 0, 0)"
    # Every part of the summary prints: nothing inside it is hidden by the print styles.
    hidden = block.evaluate(
        "e => [...e.querySelectorAll('*')].filter(x => getComputedStyle(x).display === 'none').length")
    assert hidden == 0
    # On an A4 sheet the block fits one page, so avoiding a break inside it is possible.
    height = block.evaluate("e => e.getBoundingClientRect().height")
    assert height < 1000, f"the block is {height}px high: taller than a printed page"
    shot(page, "print", full_page=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SHOTS / "print.pdf"), format="A4")
    context.close()


def test_search_finds_words_of_the_summary(summary_site, browser) -> None:
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(summary_site.url(""), wait_until="networkidle")
    results = _search(page, "dummy")  # only in the summary's plain-language paragraph
    assert urlsplit(summary_site.url(REVIEW)).path in results, results
    context.close()
