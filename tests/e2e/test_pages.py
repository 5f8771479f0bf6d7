"""Every page as a reader's browser sees it: loads cleanly, links resolve, fits a phone, screenshots."""

from __future__ import annotations

import urllib.error
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from .conftest import PHONE, VIEWPORTS, new_context

NOT_FOUND = "no-such-page/"


def test_every_page_is_found(served_site) -> None:
    # Guards the parametrised tests below against an empty or partial build.
    assert "" in served_site.pages
    assert "reviews/ferrari-lacraz-2011/" in served_site.pages
    assert "reviews/ferrari-lacraz-2011/references/" in served_site.pages
    assert "reviews/ferrari-lacraz-2011/erratum/" in served_site.pages
    assert "about/" in served_site.pages


def _load(page, url: str):
    response = page.goto(url, wait_until="networkidle")
    assert response is not None, url
    return response


def test_pages_load_without_errors(served_site, browser) -> None:
    for name, viewport in VIEWPORTS.items():
        context = new_context(browser, viewport)
        page = context.new_page()
        for path in served_site.pages:
            response = _load(page, served_site.url(path))
            expected = 404 if path == NOT_FOUND else 200
            assert response.status == expected, f"{path}: HTTP {response.status}"
        # The 404 page's own status is expected; Chromium logs it as a console error.
        expected_404 = f"console error: {served_site.url(NOT_FOUND)}: Failed to load resource: the server " \
                       "responded with a status of 404 (Not Found)"
        problems = [p for p in context.watch.problems() if p != expected_404]
        context.close()
        assert not problems, f"{name}:\n" + "\n".join(problems)


def test_outside_requests_are_blocked_and_reported(served_site, browser) -> None:
    # The watch itself must work, or the test above proves nothing.
    context = new_context(browser, PHONE)
    page = context.new_page()
    _load(page, served_site.url(""))
    page.evaluate("fetch('http://example.com/x').catch(() => null)")
    page.wait_for_timeout(200)
    outside = context.watch.outside
    context.close()
    assert outside == ["http://example.com/x"]


def test_no_horizontal_scrolling_on_a_phone(served_site, browser) -> None:
    context = new_context(browser, PHONE)
    page = context.new_page()
    wide = {}
    for path in served_site.pages:
        _load(page, served_site.url(path))
        sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if sizes[0] > sizes[1]:
            wide[path] = sizes
    context.close()
    assert not wide, f"pages wider than the phone (scrollWidth, clientWidth): {wide}"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_erratum_notice_is_visible_without_scrolling(served_site, browser, viewport) -> None:
    context = new_context(browser, VIEWPORTS[viewport])
    page = context.new_page()
    _load(page, served_site.url("reviews/ferrari-lacraz-2011/"))
    notice = page.locator(".review-erratum")
    assert notice.is_visible()
    box = notice.bounding_box()
    context.close()
    height = VIEWPORTS[viewport]["height"]
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, (
        f"erratum notice at y={box and box['y']}..{box and box['y'] + box['height']}, viewport height {height}")


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_internal_links_and_anchors_resolve(served_site, page) -> None:
    links: dict[str, set[str]] = {}  # target URL -> pages linking to it
    for path in served_site.pages:
        _load(page, served_site.url(path))
        hrefs = page.eval_on_selector_all("a[href], link[href]", "els => els.map(e => e.href)")
        for href in hrefs:
            if urlsplit(href).hostname == "127.0.0.1":
                links.setdefault(href, set()).add(path or "home")
    assert len(links) > 10
    broken = []
    pages: dict[str, tuple[int, set[str]]] = {}
    for href, sources in sorted(links.items()):
        target, fragment = urldefrag(href)
        if target not in pages:
            status, text = _fetch(target)
            parser = _Ids()
            parser.feed(text)
            pages[target] = (status, parser.ids)
        status, ids = pages[target]
        if status != 200:
            broken.append(f"{href}: HTTP {status} (linked from {sorted(sources)})")
        elif fragment and fragment not in ids:
            broken.append(f"{href}: no element with id {fragment!r} (linked from {sorted(sources)})")
    assert not broken, "\n".join(broken)


def test_screenshots_of_every_page(served_site, browser, screenshots_dir) -> None:
    for name, viewport in VIEWPORTS.items():
        context = new_context(browser, viewport)
        page = context.new_page()
        for path in served_site.pages:
            _load(page, served_site.url(path))
            stem = f"{served_site.slug(path)}-{name}"
            page.screenshot(path=screenshots_dir / f"{stem}.png", full_page=True)
            page.screenshot(path=screenshots_dir / f"{stem}-first-screen.png")  # what a reader sees first
        context.close()
    saved = sorted(screenshots_dir.glob("*.png"))
    assert len(saved) == 2 * 2 * len(served_site.pages)
    print(f"\nScreenshots of {len(served_site.pages)} pages at {', '.join(VIEWPORTS)}: {screenshots_dir}")
