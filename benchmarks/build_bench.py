#!/usr/bin/env python3
"""Benchmark the whole build on N synthetic reviews of 100 references each.

    .venv/bin/python benchmarks/build_bench.py                 # N = 1, 10, 100, 1000 and serve at 100
    .venv/bin/python benchmarks/build_bench.py --sizes 1 10 --no-serve

For each N, a throw-away copy of the project gets N clearly synthetic reviews (titles
"Synthetic review 17", DOIs 10.5555/bench.17.M; some cited works are shared between reviews),
then `build_site.py build` runs in a fresh process three times: cold (no cache, no docs), after
editing one record, and again with nothing changed (which must write no file). The generator's stages are timed by
wrapping the functions `reviewsite.build.pipeline` calls, so the MkDocs hook's own regeneration counts too.

`--profile DIR` writes a cProfile file per N and build kind into DIR (read it with pstats).

Search, per N: the index's size on disk (everything under site/search/ or site/pagefind/), and what a reader's first
query costs, measured in headless Chromium (Debian's /usr/bin/chromium) on the site served under the GitHub Pages
subpath: the bytes every response carried from navigation to the first result on screen (raw, and gzipped at level 6
as GitHub Pages would send them; files that are already compressed count at their own size), the part of them that
is search (index, worker, scripts, wasm, chunks, fragments), and the seconds from navigation to the first result.
Review 1's abstract carries the word "osteoprotegerin" (found on one page); "synthetic" is on every page.
`--no-search` skips the browser part.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.site_bytes import site_kb_per_review  # noqa: E402
from tests.sandbox import copy_project  # noqa: E402

PYTHON = sys.executable
REFERENCES_PER_REVIEW = 100
SHARED_WORKS = 40  # cited works that several reviews cite: 10.5555/bench.shared.K
SHARED_PER_REVIEW = 10


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def review_id(index: int) -> str:
    return f"bench-{index:04d}"


def article_yaml(index: int) -> str:
    year = 2000 + index % 25
    lines = [
        f"title: {_q(f'Synthetic review {index}: benchmark data for the site generator')}",
        "journal:",
        f"  title: {_q(f'Synthetic Journal {index % 20}')}",
        f"  iso_abbreviation: {_q(f'Synth J {index % 20}')}",
        f'published: "{year}-{1 + index % 9:02d}"',
        f'volume: "{index % 50 + 1}"',
        f'issue: "{index % 4 + 1}"',
        f'pages: "{100 + index}-{110 + index}"',
        f'doi: "10.5555/bench.{index}"',
        "publication_types:",
        '  - "Review"',
        'language: "en"',
        "authors:",
    ]
    for author in range(3):
        lines += [f"  - family: {_q(f'Example{index}x{author}')}", '    initials: "A"']
    lines += [
        'authors_complete: "true"',
        "keywords:",
        f"  - {_q(f'Synthetic topic {index % 7}')}",
        f"  - {_q(f'Benchmark keyword {index % 13}')}",
        "mesh_terms:",
        f"  - descriptor: {_q(f'Synthetic descriptor {index % 5}')}",
        '    major: "true"',
        "sources:",
        '  - id: "bench"',
        '    name: "Synthetic benchmark data (not a real article)"',
        f'    url: "https://example.org/bench/{index}"',
    ]
    return "\n".join(lines) + "\n"


SEARCH_QUERIES = ("osteoprotegerin", "synthetic")  # on review 1's page only; on every page


def abstract_yaml(index: int) -> str:
    text = " ".join(f"Synthetic sentence {n} of review {index}, written only to give the page some length."
                    for n in range(12))
    if index == 1:  # a word that only one page holds, for the search measures
        text += " It names osteoprotegerin once."
    return f'sources: ["bench"]\nsections:\n  - label: "Background"\n    text: {_q(text)}\n'


def references_yaml(index: int) -> str:
    lines = ['complete: "true"', "references:"]
    for number in range(REFERENCES_PER_REVIEW):
        if number < SHARED_PER_REVIEW:
            shared = (index + number) % SHARED_WORKS  # distinct within one review, shared across reviews
            doi, year, title = f"10.5555/bench.shared.{shared}", 1990 + shared % 30, f"Synthetic shared work {shared}"
        else:
            doi, year = f"10.5555/bench.{index}.{number}", 1970 + (index * 7 + number) % 55
            title = f"Synthetic cited work {index}.{number}"
        journal = f"Synth Cited J {number % 30}"
        volume, first = number % 90 + 1, 10 * number + 1
        lines += [
            f"  - citation: {_q(f'{journal}. {year};{volume}(2):{first}-{first + 9}')}",
            f"    title: {_q(title)}",
            "    authors: [" + ", ".join(_q(f"Example{index}-{number}-{a} B") for a in range(6)) + "]",
            f"    journal: {_q(journal)}",
            f'    year: "{year}"',
            f'    volume: "{volume}"',
            '    issue: "2"',
            f'    pages: "{first}-{first + 9}"',
            f'    doi: "{doi}"',
            '    sources: ["bench"]',
        ]
    return "\n".join(lines) + "\n"


def make_project(destination: Path, count: int) -> Path:
    """A copy of the project whose records/ holds `count` synthetic reviews and nothing else."""
    copy_project(ROOT, destination, records=False)
    records = destination / "records"
    for index in range(1, count + 1):
        folder = records / review_id(index)
        folder.mkdir(parents=True)
        (folder / "article.yaml").write_text(article_yaml(index), encoding="utf-8")
        (folder / "abstract.yaml").write_text(abstract_yaml(index), encoding="utf-8")
        (folder / "references.yaml").write_text(references_yaml(index), encoding="utf-8")
    return destination


# --- one build, in a fresh process (run as `build_bench.py --child ROOT`) ---------------------------------

def child_build(root: Path, profile_to: str | None) -> dict:
    """Run `build_site.py build` in this process, timing the generator's stages; returns the figures."""
    sys.path.insert(0, str(root))
    import reviewsite.build.pipeline as generate_module
    from reviewsite.cli import main

    seconds = {"load": 0.0, "render": 0.0, "write": 0.0}
    written = [0]

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - started
        return wrapper

    generate_module.load_collection = timed("load", generate_module.load_collection)

    def counting(write):
        def counted(*args, **kwargs):
            report = write(*args, **kwargs)
            written[0] += len(report.written) + len(report.removed)
            return report
        return counted

    if hasattr(generate_module, "render_pages"):
        # Pages are rendered and staged one review at a time (render), then committed at once (write).
        generate_module.render_pages = timed("render", generate_module.render_pages)
        generate_module.Generation.commit = counting(timed("write", generate_module.Generation.commit))
    else:  # an older pipeline (before/after figures): render every page, then write them
        generate_module.render_site = timed("render", generate_module.render_site)
        generate_module.write_pages = counting(timed("write", generate_module.write_pages))
    if hasattr(generate_module, "recover"):  # finishing an interrupted generation is part of writing
        generate_module.recover = timed("write", generate_module.recover)
    if hasattr(generate_module, "run_apart"):
        # A one-off build of many reviews generates in a forked child (reviewsite/build/apart.py): the timers run
        # there, so the child hands its figures back with its result.
        apart = generate_module.run_apart

        def run_apart_with_figures(work):
            result, child_seconds, child_written = apart(lambda: (work(), dict(seconds), written[0]))
            seconds.update(child_seconds)
            written[0] = child_written
            return result
        generate_module.run_apart = run_apart_with_figures
    profiler = None
    if profile_to:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["build"], root=root)
    total = time.perf_counter() - started
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile_to)
    if code != 0:
        raise SystemExit(f"build failed with exit code {code}")
    # The largest process of the build: this one, or a child it waited for (the generation's, a render worker,
    # Pagefind); tree_memory.py gives the whole tree's sum.
    largest = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {"total": total, **seconds, "written": written[0], "peak_mb": largest / 1024}


def run_build(root: Path, profile_to: Path | None = None) -> dict:
    command = [PYTHON, str(Path(__file__).resolve()), "--child", str(root)]
    if profile_to:
        command += ["--profile-to", str(profile_to)]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "REVIEWSITE_NO_VENV": "1"})
    if done.returncode != 0:
        raise RuntimeError(f"build of {root} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- serve latency ------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def measure_serve(root: Path, timeout: float = 120.0) -> float:
    """Seconds from saving an edited record to the served page showing the change."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/reviews/{review_id(1)}/"
    server = subprocess.Popen([PYTHON, "build_site.py", "serve", "--port", str(port)], cwd=root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "REVIEWSITE_NO_VENV": "1"})
    try:
        deadline = time.monotonic() + timeout
        while (page := _fetch(url)) is None or "Synthetic review 1:" not in page:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the server did not come up")
            time.sleep(0.2)
        time.sleep(2.0)  # let the first build's file events settle
        article = root / "records" / review_id(1) / "article.yaml"
        text = article.read_text(encoding="utf-8")
        edited = text.replace("Synthetic review 1:", "Synthetic review 1 (edited):", 1)
        started = time.monotonic()
        article.write_text(edited, encoding="utf-8")
        while (page := _fetch(url)) is None or "Synthetic review 1 (edited):" not in page:
            if time.monotonic() - started > timeout:
                raise RuntimeError("the edit never showed")
            time.sleep(0.05)
        return time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- search: index size and a reader's first query -----------------------------------------------------------

SEARCH_DIRS = ("search", "pagefind")  # MkDocs/Material's lunr index; Pagefind's bundle
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def search_index_size(site: Path) -> tuple[int, int]:
    """Bytes and files of the search index on disk."""
    files = [f for d in SEARCH_DIRS if (site / d).is_dir() for f in (site / d).rglob("*") if f.is_file()]
    return sum(f.stat().st_size for f in files), len(files)


def _is_search(url: str) -> bool:
    return any(part in url for part in ("/search/", "/pagefind/", "/workers/search", "javascripts/search",
                                        "stylesheets/search"))


def _gzip_size(body: bytes, url: str) -> int:
    if url.endswith((".pf_meta", ".pf_index", ".pf_fragment", ".png", ".jpg", ".woff2")):
        return len(body)  # already compressed (Pagefind gzips its own files)
    return min(len(body), len(gzip.compress(body, compresslevel=6, mtime=0)))


def measure_first_query(site: Path, queries=SEARCH_QUERIES, timeout: float = 60.0) -> dict | None:
    """Per query: bytes fetched and seconds from navigation to the first result, in headless Chromium."""
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is not installed: search measures skipped", file=sys.stderr)
        return None
    from playwright.sync_api import sync_playwright

    from tests.e2e.siteserver import start_server

    server, base_url = start_server(site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    figures = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            for query in queries:
                context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
                page = context.new_page()
                fetched: list[tuple[str, int, int]] = []

                def done(request, fetched=fetched):
                    try:
                        body = request.response().body()
                    except Exception:  # noqa: BLE001 - a redirect or an aborted request has no body
                        return
                    fetched.append((request.url, len(body), _gzip_size(body, request.url)))

                page.on("requestfinished", done)
                started = time.perf_counter()
                page.goto(base_url, wait_until="domcontentloaded")
                page.locator("label.md-header__button[for='__search']:visible, .md-search__input:visible").first.click()
                page.locator(".md-search__input").press_sequentially(query)
                # Checked at every frame: a locator's wait polls ever more slowly (up to every 0.5 s), which
                # would round the figure up by as much.
                page.wait_for_function("() => { const item = document.querySelector('.md-search-result__item');"
                                       " return item !== null && item.offsetParent !== null; }",
                                       polling="raf", timeout=timeout * 1000)
                seconds = time.perf_counter() - started
                page.wait_for_timeout(300)  # let the responses already under way finish and be counted
                search = [f for f in fetched if _is_search(f[0])]
                figures[query] = {
                    "seconds": seconds, "requests": len(fetched), "raw_kb": sum(f[1] for f in fetched) / 1024,
                    "gzip_kb": sum(f[2] for f in fetched) / 1024, "search_requests": len(search),
                    "search_raw_kb": sum(f[1] for f in search) / 1024,
                    "search_gzip_kb": sum(f[2] for f in search) / 1024,
                    "results": page.locator(".md-search-result__item").count()}
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return figures


# --- the table ----------------------------------------------------------------------------------------------

def measure(count: int, work: Path, profile_dir: Path | None, serve: bool, search: bool = True) -> dict:
    root = make_project(work / f"n{count}", count)
    prof = (lambda kind: profile_dir / f"n{count}-{kind}.prof") if profile_dir else (lambda kind: None)
    cold = run_build(root, prof("cold"))
    article = root / "records" / review_id(1) / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace("benchmark data", "benchmark data, edited"),
                       encoding="utf-8")
    edited = run_build(root, prof("edited"))
    again = run_build(root, prof("again"))
    page = root / "site" / "reviews" / review_id(1) / "index.html"
    references = root / "site" / "reviews" / review_id(1) / "references" / "index.html"
    index_bytes, index_files = search_index_size(root / "site")
    result = {"n": count, "cold": cold, "edited": edited, "again": again, "page_kb": page.stat().st_size / 1024,
              "refs_kb": references.stat().st_size / 1024, "index_kb": index_bytes / 1024, "index_files": index_files,
              "site_kb_per_review": site_kb_per_review(root / "site")}
    if search:
        result["first_query"] = measure_first_query(root / "site")
    if serve:
        result["serve_s"] = measure_serve(root, timeout=120 + 0.3 * count)  # the first build is longer at large N
    shutil.rmtree(root, onerror=_gone_already)
    return result


def _gone_already(function, path: str, error: tuple) -> None:
    """The build's own remover of replaced `site/` folders (cli.py) may still be deleting them: what it took is
    no error; anything else is."""
    if not issubclass(error[0], FileNotFoundError):
        raise error[1]


def _gen(run: dict) -> float:
    return run["load"] + run["render"] + run["write"]


def format_rows(results: list[dict]) -> str:
    header = ("| N | build | load+validate s | render s | write s | MkDocs s | whole s | gen % | per review ms "
              "| files written | largest process MB | page KB | refs page KB | search index KB | site KB per review |")
    lines = [header, "|" + "---|" * 15]
    for r in results:
        for kind in ("cold", "edited", "again"):
            run = r[kind]
            gen = _gen(run)
            lines.append(
                f"| {r['n']} | {kind} | {run['load']:.3f} | {run['render']:.3f} | {run['write']:.3f} | "
                f"{run['total'] - gen:.2f} | {run['total']:.2f} | {100 * gen / run['total']:.1f} | "
                f"{1000 * run['total'] / r['n']:.1f} | {run['written']} | {run['peak_mb']:.0f} | "
                f"{r['page_kb']:.1f} | {r['refs_kb']:.1f} | {r['index_kb']:.0f} | {r['site_kb_per_review']:.1f} |")
    serve = [f"serve at N={r['n']}: an edited record showed on its page after {r['serve_s']:.2f} s"
             for r in results if "serve_s" in r]
    search = []
    for r in results:
        if not r.get("first_query"):
            continue
        search.append(f"search at N={r['n']}: index {r['index_kb']:.0f} KB in {r['index_files']} files on disk")
        for query, q in r["first_query"].items():
            search.append(
                f"  first query {query!r}: first of {q['results']} results after {q['seconds']:.2f} s; "
                f"{q['requests']} responses, {q['raw_kb']:.0f} KB ({q['gzip_kb']:.0f} KB gzip), of which search "
                f"{q['search_requests']} responses, {q['search_raw_kb']:.0f} KB ({q['search_gzip_kb']:.0f} KB gzip)")
    return "\n".join(lines + serve + search)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100, 1000], help="values of N")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve latency (measured at N=100)")
    parser.add_argument("--serve-at", type=int, default=100, help="N at which to measure serve (default 100)")
    parser.add_argument("--no-search", action="store_true", help="skip the first-query measures (headless Chromium)")
    parser.add_argument("--profile", type=Path, help="write cProfile files into this folder")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child_build(args.child.resolve(), args.profile_to)))
        return 0
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="reviewsite-bench-") as work:
        for count in args.sizes:
            results.append(measure(count, Path(work), args.profile.resolve() if args.profile else None,
                                   serve=not args.no_serve and count == args.serve_at, search=not args.no_search))
            print(f"N={count} done", file=sys.stderr, flush=True)
    print(format_rows(results))
    if args.json:
        print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
