#!/usr/bin/env python3
"""Time `serve` on an already built synthetic project: saved record -> its page shows the change, several times.

    .venv/bin/python benchmarks/serve_latency.py /tmp/p --saves 4      # a project made by build_bench.make_project
    .venv/bin/python benchmarks/serve_latency.py /tmp/p --make 1000    # make it (and build it) first

One server is started and kept; each save alternates an edit of review 1's title (an input of the collection
pages: all reviews, by year, by keyword) and one of its abstract only (an input of its own page only), and waits
for the page to show it; after a title edit the page of all reviews must show it too. build_bench.py's serve
measure (one title edit in a fresh server) is the reference figure; this one shows the spread. Prints each time
and the load average.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import PYTHON, _fetch, _free_port, make_project, review_id  # noqa: E402


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _wait_for(url: str, text: str, timeout: float, server: subprocess.Popen) -> float:
    started = time.monotonic()
    while text not in (_fetch(url) or ""):
        if time.monotonic() - started > timeout or server.poll() is not None:
            raise RuntimeError(f"{text!r} never showed at {url}")
        time.sleep(0.02)
    return time.monotonic() - started


def time_saves(root: Path, saves: int, timeout: float = 60.0) -> list[tuple[str, float]]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    page = f"{base}/reviews/{review_id(1)}/"
    folder = root / "records" / review_id(1)
    server = subprocess.Popen([PYTHON, "build_site.py", "serve", "--port", str(port)], cwd=root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "REVIEWSITE_NO_VENV": "1"})
    times = []
    try:
        _wait_for(page, '<h1 id="title"', 120 + 0.3 * len(list((root / "records").iterdir())), server)
        time.sleep(2.0)  # let the first build's file events settle
        for number in range(saves):
            kind = ("title", "abstract")[number % 2]
            path = folder / ("article.yaml" if kind == "title" else "abstract.yaml")
            text = path.read_text(encoding="utf-8")
            marker = f"Saved {kind} {number} {time.time_ns()}"
            pattern = r'^title: "' if kind == "title" else r'text: "'
            found = re.search(pattern, text, flags=re.MULTILINE)
            if found is None:
                raise RuntimeError(f"no {kind} to edit in {path}")
            edited = f"{text[:found.end()]}{marker} {text[found.end():]}"
            started = time.monotonic()
            path.write_text(edited, encoding="utf-8")
            _wait_for(page, marker, timeout, server)
            times.append((kind, time.monotonic() - started))
            if kind == "title":
                _wait_for(f"{base}/reviews/all/", marker, 5.0, server)  # the collection pages are not left stale
            time.sleep(1.0)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--make", type=int, metavar="N", help="first make the project with N reviews and build it")
    parser.add_argument("--saves", type=int, default=6)
    args = parser.parse_args()
    if args.make:
        make_project(args.project, args.make)
        subprocess.run([PYTHON, "build_site.py", "build"], cwd=args.project, check=True, capture_output=True,
                       env={**os.environ, "REVIEWSITE_NO_VENV": "1"})
    print(f"load before: {_load()}")
    for kind, seconds in time_saves(args.project, args.saves):
        print(f"{kind:8} saved -> shown {seconds:.2f} s   (load {_load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
