"""End-to-end fixtures: the real records built for a GitHub Pages project subpath, served on 127.0.0.1,
and Debian's Chromium driven by Playwright.

The site is built once per session with SITE_URL=http://127.0.0.1:<port>/<repo>/ and served only under
/<repo>/ (anything else is a 404, as on GitHub Pages), so a link that forgets the subpath breaks here too.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT

from .siteserver import build_for, start_server

CHROMIUM = Path("/usr/bin/chromium")
# The flags this machine needs for headless Chromium as root with no outside network
# (.library/env/machines/python.md): without the background-networking ones it keeps dialling out.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NODE_MODULES = ROOT / "node_modules"
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def require(condition: bool, reason: str) -> None:
    """Skip when a tool is missing on a developer's machine, but fail in CI, which must run everything."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: browser tests may not be skipped)")
    pytest.skip(reason)


def require_node_module(path: Path) -> Path:
    """An npm package's file (package.json's devDependencies), or one clear skip (a failure in CI) without it."""
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    require(path.exists(), f"{shown} is missing: run `npm ci` in the project root")
    return path


def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class ServedSite:
    directory: Path
    base_url: str  # ends with "/"
    pages: list[str] = field(default_factory=list)  # page paths relative to base_url ("" is home)

    def url(self, page: str) -> str:
        return self.base_url + page

    def slug(self, page: str) -> str:
        return page.strip("/").replace("/", "_") or "home"


def _site_pages(directory: Path) -> list[str]:
    pages = []
    for html in sorted(directory.rglob("*.html")):
        relative = html.relative_to(directory).as_posix()
        if relative == "404.html":
            pages.append("no-such-page/")  # served with status 404: the reader's view of a broken link
        elif relative.endswith("index.html"):
            pages.append(relative[: -len("index.html")])
    return pages


@pytest.fixture(scope="session")
def served_site(tmp_path_factory) -> Iterator[ServedSite]:
    server, base_url = start_server()
    directory = build_for(base_url, tmp_path_factory.mktemp("e2e"))
    server.set_directory(directory)  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ServedSite(directory, base_url, _site_pages(directory))
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM.exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Watch:
    """What a page did that a reader would not want: console errors, failed or outside requests."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.outside: list[str] = []

    def problems(self) -> list[str]:
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"failed request: {m}" for m in self.failed]
                + [f"request to another host (blocked): {m}" for m in self.outside])


def new_context(browser, viewport: dict, watch: Watch | None = None, **options):
    """A fresh browser context that only reaches 127.0.0.1; every other request is blocked and recorded."""
    context = browser.new_context(viewport=viewport, color_scheme="light", **options)
    watch = watch if watch is not None else Watch()

    def route(route) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            watch.outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)

    def on_page(page) -> None:
        page.on("console", lambda m: watch.console_errors.append(f"{page.url}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: watch.console_errors.append(f"{page.url}: {e}"))
        page.on("requestfailed", lambda r: watch.failed.append(f"{r.url} ({r.failure})")
                if urlsplit(r.url).hostname == "127.0.0.1" else None)

    context.on("page", on_page)
    context.watch = watch
    return context


@pytest.fixture
def context(browser):
    context = new_context(browser, DESKTOP)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


_SAVED: list[Path] = []  # artifact folders written in this session, named at the end of the run


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    folder = ARTIFACTS / "screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    _SAVED.append(folder)
    return folder


def pytest_terminal_summary(terminalreporter) -> None:
    # Printed whatever the output capture: the screenshots are for a person to look at.
    for folder in _SAVED:
        count = len(list(folder.glob("*.png")))
        terminalreporter.write_line(f"browser tests: {count} screenshots in {folder}")
