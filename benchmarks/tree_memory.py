#!/usr/bin/env python3
"""Peak memory of a command and every process it starts, as the machine pays for it.

    .venv/bin/python benchmarks/tree_memory.py -- .venv/bin/python build_site.py build

build_bench.py's "peak MB" is the build's own Python process (RUSAGE_SELF): it leaves out the forked workers of a
cold build (reviewsite/parallel.py) and Pagefind. This samples the proportional set size (PSS: a page shared by n
processes counts 1/n in each, so forked workers' shared pages are not counted twice) of the command's whole process
tree from /proc (Linux only) every 0.5 s (reading /proc costs CPU: sampling more often slowed a build by half), and
prints the wall time, the peak of the tree's summed PSS, and the peak PSS of the largest single process.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            pass
    return found


def _tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue += _children(current)
    return pids


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _name(pid: int) -> str:
    """The process's program and first argument, to tell the build, its workers and Pagefind apart."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        called = Path(f"/proc/{pid}/comm").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return "?"
    name = " ".join(Path(word.decode("utf-8", "replace")).name for word in words[:2] if word) or "(exiting)"
    # A forked stage keeps the build's command line; the build names it (apart.name_this_process: rs-generation,
    # rs-mkdocs, rs-render).
    return f"{name} [{called}]" if called.startswith("rs-") else name


def measure(command: list[str], cwd: str | None = None, interval: float = 0.5) -> dict:
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_tree = peak_one = 0
    at_peak: list[tuple[str, int]] = []  # (process, PSS KB) when the tree peaked
    by_name: dict[str, int] = {}  # each kind of process (a named stage, Pagefind...): its largest PSS KB
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree, peak_one, at_peak
        while not done.is_set():
            pids = _tree(process.pid)
            sizes = [_pss_kb(pid) for pid in pids]
            names = [_name(pid) for pid in pids]
            if sum(sizes) > peak_tree:
                peak_tree = sum(sizes)
                at_peak = [(name, size) for name, size in zip(names, sizes, strict=True) if size]
            peak_one = max(peak_one, max(sizes, default=0))
            for name, size in zip(names, sizes, strict=True):
                by_name[name] = max(by_name.get(name, 0), size)
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    done.set()
    sampler.join()
    return {"seconds": time.monotonic() - started, "returncode": process.returncode,
            "peak_tree_mb": peak_tree / 1024, "peak_process_mb": peak_one / 1024,
            "at_peak": [(name, size / 1024) for name, size in at_peak],
            "largest_by_name": {name: size / 1024 for name, size in sorted(by_name.items()) if size},
            "stderr_tail": errors.decode("utf-8", "replace")[-2000:]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cwd", help="run the command in this folder")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command or not sys.platform.startswith("linux"):
        parser.error("give a command after --; this needs Linux's /proc")
    result = measure(command, args.cwd)
    print(f"{result['seconds']:.2f} s wall, exit {result['returncode']}; peak PSS of the process tree "
          f"{result['peak_tree_mb']:.0f} MB, of its largest process {result['peak_process_mb']:.0f} MB")
    print("at the tree's peak: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in result["at_peak"]))
    print("largest of each: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in result["largest_by_name"].items()))
    if result["returncode"]:
        print(result["stderr_tail"], file=sys.stderr)
    return result["returncode"]


if __name__ == "__main__":
    sys.exit(main())
