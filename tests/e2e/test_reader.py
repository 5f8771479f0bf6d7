"""What a reader does: search, switch the colour scheme, print, copy a citation, download an export."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, DESKTOP, PHONE, new_context
from .test_accessibility import describe, run_axe

REVIEW = "reviews/ferrari-lacraz-2011/"
DOI = "10.1007/s00198-010-1326-y"


def _search(page, query: str) -> list[str]:
    """Type a query in Material's search box; the paths of the results, best first."""
    # On a phone the search box opens from an icon; on a desktop it is in the header.
    page.locator("label.md-header__button[for='__search']:visible, .md-search__input:visible").first.click()
    box = page.locator(".md-search__input")
    box.press_sequentially(query, delay=20)  # Material searches on key events, which fill() does not send
    # Material writes "No matching documents" or "<n> matching document(s)" once the query has run.
    page.locator(".md-search-result__meta", has_text="matching").wait_for(state="visible", timeout=10_000)
    if not page.locator(".md-search-result__item").count():
        return []
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")
    return [urlsplit(href).path for href in hrefs]


@pytest.mark.parametrize(("query", "target"), [
    ("osteoprotegerin", REVIEW),  # a word of the abstract
    ("Lancet", REVIEW + "references/"),  # a journal of the reference list
])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_search_finds_and_opens_the_page(served_site, browser, query, target, viewport) -> None:
    context = new_context(browser, DESKTOP if viewport == "desktop" else PHONE)
    page = context.new_page()
    page.goto(served_site.url(""), wait_until="networkidle")
    results = _search(page, query)
    expected = urlsplit(served_site.url(target)).path
    assert expected in results, f"{query!r}: results {results}, expected {expected}"
    page.locator(".md-search-result__item > a").nth(results.index(expected)).click()
    page.wait_for_url(served_site.url(target) + "**")
    expect(page.locator("article.md-content__inner")).to_contain_text(query, ignore_case=True)
    problems = context.watch.problems()
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_search_with_results_is_accessible(served_site, browser, scheme) -> None:
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    page.goto(served_site.url(""), wait_until="networkidle")
    _search(page, "osteoprotegerin")
    violations = run_axe(page)
    context.close()
    assert not violations, describe(violations)


def test_open_navigation_drawer_on_a_phone_is_accessible(served_site, browser) -> None:
    context = new_context(browser, PHONE)
    page = context.new_page()
    page.goto(served_site.url(REVIEW), wait_until="networkidle")
    page.locator("label.md-header__button[for='__drawer']").click()
    expect(page.locator(".md-sidebar--primary")).to_be_visible()
    violations = run_axe(page)
    context.close()
    assert not violations, describe(violations)


SKIP_PAGES = ["", "about/", REVIEW + "references/", REVIEW]


@pytest.mark.parametrize("path", SKIP_PAGES)
def test_keyboard_skip_link_lands_on_the_page_title(served_site, browser, path) -> None:
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(served_site.url(path), wait_until="networkidle")
    page.keyboard.press("Tab")
    skip = page.locator(".md-skip")
    expect(skip).to_be_focused()
    expect(skip).to_have_css("opacity", "1")  # shown when focused
    page.keyboard.press("Enter")
    lands = page.evaluate("""() => {
        const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        const title = document.querySelector('article.md-content__inner h1');
        return target !== null && (target === title || target.contains(title));
    }""")
    context.close()
    assert lands, f"{path or 'home'}: the skip link goes to {page.url.split('#')[-1]!r}, past the page title"


@pytest.mark.parametrize("path", ["", REVIEW, REVIEW + "references/"])
def test_a_first_visit_fetches_nothing_that_lists_the_whole_site(served_site, browser, path) -> None:
    """A reader's first page must cost the same at 10 reviews or 10,000 (issue 16). Material's instant navigation
    fetched sitemap.xml, every page's address (256 KB at 1,000 reviews), on every first visit; it is off, and a
    link still opens its page."""
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    page.goto(served_site.url(path), wait_until="networkidle")
    page.locator("a.md-header__button.md-logo").click()
    page.wait_for_url(served_site.url(""))
    expect(page.locator("article.md-content__inner h1")).to_be_visible()
    listing = [url for url in fetched if url.endswith(("sitemap.xml", "sitemap.xml.gz"))]
    context.close()
    assert not listing, f"a first visit to {path or 'the home page'} fetched {listing}"


def _scheme(page) -> str:
    return page.get_attribute("body", "data-md-color-scheme")


def test_colour_scheme_toggle_is_remembered_across_pages(served_site, browser) -> None:
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(served_site.url(REVIEW), wait_until="networkidle")
    assert _scheme(page) == "default"
    page.locator("form[data-md-component='palette'] label:not([hidden])").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)", "the dark scheme did not change the page colours"
    # Another page, through a link and through an address typed in.
    page.locator(".review-back a, a[href$='references/']").first.click()
    page.wait_for_url("**/references/")
    assert _scheme(page) == "slate"
    page.goto(served_site.url("about/"), wait_until="networkidle")
    assert _scheme(page) == "slate"
    page.locator("form[data-md-component='palette'] label:not([hidden])").click()
    page.goto(served_site.url(""), wait_until="networkidle")
    assert _scheme(page) == "default"
    context.close()


@pytest.mark.parametrize("path", [REVIEW, REVIEW + "references/"])
def test_the_colour_scheme_toggle_is_placed_by_palette_js_where_material_s_header_has_it(served_site, browser,
                                                                                       path) -> None:
    """The pages do not carry the toggle (issue 16): assets/javascripts/palette.js places it in the header, Material's
    markup, before Material's bundle mounts it; its icon is drawn from the sprite, and it follows the system's
    scheme until the reader chooses."""
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.emulate_media(color_scheme="dark")
    page.goto(served_site.url(path), wait_until="networkidle")
    assert _scheme(page) == "slate"
    toggle = page.locator("form[data-md-component='palette']")
    assert toggle.evaluate("form => form.previousElementSibling.className") == "md-header__title"
    button = toggle.locator("label:not([hidden])")
    expect(button).to_have_attribute("title", "Switch to light mode")
    assert button.locator("use").evaluate("use => use.getBBox().width") > 0, "the toggle's icon is not drawn"
    button.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    expect(toggle.locator("label:not([hidden])")).to_have_attribute("title", "Switch to dark mode")
    context.close()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_table_of_all_reviews_sorts_and_filters(served_site, browser, viewport) -> None:
    """Reached from the home page's link, the table filters on any column's words and sorts by a heading."""
    context = new_context(browser, DESKTOP if viewport == "desktop" else PHONE)
    page = context.new_page()
    page.goto(served_site.url(""), wait_until="networkidle")
    page.locator("p.home-all a").click()
    page.wait_for_url(served_site.url("reviews/all/"))
    expect(page.get_by_label("Filter reviews")).to_be_visible()
    table = page.locator("table[data-collection-table]")
    rows = table.locator("tbody tr")
    total = rows.count()
    assert total == len([p for p in served_site.pages if p.count("/") == 2 and p.startswith("reviews/")
                         and p.split("/")[1] not in ("all", "by-year", "by-keyword", "shared-works")])
    count = page.locator("[data-collection-count]")
    expect(count).to_have_text(f"{total} reviews.")
    page.get_by_label("Filter reviews").fill("osteoporos int 2011")
    expect(rows.filter(has=page.locator(f"a[href$='/{REVIEW.split('/')[1]}/']"))).to_be_visible()
    expect(table.locator("tbody tr:visible")).to_have_count(1)
    expect(count).to_have_text(f"1 of {total} reviews match.")
    page.get_by_label("Filter reviews").fill("")
    expect(table.locator("tbody tr:visible")).to_have_count(total)
    year = table.locator("th", has_text="Year")
    year.locator("button").click()
    expect(year).to_have_attribute("aria-sort", "ascending")
    years = [int(y) for y in table.locator("tbody tr td:last-child").all_text_contents()]
    assert years == sorted(years)
    year.locator("button").click()
    expect(year).to_have_attribute("aria-sort", "descending")
    years = [int(y) for y in table.locator("tbody tr td:last-child").all_text_contents()]
    assert years == sorted(years, reverse=True) and years[0] > years[-1]
    problems = context.watch.problems()
    context.close()
    assert not problems, "\n".join(problems)


def test_print_shows_the_summary_without_navigation(served_site, browser) -> None:
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(served_site.url(REVIEW), wait_until="networkidle")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
                   ".md-search", ".md-top", ".md-skip"):
        for element in page.locator(chrome).all():
            assert not element.is_visible(), f"{chrome} is printed"
    for content in ("h1.review-title", ".review-erratum", ".review-abstract", ".review-authors"):
        assert page.locator(content).is_visible(), f"{content} is not printed"
    width = page.evaluate("document.querySelector('article').getBoundingClientRect().width")
    assert width > 0.8 * DESKTOP["width"], f"the printed summary uses only {width}px of the page width"
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=ARTIFACTS / "review-print.pdf")  # printed as a reader would, for a look
    context.close()


# The Cite section (another part of the work) adds these controls; they are found on the page, not assumed.
COPY_CONTROLS = "article [data-clipboard-text], article [data-clipboard-target], article [data-cite-target]"
EXPORT_FORMATS = {  # file ending -> what a file of that format must contain
    ".bib": ["@article{"],
    ".ris": ["TY  - ", "ER  - "],
    ".json": ['"type"'],
    ".nbib": ["SO  - "],  # MEDLINE tags; references without a PMID have no PMID line
    ".txt": [],
    ".xml": ["<"],
}
# What the article's own export names, and what its reference list's export names (a cited journal).
ARTICLE_MARK, REFERENCES_MARK = DOI, "Lancet"


def _expected_copy_text(page, control) -> str:
    text = control.get_attribute("data-clipboard-text")
    if text:
        return text
    cite_target = control.get_attribute("data-cite-target")  # an element id
    target = "#" + cite_target if cite_target else control.get_attribute("data-clipboard-target")
    assert target, "a copy control names no text and no target"
    return page.locator(target).first.inner_text()


def test_copy_buttons_put_the_right_text_on_the_clipboard(served_site, browser) -> None:
    origin = served_site.base_url.split("/review-summaries/")[0]
    context = new_context(browser, DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = context.new_page()
    page.goto(served_site.url(REVIEW), wait_until="networkidle")
    controls = page.locator(COPY_CONTROLS).all()
    assert controls, f"no copy control ({COPY_CONTROLS}) on the review page"
    # cite.js makes one button per style, after its text, named for a screen reader by the style's label.
    assert [(c.evaluate("e => e.tagName"), c.get_attribute("aria-label")) for c in controls] == [
        ("BUTTON", f"Copy {style} citation") for style in ("NLM", "AMA", "APA", "MLA", "Vancouver")]
    assert page.evaluate("[...document.querySelectorAll('.cite-style')].every("
                         "s => s.lastElementChild.matches('button.cite-copy'))")
    for control in controls:
        expected = _expected_copy_text(page, control).strip()
        page.evaluate("navigator.clipboard.writeText('')")
        control.scroll_into_view_if_needed()
        control.click()
        page.wait_for_timeout(100)
        copied = page.evaluate("navigator.clipboard.readText()").strip()
        assert copied == expected, f"{control.evaluate('e => e.outerHTML')[:200]} copied {copied!r}"
        assert DOI in copied or "Ferrari-Lacraz" in copied, f"the copied text names neither DOI nor author: {copied!r}"
    problems = context.watch.problems()
    context.close()
    assert not problems, "\n".join(problems)


def test_export_links_download_files_with_the_right_content(served_site, browser) -> None:
    context = new_context(browser, DESKTOP, accept_downloads=True)
    page = context.new_page()
    page.goto(served_site.url(REVIEW), wait_until="networkidle")
    links = page.locator("article a[download]").all()
    assert links, "no export link (a[download]) on the review page"
    for link in links:
        href = urljoin(page.url, link.get_attribute("href"))
        ending = "." + urlsplit(href).path.rsplit(".", 1)[-1]
        with page.expect_download(timeout=10_000) as info:
            link.click()
        download = info.value
        assert download.failure() is None, f"{href}: {download.failure()}"
        content = download.path().read_text(encoding="utf-8")
        with urllib.request.urlopen(href) as response:
            assert response.read().decode("utf-8") == content
        assert ending in EXPORT_FORMATS, f"{href}: an export format this test does not know"
        mark = REFERENCES_MARK if "reference" in href.rsplit("/", 1)[-1] else ARTICLE_MARK
        for needle in [*EXPORT_FORMATS[ending], mark]:
            assert needle in content, f"{href}: {needle!r} not in the downloaded file"
        if ending == ".json":
            json.loads(content)
    problems = context.watch.problems()
    context.close()
    assert not problems, "\n".join(problems)
