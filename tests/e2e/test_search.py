"""Site search (Pagefind, reviewsite/hooks/search.py and overrides/javascripts/search.js), as a reader uses it.

The site is served under the GitHub Pages subpath with every other host blocked (conftest.py), so these also
check that search works offline and under a subpath.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from reviewsite.search import index as search_index
from reviewsite.search.shards import bundle_of_page
from tests.conftest import copy_project

from .conftest import DESKTOP, new_context
from .test_reader import REVIEW, _search


@pytest.mark.parametrize(("query", "target"), [
    ("osteoprotegerin", REVIEW),  # a word of the abstract
    ("Lancet", REVIEW + "references/"),  # a journal of the reference list
    ("Ferrari-Lacraz", REVIEW),  # an author
    ("Denosumab", REVIEW),  # a keyword
])
def test_search_finds_the_test_words(served_site, browser, query, target) -> None:
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(served_site.url(""), wait_until="networkidle")
    results = _search(page, query)
    expected = urlsplit(served_site.url(target)).path
    assert expected in results, f"{query!r}: results {results}, expected {expected}"
    if query == "Denosumab":  # the review first, before the collection pages listing it
        assert results[0] == expected, f"{query!r}: results {results}"
    item = page.locator(".md-search-result__item").nth(
        [urlsplit(a).path for a in page.eval_on_selector_all(
            ".md-search-result__item > a:first-child", "links => links.map(a => a.href)")].index(expected))
    expect(item.locator("h1")).not_to_be_empty()  # a title
    if target.endswith("references/"):  # its own <h1> is just "References": the result names the review
        expect(item.locator("h1")).to_have_text("References: Do RANKL inhibitors (denosumab) affect inflammation "
                                                "and immunity?")
    expect(item.locator("p").first).to_contain_text(query.split("-")[0], ignore_case=True)  # an excerpt
    problems = context.watch.problems()
    context.close()
    assert not problems, "\n".join(problems)


def test_a_query_fetches_only_pagefind_files_under_the_subpath(served_site, browser) -> None:
    assert (served_site.directory / "pagefind" / "pagefind.js").is_file()
    assert not (served_site.directory / "search" / "search_index.json").exists(), "lunr's index is still written"
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(served_site.url(""), wait_until="networkidle")
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    before = set(fetched)
    _search(page, "osteoprotegerin")
    during = [url for url in fetched if url not in before]
    base = urlsplit(served_site.base_url).path
    assert during, "the query fetched nothing: where did the index come from?"
    for url in during:
        path = urlsplit(url).path
        assert path.startswith(base + "pagefind/"), f"a query fetched {url}"
    problems = context.watch.problems()
    context.close()
    assert not problems, "\n".join(problems)


def test_a_query_finds_pages_in_every_shard_of_the_index(served_site, browser) -> None:
    # The index is one Pagefind bundle per shard of reviews (reviewsite/search/), merged in the browser: a word
    # on pages of reviews in different shards finds them all.
    base = urlsplit(served_site.base_url).path
    shards = json.loads((served_site.directory / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"]
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(served_site.url(""), wait_until="networkidle")
    results = _search(page, "Lancet")  # a review in The Lancet; a reference list citing it
    found = {bundle_of_page(path[len(base):] + "index.html") for path in results}
    problems = context.watch.problems()
    context.close()
    assert len(shards) > 1 and set(shards) <= found, f"results {results} are from bundles {found}, not all of {shards}"
    assert not problems, "\n".join(problems)


def _results_as_read(served_site, browser, query: str) -> list[tuple[str, str]]:
    """Each result of a query, best first: its link and its text (title, excerpt, the headings under it)."""
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(served_site.url(""), wait_until="networkidle")
    _search(page, query)
    results = page.eval_on_selector_all(
        ".md-search-result__item", "items => items.map(i => [i.querySelector('a').href, i.innerText])")
    problems = context.watch.problems()
    context.close()
    assert not problems, "\n".join(problems)
    return [tuple(result) for result in results]


def test_an_index_made_in_batches_reads_as_one_made_in_one_run(served_site, browser, tmp_path, monkeypatch) -> None:
    # A shard with more pages than PAGES_PER_RUN is indexed in batches merged into one bundle (search/merge.py):
    # the test words find the same pages, in the same order, with the same titles and excerpts.
    queries = ["osteoprotegerin", "Lancet", "Ferrari-Lacraz", "Denosumab", "inflammation", "synthetic"]
    whole = {query: _results_as_read(served_site, browser, query) for query in queries}
    published = served_site.directory / "pagefind"
    kept = tmp_path / "whole"
    shutil.copytree(published, kept)
    monkeypatch.setattr(search_index, "PAGES_PER_RUN", 1)
    runs = []

    def run(command, environment, folder):
        runs.append(command)
        done = subprocess.run(command, env=environment, cwd=folder, capture_output=True, text=True)
        return done.returncode, done.stdout + done.stderr

    try:
        search_index.ShardedIndex(tmp_path / "cache").update(served_site.directory, run)
        shards = json.loads((published / "shards.json").read_text(encoding="utf-8"))["shards"]
        assert len(runs) > len(shards) + 1, "no shard was indexed in batches"
        batched = {query: _results_as_read(served_site, browser, query) for query in queries}
    finally:  # the other tests read the index made in one run
        shutil.rmtree(published)
        shutil.copytree(kept, published)
    assert all(whole[query] for query in queries[:5])
    for query in queries:
        assert batched[query] == whole[query], query


def test_what_the_templates_mark_data_search_exclude_is_not_found(served_site, browser) -> None:
    # The citation block's style labels (AMA, APA, MLA ...) are marked data-search-exclude on the review page.
    page_html = (served_site.directory / REVIEW / "index.html").read_text(encoding="utf-8")
    assert "data-search-exclude" in page_html and ">MLA<" in page_html
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(served_site.url(""), wait_until="networkidle")
    results = _search(page, "MLA")
    context.close()
    assert urlsplit(served_site.url(REVIEW)).path not in results


def test_a_query_that_finds_nothing_says_so(served_site, browser) -> None:
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(served_site.url(""), wait_until="networkidle")
    assert _search(page, "zzqxjv") == []
    expect(page.locator(".md-search-result__meta")).to_have_text("No matching documents")
    problems = context.watch.problems()
    context.close()
    assert not problems, "\n".join(problems)


def test_the_opened_page_marks_the_words_searched_for(served_site, browser) -> None:
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(served_site.url(""), wait_until="networkidle")
    results = _search(page, "osteoprotegerin")
    expected = urlsplit(served_site.url(REVIEW)).path
    page.locator(".md-search-result__item > a").nth(results.index(expected)).click()
    page.wait_for_url(served_site.url(REVIEW) + "**")
    assert parse_qs(urlsplit(page.url).query).get("h") == ["osteoprotegerin"]
    marks = page.locator("article.md-content__inner mark[data-md-highlight]")
    expect(marks.first).to_have_text("osteoprotegerin", ignore_case=True)
    expect(page.locator("#__search")).not_to_be_checked()  # the dialog closed on the way
    problems = context.watch.problems()
    context.close()
    assert not problems, "\n".join(problems)


def test_keyboard_opens_moves_through_and_closes_the_search(served_site, browser) -> None:
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(served_site.url(REVIEW + "references/"), wait_until="networkidle")
    box = page.locator(".md-search__input")
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(page.locator("#__search")).to_be_checked()
    page.keyboard.type("osteoprotegerin")
    expect(page.locator("[data-reviewsite-search=meta]")).to_contain_text("matching")
    page.keyboard.press("ArrowDown")
    first = page.locator(".md-search-result__item a").first
    expect(first).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#__search")).not_to_be_checked()
    expect(box).not_to_be_focused()
    box.focus()  # the query is still there; Enter opens the first result
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "h=osteoprotegerin" in url)
    expect(page.locator("article.md-content__inner")).to_contain_text("osteoprotegerin", ignore_case=True)
    problems = context.watch.problems()
    context.close()
    assert not problems, "\n".join(problems)


def test_the_dialog_is_named_and_the_result_count_is_announced(served_site, browser) -> None:
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(served_site.url(""), wait_until="networkidle")
    _search(page, "Lancet")
    expect(page.get_by_role("dialog", name="Search")).to_have_count(1)
    expect(page.get_by_role("status")).to_contain_text("matching document")
    expect(page.get_by_role("dialog", name="Search").get_by_role("textbox", name="Search")).to_have_count(1)
    context.close()


def test_search_works_on_a_page_reached_by_a_link(served_site, browser) -> None:
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    page.goto(served_site.url(""), wait_until="networkidle")
    page.locator(f"a[href$='{REVIEW}']").first.click()
    page.wait_for_url(served_site.url(REVIEW))
    results = _search(page, "Lancet")
    assert urlsplit(served_site.url(REVIEW + "references/")).path in results
    problems = context.watch.problems()
    context.close()
    assert not problems, "\n".join(problems)


# --- serve: the live preview has an index too, updated after an edit --------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except OSError:
        return None


def test_serve_indexes_the_preview_and_reindexes_after_an_edit(browser, tmp_path) -> None:
    project = copy_project(tmp_path / "project")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, str(project.root / "build_site.py"), "serve", "--port", str(port)],
                              cwd=project.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "REVIEWSITE_NO_VENV": "1"})
    context = new_context(browser, DESKTOP)
    try:
        deadline = time.monotonic() + 120
        while _status(base + "pagefind/pagefind.js") != 200:
            assert server.poll() is None and time.monotonic() < deadline, "serve wrote no search index"
            time.sleep(0.3)
        abstract = project.root / "records" / "ferrari-lacraz-2011" / "abstract.yaml"
        text = abstract.read_text(encoding="utf-8")
        assert "osteoprotegerin" in text
        abstract.write_text(text.replace("osteoprotegerin", "osteoprotegerinx", 1), encoding="utf-8")
        page = context.new_page()
        deadline = time.monotonic() + 120
        while True:  # the rebuild, then the index in the background; a reload may cut a query short
            page.goto(base, wait_until="load")  # live reload keeps a request open: never network-idle
            try:
                if _search(page, "osteoprotegerinx"):
                    break
            except PlaywrightError:
                pass
            meta = page.locator("[data-reviewsite-search=meta]").inner_text()
            assert time.monotonic() < deadline, f"the edited word never became searchable ({meta})"
            time.sleep(1)
    finally:
        context.close()
        server.terminate()
        server.wait(timeout=20)
