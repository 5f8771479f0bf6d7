"""Time and memory of a sharded cold build (reviewsite/build/shards.py), and the proof that it equals one job's.

    .venv/bin/python benchmarks/shard_bench.py --sizes 200 --shards 4 --compare

For each N: a throw-away project with N synthetic reviews (build_bench.make_project); each shard job, then the
merge, runs `build_site.py build --shard K/N` / `--merge` in a fresh copy of it (as a CI job has: no docs/, no
caches) in its own process, one after another. Printed per job: wall seconds, peak memory (the largest process:
Python, or Pagefind in the merge) and the size of its shard folder (the CI artifact). With --compare, a one-job
`build_site.py build` too, and every file of the two sites compared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.build_bench import make_project  # noqa: E402


def _job(root: Path, *args: str) -> dict:
    """One `build_site.py build …` in its own process: wall seconds and peak resident MB (wait4's maxrss: the
    child or the largest of its waited-for children)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "build_site.py", "build", *args], cwd=root,
                               env={**os.environ, "REVIEWSITE_NO_VENV": "1"}, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"build {' '.join(args)} failed in {root}:\n{output}")
    return {"seconds": round(seconds, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_mb": round(usage.ru_maxrss / 1024)}


def _checkout(project: Path, destination: Path) -> Path:
    generated = {project / name for name in (".cache", "site")} | {project / "docs" / name for name in
                                                                   ("reviews", "index.md", "about.md")}
    shutil.copytree(project, destination, symlinks=True,
                    ignore=lambda folder, names: [n for n in names if Path(folder) / n in generated])
    return destination


def _size_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6, 1)


def _files(site: Path) -> dict:
    return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def measure(count: int, shards: int, work: Path, compare: bool) -> dict:
    project = make_project(work / "project", count)
    result: dict = {"N": count, "shards": shards, "jobs": []}
    outs = []
    for number in range(1, shards + 1):
        job = _checkout(project, work / f"job{number}")
        out = work / f"shard{number}"
        figures = _job(job, "--shard", f"{number}/{shards}", "--shard-dir", str(out))
        reviews = len(json.loads((out / "shard.json").read_text(encoding="utf-8"))["reviews"])
        result["jobs"].append({"job": f"shard {number}/{shards}", "reviews": reviews, **figures,
                               "artifact_mb": _size_mb(out)})
        shutil.rmtree(job)
        outs.append(str(out))
    merge = _checkout(project, work / "merge")
    result["jobs"].append({"job": "merge", "reviews": count, **_job(merge, "--merge", *outs),
                           "artifact_mb": _size_mb(merge / "site")})
    if compare:
        one = _checkout(project, work / "one")
        result["jobs"].append({"job": "one job", "reviews": count, **_job(one), "artifact_mb": _size_mb(one / "site")})
        merged, whole = _files(merge / "site"), _files(one / "site")
        result["identical"] = set(merged) == set(whole) and all(merged[p] == whole[p] for p in whole)
        result["files"] = len(whole)
    return result


def format_rows(result: dict) -> str:
    lines = [f"N={result['N']} in {result['shards']} shards"
             + (f": merged site {'IDENTICAL to' if result['identical'] else 'DIFFERS from'} the one-job build "
                f"({result['files']} files compared)" if "identical" in result else ""),
             "| job | reviews rendered | wall s | CPU s | peak MB | output MB |", "|---|---|---|---|---|---|"]
    for job in result["jobs"]:
        lines.append(f"| {job['job']} | {job['reviews']} | {job['seconds']:.1f} | {job['cpu_s']:.1f} | "
                     f"{job['peak_mb']} | {job['artifact_mb']} |")
    shard_times = [j["seconds"] for j in result["jobs"] if j["job"].startswith("shard")]
    merge = next(j for j in result["jobs"] if j["job"] == "merge")
    lines.append(f"critical path on a matrix (slowest shard + merge): {max(shard_times) + merge['seconds']:.1f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200])
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--compare", action="store_true", help="also build in one job and compare every file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    for count in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"shard-bench-{count}-") as work:
            result = measure(count, args.shards, Path(work), args.compare)
        print(json.dumps(result) if args.json else format_rows(result), flush=True)
        if result.get("identical") is False:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
