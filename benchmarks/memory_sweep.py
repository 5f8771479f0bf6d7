#!/usr/bin/env python3
"""Peak memory of a build against the number of reviews: is it flat, or how fast does it grow?

    .venv/bin/python benchmarks/memory_sweep.py --sizes 1000 2000 4000

For each N: a throw-away project of N synthetic reviews (build_bench.make_project), built cold, then again after
one review's title is edited, each under tree_memory.py (the peak PSS of the build's whole process tree: the
build, its forked children, the render workers, Pagefind). Prints one row per build with the processes at the
tree's peak, then the growth between consecutive sizes in KB per review (issue 16: "flat or sublinear in N").
The project's own Python runs the builds (REVIEWSITE_NO_VENV=1), so a first-run virtual environment's pip is not
counted. Memory, not time, is the figure here; the seconds are printed with the load for what they are worth.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from build_bench import make_project  # noqa: E402
from tree_memory import measure  # noqa: E402


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _edit_one_title(project: Path) -> None:
    article = sorted((project / "records").iterdir())[0] / "article.yaml"
    text = article.read_text(encoding="utf-8")
    if not text.startswith('title: "'):
        raise SystemExit(f"{article}: the synthetic record no longer starts with its title")
    article.write_text(text.replace('title: "', 'title: "Edited: ', 1), encoding="utf-8")


def _build(project: Path) -> dict:
    load = _load()
    result = measure([sys.executable, "build_site.py", "build"], cwd=str(project))
    if result["returncode"]:
        raise SystemExit(f"the build in {project} failed:\n{result['stderr_tail']}")
    return {**result, "load": load}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000], help="numbers of reviews")
    parser.add_argument("--keep", type=Path, help="make the projects in this folder and keep them")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        parser.error("this needs Linux's /proc")
    os.environ["REVIEWSITE_NO_VENV"] = "1"
    base = args.keep or Path(tempfile.mkdtemp(prefix="memory-sweep-"))
    rows: dict[str, list[tuple[int, float]]] = {"cold": [], "edited": []}
    print("| N | build | peak of the tree MB | largest process MB | at the tree's peak | largest of each | s | load |")
    print("|---|---|---|---|---|---|---|---|")
    try:
        for count in sorted(args.sizes):
            project = base / f"n{count}"
            shutil.rmtree(project, ignore_errors=True)
            make_project(project, count)
            for kind in ("cold", "edited"):
                if kind == "edited":
                    _edit_one_title(project)
                result = _build(project)
                rows[kind].append((count, result["peak_tree_mb"]))
                parts = ", ".join(f"{name} {mb:.0f}" for name, mb in result["at_peak"])
                each = ", ".join(f"{name} {mb:.0f}" for name, mb in result["largest_by_name"].items())
                print(f"| {count} | {kind} | {result['peak_tree_mb']:.0f} | {result['peak_process_mb']:.0f} | "
                      f"{parts} | {each} | {result['seconds']:.1f} | {result['load']} |", flush=True)
            if not args.keep:
                shutil.rmtree(project, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print()
    for kind, points in rows.items():
        steps = [f"{a}→{b}: {(mb_b - mb_a) * 1024 / (b - a):.1f} KB per review"
                 for (a, mb_a), (b, mb_b) in zip(points, points[1:], strict=False)]
        print(f"growth, {kind}: " + ("; ".join(steps) or "give two sizes or more"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
