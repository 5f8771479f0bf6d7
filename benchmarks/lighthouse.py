#!/usr/bin/env python3
"""Lighthouse on the served review page, with Debian's Chromium: prints the four category scores.

A benchmark, not a test: `.venv/bin/python benchmarks/lighthouse.py [--page PATH] [--runs N]`.
It builds the real records for the GitHub Pages subpath into a temporary folder, serves them on
127.0.0.1 as tests/e2e does, and runs Lighthouse from node_modules (`npm ci` first) with the desktop
preset. Targets: accessibility, best practices and SEO 1.00, performance at least 0.95. Exit status 1
when a target is missed, with the audits that cost points.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.siteserver import build_for, start_server  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = "/usr/bin/chromium"
# Headless as root on a machine with no outside network (see tests/e2e/conftest.py).
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
TARGETS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}


def run_lighthouse(url: str, output: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROME}
    command = ["node", str(LIGHTHOUSE), url, "--preset=desktop", "--output=json", f"--output-path={output}",
               f"--chrome-flags={CHROME_FLAGS}", "--only-categories=" + ",".join(TARGETS), "--quiet"]
    subprocess.run(command, check=True, env=env, timeout=300)
    return json.loads(output.read_text(encoding="utf-8"))


def losses(report: dict, category: str) -> list[str]:
    """The audits of a category that did not score full marks, with what Lighthouse says of them."""
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] > 0 and audit.get("score") is not None and audit["score"] < 1:
            value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            lines.append(f"    {audit['id']}: {audit['score']:.2f}{value} - {audit['title']}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", default="reviews/ferrari-lacraz-2011/", help="page path under the site root")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs; the median score is reported")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `npm ci` in {ROOT}", file=sys.stderr)
        return 2
    server, base_url = start_server()
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as temp:
        server.set_directory(build_for(base_url, Path(temp)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = base_url + args.page
        reports = [run_lighthouse(url, Path(temp) / f"report-{run}.json") for run in range(args.runs)]
        server.shutdown()
    print(f"Lighthouse {reports[0]['lighthouseVersion']}, desktop preset, {reports[0]['environment']['hostUserAgent']}")
    print(f"{url} ({args.runs} run{'s' if args.runs != 1 else ''}, median)")
    missed = False
    for category, target in TARGETS.items():
        score = statistics.median(r["categories"][category]["score"] for r in reports)
        ok = score >= target
        missed |= not ok
        print(f"  {reports[0]['categories'][category]['title']:<15} {score:.2f}  (target {target:.2f}"
              f"{'' if ok else ', MISSED'})")
        if not ok or score < 1:
            print("\n".join(losses(reports[0], category)))
    if args.runs == 1:
        metrics = reports[0]["audits"]
        print("  " + ", ".join(f"{metrics[m]['title']} {metrics[m]['displayValue']}" for m in
                               ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                                "cumulative-layout-shift")))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
